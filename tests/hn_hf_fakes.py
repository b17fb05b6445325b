"""Stand-ins for Algolia's HN search and Hugging Face's daily papers, serving answers in
the shapes of the recordings in fixtures/real-api (hn_*.json, hf_*.json)."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime

from werkzeug import Request, Response

from conftest import FIXTURES
from fakes import Recorder

REAL = FIXTURES / "real-api"
HN_RECORDED = json.loads((REAL / "hn_algolia_search_url_restrict_2020_pretty.json").read_text("utf-8"))
HF_2024 = json.loads((REAL / "hf_daily_papers_2024-06-03_oldschema_indent4.json").read_text("utf-8"))
HF_2026 = json.loads((REAL / "hf_daily_papers_2026-08-20_15items_indent2.json").read_text("utf-8"))


def story(object_id: str, at: int, url: str | None, points: int = 1, comments: int = 0, **fields) -> dict:
    """A hit in the recorded (2020) shape: explicit nulls, relevancy_score, _tags, _highlightResult."""
    hit = copy.deepcopy(HN_RECORDED["hits"][1])
    moment = datetime.fromtimestamp(at, UTC)
    hit.update(
        created_at=moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        title=f"Story {object_id}",
        url=url,
        author=f"user{object_id}",
        points=points,
        num_comments=comments,
        created_at_i=at,
        _tags=["story", f"author_user{object_id}", f"story_{object_id}"],
        objectID=object_id,
    )
    hit.update(fields)
    return hit


class Algolia:
    """`GET /api/v1/search_by_date` over a set of stories: filters by `created_at_i`, newest
    first, at most `hitsPerPage` hits and never more than 1,000, with the true `nbHits`."""

    def __init__(self, hits: list[dict]) -> None:
        self.hits = hits
        self.recorder = Recorder()

    def __call__(self, request: Request) -> Response:
        query = self.recorder.add(request)
        assert query["tags"] == "story" and query["query"] == "arxiv.org"
        bounds = re.fullmatch(r"created_at_i>=(\d+),created_at_i<(\d+)", query["numericFilters"])
        assert bounds, query["numericFilters"]
        low, high = int(bounds[1]), int(bounds[2])
        matching = sorted(
            (h for h in self.hits if low <= h["created_at_i"] < high), key=lambda h: h["created_at_i"], reverse=True
        )
        per_page = min(int(query.get("hitsPerPage", 20)), 1000)
        body = {
            "hits": matching[:per_page],
            "nbHits": len(matching),
            "page": 0,
            "nbPages": -(-len(matching) // per_page),
            "hitsPerPage": per_page,
            "exhaustiveNbHits": True,
            "query": query["query"],
            "params": request.query_string.decode(),
            "processingTimeMS": 3,
        }
        return Response(json.dumps(body), 200, content_type="application/json; charset=utf-8")

    def windows(self) -> list[tuple[int, int]]:
        found = (re.findall(r"\d+", call[1]["numericFilters"]) for call in self.recorder.of("search_by_date"))
        return [(int(low), int(high)) for low, high in found]


class DailyPapers:
    """`GET /api/daily_papers?date=D&limit=N&p=P`: the day's list in pages of `limit`
    (some pages shorter, as the live API may send them); an unknown day is `[]`."""

    def __init__(self, days: dict[str, list[dict]], short_pages: int = 0, pages: bool = True) -> None:
        self.days = days
        self.short_pages = short_pages
        self.pages = pages
        self.recorder = Recorder()

    def __call__(self, request: Request) -> Response:
        query = self.recorder.add(request)
        items = self.days.get(query["date"], [])
        limit, page = int(query.get("limit", 50)), int(query.get("p", 0))
        if self.pages:
            start = sum(self._size(n, limit) for n in range(page))
            items = items[start : start + self._size(page, limit)]
        return Response(json.dumps(items, ensure_ascii=False), 200, content_type="application/json; charset=utf-8")

    def _size(self, page: int, limit: int) -> int:
        return limit - 1 if page < self.short_pages else limit

    def asked(self) -> list[tuple[str, str, str]]:
        return [(q["date"], q["limit"], q["p"]) for _, q, _ in self.recorder.of("daily_papers")]
