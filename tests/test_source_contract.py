"""What docs/sources.md promises a contributor of a source and the seam does not check
by itself elsewhere: a name the snapshot schema stores, credentials that `hotpapers init`
finds, and embeds that do not overwrite the status of the search they follow."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import ClassVar, get_args

import msgspec
import pytest
from click.testing import CliRunner
from werkzeug import Request, Response

from conftest import NotSearched, make_config, make_mention, make_paper, make_snapshot
from fakes import Recorder, example_scenario, fake_time, live_config, serve_scenario
from hotpapers.cli import cli
from hotpapers.config import Config
from hotpapers.config_types import EnvName
from hotpapers.config_yaml import commented_config
from hotpapers.errors import InputError
from hotpapers.models import Mention, Platform
from hotpapers.preview import post_html
from hotpapers.rank import rank
from hotpapers.render import PostRenderer, bundled_templates
from hotpapers.sanitize import EmbedRules
from hotpapers.site_workflow import credential_variables
from hotpapers.snapshot import load_snapshot
from hotpapers.snapshot_schema import packaged_schema
from hotpapers.sources import SOURCES
from hotpapers.sources.base import Display, Embeds, Found, PageLimit, Source, SourceSettings, registry, rfc3339

DAY = "2020-09-24"
PACKAGE = Path(__file__).parent.parent / "src" / "hotpapers"


def test_the_platforms_a_source_may_have_are_the_snapshot_schemas():
    enum = packaged_schema()["$defs"]["mention"]["properties"]["platform"]["enum"]
    assert list(get_args(Platform)) == enum


def test_a_source_named_for_a_platform_no_snapshot_stores_is_refused_where_it_is_made():
    """Else every mention it finds is left out of the day with a warning, and the build
    says 'no paper qualifies'."""
    with pytest.raises(TypeError, match=r"^LobstersSource\.name is 'lobsters', not a platform of the snapshot schema"):
        type("LobstersSource", (Source,), {"name": "lobsters"})
    assert type("MastodonSource", (Source,), {"name": "mastodon"}).name == "mastodon"


@pytest.mark.parametrize("module", sorted(path.name for path in PACKAGE.glob("*.py")))
def test_no_module_outside_the_sources_names_a_platform_as_a_post_does(module):
    """test_fetch_sources.py looks for the platforms' names in lower case; their names in
    a post (`Display.name`: 'Hacker News') went unseen, in the comments init writes too.
    A one-letter name (X) is too common a word to look for."""
    names = [source.display.name for source in SOURCES.values() if len(source.display.name) > 1]
    text = (PACKAGE / module).read_text(encoding="utf-8")
    assert [name for name in names if re.search(rf"\b{re.escape(name)}\b", text)] == []


@pytest.mark.parametrize(
    ("declared", "error"),
    [
        ({"display": Display("Reddit", (("upvotes", "upvotes"),))}, "display.counts names 'upvotes'"),
        ({"weights": {"likes": 1.0, "points": 1.0}}, "weights names 'points'"),
        ({"site_steps": {"hugo": "a step", "lumen2022": "a step"}}, "site_steps names 'lumen2022'"),
    ],
)
def test_a_count_or_profile_there_is_not_is_refused_where_the_source_is_made(declared, error):
    """A display count failed the post's template (blamed: `_papers.md.j2, line 8`) after
    the day was fetched; a weight failed the package's import with msgspec's traceback; a
    site step for a misspelt profile was never printed."""
    with pytest.raises(
        TypeError, match=rf"^RedditSource\.{re.escape(error)}, not an? (count of a mention|output profile) \("
    ):
        type("RedditSource", (Source,), {"name": "reddit", **declared})
    assert type("RedditSource", (Source,), {"name": "reddit", "weights": {"likes": 1.0, "replies": 1.0}})


def test_the_registry_is_keyed_by_the_names_the_sources_declare():
    assert list(SOURCES) == [source.name for source in SOURCES.values()]
    copied = type("RedditSource", (SOURCES["hackernews"],), {})  # hackernews.py copied, its name left
    with pytest.raises(TypeError, match=r"^HackerNewsSource and RedditSource are both named 'hackernews'$"):
        registry(*SOURCES.values(), copied)


def undeclared_variables(kind: type[Source]) -> set[str]:
    """The variables a source asks for with none set that are no `*_env` setting of it
    (`hotpapers init` names only those: in the workflow's secrets, the config's comments)."""
    settings = msgspec.convert({}, kind.Settings)
    declared = {str(getattr(settings, key)) for key in settings.__struct_fields__ if key.endswith("_env")}
    missing = kind(settings, None, {}, datetime.now).missing_credentials()  # type: ignore[arg-type]
    everything = kind(settings, None, dict.fromkeys(declared, "set"), datetime.now).missing_credentials()  # type: ignore[arg-type]
    assert everything is None, f"{kind.name} still misses {everything} with every *_env variable set"
    return set(missing.split(" and ")) - declared if missing else set()


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_source_reads_its_credentials_from_env_settings_init_finds(name):
    assert undeclared_variables(SOURCES[name]) == set()
    settings = msgspec.convert({}, SOURCES[name].Settings)
    assert {str(getattr(settings, key)) for key in settings.__struct_fields__ if key.endswith("_env")} <= set(
        credential_variables(Config())
    )


class _TokenSettings(SourceSettings, frozen=True, kw_only=True):
    token_env: EnvName = "MASTODON_TOKEN"


class _Declared(NotSearched):
    name: ClassVar[str] = "mastodon"
    cost: ClassVar[str] = "free"
    display: ClassVar[Display] = Display("Mastodon", (("likes", "favourites"),))
    Settings: ClassVar[type[SourceSettings]] = _TokenSettings


class _HardCoded(_Declared):
    def missing_credentials(self) -> str | None:
        return None if self.environ.get("MASTODON_TOKEN") else "MASTODON_TOKEN"


def test_a_source_needs_no_code_of_its_own_for_the_credentials_its_env_settings_name():
    settings = _TokenSettings(token_env="LAB_TOKEN")

    def missing(environ: dict[str, str]) -> str | None:
        return _Declared(settings, None, environ, datetime.now).missing_credentials()  # type: ignore[arg-type]

    assert missing({}) == missing({"LAB_TOKEN": " \n"}) == "LAB_TOKEN"
    assert missing({"LAB_TOKEN": "s3cret", "MASTODON_TOKEN": ""}) is None
    with pytest.raises(InputError, match=r"^mastodon: the environment variable LAB_TOKEN holds a character") as error:
        missing({"LAB_TOKEN": "s3crét"})
    assert "s3cr" not in str(error.value)


def test_a_variable_read_by_name_rather_than_from_a_setting_is_found():
    assert undeclared_variables(_Declared) == set()
    with pytest.raises(AssertionError, match="still misses MASTODON_TOKEN"):
        undeclared_variables(type("_NoSetting", (_HardCoded,), {"Settings": SourceSettings}))


class _Settings(SourceSettings, frozen=True, kw_only=True):
    api_url: str = "http://127.0.0.1:9"


class _OwnNamedEmbeds(Source):
    """One page of posts, then the page limit; embeds counted under its own name."""

    name: ClassVar[str] = "mastodon"
    cost: ClassVar[str] = "free"
    display: ClassVar[Display] = Display("Mastodon", (("reposts", "boosts"), ("likes", "favourites")))
    Settings: ClassVar[type[SourceSettings]] = _Settings

    def page_limit(self) -> PageLimit:
        return PageLimit(1, "sources.mastodon.max_pages")

    def plan(self, since: datetime, until: datetime) -> str:
        return "one page"

    def search(self, since: datetime, until: datetime) -> Found:
        url = f"{self.settings.api_url}/timeline"
        posts = self.http.get_json(url, source=self.name)
        mentions = [
            Mention(
                platform="mastodon",
                id=post["id"],
                url=f"https://mastodon.example/@ada/{post['id']}",
                paper_ids=(post["paper"],),
                reposts=post["boosts"],
                likes=post["favourites"],
                observed_at=rfc3339(self.now()),
            )
            for post in posts
        ]
        return Found(mentions, len(posts), url, partial=self.page_limit().reached())

    def embeds(self, shown: list[Mention]) -> Embeds:
        return self.oembeds(shown, f"{self.settings.api_url}/oembed", self.name, 2)


def test_embeds_counted_under_the_sources_own_name_leave_its_search_status(tmp_path, monkeypatch, httpserver):
    """The search stopped at its page limit stays `partial` (so `check` says so); the
    embeds' status is `mastodon-embeds`."""
    fake_time(monkeypatch)
    monkeypatch.setitem(SOURCES, "mastodon", _OwnNamedEmbeds)
    serve_scenario(httpserver, example_scenario(), Recorder())
    page = [{"id": "7", "paper": "2009.11278", "boosts": 30, "favourites": 45}]
    httpserver.expect_request("/m/timeline").respond_with_json(page)
    embed = '<blockquote class="mastodon-embed"><p>A paper</p></blockquote>'

    def oembed(request: Request) -> Response:
        return Response(json.dumps({"html": embed}), content_type="application/json")

    httpserver.expect_request("/m/oembed").respond_with_handler(oembed)
    sources = {"twitter": {"enabled": False}, "mastodon": {"api_url": httpserver.url_for("/m")}}
    (tmp_path / "config.yaml").write_text(live_config(httpserver, sources=sources))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--date", DAY])
    assert result.exit_code == 0, result.output
    snapshot = load_snapshot(Path("data/snapshots/2020-09-24.json"))
    search, embeds = snapshot.sources["mastodon"], snapshot.sources["mastodon-embeds"]
    assert (search.status, search.detail, search.items) == (
        "partial",
        "stopped after 1 pages (sources.mastodon.max_pages)",
        1,
    )
    assert (embeds.status, embeds.requests, embeds.items) == ("ok", 1, 1)
    assert snapshot.mentions[0].embed_html == embed


