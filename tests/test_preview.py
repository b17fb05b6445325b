"""`preview` and `serve`: the posts as HTML, checked in a real headless Chromium."""

import contextlib
import http.client
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from conftest import make_config
from hotpapers.cli import cli
from hotpapers.preview import make_server, markdown_html, post_days

CHROMIUM = shutil.which("chromium")
EMBED = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">A paper</p>&mdash; Ada (@ada) '
    '<a href="https://twitter.com/ada/status/1">September 24, 2020</a></blockquote>'
)


def test_preview_prints_the_post_as_html_without_network_scripts(site):
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    result = CliRunner().invoke(cli, ["preview", "2020-09-24"])
    assert result.exit_code == 0
    html = result.stdout
    assert "<title>Hot Papers 2020-09-24</title>" in html
    assert len(re.findall(r"<h1>\d+\. ", html)) == 11
    assert html.count('<blockquote class="twitter-tweet">') == 12 and "<script" not in html
    missing = CliRunner().invoke(cli, ["preview", "2020-09-23"])
    assert missing.exit_code == 2 and "no post for 2020-09-23" in missing.stderr


def test_post_days_follow_the_profile_file_names(tmp_path):
    config = make_config(tmp_path, output={"profile": "lumen-2022"})
    for day in ("2020-09-24", "2020-09-25"):
        path = config.post_path(day)
        path.parent.mkdir(parents=True)
        path.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (tmp_path / "content" / "posts" / "notes.md").write_text("x", encoding="utf-8")
    assert post_days(config) == ["2020-09-25", "2020-09-24"]


def test_post_days_are_written_in_ascii_digits(tmp_path):
    """A file named with other digits, as ٢٠٢٠-٠٩-٢٥ (Arabic-Indic), is no post: no day in
    the schema's YYYY-MM-DD, and the day's own name there fails to read as one."""
    config = make_config(tmp_path, output={"profile": "hugo"})
    config.posts_folder.mkdir(parents=True)
    for day in ("2020-09-24", "\u0662\u0660\u0662\u0660-\u0660\u0669-\u0662\u0665"):
        config.post_path(day).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert post_days(config) == ["2020-09-24"]


