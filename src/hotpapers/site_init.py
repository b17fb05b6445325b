"""`hotpapers init`: a commented `hotpapers.yaml` and the nightly GitHub workflow for a
site, with the output profile that fits the site found in its folder. Never replaces a
file: each is linked into place only where no file of that name exists."""

from __future__ import annotations

import json
import os
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from hotpapers.atomic import create_beside
from hotpapers.config import Config, Output, Paths, load_config
from hotpapers.config_file import another_tools, read_yaml_mapping
from hotpapers.config_yaml import commented_config
from hotpapers.credentials import unset_credentials
from hotpapers.errors import ConfigError, HotpapersError, WriteError, shown_path
from hotpapers.feeds import feeds_off_reason
from hotpapers.fetch import make_fetcher
from hotpapers.hugo_config import hugo_config, writes_no_page
from hotpapers.jekyll_entries import SLUG_PERMALINKS, posts_permalink, published_names
from hotpapers.profiles import PROFILES
from hotpapers.regular_file import real_path
from hotpapers.render import bundled_templates
from hotpapers.site import HUGO_RAW_HTML, detect_site, keeps_raw_html, unfit_profile
from hotpapers.site_address import site_address
from hotpapers.site_workflow import WORKFLOW_NAME, config_step, nightly_workflow, push_deploy_step, secrets_step
from hotpapers.sources import SOURCES

CONFIG_NAME = "hotpapers.yaml"
_EXCLUDE = (
    "add {excluded} to the `exclude` list in _config.yml, keeping what it holds (`exclude: [{excluded}]` if none)"
)
PROFILE_STEPS = {
    "hugo": "Let Hugo keep the embeds' HTML: in {file}, {setting}.",
    "jekyll": f"Set `permalink: /:slug/` and {_EXCLUDE}, so that URLs carry the slug and the "
    "snapshots and hotpapers' settings are not published as files of the site.",
    "jekyll-blog": f"{_EXCLUDE[0].upper()}{_EXCLUDE[1:]}, so that the snapshots and hotpapers' settings are "
    'not published as files of the site, and set `defaults: [{{scope: {{path: "{posts}"}}, values: {{permalink: '
    "/:slug/}}}}]`, so that hotpapers' URLs carry the slug while the posts already in _posts keep theirs (a "
    "`permalink: /:slug/` would move them).",
    "jekyll-exclude": f"{_EXCLUDE[0].upper()}{_EXCLUDE[1:]}, so that the snapshots and hotpapers' settings are "
    "not published as files of the site.",
    "hugo-layouts": "Add a theme to the Hugo site (or layouts of its own, in layouts/): it has none, and Hugo makes "
    "no page of a post without one (it warns `found no layout file`).",
    "jekyll-link": "Set `permalink: /:slug/` in _config.yml, so that URLs carry the slug.",
    "jekyll-blog-link": 'Set `defaults: [{{scope: {{path: "{posts}"}}, values: {{permalink: /:slug/}}}}]` in '
    "_config.yml, so that hotpapers' URLs carry the slug while the posts already in _posts keep theirs (a "
    "`permalink: /:slug/` would move them).",
}
"""The steps a site's generator needs; for Jekyll, by what its config lacks (both, exclude, link)."""

Ask = Callable[[list[str], str], str]
"""Asks the user for a profile: (choices, default) -> the choice."""


