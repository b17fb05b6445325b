"""hotpapers benchmarks: each figure as a ratio against its bound, measured side by side.

    python benchmarks/run.py            # all four figures, a few minutes on 2 cores
    python benchmarks/run.py 1 2        # only figures 1 and 2 (3 prints 4 too)

1. re-render 1,000 days (build --since/--until --offline) vs json.load + write of the same files
2. one day of 200,000 mentions over 20,000 papers vs a bare json.load of it; peak memory
3. a live build against local stand-in APIs with fixed latencies vs its critical path
4. requests per live build vs the fewest possible; a rebuild makes none

Standard library and the project's dependencies only; nothing here asserts, it prints.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import yaml

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "snapshots" / "2020-09-24.json"
SITE_CONFIG = REPO / "config.yaml"


def report(name: str, ours: float, bound: float, target: float, unit: str = "s") -> None:
    ratio = ours / bound
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(f"{name}: {ours:.2f} {unit} vs {bound:.2f} {unit} = {ratio:.2f}x (target <= {target}x) {verdict}", flush=True)


def run_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Run the CLI in this process (start-up excluded) and return its wall time."""
    from hotpapers.cli import cli

    old_cwd, old_env = os.getcwd(), dict(os.environ)
    os.chdir(cwd)
    os.environ.update(env or {})
    started = time.perf_counter()
    try:
        cli.main(args, standalone_mode=False)
    finally:
        elapsed = time.perf_counter() - started
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    return elapsed


# 1. ---------------------------------------------------------------------------------


def stored_days(site: Path, count: int) -> list[str]:
    """A site with the sample config and the example day stored as `count` days from 2018-01-01.
    The feeds are turned off as the sample's unset `site.url` leaves them, but said, so that
    no build warns of it between the figures."""
    snapshots = site / "data" / "snapshots"
    snapshots.mkdir(parents=True)
    config = yaml.safe_load(SITE_CONFIG.read_text(encoding="utf-8"))
    config["feeds"].update(atom=None, json=None)
    (site / "config.yaml").write_text(json.dumps(config), encoding="utf-8")
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    days = [date(2018, 1, 1) + timedelta(days=n) for n in range(count)]
    for day in days:
        example["date"] = day.isoformat()
        example["taken_at"] = f"{day + timedelta(days=1)}T08:00:47Z"  # after the day's end, as a real snapshot
        (snapshots / f"{day}.json").write_text(
            json.dumps(example, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return [day.isoformat() for day in days]


def rerender_thousand_days(scratch: Path) -> None:
    site = scratch / "site1000"
    days = stored_days(site, 1000)
    files = sorted((site / "data" / "snapshots").iterdir())

    def settled(folder: Path) -> None:
        """Remove the previous run's output and let the disk finish that removal
        (`sync`), so that neither side is timed paying for the other's cleanup."""
        shutil.rmtree(folder, ignore_errors=True)
        os.sync()

    def bare() -> float:
        out = scratch / "bare-out"
        settled(out)
        out.mkdir()
        started = time.perf_counter()
        for path in files:
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle)
            (out / f"{data['date']}.md").write_text(data["date"] + "\n", encoding="utf-8")
        return time.perf_counter() - started

    def ours() -> float:
        settled(site / "content")
        return run_cli(["-q", "build", "--since", days[0], "--until", days[-1], "--offline"], site)

    runs = [(bare(), ours()) for _ in range(5)]  # interleaved, so that both meet the same noise
    report("1. re-render 1,000 days", min(r[1] for r in runs), min(r[0] for r in runs), 3.0)


# 2. ---------------------------------------------------------------------------------

EMBED = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">A new paper on {n}: we train {n} models and find '
    'that scale helps <a href="https://t.co/abcdefghij">https://t.co/abcdefghij</a></p>&mdash; Author {n} (@author{n}) '
    '<a href="https://twitter.com/author{n}/status/{id}?ref_src=twsrc%5Etfw">September 24, 2020</a></blockquote>\n'
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
)


