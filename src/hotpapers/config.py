"""The site configuration: `config.yaml` merged over built-in defaults, checked as a whole.

The file is checked against a JSON Schema so that every unknown key, wrong type and
out-of-range value is reported at once, each by its dotted key, before anything runs.
A validator compiled by fastjsonschema passes a good config; only a bad one is
checked again by jsonschema for the complete report. jsonschema is imported only
then: with its optional format checkers installed (as Jupyter installs them), its
import alone takes seconds, which every command would pay.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fastjsonschema
import msgspec
import yaml

from hotpapers.errors import ConfigError
from hotpapers.models import Platform
from hotpapers.profiles import PROFILES, Profile
from hotpapers.sources import SOURCES
from hotpapers.sources.base import SourceSettings
from hotpapers.yaml_c import SAFE_LOADER

DEFAULTS: dict[str, Any] = {
    "timezone": "UTC",
    "candidates": {"categories": None, "max_age_days": None},
    "ranking": {
        "weights": {"reposts": 1, "likes": 1},
        "platform_weights": {"hackernews": {"likes": 1, "replies": 1}, "huggingface": {"likes": 1}},
        "min_paper_score": 50,
        "min_mention_score": 25,
        "max_mentions_per_paper": 10,
        "always_show_top": False,
    },
    "post": {
        "title": "Hot Papers {date}",
        "description": "Hot papers {date}",
        "slug": "hot-papers-{date}",
        "template": "post",
        "draft": False,
        "category": "arXiv",
        "tags": ["arXiv", "Twitter", "Machine Learning", "Computer Science"],
        "social_image": "/media/flying-marine.jpg",
    },
    "output": {"profile": "lumen", "filename": None, "escape_markdown": None},
    "site": {"url": None, "title": "Hot Papers", "link": None},
    "feeds": {"entries": 20, "atom": "static/hot-papers.atom", "json": "static/hot-papers.json"},
    "paths": {"snapshots": "data/snapshots", "posts": None, "templates": "templates"},
    "arxiv": {"api_url": "https://export.arxiv.org/api/query", "batch_size": 100, "min_interval": 3},
    "sources": {},
    "http": {"timeout": 30, "retries": 4, "backoff": 1, "max_wait": 900, "max_bytes": 64 * 1024 * 1024},
}

_STR = {"type": "string"}
_TEXT = {"type": "string", "minLength": 1}
_URL = {"type": "string", "pattern": "^https?://"}
_NUMBER = {"type": "number", "minimum": 0}
_WEIGHTS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {count: _NUMBER for count in ("reposts", "likes", "replies", "quotes")},
}


def _int(minimum: int, maximum: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def _obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "properties": properties}


SCHEMA = _obj(
    timezone=_TEXT,
    candidates=_obj(
        categories={"type": ["array", "null"], "items": _TEXT},
        max_age_days={"type": ["integer", "null"], "minimum": 0},
    ),
    ranking=_obj(
        weights=_WEIGHTS,
        platform_weights={
            "type": "object",
            "propertyNames": {"enum": list(get_args(Platform))},
            "additionalProperties": _WEIGHTS,
        },
        min_paper_score=_NUMBER,
        min_mention_score=_NUMBER,
        max_mentions_per_paper=_int(0),
        always_show_top={"type": "boolean"},
    ),
    post=_obj(
        title=_TEXT,
        description=_STR,
        slug=_TEXT,
        template=_TEXT,
        draft={"type": "boolean"},
        category=_STR,
        tags={"type": "array", "items": _TEXT},
        social_image={"type": ["string", "null"]},
    ),
    output=_obj(
        profile={"enum": list(PROFILES)},
        filename={"type": ["string", "null"], "pattern": r"\{date\}"},
        escape_markdown={"type": ["boolean", "null"]},
    ),
    site=_obj(
        url={"type": ["string", "null"], "pattern": "^https?://[^/]+"},
        title=_TEXT,
        link={"type": ["string", "null"], "pattern": r"\{slug\}"},
    ),
    feeds=_obj(
        entries=_int(0, 1000),
        atom={"type": ["string", "null"], "minLength": 1},
        json={"type": ["string", "null"], "minLength": 1},
    ),
    paths=_obj(snapshots=_TEXT, posts={"type": ["string", "null"], "minLength": 1}, templates=_TEXT),
    arxiv=_obj(api_url=_URL, batch_size=_int(1, 2000), min_interval=_NUMBER),
    sources=_obj(**{name: {"type": "object"} for name in SOURCES}),
    http=_obj(
        timeout={"type": "number", "exclusiveMinimum": 0},
        retries=_int(0, 10),
        backoff=_NUMBER,
        max_wait=_NUMBER,
        max_bytes=_int(1024),
    ),
)


@dataclass(frozen=True, slots=True)
class Candidates:
    categories: tuple[str, ...] | None
    """Patterns such as `cs.*`; a paper needs one matching category. None: all pass."""
    max_age_days: int | None
    """Papers published more than this many days before the digest day are left out."""


@dataclass(frozen=True, slots=True)
class Ranking:
    weights: dict[str, float]
    """Count name (reposts, likes, replies, quotes) to weight; a count without one weighs 0."""
    platform_weights: dict[str, dict[str, float]]
    """The weights of the platforms listed here, instead of `weights`."""
    min_paper_score: float
    min_mention_score: float
    max_mentions_per_paper: int
    always_show_top: bool


@dataclass(frozen=True, slots=True)
class PostSettings:
    """Frontmatter strings; `{date}` stands for the digest day."""

    title: str
    description: str
    slug: str
    template: str
    draft: bool
    category: str
    tags: tuple[str, ...]
    social_image: str | None


@dataclass(frozen=True, slots=True)
class Paths:
    snapshots: Path
    posts: Path
    templates: Path


@dataclass(frozen=True, slots=True)
class Site:
    url: str | None
    """The site's address, for the feeds' absolute links; no feeds without it."""
    title: str
    link: str
    """A post's URL path; `{slug}` is its slug."""


