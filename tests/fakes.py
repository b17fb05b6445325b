"""Stand-ins for the X search, arXiv and oEmbed APIs, serving payloads in the shapes of
the real recordings in fixtures/real-api (field names, key order, escaping, errors)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from werkzeug import Request, Response

import hotpapers.fetch
from conftest import example_data
from hotpapers.fetch import make_fetcher
from hotpapers.sources import SOURCES

TOKEN = "AAAAAAAAAAAAAAAAAAAAAsecret-token-value"


def shipped_sources() -> list[str]:
    """The package's registered sources but X, which a live config turns off; not a
    test's stand-in, which may take a shipped platform's name in the registry."""
    return [
        name for name, source in SOURCES.items() if name != "twitter" and source.__module__.startswith("hotpapers.")
    ]


def atom_feed(papers: list[dict], query: str) -> bytes:
    """An arXiv API answer in the current (2026) format, as recorded in
    fixtures/real-api/arxiv_new_idlist_two_ids_one_missing.xml."""
    entries = []
    for p in papers:
        cats = "".join(f'\n    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in p["categories"])
        authors = "".join(f"\n    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in p["authors"])
        entries.append(
            f"""  <entry>
    <id>http://arxiv.org/abs/{p["id"]}v{p.get("version") or 1}</id>
    <title>{escape(p["title"])}</title>
    <updated>{p.get("updated") or "2020-09-23T17:59:59Z"}</updated>
    <link href="https://arxiv.org/abs/{p["id"]}v1" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/{p["id"]}v1" rel="related" type="application/pdf" title="pdf"/>
    <summary>{escape(p["abstract"])}</summary>{cats}
    <published>{p.get("published") or "2020-09-23T17:59:59Z"}</published>
    <arxiv:primary_category term="{p["categories"][0]}"/>{authors}
  </entry>"""
        )
    body = f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/0mGRkfIjF4NEkYnRaVs0W4AaT0E</id>
  <title>arXiv Query: {escape(query)}</title>
  <updated>2026-04-12T22:59:06Z</updated>
  <link href="https://arxiv.org/api/query?{escape(query)}" type="application/atom+xml"/>
  <opensearch:itemsPerPage>100</opensearch:itemsPerPage>
  <opensearch:totalResults>{len(papers)}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
{chr(10).join(entries)}
</feed>
"""
    return body.encode("utf-8")


def tweet(
    id: str,
    user_id: str,
    text: str,
    urls: list[str],
    created_at: str,
    reposts: int,
    likes: int,
    refs: list[dict] | None = None,
) -> dict:
    """A tweet as X API v2 returns it with public_metrics, entities and referenced_tweets (2022+ key order)."""
    data = {
        "author_id": user_id,
        "created_at": created_at,
        "edit_history_tweet_ids": [id],
        "entities": {
            "urls": [
                {
                    "start": 0,
                    "end": 23,
                    "url": f"https://t.co/x{n}{id[-4:]}",
                    "expanded_url": u,
                    "display_url": u.split("//")[1][:20] + "…",
                }
                for n, u in enumerate(urls)
            ]
        },
        "id": id,
        "public_metrics": {
            "retweet_count": reposts,
            "reply_count": 1,
            "like_count": likes,
            "quote_count": 0,
            "impression_count": 0,
        },
        "text": text,
    }
    if refs:
        data["referenced_tweets"] = refs
    return data


@dataclass
class Scenario:
    """The example day as the three APIs would serve it, plus the traps of issue 3."""

    papers: dict[str, dict] = field(default_factory=dict)
    pages: list[dict] = field(default_factory=list)
    embeds: dict[str, dict] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)