def synthetic_day(path: Path, papers: int, mentions: int) -> None:
    rng = random.Random(7)
    paper_ids = [f"2009.{n:05d}" for n in range(papers)]
    data = {
        "schema": "hotpapers/snapshot@1",
        "date": "2020-09-24",
        "taken_at": "2020-09-25T08:00:47Z",
        "papers": [
            {
                "id": pid,
                "title": f"A study of {pid} at scale",
                "authors": ["Ada Lovelace", "Alan Turing", "Grace Hopper"],
                "categories": ["cs.LG", "stat.ML"],
                "abstract": "We study things. " * 60,
                "abs_url": f"https://arxiv.org/abs/{pid}",
                "pdf_url": f"https://arxiv.org/pdf/{pid}",
            }
            for pid in paper_ids
        ],
        "mentions": [],
    }
    for n in range(mentions):
        tweet_id = str(1308930576305528832 + n)
        linked = [paper_ids[n % papers]] + ([paper_ids[rng.randrange(papers)]] if n % 17 == 0 else [])
        data["mentions"].append(
            {
                "platform": "twitter",
                "id": tweet_id,
                "url": f"https://twitter.com/author{n}/status/{tweet_id}",
                "paper_ids": linked,
                "author_handle": f"author{n}",
                "author_name": f"Author {n}",
                "reposts": int(rng.paretovariate(1.2)),
                "likes": int(rng.paretovariate(1.1) * 3),
                "observed_at": "2020-09-25T08:00:48Z",
                "embed_html": EMBED.format(n=n, id=tweet_id),
            }
        )
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


_CHILD_BARE = "import json,sys\nwith open(sys.argv[1], encoding='utf-8') as f: json.load(f)\n"
_CHILD_OURS = (
    "import sys\nfrom pathlib import Path\nfrom hotpapers.cli import cli\n"
    "cli.main(['-q', 'render', sys.argv[1], '-o', sys.argv[2]], standalone_mode=False)\n"
)


def child(code: str, *args: str) -> tuple[float, float]:
    """Wall time inside a fresh interpreter (its start-up excluded) and its peak RSS in MB."""
    timed = f"import time,resource\n_t=time.perf_counter()\n{code}\nprint(time.perf_counter()-_t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    output = subprocess.run(
        [sys.executable, "-c", timed, *args], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(output[-2]), float(output[-1]) / 1024


def huge_day(scratch: Path) -> None:
    path = scratch / "huge.json"
    synthetic_day(path, papers=20_000, mentions=200_000)
    size = path.stat().st_size / 1e6
    bound = min(child(_CHILD_BARE, str(path))[0] for _ in range(2))
    runs = [child(_CHILD_OURS, str(path), str(scratch / "huge.md")) for _ in range(2)]
    measured, peak = min(r[0] for r in runs), max(r[1] for r in runs)
    report(f"2. one day of 200,000 mentions ({size:.0f} MB)", measured, bound, 2.0)
    print(f"2. peak memory: {peak:.0f} MB (target <= 800 MB) {'ok' if peak <= 800 else 'OVER TARGET'}", flush=True)


# 3 and 4. -------------------------------------------------------------------------

DELAY = {
    "x": 0.1,
    "bsky-login": 0.1,
    "bsky": 0.1,
    "hn": 0.1,
    "hf": 0.1,
    "arxiv": 0.1,
    "oembed": 0.5,
    "bsky-oembed": 0.5,
}
DAY_START = 1600905600  # 2020-09-24T00:00:00Z
X_POSTS, BSKY_POSTS, HN_STORIES, HF_PAPERS, PAPERS, PAGE_SIZE = 1000, 400, 60, 30, 300, 100
EMBED_CONCURRENCY = 8


class StandIn(BaseHTTPRequestHandler):
    """X, Bluesky, Hacker News, Hugging Face, arXiv and both oEmbeds with fixed latencies;
    counts every request by API."""

    counts: ClassVar[Counter[str]] = Counter()
    data: ClassVar[dict[str, list]] = {}
    lock = threading.Lock()

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer(
            "bsky-login", {"accessJwt": "a.b.c", "refreshJwt": "d.e.f", "handle": "me.bsky.social", "did": "did:plc:me"}
        )

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        if "/tweets/search/" in path:
            self.answer("x", self.data["x"][int(query.get("next_token", 0))])
        elif path.endswith("app.bsky.feed.searchPosts"):
            self.answer("bsky", self.data["bsky"][int(query.get("cursor", 0))])
        elif path.endswith("/search_by_date"):
            self.answer("hn", {"hits": self.data["hn"], "nbHits": len(self.data["hn"]), "page": 0, "nbPages": 1})
        elif path.endswith("/daily_papers"):
            self.answer("hf", self.data["hf"] if query.get("p", "0") == "0" else [])
        elif path == "/api/query":
            self.answer("arxiv", feed(query["id_list"].split(",")), "application/atom+xml")
        elif path == "/bsky-oembed":
            rkey = query["url"].rsplit("/", 1)[-1]
            self.answer("bsky-oembed", {"html": BSKY_EMBED.format(rkey=rkey), "type": "rich", "version": "1.0"})
        else:
            tweet_id = query["url"].rsplit("/", 1)[-1]
            self.answer(
                "oembed", {"html": EMBED.format(n=tweet_id[-4:], id=tweet_id), "type": "rich", "version": "1.0"}
            )

    def answer(self, api: str, payload: object, kind: str = "application/json") -> None:
        with self.lock:
            self.counts[api] += 1
        time.sleep(DELAY[api])
        body = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


