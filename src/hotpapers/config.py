"""The site configuration, declared once.

Each section is a frozen msgspec Struct that holds its keys, their defaults, their
limits (`Meta`) and their meaning (the docstring under each key). `config_check` walks
these declarations to report every problem of a file at once, and `hotpapers init`
writes its commented file from them. Each source declares its own section (`Settings`
in its module), found through the registry `hotpapers.sources.SOURCES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import msgspec
from msgspec import Meta, Struct, field
from msgspec.structs import replace

from hotpapers.config_check import config_problems, decode_hook, file_inside, merge
from hotpapers.config_file import key_under_commented_section, read_mapping
from hotpapers.config_types import SiteUrl, Url
from hotpapers.errors import ConfigError, shown_path
from hotpapers.models import Platform
from hotpapers.profiles import PROFILES, Profile, ProfileName
from hotpapers.regular_file import real_path
from hotpapers.sources import SOURCES
from hotpapers.sources.base import SourceSettings

Text = Annotated[str, Meta(min_length=1, max_length=1000)]
Number = Annotated[float, Meta(ge=0, le=1e12)]
Seconds = Annotated[float, Meta(ge=0, le=7 * 86400)]
Weight = Annotated[float, Meta(ge=0, le=1e6)]
CountName = Literal["reposts", "likes", "replies", "quotes"]


def placeholders(*names: str, required: str | None = None) -> Meta:
    """The `{name}` placeholders a string may hold (and one it must hold): others are errors."""
    return Meta(extra={"placeholders": names, "required": required})


class Section(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A part of the config; an unknown key in it is an error."""


class Candidates(Section, frozen=True):
    """Which papers may enter the digest. Applied when ranking, so snapshots keep every fact."""

    categories: tuple[Text, ...] | None = None
    """Patterns such as `cs.*` or `stat.ML` (case aside); a paper needs one matching category (null: any)."""
    max_age_days: Annotated[int, Meta(ge=0, le=100_000)] | None = None
    """Leave out papers published longer ago than this before the digest day (null: no limit)."""


def default_platform_weights() -> dict[Platform, dict[CountName, Weight]]:
    """Each source's own weights (`Source.weights`), for the platforms that declare them."""
    declared = {name: source.weights for name, source in SOURCES.items() if source.weights is not None}
    return msgspec.convert(declared, dict[Platform, dict[CountName, Weight]])


class Ranking(Section, frozen=True):
    """How mentions and papers are scored, and which posts a paper embeds."""

    weights: dict[CountName, Weight] = field(default_factory=lambda: {"reposts": 1.0, "likes": 1.0})
    """A mention's score is the weighted sum of its counts: reposts, likes, replies, quotes (a count
    without a weight counts 0). These weights apply to the platforms not in platform_weights ..."""
    platform_weights: dict[Platform, dict[CountName, Weight]] = field(default_factory=default_platform_weights)
    """... and these to the platforms listed: by default each one whose source weighs its own
    counts (a platform's points or upvotes are stored as likes); docs/ranking.md says why."""
    min_paper_score: Number = 50
    """A paper enters the digest when the summed score of its mentions reaches this."""
    min_mention_score: Number = 25
    """Of a paper's best mentions, those scoring at least this are embedded ..."""
    max_mentions_per_paper: Annotated[int, Meta(ge=0, le=1000)] = 10
    """... looking at no more than this many."""
    always_show_top: bool = False
    """Embed a paper's best mention even when it scores under min_mention_score."""


class PostSettings(Section, frozen=True):
    """The post's frontmatter; `{date}` stands for the digest day (YYYY-MM-DD)."""

    title: Annotated[Text, placeholders("date")] = "Hot Papers {date}"
    description: Annotated[str, Meta(max_length=1000), placeholders("date")] = "Hot papers {date}"
    slug: Annotated[Text, placeholders("date", required="date")] = "hot-papers-{date}"
    """Must hold {date}: each day's post needs an address of its own, on the site and in the feeds."""
    template: Text = "post"
    """Written by lumen and lumen-2022 only, which publish only template "post"."""
    draft: bool = False
    category: Annotated[str, Meta(max_length=1000)] = "arXiv"
    tags: tuple[Text, ...] = ("arXiv", "Twitter", "Machine Learning", "Computer Science")
    social_image: Annotated[str, Meta(max_length=1000)] | None = "/media/flying-marine.jpg"
    """Written by lumen only (lumen-2022's socialImage is an image file beside the post); null leaves it out."""