MASTODON_SCRIPT = '<script src="https://mastodon.social/embed.js" async="async"></script>'
MASTODON_EMBED = (
    '<blockquote class="mastodon-embed" data-embed-url="https://mastodon.social/users/ada/statuses/1/embed">'
    '<a href="https://mastodon.social/@ada/1">A paper</a></blockquote>\n' + MASTODON_SCRIPT
)


class _Embedding(_Declared):
    display: ClassVar[Display] = Display(
        "Mastodon",
        (("likes", "favourites"),),
        embed_rules=EmbedRules("mastodon-embed", frozenset([MASTODON_SCRIPT]), frozenset({"data-embed-url"})),
    )


def test_preview_leaves_out_the_embed_script_a_new_source_declares(monkeypatch, tmp_path):
    """`preview` and `serve` load nothing from the network: they knew only the script
    line of X's and Bluesky's shape (`async src=... charset="utf-8"`)."""
    monkeypatch.setitem(SOURCES, "mastodon", _Embedding)
    mention = make_mention("1", likes=90, platform="mastodon", url="https://mastodon.social/@ada/1")
    snapshot = make_snapshot([make_paper()], [msgspec.structs.replace(mention, embed_html=MASTODON_EMBED)])
    config = make_config()
    post = PostRenderer(config).render(rank(snapshot, config), snapshot)
    assert MASTODON_EMBED in post  # published as the platform's own embed
    html = post_html(post, DAY, tmp_path / "post.md")
    assert 'class="mastodon-embed"' in html and "<script" not in html