BSKY_EMBED = (
    '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:me/app.bsky.feed.post/{rkey}" '
    'data-bluesky-cid="bafyreid5xizjatchg3cdddekg6e53tdj4xcvuyrbzcf3zqq4pfzncco7iy"><p lang="en">new paper</p>'
    '&mdash; <a href="https://bsky.app/profile/did:plc:me?ref_src=embed">Me (@me.bsky.social)</a> '
    '<a href="https://bsky.app/profile/did:plc:me/post/{rkey}?ref_src=embed">2020-09-24T12:00:00.000Z</a>'
    '</blockquote><script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'
)


def feed(ids: list[str]) -> str:
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{i}v1</id><title>Paper {i}</title><summary>About {i}.</summary>"
        f"<published>2020-09-23T17:00:00Z</published><updated>2020-09-23T17:00:00Z</updated>"
        f'<author><name>Ada Lovelace</name></author><arxiv:primary_category term="cs.LG"/>'
        f'<category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/></entry>'
        for i in ids
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" "
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">'
        f"<title>arXiv Query</title><opensearch:totalResults>{len(ids)}</opensearch:totalResults>{entries}</feed>"
    )


def stand_in_data(rng: random.Random) -> dict[str, list]:
    def paper() -> str:
        return f"2009.{rng.randrange(PAPERS):05d}"

    tweets = [
        {
            "id": str(1308930576305528832 + n),
            "author_id": str(n),
            "created_at": "2020-09-24T12:00:00.000Z",
            "text": "new paper",
            "entities": {"urls": [{"expanded_url": f"https://arxiv.org/abs/{paper()}"}]},
            "public_metrics": {
                "retweet_count": int(rng.paretovariate(1.5)),
                "like_count": int(rng.paretovariate(1.3) * 4),
                "reply_count": 0,
                "quote_count": 0,
            },
        }
        for n in range(X_POSTS)
    ]
    posts = []
    for n in range(BSKY_POSTS):
        link = f"https://arxiv.org/abs/{paper()}"
        posts.append(
            {
                "uri": f"at://did:plc:me/app.bsky.feed.post/3l{n:011d}",
                "cid": "bafyreid5xizjatchg3cdddekg6e53tdj4xcvuyrbzcf3zqq4pfzncco7iy",
                "author": {"did": "did:plc:me", "handle": "me.bsky.social", "displayName": "Me"},
                "record": {
                    "$type": "app.bsky.feed.post",
                    "createdAt": "2020-09-24T12:00:00.000Z",
                    "text": f"new paper {link[8:30]}...",
                    "facets": [
                        {
                            "index": {"byteStart": 10, "byteEnd": 35},
                            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
                        }
                    ],
                },
                "replyCount": 0,
                "repostCount": int(rng.paretovariate(1.5)),
                "likeCount": int(rng.paretovariate(1.3) * 4),
                "quoteCount": 0,
                "indexedAt": "2020-09-24T12:00:01.000Z",
            }
        )
    bsky_pages = [
        {"posts": posts[start : start + PAGE_SIZE]}
        | ({"cursor": str(start // PAGE_SIZE + 1)} if start + PAGE_SIZE < len(posts) else {})
        for start in range(0, len(posts), PAGE_SIZE)
    ]
    hn = [
        {
            "objectID": str(24500000 + n),
            "title": "A paper",
            "url": f"https://arxiv.org/abs/{paper()}",
            "author": "someone",
            "points": int(rng.paretovariate(1.2) * 10),
            "num_comments": rng.randrange(50),
            "created_at": "2020-09-24T12:00:00.000Z",
            "created_at_i": DAY_START + 43200,
            "story_text": None,
        }
        for n in range(HN_STORIES)
    ]
    hf = [
        {
            "paper": {
                "id": paper(),
                "title": "A paper",
                "upvotes": rng.randrange(100),
                "submittedOnDailyAt": "2020-09-24T10:00:00.000Z",
            },
            "numComments": rng.randrange(10),
            "title": "A paper",
        }
        for _ in range(HF_PAPERS)
    ]
    return {"x": x_search_pages(tweets), "bsky": bsky_pages, "hn": hn, "hf": hf}


def x_search_pages(tweets: list[dict]) -> list[dict]:
    result = []
    for start in range(0, len(tweets), PAGE_SIZE):
        chunk = tweets[start : start + PAGE_SIZE]
        meta = {"result_count": len(chunk)}
        if start + PAGE_SIZE < len(tweets):
            meta["next_token"] = str(start // PAGE_SIZE + 1)
        users = [{"id": t["author_id"], "username": f"u{t['author_id']}", "name": "User"} for t in chunk]
        result.append({"data": chunk, "includes": {"users": users}, "meta": meta})
    return result


def live_build(scratch: Path) -> None:
    batch, interval = 100, 1.0
    StandIn.data = stand_in_data(random.Random(11))
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    site = scratch / "live"
    site.mkdir()
    sources = {
        "twitter": {"api_url": f"{base}/2", "oembed_url": f"{base}/oembed", "page_size": PAGE_SIZE},
        "bluesky": {"api_url": f"{base}/xrpc", "oembed_url": f"{base}/bsky-oembed", "page_size": PAGE_SIZE},
        "hackernews": {"api_url": f"{base}/hn"},
        "huggingface": {"api_url": f"{base}/hf"},
    }
    arxiv = {"api_url": f"{base}/api/query", "batch_size": batch, "min_interval": interval}
    feeds_off = {"atom": None, "json": None}  # as an unset site.url leaves them, but said: no warning
    (site / "hotpapers.yaml").write_text(json.dumps({"arxiv": arxiv, "sources": sources, "feeds": feeds_off}))
    env = {"X_BEARER_TOKEN": "benchmark-token", "BSKY_HANDLE": "me.bsky.social", "BSKY_APP_PASSWORD": "app-pass"}
    measured = run_cli(["-q", "build", "--date", "2020-09-24"], site, env)
    snapshot = json.loads((site / "data" / "snapshots" / "2020-09-24.json").read_text())
    ids = {pid for m in snapshot["mentions"] for pid in m["paper_ids"]}
    shown = Counter(m["platform"] for m in snapshot["mentions"] if m.get("embed_html"))
    counts = dict(StandIn.counts)
    batches = math.ceil(len(ids) / batch)
    from hotpapers.sources import SOURCES

    settings = {name: source.Settings() for name, source in SOURCES.items()}
    x_pages, bsky_pages = len(StandIn.data["x"]), len(StandIn.data["bsky"])
    searches = {
        "twitter": x_pages * DELAY["x"],
        "bluesky": DELAY["bsky-login"] + bsky_pages * DELAY["bsky"],
        "hackernews": DELAY["hn"],
        # a full page, then an empty one after the source's own spacing
        "huggingface": max(DELAY["hf"], settings["huggingface"].min_interval) + DELAY["hf"],
    }
    waves = {name: math.ceil(shown[name] / EMBED_CONCURRENCY) * DELAY["oembed"] for name in ("twitter", "bluesky")}
    critical = max(searches.values()) + (batches - 1) * interval + DELAY["arxiv"] + max(waves.values())
    label = ", ".join(f"{n} {k}" for k, n in shown.items())
    report(
        f"3. live build, four sources ({len(snapshot['mentions'])} posts, {len(ids)} papers, embeds: {label})",
        measured,
        critical,
        1.5,
    )
    print(
        f"3. critical path: slowest search {max(searches.values()):.1f} s ({max(searches, key=searches.get)}), "
        f"arXiv {(batches - 1) * interval + DELAY['arxiv']:.1f} s, slowest oEmbed waves {max(waves.values()):.1f} s",
        flush=True,
    )
    expected = {
        "x": x_pages,
        "bsky-login": 1,
        "bsky": bsky_pages,
        "hn": 1,
        "hf": 2,
        "arxiv": batches,
        "oembed": shown["twitter"],
        "bsky-oembed": shown["bluesky"],
    }
    for api, fewest in expected.items():
        print(f"4. {api} requests: {counts.get(api, 0)} (fewest possible: {fewest})", flush=True)
    StandIn.counts.clear()
    run_cli(["-q", "build", "--date", "2020-09-24"], site, env)
    print(f"4. rebuild from the snapshot: {sum(StandIn.counts.values())} requests (expected 0)", flush=True)
    server.shutdown()


FIGURES = {"1": rerender_thousand_days, "2": huge_day, "3": live_build}


def main(chosen: list[str]) -> None:
    """Run the figures named on the command line (3 also prints 4), or all of them."""
    print(f"hotpapers benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name in chosen or FIGURES:
            FIGURES[name](Path(scratch))


if __name__ == "__main__":
    main(sys.argv[1:])