def example_scenario() -> Scenario:
    data = example_data()
    scenario = Scenario()
    for p in data["papers"]:
        scenario.papers[p["id"]] = {**p, "published": "2020-09-23T17:59:59Z"}
    scenario.papers["1605.08386"] = {
        "id": "1605.08386",
        "title": "Heat-bath random walks with Markov bases",
        "authors": ["Caprice Stanley"],
        "categories": ["math.CO", "math.ST"],
        "abstract": "Outside the categories.",
        "published": "2020-09-20T00:00:00Z",
    }
    scenario.papers["2001.00001"] = {
        "id": "2001.00001",
        "title": "An old paper",
        "authors": ["Old Author"],
        "categories": ["cs.LG"],
        "abstract": "Published long before the day.",
        "published": "2020-01-01T00:00:00Z",
    }
    users, tweets = [], []
    for n, m in enumerate(data["mentions"]):
        user_id = str(1000 + n)
        users.append({"id": user_id, "name": m["author_name"], "username": m["author_handle"]})
        created = f"2020-09-24T{n + 1:02d}:00:00.000Z"
        tweets.append(
            tweet(
                m["id"],
                user_id,
                f"Read https://t.co/x0{m['id'][-4:]}",
                [f"https://arxiv.org/abs/{m['paper_ids'][0]}"],
                created,
                m["reposts"],
                m["likes"],
            )
        )
        scenario.embeds[m["id"]] = {
            "url": m["url"],
            "author_name": m["author_name"],
            "author_url": f"https://twitter.com/{m['author_handle']}",
            "html": m["embed_html"],
            "width": 550,
            "height": None,
            "type": "rich",
            "cache_age": "3153600000",
            "provider_name": "Twitter",
            "provider_url": "https://twitter.com",
            "version": "1.0",
        }
    users.append({"id": "9", "name": "Noise Maker", "username": "noise"})
    retweet = tweet(
        "2000000000000000001",
        "9",
        "RT @Luke_Metz: We have a new paper on learned optimizers! We used thousands of tasks (and a lot of…",
        [],
        "2020-09-24T15:00:00.000Z",
        18348,
        0,
        [{"type": "retweeted", "id": "1308951548979011585"}],
    )
    retweet_with_link = tweet(
        "2000000000000000002",
        "9",
        "RT @x: see",
        ["https://arxiv.org/abs/2009.11243"],
        "2020-09-24T15:00:00.000Z",
        500,
        0,
        [{"type": "retweeted", "id": "1"}],
    )
    quote = tweet(
        "2000000000000000003",
        "9",
        "Worth reading arXiv:2009.11094",
        ["https://twitter.com/tianle_cai/status/1308938327735713793"],
        "2020-09-24T16:00:00.000Z",
        0,
        0,
        [{"type": "quoted", "id": "1308938327735713793"}],
    )
    two_papers = tweet(
        "2000000000000000004",
        "9",
        "Two papers",
        ["https://arxiv.org/pdf/2009.11027v1.pdf", "https://www.alphaxiv.org/abs/2009.11278"],
        "2020-09-24T17:00:00.000Z",
        0,
        0,
    )
    unknown = tweet(
        "2000000000000000005",
        "9",
        "Unknown",
        ["https://arxiv.org/abs/2009.99999"],
        "2020-09-24T18:00:00.000Z",
        300,
        300,
    )
    off_topic = tweet(
        "2000000000000000006", "9", "Math", ["https://arxiv.org/abs/1605.08386"], "2020-09-24T18:00:00.000Z", 300, 300
    )
    too_old = tweet(
        "2000000000000000007", "9", "Old", ["https://arxiv.org/abs/2001.00001"], "2020-09-24T18:00:00.000Z", 300, 300
    )
    late = tweet(
        "2000000000000000008", "9", "Late", ["https://arxiv.org/abs/2009.11243"], "2020-09-25T00:00:00.000Z", 300, 300
    )
    no_paper = tweet(
        "2000000000000000009",
        "9",
        "Not a paper",
        ["https://arxiv.org/list/cs.LG/recent"],
        "2020-09-24T19:00:00.000Z",
        300,
        300,
    )
    everything = [*tweets, retweet, retweet_with_link, quote, two_papers, unknown, off_topic, too_old, late, no_paper]
    chunks = [everything[0:8], [*everything[8:15], everything[0]], everything[15:]]
    for n, chunk in enumerate(chunks):
        meta = {"newest_id": chunk[0]["id"], "oldest_id": chunk[-1]["id"], "result_count": len(chunk)}
        if n + 1 < len(chunks):
            meta["next_token"] = f"b26v89c19zqg8o3fpds{n + 1}"
        scenario.pages.append({"data": chunk, "includes": {"users": users}, "meta": meta})
    return scenario


