"""hotpapers benchmarks: each figure as a ratio against its bound, measured side by side.

    python benchmarks/run.py            # all four figures, a few minutes on 2 cores
    python benchmarks/run.py 1 2        # only figures 1 and 2 (3 prints 4 too)

1. re-render 1,000 days (build --since/--until --offline) vs json.load + write of the same files
2. one day of 200,000 mentions over 20,000 papers vs a bare json.load of it; peak memory
3. a live build against local stand-in APIs with fixed latencies vs its critical path
4. requests per live build vs the fewest possible; a rebuild makes none

Standard library and the project only; nothing here asserts, it prints.
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
from urllib.parse import parse_qs, urlsplit

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


def rerender_thousand_days(scratch: Path) -> None:
    site = scratch / "site1000"
    snapshots = site / "data" / "snapshots"
    snapshots.mkdir(parents=True)
    shutil.copy(SITE_CONFIG, site / "config.yaml")
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    first = date(2018, 1, 1)
    days = [first + timedelta(days=n) for n in range(1000)]
    for day in days:
        example["date"] = day.isoformat()
        (snapshots / f"{day}.json").write_text(
            json.dumps(example, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    files = sorted(snapshots.iterdir())

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
        return run_cli(["-q", "build", "--since", str(days[0]), "--until", str(days[-1]), "--offline"], site)

    runs = [(bare(), ours()) for _ in range(5)]  # interleaved, so that both meet the same noise
    report("1. re-render 1,000 days", min(r[1] for r in runs), min(r[0] for r in runs), 2.5)


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

SEARCH_DELAY, ARXIV_DELAY, OEMBED_DELAY = 0.1, 0.1, 0.5


class StandIn(BaseHTTPRequestHandler):
    """Search, arXiv and oEmbed with fixed latencies; counts every request by API."""

    counts: Counter[str] = Counter()
    pages: list[dict] = []
    lock = threading.Lock()

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        api = "search" if "/tweets/search/" in parts.path else "arxiv" if parts.path == "/api/query" else "oembed"
        with self.lock:
            self.counts[api] += 1
        time.sleep({"search": SEARCH_DELAY, "arxiv": ARXIV_DELAY, "oembed": OEMBED_DELAY}[api])
        if api == "search":
            token = query.get("next_token")
            body = json.dumps(self.pages[int(token) if token else 0]).encode()
            kind = "application/json"
        elif api == "arxiv":
            body = feed(query["id_list"].split(",")).encode()
            kind = "application/atom+xml"
        else:
            tweet_id = query["url"].rsplit("/", 1)[-1]
            body = json.dumps(
                {"html": EMBED.format(n=tweet_id[-4:], id=tweet_id), "type": "rich", "version": "1.0"}
            ).encode()
            kind = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


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


def search_pages(posts: int, papers: int, page_size: int) -> list[dict]:
    rng = random.Random(11)
    tweets = []
    for n in range(posts):
        paper = f"2009.{rng.randrange(papers):05d}"
        tweets.append(
            {
                "id": str(1308930576305528832 + n),
                "author_id": str(n),
                "created_at": "2020-09-24T12:00:00.000Z",
                "text": "new paper",
                "entities": {"urls": [{"expanded_url": f"https://arxiv.org/abs/{paper}"}]},
                "public_metrics": {
                    "retweet_count": int(rng.paretovariate(1.5)),
                    "like_count": int(rng.paretovariate(1.3) * 4),
                    "reply_count": 0,
                    "quote_count": 0,
                },
            }
        )
    pages = []
    for start in range(0, posts, page_size):
        chunk = tweets[start : start + page_size]
        meta = {"result_count": len(chunk)}
        if start + page_size < posts:
            meta["next_token"] = str(len(pages) + 1)
        users = [
            {"id": t["author_id"], "username": f"u{t['author_id']}", "name": f"User {t['author_id']}"} for t in chunk
        ]
        pages.append({"data": chunk, "includes": {"users": users}, "meta": meta})
    return pages


def live_build(scratch: Path) -> None:
    posts, papers, page_size, batch, interval = 1000, 300, 100, 100, 1.0
    StandIn.pages = search_pages(posts, papers, page_size)
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    site = scratch / "live"
    site.mkdir()
    (site / "config.yaml").write_text(
        json.dumps(
            {
                "arxiv": {"api_url": f"{base}/api/query", "batch_size": batch, "min_interval": interval},
                "sources": {
                    "twitter": {"api_url": f"{base}/2", "oembed_url": f"{base}/oembed", "page_size": page_size}
                },
            }
        )
    )
    env = {"X_BEARER_TOKEN": "benchmark-token"}
    measured = run_cli(["-q", "build", "--date", "2020-09-24"], site, env)
    snapshot = json.loads((site / "data" / "snapshots" / "2020-09-24.json").read_text())
    ids = {pid for m in snapshot["mentions"] for pid in m["paper_ids"]}
    shown = sum(1 for m in snapshot["mentions"] if m["embed_html"])
    counts = dict(StandIn.counts)
    batches = math.ceil(len(ids) / batch)
    critical = (
        math.ceil(posts / page_size) * SEARCH_DELAY
        + (batches - 1) * interval
        + ARXIV_DELAY
        + math.ceil(shown / 8) * OEMBED_DELAY
    )
    report(f"3. live build ({posts} posts, {len(ids)} papers, {shown} embeds)", measured, critical, 1.5)
    expected = {"search": math.ceil(posts / page_size), "arxiv": batches, "oembed": shown}
    for api in ("search", "arxiv", "oembed"):
        print(f"4. {api} requests: {counts.get(api, 0)} (fewest possible: {expected[api]})", flush=True)
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