def test_a_live_config_turns_off_the_packages_sources_but_not_a_tests_stand_in(monkeypatch, httpserver):
    """A source added to the package (Mastodon, say) is off in the X-only tests, while the
    stand-ins that take its name (tests/test_fetch_outage.py) stay on: a list made when
    fakes.py was imported turned the stand-ins off and failed eleven outage tests."""
    monkeypatch.setitem(
        SOURCES, "mastodon", type("MastodonSource", (_Declared,), {"__module__": "hotpapers.sources.x"})
    )
    assert json.loads(live_config(httpserver))["sources"]["mastodon"] == {"enabled": False}
    monkeypatch.setitem(SOURCES, "mastodon", _Declared)
    assert "mastodon" not in json.loads(live_config(httpserver))["sources"]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_page_limit_names_a_setting_of_its_source(name):
    """`PageLimit.setting` is written by hand ('sources.hackernews.max_depth'); a renamed
    key would leave the partial status and the warning naming a setting there is not."""
    settings = msgspec.convert({}, SOURCES[name].Settings)
    limit = SOURCES[name](settings, None, {}, datetime.now).page_limit()  # type: ignore[arg-type]
    named = re.findall(r"\bsources\.(\w+)\.(\w+)", limit.setting)
    assert named and all(source == name and key in settings.__struct_fields__ for source, key in named)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_embed_template_a_source_names_is_shipped(name):
    """The fallback embed is written only when a shown post's own embed is missing or
    refused: a template name with no file failed the post of such a day alone."""
    template = SOURCES[name].display.embed_template
    assert (bundled_templates() / "embeds" / f"{template}.html.j2").is_file()


class _OptionalToken(_Declared):
    """A public timeline read with a token only where one is set."""

    def missing_credentials(self) -> str | None:
        self.credential(self.settings.token_env)
        return None


def test_init_says_a_token_the_source_runs_without_is_not_needed(monkeypatch):
    """The config's comment said 'needs MASTODON_TOKEN in the environment' of a source that
    reads its public timeline without one (its `*_env` setting alone was looked at)."""
    monkeypatch.setitem(SOURCES, "mastodon", _OptionalToken)
    assert "  # The mastodon source: free; no key needed, MASTODON_TOKEN used when set.\n" in commented_config("lumen")
    monkeypatch.setitem(SOURCES, "mastodon", _Declared)
    assert "  # The mastodon source: free; needs MASTODON_TOKEN in the environment.\n" in commented_config("lumen")