@dataclass(slots=True)
class InitReport:
    profile: str
    reason: str
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)

    not_applied: str | None = None
    """Why the chosen profile is not in the kept config file, and what to edit."""

    def text(self) -> str:
        lines = [f"output.profile: {self.profile} ({self.reason})"]
        if self.not_applied:
            lines[0] = f"output.profile: {self.profile} ({self.reason}) was NOT applied: {self.not_applied}"
        lines += [f"wrote {path}" for path in self.written]
        lines += [f"kept {path} as it was (init never replaces a file)" for path in self.kept]
        lines += ["Next steps:", *(f"  {n}. {step}" for n, step in enumerate(self.next_steps, start=1))]
        return "\n".join(lines)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def init_site(
    folder: Path,
    profile: str | None,
    ask: Ask | None,
    config_path: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> InitReport:
    """Writes the files that do not exist yet into `folder`, the config to `config_path`
    (default: FOLDER/hotpapers.yaml); `ask` is None when no one can answer; `environ`
    tells which sources' credentials are set here."""
    config = config_path or folder / CONFIG_NAME
    keep_site_config = config_path is None and _holds_our_settings(folder / "config.yaml")
    if keep_site_config:
        config = folder / "config.yaml"
    report = _choose_profile(folder, profile, ask, config)
    if keep_site_config:
        report.kept.append(config)
        report.reason += f"; config.yaml holds the site's settings, so no {CONFIG_NAME}, which would replace them"
    else:
        text = commented_config(report.profile, _paths_seen_from(config, folder, report.profile))
        (report.written if _write_new(config, text) else report.kept).append(config)
    site_config = _site_config(config)
    # as the commands below read it: in the site's folder (the steps cd there; the workflow's checkout)
    option = f" --config {shlex.quote(os.path.relpath(config_path, folder))}" if config_path else ""
    path, site_workflow, placed = nightly_workflow(folder, site_config, config_path, option)
    (report.written if _write_new(path, site_workflow) else report.kept).append(path)
    if config in report.kept:
        report.not_applied = _profile_not_applied(config, site_config.output.profile, report.profile)
    report.next_steps = [
        secrets_step(site_config),
        *_unset_credentials_step(site_config, config, environ),
        *_feeds_off_step(site_config, config, folder),
        *(placed if path in report.written else []),  # a kept one went nowhere, and reads no `defaults:`
        f"Edit the install step of {WORKFLOW_NAME} to install hotpapers from where you take it.",
        *(config_step(config_path, folder, option, path in report.written) if config_path else []),
        *_profile_step(site_config, folder, config),  # the kept config's, when it was not applied
        *([PROFILE_STEPS["hugo-layouts"]] if site_config.output.profile == "hugo" and writes_no_page(folder) else []),
        *_embed_steps(site_config.output.profile),
        *push_deploy_step(folder),
        f"Try it (with those variables exported): {_cd(folder)}hotpapers build{option} --dry-run, then hotpapers "
        f"build{option}; commit the files and push.",
        f"To change how the posts read, copy {site_config.profile.template} from {shown_path(bundled_templates())} "
        f"into {shown_path(site_config.paths.templates)} and edit the copy: it replaces the bundled one.",
    ]
    return report


def _profile_step(site_config: Config, folder: Path, config: Path) -> list[str]:
    """What the site needs for the profile's posts: Jekyll publishes what it does not exclude (the
    snapshots, the config when it is in the site's folder), and a blog's own posts keep their URLs;
    nothing when Hugo's config keeps raw HTML."""
    profile = site_config.output.profile
    if profile == "jekyll":
        site, settings = real_path(folder), real_path(config)
        names = ["data", *([settings.relative_to(site).as_posix()] if settings.is_relative_to(site) else [])]
        excluded = published_names(site, names)  # added to the list: what it holds stays
        ours = f"_posts/{site_config.post_name('*')}"
        own = [
            path
            for path in (folder / "_posts").rglob("*")
            if path.is_file() and not path.name.startswith(".") and not path.match(ours)
        ]
        unlinked = posts_permalink(site, f"_posts/{site_config.post_name('2000-01-01')}") not in SLUG_PERMALINKS
        step = {(True, True): "", (True, False): "-exclude", (False, True): "-link"}.get((bool(excluded), unlinked))
        if step is None:
            return []
        name = ("jekyll-blog" if own and unlinked else "jekyll") + step
        return [PROFILE_STEPS[name].format(excluded=", ".join(excluded), posts=ours)]
    if profile != "hugo":
        return []
    hugo = hugo_config(folder)
    if hugo is not None and keeps_raw_html(folder):
        return []
    if hugo is None:
        setting = f"{HUGO_RAW_HTML['.toml']} (in hugo.yaml: {HUGO_RAW_HTML['.yaml']})"
        return [PROFILE_STEPS["hugo"].format(file="hugo.toml", setting=setting)]
    return [PROFILE_STEPS["hugo"].format(file=hugo.relative_to(folder).as_posix(), setting=HUGO_RAW_HTML[hugo.suffix])]


def _unset_credentials_step(config: Config, path: Path, environ: Mapping[str, str]) -> list[str]:
    """Turning off the enabled sources whose credentials are not set here: else each build
    warns that they were skipped, under -q too, so cron mails it every night."""
    unset = unset_credentials(make_fetcher(config, environ, lambda: datetime.now(UTC)).sources)
    if not unset:
        return []
    names = ", ".join(f"{missing} ({name})" for name, missing in unset)
    keys = " and ".join(f"`sources.{name}.enabled: false`" for name, _ in unset)
    them, were = ("it", "it was") if len(unset) == 1 else ("them", "they were")
    return [
        f"Not set here: {names}. To run without {them}, set {keys} in {path}, or every build warns that "
        f"{were} skipped (cron mails that each night)."
    ]


def _feeds_off_step(config: Config, path: Path, folder: Path) -> list[str]:
    """Setting the site's address (the one the site's own config gives, when it does) or
    turning the feeds off: else each build says they are off, under -q too, so cron mails it
    every night."""
    if feeds_off_reason(config) is None:
        return []
    found = site_address(folder, config.output.profile)
    setting = (
        f"`site: {{url: {json.dumps(found[0], ensure_ascii=False)}}}` ({found[1]})"
        if found
        else "`site: {url: ...}` (the site's address, such as https://my-lab.example.org)"
    )
    return [
        f"Set {setting} in {path} so that build writes the feeds, or `feeds: {{atom: null, json: null}}` to do "
        "without them; until then every build says the feeds are off (cron mails that each night)."
    ]


def _embed_steps(profile: str) -> list[str]:
    """What the site needs for the sources' embeds to show (`Source.site_steps`)."""
    return [source.site_steps[profile] for source in SOURCES.values() if profile in source.site_steps]


def _profile_not_applied(config: Path, kept: str, profile: str) -> str | None:
    """None when the kept config file's profile `kept` is `profile`, else what to edit."""
    if kept == profile:
        return None
    return f"{config} was kept and says {kept!r}; set `output: {{profile: {profile}}}` in it"


def _site_config(path: Path) -> Config:
    """The config `build` will read from `path`: a kept one that does not load is an
    error, since the workflow would commit other folders than its build writes."""
    try:
        return load_config(path, path.parent)
    except HotpapersError as exc:
        raise ConfigError(f"{exc}; fix it, then run init again for the workflow") from None


def _paths_seen_from(config: Path, folder: Path, profile: str) -> dict[str, str] | None:
    """For a config written outside the site's `folder`, the site's default paths as seen
    from the config's folder (paths resolve against it); None for one inside it."""
    offset = Path(os.path.relpath(real_path(folder), real_path(config).parent))
    if offset == Path("."):
        return None
    site = PROFILES[profile]
    defaults: dict[str, Path | str] = {
        "snapshots": Paths().snapshots,
        "posts": site.posts,
        "templates": Paths().templates,
        "public": site.public,
    }
    return {key: (offset / value).as_posix() for key, value in defaults.items()}


def _cd(folder: Path) -> str:
    return "" if real_path(folder) == real_path(Path.cwd()) else f"cd {shlex.quote(str(folder))} && "


def _choose_profile(folder: Path, profile: str | None, ask: Ask | None, config: Path) -> InitReport:
    site = detect_site(folder)
    if profile is not None:
        if unfit_profile(profile, site) and site is not None:
            return InitReport(
                profile, f"as asked; but build refuses it here, where {site.evidence} needs {site.profile}"
            )
        return InitReport(profile, "as asked")
    if site is not None and site.profile is not None:
        return InitReport(site.profile, f"found {site.evidence}")
    found = site.evidence if site else "no Hugo, Jekyll or Gatsby site"
    default = Output().profile
    if ask is not None:
        return InitReport(ask(list(PROFILES), default), f"{found}; chosen")
    above = _site_above(folder)
    return InitReport(default, f"{found} in {folder}, so the default; change output.profile in {config}{above}")


def _site_above(folder: Path) -> str:
    """Where init was run in a subfolder of a site (its content/, say): the site's folder
    and what shows it, for the report; empty when no folder above holds a site."""
    for parent in real_path(folder).parents:
        try:
            site = detect_site(parent)
        except OSError:  # a folder above that cannot be read
            return ""
        if site is not None and site.profile is not None:
            shown = os.path.relpath(parent)
            return f"; but {shown}, a folder above, holds a site ({site.evidence}): to set up that one, run `hotpapers init` there"
    return ""


def _holds_our_settings(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        return not another_tools(read_yaml_mapping(path), set(Config.__struct_fields__))
    except ConfigError:
        return True  # unreadable, but not known to be another tool's


def _write_new(path: Path, text: str) -> bool:
    """Writes `path` unless it exists (False then); a crash leaves no partial file there."""
    try:
        fd, temporary = create_beside(path)  # with the umask's permissions, as posts
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
            os.link(temporary, path)
        except FileExistsError:
            return False
        finally:
            os.unlink(temporary)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    return True