class FakeClock:
    """A clock that moves only when slept on, and records each sleep."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def without_credentials(monkeypatch) -> None:
    """Unset the variables of the sources that need credentials, whatever this machine holds."""
    for name in ("X_BEARER_TOKEN", "BSKY_HANDLE", "BSKY_APP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def fake_time(monkeypatch) -> FakeClock:
    """Give every fetcher the CLI makes a FakeClock for its sleep and clocks: no real waits."""
    clock = FakeClock()
    monkeypatch.setattr(
        hotpapers.fetch,
        "make_fetcher",
        partial(make_fetcher, sleep=clock.sleep, monotonic=lambda: clock.now, wall_clock=lambda: clock.now),
    )
    return clock


@dataclass
class Recorder:
    """What the fake servers were asked, with monotonic arrival times."""

    calls: list[tuple[str, dict, float]] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: Request) -> dict:
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        with self.lock:
            self.calls.append((request.path, query, time.monotonic()))
            self.headers.append(dict(request.headers))
        return query

    def of(self, path_part: str) -> list[tuple[str, dict, float]]:
        return [c for c in self.calls if path_part in c[0]]


def serve_scenario(
    httpserver, scenario: Scenario, recorder: Recorder, first: dict[str, list[Response]] | None = None
) -> None:
    """Register the three APIs on one local server: /2/tweets/search/*, /api/query, /oembed.
    `first` maps a path to responses served, in order, before the normal ones."""
    pending = {path: list(responses) for path, responses in (first or {}).items()}

    def with_failures(path, handler):
        def serve(request: Request) -> Response:
            if pending.get(path):
                recorder.add(request)
                return pending[path].pop(0)
            return handler(request)

        return serve

    def search(request: Request) -> Response:
        query = recorder.add(request)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return Response(
                json.dumps({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}),
                401,
                content_type="application/json",
            )
        token = query.get("next_token")
        index = 0 if token is None else int(token[-1])
        # UTF-8 text as X sends it; a lone surrogate (which UTF-8 cannot hold) goes out as its JSON escape
        body = json.dumps(scenario.pages[index], ensure_ascii=False).encode("utf-8", "backslashreplace")
        return Response(
            body,
            200,
            content_type="application/json; charset=utf-8",
            headers={"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449", "x-rate-limit-reset": "1665183229"},
        )

    def arxiv(request: Request) -> Response:
        query = recorder.add(request)
        ids = query.get("id_list", "").split(",")
        found = [scenario.papers[i] for i in ids if i in scenario.papers]
        return Response(
            atom_feed(found, f"id_list={query.get('id_list', '')}"),
            200,
            content_type="application/atom+xml; charset=utf-8",
        )

    def oembed(request: Request) -> Response:
        query = recorder.add(request)
        tweet_id = query["url"].rsplit("/", 1)[-1]
        if tweet_id in scenario.deleted or tweet_id not in scenario.embeds:
            return Response("", 404)
        body = json.dumps(scenario.embeds[tweet_id]).replace("/", "\\/").replace("<", "\\u003C").replace(">", "\\u003E")
        return Response(body, 200, content_type="application/json; charset=utf-8")

    for path, handler in (
        ("/2/tweets/search/all", search),
        ("/2/tweets/search/recent", search),
        ("/api/query", arxiv),
        ("/oembed", oembed),
    ):
        httpserver.expect_request(path).respond_with_handler(with_failures(path, handler))


def live_config(httpserver, **overrides) -> str:
    """A config.yaml text pointing X and arXiv at the local server, with fast pacing; the
    other sources of the package are disabled (a test's stand-ins are not)."""
    config = {
        "candidates": {"categories": ["cs.*", "stat.ML"], "max_age_days": 7},
        "arxiv": {"api_url": httpserver.url_for("/api/query"), "batch_size": 5, "min_interval": 0.2},
        "sources": {
            **{name: {"enabled": False} for name in shipped_sources()},
            "twitter": {
                "api_url": httpserver.url_for("/2"),
                "oembed_url": httpserver.url_for("/oembed"),
                "page_size": 10,
            },
        },
        "http": {"timeout": 2, "retries": 2, "backoff": 0.05, "max_wait": 5},
    }
    for section, values in overrides.items():
        config.setdefault(section, {}).update(values)
    return json.dumps(config)


Answer = Callable[[socket.socket, bytes], None]
"""Writes a raw answer to the connection for the request line it got."""


class RawServers:
    """Raw-socket servers, each connection in its own thread, answering as a test says:
    werkzeug cannot trickle a status line, hold back a 302's body or send a header
    byte that is not text. Calling it starts one and returns its base URL."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.servers: list[socket.socket] = []

    def __enter__(self) -> RawServers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        for server in self.servers:
            server.close()

    def __call__(self, answer: Answer) -> str:
        server = socket.create_server(("127.0.0.1", 0))
        self.servers.append(server)

        def serve(connection: socket.socket) -> None:
            with connection:
                request = b""
                while b"\r\n\r\n" not in request:
                    received = connection.recv(65536)
                    if not received:
                        return
                    request += received
                try:
                    answer(connection, request.split(b"\r\n")[0])
                except OSError:
                    return

        def accept() -> None:
            while not self.stop.is_set():
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                threading.Thread(target=serve, args=(connection,), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        return f"http://127.0.0.1:{server.getsockname()[1]}"


def raw_answer(head: bytes, body: bytes = b"") -> Answer:
    """Always the same raw answer: a status line and headers (each line ending in CRLF), then `body`."""

    def send(connection: socket.socket, line: bytes) -> None:
        connection.sendall(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)

    return send
