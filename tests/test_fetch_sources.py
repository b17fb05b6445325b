"""The source interface: the registry, each source's settings, and a fetch that runs
whatever sources are registered and enabled, skipping those without credentials."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import msgspec
import pytest
from click.testing import CliRunner

from fakes import TOKEN, Recorder, example_scenario, fake_time, live_config, serve_scenario
from hotpapers import sources
from hotpapers.cli import cli
from hotpapers.snapshot import load_snapshot
from hotpapers.sources.base import Display, Embeds, Found, SourceSettings, no_progress

PACKAGE = Path(__file__).parent.parent / "src" / "hotpapers"


def test_each_registered_source_is_keyed_by_its_name_and_declares_its_settings():
    assert sources.SOURCES
    for name, source in sources.SOURCES.items():
        assert source.name == name
        assert issubclass(source.Settings, SourceSettings)
        assert msgspec.convert({}, source.Settings).enabled is True  # every setting has a default


PLATFORM_NAMES = ["twitter", "bluesky", "hackernews", "huggingface", "mastodon", "reddit", "x.com", "bsky"]
ALLOWED = {
    "models.py": r"^platform = literal\[.*$",  # mirrors the snapshot schema's enum of platforms
    "arxiv_ids.py": r"huggingface\.co\b",  # a host of arXiv mirror pages, read in links
    "config.py": r"^    tags: .*$",  # the classic post's tag values
}
"""What a module outside `hotpapers.sources` may say of a platform (lower-cased text)."""


@pytest.mark.parametrize("module", sorted(path.name for path in PACKAGE.glob("*.py")))
def test_no_platform_is_named_outside_the_sources(module):
    """A platform's knowledge (embed rules, templates, wording, weights, site steps)
    lives in its source module: adding a source is one module and one registry line."""
    text = (PACKAGE / module).read_text(encoding="utf-8").lower()
    text = re.sub(ALLOWED.get(module, "(?!)"), "", text, flags=re.MULTILINE)
    names = [*sources.SOURCES, *PLATFORM_NAMES, "x_bearer", "oembed"]
    assert [name for name in names if re.search(rf"\b{re.escape(name)}", text)] == []


X_PLACEHOLDERS = r"--config X |\*\[X\]:"
"""Where a module outside `hotpapers.sources` may write a lone X: as a placeholder, not the platform."""


@pytest.mark.parametrize("module", sorted(path.name for path in PACKAGE.glob("*.py")))
def test_x_is_not_named_outside_the_sources(module):
    """The platform's one-letter name, which the lower-cased check above cannot tell from a word."""
    text = re.sub(X_PLACEHOLDERS, "", (PACKAGE / module).read_text(encoding="utf-8"))
    assert re.findall(r".{0,20}\bX\b.{0,20}", text) == []


def test_the_platform_name_check_reads_every_module():
    assert {"fetch.py", "pipeline.py", "cli.py", "explain.py", "check.py", "sanitize.py", "render.py"} <= {
        path.name for path in PACKAGE.glob("*.py")
    }
    assert all(re.search(ALLOWED[module], (PACKAGE / module).read_text().lower(), re.MULTILINE) for module in ALLOWED)


class Silent:
    """A source that needs a variable nobody set."""

    name: ClassVar[str] = "other"
    display: ClassVar[Display] = Display("Other", (("likes", "likes"),))
    Settings: ClassVar[type[SourceSettings]] = SourceSettings

    def __init__(self, settings, http, environ, now, progress=no_progress) -> None:
        self.environ = environ

    def missing_credentials(self) -> str | None:
        return None if self.environ.get("OTHER_TOKEN") else "OTHER_TOKEN"

    def plan(self, since: datetime, until: datetime) -> str:
        return "ask the other platform"

    def search(self, since: datetime, until: datetime) -> Found:
        raise AssertionError("a source without credentials is not searched")

    def embeds(self, shown) -> Embeds | None:
        raise AssertionError("a source without credentials fetches no embeds")


@pytest.fixture
def two_sources(tmp_path, monkeypatch, httpserver):
    fake_time(monkeypatch)
    monkeypatch.setitem(sources.SOURCES, "other", Silent)
    serve_scenario(httpserver, example_scenario(), Recorder())
    (tmp_path / "config.yaml").write_text(live_config(httpserver))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    monkeypatch.delenv("OTHER_TOKEN", raising=False)
    return tmp_path


SKIPPED = "2020-09-24: other {verb} skipped: set OTHER_TOKEN, or turn it off with sources.other.enabled: false\n"
"""The warning, under -q too, that says how to silence it (a cron job mails every warning)."""


def test_a_source_without_credentials_is_skipped_and_recorded(two_sources):
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    assert SKIPPED.format(verb="is") in result.stderr
    snapshot = load_snapshot(two_sources / "data" / "snapshots" / "2020-09-24.json")
    assert snapshot.sources["other"].status == "skipped" and snapshot.sources["other"].detail == "needs OTHER_TOKEN"
    assert snapshot.sources["twitter"].status == "ok"


def test_no_runnable_source_names_every_variable(two_sources, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 2
    assert result.stderr == NONE_CAN_RUN


NONE_CAN_RUN = (
    "Error: 2020-09-24 has no snapshot and no source can fetch it: "
    "set X_BEARER_TOKEN (sources.twitter) or OTHER_TOKEN (sources.other)\n"
)


def test_a_disabled_source_is_not_asked_for_credentials(two_sources, httpserver, monkeypatch):
    config = live_config(httpserver).replace('"page_size": 10', '"page_size": 10, "enabled": false')
    (two_sources / "config.yaml").write_text(config)
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 2
    assert result.stderr.endswith("no source can fetch it: set OTHER_TOKEN (sources.other)\n")
    monkeypatch.delitem(sources.SOURCES, "other")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 2
    assert "no source can fetch it: every source is disabled in the config; turn one on" in result.stderr


def test_a_dry_run_warns_of_a_source_it_would_skip(two_sources):
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--dry-run"])
    assert result.exit_code == 0 and result.stderr == SKIPPED.format(verb="would be")


def test_a_dry_run_where_no_source_can_run_fails_as_the_build_does(two_sources, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN")
    real = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24"])
    dry = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--dry-run"])
    assert (dry.exit_code, dry.stderr) == (real.exit_code, real.stderr) == (2, NONE_CAN_RUN)
    assert not (two_sources / "data").exists()


def test_a_repair_says_it_skipped_a_source_without_credentials_as_a_real_run(two_sources):
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    path = two_sources / "data" / "snapshots" / "2020-09-24.json"
    path.write_text(path.read_text().replace('"status": "skipped"', '"status": "failed"'))
    assert load_snapshot(path).sources["other"].status == "failed"
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24"])
    assert result.exit_code == 0 and result.stderr.startswith(SKIPPED.format(verb="is"))
    assert "would" not in result.stderr


def test_a_dry_run_does_not_promise_to_fetch_again_a_source_without_credentials(two_sources):
    """It says what the real run does: skip the source and publish the stored snapshot."""
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    path = two_sources / "data" / "snapshots" / "2020-09-24.json"
    path.write_text(path.read_text().replace('"status": "skipped"', '"status": "failed"'))
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--dry-run"])
    assert result.exit_code == 0 and result.stderr.startswith(SKIPPED.format(verb="would be"))
    assert "would fetch" not in result.stderr and "is up to date" in result.stderr