def test_the_index_of_a_site_without_posts_says_where_it_looked(tmp_path):
    """`serve` in a folder with no post showed a title over an empty list."""
    server = make_server(make_config(tmp_path, output={"profile": "hugo"}), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, _, _, body = exchange(server.server_port, "GET", "/")
    finally:
        server.shutdown()
        server.server_close()
    folder = tmp_path / "content" / "posts"
    assert status == 200 and f"<p>No posts in {folder} yet: <code>hotpapers build</code> writes them.</p>" in (
        body.decode()
    )


def dump_dom(url):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: tests/setup-tools.sh installs it")
        pytest.skip("chromium is not installed (tests/setup-tools.sh installs it)")
    offline = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--disable-background-networking"]
    run = subprocess.run(  # a post's embed scripts, and chromium's own services, resolve no name: no network
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            *offline,
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_serve_shows_the_index_and_the_posts_in_headless_chromium(site):
    data = (site / "data" / "snapshots" / "2020-09-24.json").read_text(encoding="utf-8")
    (site / "data" / "snapshots" / "2020-09-23.json").write_text(
        data.replace('"date": "2020-09-24"', '"date": "2020-09-23"'), encoding="utf-8"
    )
    assert CliRunner().invoke(cli, ["build", "--since", "2020-09-23", "--until", "2020-09-24"]).exit_code == 0
    server = make_server(make_config(site, output={"filename": "{date}---Hot-Papers.md"}), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        index = dump_dom(base + "/")
        assert re.findall(r'<a href="/(\d{4}-\d{2}-\d{2})">', index) == ["2020-09-24", "2020-09-23"]
        post = dump_dom(base + "/2020-09-24")
        titles = re.findall(r"<h1>(\d+)\. ([^<]+)</h1>", post)
        assert [int(n) for n, _ in titles] == list(range(1, 12))
        assert titles[0][1].startswith("Tasks, stability, architecture, and compute")
        assert post.count('<blockquote class="twitter-tweet">') == 12
        assert "We have a new paper on learned optimizers!" in post
        assert "Not found" in dump_dom(base + "/2020-01-01")
    finally:
        server.shutdown()
        server.server_close()


def exchange(port, method, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return (
            response.status,
            response.getheader("Content-Type"),
            response.getheader("Content-Length"),
            response.read(),
        )
    finally:
        connection.close()


@contextlib.contextmanager
def serving(site, idle_timeout: float):
    """`serve` of the example day's site, in a thread, closing connections idle for `idle_timeout` s."""
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    server = make_server(make_config(site, output={"filename": "{date}---Hot-Papers.md"}), 0, idle_timeout)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def served(site):
    with serving(site, idle_timeout=0.5) as server:
        yield server


@pytest.mark.parametrize("path", ["/", "/2020-09-24", "/2020-01-01"])
def test_serve_answers_head_with_the_headers_of_get_and_no_body(served, path):
    status, kind, length, body = exchange(served.server_port, "GET", path)
    assert exchange(served.server_port, "HEAD", path) == (status, kind, length, b"")
    assert status == (404 if path == "/2020-01-01" else 200) and int(length) == len(body) > 0


def test_serve_closes_a_connection_that_sends_nothing(served):
    with socket.create_connection(("127.0.0.1", served.server_port), timeout=10) as idle:
        started = time.monotonic()
        assert idle.recv(1) == b""  # closed by the server, not timed out here
        assert time.monotonic() - started < 5
    assert exchange(served.server_port, "GET", "/")[0] == 200


def test_serve_closes_a_request_sent_a_byte_at_a_time_at_its_deadline(served):
    """The idle timeout bounds each read, so a byte every tenth of a second (0.5 s here)
    held the connection and its thread for as long as the bytes kept coming."""
    trickle = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100
    with socket.create_connection(("127.0.0.1", served.server_port), timeout=10) as slow:
        started = time.monotonic()
        for byte in trickle:
            try:
                slow.sendall(bytes([byte]))
                if select.select([slow], [], [], 0.1)[0] and slow.recv(1) == b"":
                    break
            except (BrokenPipeError, ConnectionResetError):
                break
        closed_after = time.monotonic() - started
    assert 0.4 < closed_after < 5, closed_after  # over 13 s of bytes without the deadline
    assert exchange(served.server_port, "GET", "/")[0] == 200


def test_serve_answers_a_request_that_arrives_in_pieces_within_its_deadline(site):
    """0.3 s of pieces against a 5 s deadline, a margin that a busy machine's late
    wake-ups cannot use up (against the 0.5 s of `served` they could)."""
    with (
        serving(site, idle_timeout=5) as served,
        socket.create_connection(("127.0.0.1", served.server_port), timeout=10) as client,
    ):
        for piece in (b"HEAD /2020-09-24 HTTP/1.0\r\n", b"Host: 127.0.0.1:%d\r\n" % served.server_port, b"\r\n"):
            client.sendall(piece)
            time.sleep(0.1)
        assert client.makefile("rb").readline() == b"HTTP/1.0 200 OK\r\n"


def test_the_serve_command_answers_head(site):
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    command = [sys.executable, "-m", "hotpapers", "serve", "--port", "0"]
    with subprocess.Popen(command, cwd=site, stderr=subprocess.PIPE, text=True) as server:  # closes its pipe
        try:
            port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", server.stderr.readline())[1])
            status, kind, length, body = exchange(port, "HEAD", "/2020-09-24")
            assert (status, kind, body) == (200, "text/html; charset=utf-8", b"") and int(length) > 10_000
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.mark.parametrize(
    ("post", "shown"),
    [
        # a `<` before a letter earlier in the post: Python-Markdown then showed the embed as text
        (f"Selecting k<n items\n\n{EMBED}\n", ["<p>Selecting k&lt;n items</p>", EMBED]),
        # an escaped `$` (hugo and jekyll escape it) reads as `$` in CommonMark
        ("Cost \\$\\mathcal{O}(n)\\$\n", ["<p>Cost $\\mathcal{O}(n)$</p>"]),
    ],
)
def test_preview_reads_the_post_as_commonmark_does(post, shown):
    html = markdown_html(post)
    assert all(part in html for part in shown), html


POST = "content/posts/2020-09-24---Hot-Papers.md"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe bad", "the post is not UTF-8 text"),
        (b"---\ntitle: [\n---\nbody\n", f"{POST}: the frontmatter is not valid YAML at line 3"),
        (b"---\ntitle: !!python/name:os.system\n---\n", f"{POST}: the frontmatter is not valid YAML"),
        # PyYAML raises ValueError, not a YAMLError, for a date that does not exist
        (b"---\ntitle: a\ndate: 2020-13-45\n---\n", f"{POST}: the frontmatter is not valid YAML at line 3"),
        pytest.param(
            b"---\ntitle: " + b"[" * 100_000 + b"\n---\n", f"{POST}: the frontmatter", id="deep"
        ),  # crashed libyaml
        (b"{\nx\n}\n", None),  # no YAML frontmatter: python-frontmatter read it as JSON and raised ValueError
    ],
)
def test_a_damaged_post_is_one_line_in_preview_and_a_page_in_serve(site, content, problem):
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    config = make_config(site, output={"filename": "{date}---Hot-Papers.md"})
    config.post_path("2020-09-24").write_bytes(content)
    result = CliRunner().invoke(cli, ["preview", "2020-09-24"])
    if problem is None:
        assert result.exit_code == 0 and result.stderr == "", result.output
        return
    assert result.exit_code == 2 and problem in result.stderr and len(result.stderr.splitlines()) == 1
    server = make_server(config, 0, idle_timeout=0.5)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, _, _, body = exchange(server.server_port, "GET", "/2020-09-24")
        assert status == 500 and problem.encode() in body
        assert exchange(server.server_port, "GET", "/")[0] == 200  # the server goes on
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:{port}", 200),
        ("localhost:{port}", 200),
        ("LocalHost:{port}", 200),
        ("[::1]:{port}", 200),
        ("evil.example", 421),  # DNS rebinding: evil.example resolves to 127.0.0.1
        ("evil.example:{port}", 421),
        ("127.0.0.1.evil.example:{port}", 421),
        ("localhost:1", 421),
        (None, 421),
    ],
)
def test_serve_answers_only_requests_addressed_to_it(served, host, status):
    port = served.server_port
    request = "GET /2020-09-24 HTTP/1.1\r\n" + (f"Host: {host.format(port=port)}\r\n" if host else "")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(f"{request}Connection: close\r\n\r\n".encode())
        answer = client.makefile("rb").read()
    assert answer.split(b"\r\n", 1)[0].split()[1] == str(status).encode()
    assert (b"Hot Papers" in answer) == (status == 200)