class Output(Section, frozen=True):
    """The post format. Keys left at null take the profile's value."""

    profile: ProfileName = "lumen"
    """lumen: the classic Gatsby lumen post; lumen-2022: lumen since 2022 (one folder a post);
    hugo: needs markup.goldmark.renderer.unsafe; jekyll: posts in _posts/."""
    filename: Annotated[Text, file_inside("paths.posts"), placeholders("date", required="date")] | None = None
    """The post's file name inside paths.posts (null: the profile's)."""
    escape_markdown: bool | None = None
    """Backslash-escape * _ ` [ ] $ in papers' text (null: yes, except for lumen)."""


class Site(Section, frozen=True):
    """The site, for the feeds and the posts' links."""

    url: SiteUrl | None = None
    """The site's address, such as https://my-lab.example.org; the feeds are written only when set."""
    title: Text = "Hot Papers"
    """The feeds' title."""
    link: Annotated[Text, placeholders("slug", required="slug")] | None = None
    """A post's URL path; `{slug}` is its slug (null: the profile's, /posts/{slug} for lumen)."""


_FEEDS_OFF = "feeds.atom and feeds.json null turn the feeds off"
"""What a config error for `feeds.entries: 0` (it stopped updating the feeds without a word) or `atom: false` says."""


class Feeds(Section, frozen=True):
    """An Atom feed and a JSON Feed 1.1 of the latest digests, rewritten by `build` when they change."""

    entries: Annotated[int, Meta(ge=1, le=1000, extra={"hints": {0: _FEEDS_OFF}})] = 20
    """The latest digests in each feed."""
    atom: Annotated[Path | None, Meta(extra={"hints": {False: _FEEDS_OFF}})] = Path("static/hot-papers.atom")
    """null: no Atom feed. Default: hot-papers.atom in paths.public."""
    json: Annotated[Path | None, Meta(extra={"hints": {False: _FEEDS_OFF}})] = Path("static/hot-papers.json")
    """null: no JSON Feed. Default: hot-papers.json in paths.public."""


class Paths(Section, frozen=True):
    """Folders, relative to the config file's folder."""

    snapshots: Path = Path("data/snapshots")
    """One JSON file per day: the facts every post is built from."""
    posts: Path | None = None
    """null: the profile's (content/posts, or _posts for jekyll)."""
    templates: Path = Path("templates")
    """Templates here override the packaged ones by name."""
    public: Path | None = None
    """The folder the site serves at its root; a feed's URL is its path inside it (null: the
    profile's: static, or the site's folder for jekyll)."""


class ArxivSettings(Section, frozen=True):
    """The arXiv API, for the papers' metadata. Its terms ask for one request every 3 seconds."""

    api_url: Url = "https://export.arxiv.org/api/query"
    batch_size: Annotated[int, Meta(ge=1, le=2000)] = 100
    """Ids per request."""
    min_interval: Seconds = 3
    """Seconds between requests."""
    max_ids: Annotated[int, Meta(ge=1, le=1_000_000)] = 5000
    """The most ids looked up for a day; past it, those with the most engagement."""


class HttpSettings(Section, frozen=True):
    """Every request: time limit, size limit, retries."""

    timeout: Annotated[float, Meta(gt=0, le=3600)] = 30
    """Seconds for one request, its whole answer included."""
    retries: Annotated[int, Meta(ge=0, le=10)] = 4
    """Extra attempts after a connection error, 5xx or 429."""
    backoff: Seconds = 1
    """Seconds before the first retry, doubled each time, plus jitter."""
    max_wait: Seconds = 900
    """The longest rate limits may make a build wait, in seconds, all their waits added up."""
    max_bytes: Annotated[int, Meta(ge=1024, le=2**40)] = 64 * 1024 * 1024
    """The largest answer read, in bytes after decompression."""
    max_time: Annotated[float, Meta(gt=0, le=7 * 86400)] = 3600
    """The longest one source's requests may take for a day, retries and waits included, in seconds."""


def default_sources() -> dict[str, SourceSettings]:
    return {name: source.Settings() for name, source in SOURCES.items()}


