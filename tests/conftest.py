"""Helpers that build valid objects, so each test states only what it is about."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from hotpapers.config import Config, build_config
from hotpapers.models import Mention, Paper, Snapshot
from hotpapers.sources.base import Found, PageLimit, Source

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_SNAPSHOT = FIXTURES / "example" / "2020-09-24.snapshot.json"
EXAMPLE_POST = FIXTURES / "example" / "2020-09-24.md"


def make_config(root: Path | None = None, **sections: Any) -> Config:
    return build_config(sections, root or Path("/nonexistent-site"), "test config")


def make_paper(id: str = "2009.00001", **fields: Any) -> Paper:
    values: dict[str, Any] = {
        "title": f"Paper {id}",
        "authors": ("Ada Lovelace", "Alan Turing"),
        "categories": ("cs.LG",),
        "abstract": "An abstract.",
        "abs_url": f"https://arxiv.org/abs/{id}",
        "pdf_url": f"https://arxiv.org/pdf/{id}",
    }
    values.update(fields)
    return Paper(id=id, **values)


def make_mention(
    id: str = "1", paper_ids: tuple[str, ...] = ("2009.00001",), reposts: int = 0, likes: int = 0, **fields: Any
) -> Mention:
    values: dict[str, Any] = {
        "platform": "twitter",
        "url": f"https://twitter.com/someone/status/{id}",
        "observed_at": "2020-09-25T08:00:00Z",
        "author_handle": "someone",
        "author_name": "Some One",
        "created_at": "2020-09-24T12:00:00Z",
        "text": f"Post {id}",
    }
    values.update(fields)
    return Mention(id=id, paper_ids=tuple(paper_ids), reposts=reposts, likes=likes, **values)


def make_snapshot(papers: list[Paper], mentions: list[Mention], date: str = "2020-09-24", **fields: Any) -> Snapshot:
    return Snapshot(
        date=date, taken_at="2020-09-25T08:00:47Z", papers=tuple(papers), mentions=tuple(mentions), **fields
    )


def example_data() -> dict[str, Any]:
    return json.loads(EXAMPLE_SNAPSHOT.read_text(encoding="utf-8"))


def stored_days(site: Path, first: date, count: int) -> list[str]:
    """`count` days from `first`, each with the example snapshot (dated that day) stored in `site`."""
    data = example_data()
    days = [(first + timedelta(days=n)).isoformat() for n in range(count)]
    for day in days:
        data["date"] = day
        (site / "data" / "snapshots" / f"{day}.json").write_text(json.dumps(data), encoding="utf-8")
    return days


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch site folder holding the repo's config.yaml and the example snapshot; cwd is set to it."""
    repo = Path(__file__).parent.parent
    shutil.copy(repo / "config.yaml", tmp_path / "config.yaml")
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def add_settings(site: Path, text: str) -> None:
    """The YAML settings in `text` merged into the site's config.yaml key by key (a section
    written there a second time would be a repeated key, which the config refuses)."""
    path = site / "config.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    _merge(settings, yaml.safe_load(text))
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _merge(base: dict[str, Any], override: dict[str, Any]) -> None:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


class NotSearched(Source):
    """A source a test reads the declarations of: never searched."""

    def page_limit(self) -> PageLimit:
        return PageLimit(1, "one request")

    def plan(self, since: datetime, until: datetime) -> str:
        return "nothing"

    def search(self, since: datetime, until: datetime) -> Found:
        raise AssertionError("not searched here")