@dataclass(frozen=True, slots=True)
class Feeds:
    entries: int
    atom: Path | None
    json: Path | None


@dataclass(frozen=True, slots=True)
class ArxivSettings:
    api_url: str
    batch_size: int
    min_interval: float


@dataclass(frozen=True, slots=True)
class HttpSettings:
    timeout: float
    retries: int
    backoff: float
    """Seconds before the first retry; doubled at each further one (plus jitter)."""
    max_wait: float
    """The longest a rate limit may make us wait before we give up."""
    max_bytes: int
    """The largest answer read, counted after decompression."""


@dataclass(frozen=True, slots=True)
class Config:
    timezone: ZoneInfo
    candidates: Candidates
    ranking: Ranking
    post: PostSettings
    profile: Profile
    filename: str
    """The post's file name inside paths.posts; `{date}` is the digest day."""
    escape_markdown: bool
    site: Site
    feeds: Feeds
    paths: Paths
    arxiv: ArxivSettings
    sources: dict[str, SourceSettings]
    """Each registered source's settings (`sources.NAME`), by name."""
    http: HttpSettings

    def snapshot_path(self, day: str) -> Path:
        return self.paths.snapshots / snapshot_name(day)

    def post_path(self, day: str) -> Path:
        return self.paths.posts / self.filename.replace("{date}", day)


def snapshot_name(day: str) -> str:
    return f"{day}.json"


def default_config_path(cwd: Path) -> Path | None:
    candidate = cwd / "config.yaml"
    return candidate if candidate.is_file() else None


def load_config(path: Path | None, cwd: Path) -> Config:
    """Read `path` (or only the defaults when None); relative paths resolve against its folder."""
    if path is None:
        return build_config({}, cwd, "built-in defaults")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping of keys, not {type(data).__name__}")
    return build_config(data, path.resolve().parent, str(path))


