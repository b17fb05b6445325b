"""A local look at the site's posts: Markdown to HTML as CommonMark reads it, an
index of the days, and a small server on 127.0.0.1. Embedded posts stay readable
blockquotes: the widget script is left out, so a preview loads nothing from the network.
"""

from __future__ import annotations

import io
import re
import socket
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import frontmatter
import yaml
from markdown_it import MarkdownIt

from hotpapers.config import Config
from hotpapers.errors import InputError, shown_path
from hotpapers.platform_text import embed_scripts
from hotpapers.snapshot_schema import is_date
from hotpapers.targets import post_days
from hotpapers.yaml_c import load_yaml, yaml_problem

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_WIDGET_SCRIPT = re.compile(r"^<script async src=\"https://[^\"]+\" charset=\"utf-8\"></script>$\n?", re.MULTILINE)
_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
blockquote { border-left: 4px solid #1d9bf0; margin: 1rem 0; padding: .25rem 1rem; background: #f5f8fa; }
h1 { font-size: 1.3rem; margin-top: 2.5rem; } nav a { margin-right: 1rem; }
"""


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


_COMMONMARK = MarkdownIt("commonmark")


def markdown_html(text: str) -> str:
    """Markdown to HTML as CommonMark reads it, as Gatsby's remark and Hugo's goldmark
    do (Jekyll's kramdown is not CommonMark): the post escapes exactly what CommonMark
    would read as markup, and its embeds are HTML blocks."""
    return _COMMONMARK.render(text)


class _Frontmatter(frontmatter.YAMLHandler):
    """YAML frontmatter read as every YAML file is (yaml_c.load_yaml)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm)


_YAML_FRONTMATTER = _Frontmatter()


def post_html(text: str, day: str, path: Path) -> str:
    """One post as a page: its title and description from the frontmatter, then the body."""
    try:
        has_frontmatter = _YAML_FRONTMATTER.detect(text)
        post = frontmatter.loads(text, handler=_YAML_FRONTMATTER) if has_frontmatter else frontmatter.Post(text.strip())
    except yaml.YAMLError as exc:
        raise InputError(f"{shown_path(path)}: the frontmatter is {yaml_problem(exc)}") from None
    title = str(post.get("title", day))
    body = markdown_html(_without_widget_scripts(post.content))
    description = f"<p><em>{escape(str(post['description']))}</em></p>\n" if post.get("description") else ""
    return page(
        title, f'<nav><a href="/">All days</a></nav>\n<h1 class="post-title">{escape(title)}</h1>\n{description}{body}'
    )


def _without_widget_scripts(text: str) -> str:
    """The post without its embeds' script lines: those of the registered platforms, and
    any of the common shape (a platform's no source reads now, in an old post)."""
    scripts = embed_scripts()
    lines = _WIDGET_SCRIPT.sub("", text).splitlines(keepends=True)
    return "".join(line for line in lines if line.rstrip("\r\n") not in scripts)


def index_html(days: list[str], site_title: str, folder: Path) -> str:
    items = "\n".join(f'<li><a href="/{day}">{day}</a></li>' for day in days)
    none = "" if days else f"<p>No posts in {escape(str(folder))} yet: <code>hotpapers build</code> writes them.</p>\n"
    return page(site_title, f'<h1>{escape(site_title)}</h1>\n{none}<ul class="days">\n{items}\n</ul>')


def read_post(config: Config, day: str) -> str | None:
    path = config.post_path(day)
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    except UnicodeDecodeError:
        raise InputError(f"{shown_path(path)}: the post is not UTF-8 text") from None


IDLE_TIMEOUT = 10.0
"""Seconds a connection may take to send a whole request before the server closes it."""


class _RequestReader(io.RawIOBase):
    """A connection's bytes, each read waiting no longer than what is left until
    `deadline`: a socket's timeout bounds one read, so a byte sent every few seconds
    would otherwise hold the connection for ever."""

    def __init__(self, connection: socket.socket, idle_timeout: float) -> None:
        self.connection, self.idle_timeout, self.deadline = connection, idle_timeout, time.monotonic()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request was not read in time")
        self.connection.settimeout(left)
        try:
            return self.connection.recv_into(buffer)
        finally:
            self.connection.settimeout(self.idle_timeout)


def addressed_here(host: str | None, port: int) -> bool:
    """Whether a request's Host names this server (127.0.0.1, localhost or [::1] at its
    port): a page on another site may make the browser send it requests through a name
    of its own that resolves to 127.0.0.1 (DNS rebinding), with its own Host."""
    names = ("127.0.0.1", "localhost", "[::1]")
    allowed = {f"{name}:{port}" for name in names} | (set(names) if port == 80 else set())
    return host is not None and host.lower() in allowed


def make_server(config: Config, port: int, idle_timeout: float = IDLE_TIMEOUT) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 that renders the posts afresh on every request, and closes
    a connection that has not sent a whole request line and headers within
    `idle_timeout` seconds (each connection holds a thread)."""

    class Handler(BaseHTTPRequestHandler):
        timeout = idle_timeout

        def setup(self) -> None:
            super().setup()
            self.rfile.close()
            self.reader = _RequestReader(self.connection, idle_timeout)
            self.rfile = io.BufferedReader(self.reader)

        def handle_one_request(self) -> None:
            self.reader.deadline = time.monotonic() + idle_timeout
            super().handle_one_request()

        def do_GET(self) -> None:
            self._respond(with_body=True)

        def do_HEAD(self) -> None:
            self._respond(with_body=False)

        def _respond(self, with_body: bool) -> None:
            day = self.path.strip("/")
            try:
                if not addressed_here(self.headers.get("Host"), cast(ThreadingHTTPServer, self.server).server_port):
                    status, html = 421, page("Misdirected request", "<p>This server answers only for itself.</p>")
                elif day == "":
                    status, html = 200, index_html(post_days(config), config.site.title, config.posts_folder)
                elif is_date(day) and (text := read_post(config, day)) is not None:
                    status, html = 200, post_html(text, day, config.post_path(day))
                else:
                    status, html = 404, page("Not found", f'<p>No post for {escape(day)}. <a href="/">All days</a></p>')
            except InputError as exc:
                status, html = 500, page("Unreadable post", f'<p>{escape(str(exc))}</p><p><a href="/">All days</a></p>')
            body = html.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)