class Config(Section, frozen=True):
    """A site's settings: the names in the file are the names here."""

    timezone: ZoneInfo = ZoneInfo("UTC")
    """The zone that defines a day (the search window) and the per-paper time line; the
    frontmatter date is always UTC."""
    repair_days: Annotated[int, Meta(ge=0, le=366)] = 3
    """The nightly build (no day given) also mends the days among this many before its day (0: none): asks again
    what failed (a source, arXiv), fetches (and bills) a day missed since the first snapshot, writes a missing post."""
    candidates: Candidates = Candidates()
    ranking: Ranking = Ranking()
    post: PostSettings = PostSettings()
    output: Output = Output()
    site: Site = Site()
    feeds: Feeds = Feeds()
    paths: Paths = Paths()
    arxiv: ArxivSettings = ArxivSettings()
    sources: dict[str, SourceSettings] = field(default_factory=default_sources)
    """Where the mentions come from, one section per source, all enabled by default; a source
    whose environment variables are not set is skipped."""
    http: HttpSettings = HttpSettings()

    @property
    def profile(self) -> Profile:
        return PROFILES[self.output.profile]

    @property
    def enabled_sources(self) -> list[str]:
        return [name for name, settings in self.sources.items() if settings.enabled]

    def snapshot_path(self, day: str) -> Path:
        return self.paths.snapshots / f"{day}.json"

    def post_name(self, day: str) -> str:
        """The post's path inside paths.posts; `day` may also be a pattern such as `*`."""
        return (self.output.filename or self.profile.filename).replace("{date}", day)

    def post_path(self, day: str) -> Path:
        return self.posts_folder / self.post_name(day)

    @property
    def posts_folder(self) -> Path:
        return self.paths.posts or Path(self.profile.posts)

    def post_link(self, slug: str) -> str:
        """A post's URL path on the site."""
        return (self.site.link or self.profile.link).replace("{slug}", slug)


_FROM_PROFILE = {
    ("output", "filename"): "filename",
    ("output", "escape_markdown"): "escape_markdown",
    ("site", "link"): "link",
    ("paths", "posts"): "posts",
    ("paths", "public"): "public",
}
"""The keys whose null means the profile's value, and that value's name in Profile."""


FEED_KINDS = ("atom", "json")


def default_feeds(public: str) -> dict[str, str]:
    """Where each feed goes unless configured: `hot-papers.KIND` in the folder the site serves."""
    return {kind: f"{public}/hot-papers.{kind}" for kind in FEED_KINDS}


def load_config(path: Path | None, cwd: Path) -> Config:
    """Read `path` (or only the defaults when None); relative paths resolve against its folder."""
    if path is None:
        return build_config({}, cwd, "built-in defaults")
    mapping, repeated, text = read_mapping(path, known=set(Config.__struct_fields__))
    try:
        config = build_config(mapping, real_path(path).parent, shown_path(path), repeated)
    except ConfigError as exc:
        if "unknown" not in str(exc):  # a key misplaced under a commented-out section reads as unknown
            raise
        raise ConfigError(f"{exc}{key_under_commented_section(text)}") from None
    for kind in FEED_KINDS:
        if (feed := getattr(config.feeds, kind)) is not None and real_path(feed) == real_path(path):
            raise ConfigError(f"{shown_path(path)}: feeds.{kind} is this config file, which the feed would replace")
    if config.paths.templates.exists() and not config.paths.templates.is_dir():  # else the bundled ones, silently
        raise ConfigError(
            f"{shown_path(path)}: paths.templates is {shown_path(config.paths.templates)}, a file: it names the "
            "folder whose templates replace the bundled ones of the same name"
        )
    return config


def build_config(data: dict[str, Any], root: Path, source: str, found: Sequence[str] = ()) -> Config:
    """Check `data` against the declarations (every problem at once, after those `found`
    in reading it), then merge it over the defaults."""
    hook = decode_hook(root)
    problems = config_problems(data, Config, hook, {name: s.Settings for name, s in SOURCES.items()}, found)
    if problems:
        raise ConfigError(f"{source}: {problems}")
    defaults = msgspec.to_builtins(Config(), enc_hook=_encode)
    merged = merge(defaults, data)
    profile = PROFILES[merged["output"]["profile"]]
    for (section, key), default in _FROM_PROFILE.items():
        if merged[section][key] is None:
            merged[section][key] = getattr(profile, default)
    given_feeds = data.get("feeds")
    for kind, default in default_feeds(merged["paths"]["public"]).items():
        if not (isinstance(given_feeds, dict) and kind in given_feeds):
            merged["feeds"][kind] = default
    sources = merged.pop("sources")
    config = msgspec.convert(merged, Config, dec_hook=hook)
    settings = {name: msgspec.convert(value, SOURCES[name].Settings) for name, value in sources.items()}
    url = config.site.url.rstrip("/") if config.site.url else None
    return replace(config, sources=settings, site=replace(config.site, url=url))


def _encode(value: Any) -> Any:
    if isinstance(value, ZoneInfo):
        return value.key
    if isinstance(value, Path):
        return str(value)
    raise NotImplementedError(type(value))