def build_config(data: dict[str, Any], root: Path, source: str) -> Config:
    """Merge `data` over the defaults, report every problem at once, and build a Config."""
    merged = _merge(copy.deepcopy(DEFAULTS), data)
    problems = _schema_problems(merged)
    sources = _source_settings(merged.get("sources"), problems)
    timezone = None
    if isinstance(merged.get("timezone"), str):
        try:
            timezone = ZoneInfo(merged["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"timezone: unknown time zone {merged['timezone']!r}")
    if problems:
        count = f"{len(problems)} problems" if len(problems) > 1 else "1 problem"
        raise ConfigError(f"{source}: {count}: " + "; ".join(problems))
    assert timezone is not None
    return _to_config(merged, root, timezone, sources)


def _source_settings(data: Any, problems: list[str]) -> dict[str, SourceSettings]:
    """Each registered source's settings from `sources.NAME`; a problem line for each bad one."""
    settings = {}
    for name, source in SOURCES.items():
        given = data.get(name) if isinstance(data, dict) else None
        try:
            settings[name] = msgspec.convert(given if isinstance(given, dict) else {}, source.Settings)
        except msgspec.ValidationError as exc:
            message, _, where = str(exc).partition(" - at `$.")
            problems.append(f"sources.{name}{'.' + where.rstrip('`') if where else ''}: {message}")
    return settings


@cache
def _fast_validator() -> Any:
    return fastjsonschema.compile(SCHEMA)


def _schema_problems(merged: dict[str, Any]) -> list[str]:
    """Every schema problem, by dotted key; none when the compiled validator passes."""
    try:
        _fast_validator()(merged)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    from jsonschema import Draft202012Validator  # only for a bad config (see above)

    errors = Draft202012Validator(SCHEMA).iter_errors(merged)
    return [
        f"{_dotted(error.absolute_path)}: {_describe(error)}"
        for error in sorted(errors, key=lambda e: list(map(str, e.path)))
    ]


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def _dotted(path: Any) -> str:
    return ".".join(str(part) for part in path) or "(top level)"


def _describe(error: Any) -> str:
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema["properties"]))
        return "unknown key" + ("s " if len(unknown) > 1 else " ") + ", ".join(map(repr, unknown))
    return error.message


def _to_config(d: dict[str, Any], root: Path, timezone: ZoneInfo, sources: dict[str, SourceSettings]) -> Config:
    """Build the Config; output and path keys left at null take the profile's defaults."""
    cand, rank, post, out = d["candidates"], d["ranking"], d["post"], d["output"]
    categories = cand["categories"]
    profile = PROFILES[out["profile"]]
    paths = {**d["paths"], "posts": d["paths"]["posts"] or profile.posts}
    return Config(
        timezone=timezone,
        candidates=Candidates(tuple(categories) if categories is not None else None, cand["max_age_days"]),
        ranking=Ranking(
            weights=rank["weights"],
            platform_weights=rank["platform_weights"],
            min_paper_score=rank["min_paper_score"],
            min_mention_score=rank["min_mention_score"],
            max_mentions_per_paper=rank["max_mentions_per_paper"],
            always_show_top=rank["always_show_top"],
        ),
        post=PostSettings(**{**post, "tags": tuple(post["tags"])}),
        profile=profile,
        filename=out["filename"] or profile.filename,
        escape_markdown=profile.escape_markdown if out["escape_markdown"] is None else out["escape_markdown"],
        site=Site(
            d["site"]["url"].rstrip("/") if d["site"]["url"] else None,
            d["site"]["title"],
            d["site"]["link"] or profile.link,
        ),
        feeds=Feeds(
            d["feeds"]["entries"], *(root / d["feeds"][k] if d["feeds"][k] else None for k in ("atom", "json"))
        ),
        paths=Paths(**{key: root / value for key, value in paths.items()}),
        arxiv=ArxivSettings(**d["arxiv"]),
        sources=sources,
        http=HttpSettings(**d["http"]),
    )
