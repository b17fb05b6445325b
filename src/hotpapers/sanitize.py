"""Keeping untrusted text (titles, abstracts, posts, embed HTML) from injecting markup.

Two rules from spec/post-format.md:
- in Markdown text, a `<` that CommonMark could read as raw HTML or an autolink is
  written as `&lt;`; everything else stays byte for byte;
- embed HTML is passed through only when it is exactly a platform's embed: allowed
  tags and attributes, http(s) links, the one known script line, and no blank line
  (which would end the Markdown HTML block early). The check is done with the
  standard library's HTML tokenizer; a sanitizer would rewrite the markup, while we
  must keep real embeds byte-identical and replace anything else whole.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

_RAW_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")


def guard_inline_html(text: str) -> str:
    """Write every `<` that could open a tag, comment, declaration or autolink as `&lt;`."""
    return _RAW_HTML_START.sub("&lt;", text)


def is_safe_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


_TWITTER_SCRIPTS = frozenset(
    f'<script async src="https://platform.{host}/widgets.js" charset="utf-8"></script>'
    for host in ("twitter.com", "x.com")
)
_BLUESKY_SCRIPTS = frozenset(['<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'])
_SIMPLE_VALUE = re.compile(r"^[A-Za-z0-9 _.:/-]*$")


class EmbedRules:
    """What one platform's embed may contain."""

    def __init__(self, root_class: str, scripts: frozenset[str], root_attributes: frozenset[str]) -> None:
        self.root_class = root_class
        self.scripts = scripts
        self.root_attributes = root_attributes
        self.inner_tags = {"p": {"lang", "dir"}, "a": {"href"}, "br": set()}


EMBED_RULES = {
    "twitter": EmbedRules(
        "twitter-tweet",
        _TWITTER_SCRIPTS,
        frozenset({"data-dnt", "data-theme", "data-width", "data-lang", "data-media-max-width", "data-conversation", "data-cards", "align"}),
    ),
    "bluesky": EmbedRules(
        "bluesky-embed", _BLUESKY_SCRIPTS, frozenset({"data-bluesky-uri", "data-bluesky-cid", "data-bluesky-embed-color-mode"})
    ),
}


class _EmbedChecker(HTMLParser):
    """Walks the blockquote and records the first reason it is not an allowed embed."""

    def __init__(self, rules: EmbedRules) -> None:
        super().__init__(convert_charrefs=False)
        self.rules = rules
        self.stack: list[str] = []
        self.tags_seen = 0
        self.closed_root = False
        self.problem: str | None = None

    def fail(self, reason: str) -> None:
        if self.problem is None:
            self.problem = reason

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags_seen += 1
        if self.closed_root:
            return self.fail(f"<{tag}> after the blockquote")
        if not self.stack:
            if tag != "blockquote":
                return self.fail(f"starts with <{tag}>")
            return self._check_root(attrs)
        allowed = self.rules.inner_tags.get(tag)
        if allowed is None:
            return self.fail(f"<{tag}> is not allowed")
        for name, value in attrs:
            if name not in allowed or value is None:
                return self.fail(f"attribute {name} on <{tag}>")
            if name == "href" and not is_safe_url(value):
                return self.fail("a link that is not http(s)")
            if name != "href" and not _SIMPLE_VALUE.match(value):
                return self.fail(f"odd value of {name}")
        if tag != "br":
            self.stack.append(tag)

    def _check_root(self, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            return self.fail("repeated attribute")
        for name, value in attrs:
            if name == "class":
                if value != self.rules.root_class:
                    return self.fail("wrong class")
            elif name not in self.rules.root_attributes or value is None or not _SIMPLE_VALUE.match(value):
                return self.fail(f"attribute {name} on <blockquote>")
        if "class" not in names:
            return self.fail("no class")
        self.stack.append("blockquote")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "br":
            return self.fail(f"<{tag}/>")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tags_seen += 1
        if not self.stack or self.stack[-1] != tag:
            return self.fail(f"unbalanced </{tag}>")
        self.stack.pop()
        if not self.stack:
            self.closed_root = True

    def handle_data(self, data: str) -> None:
        if not self.stack and data.strip():
            self.fail("text outside the blockquote")

    def handle_comment(self, data: str) -> None:
        self.fail("a comment")

    def handle_decl(self, decl: str) -> None:
        self.fail("a declaration")

    def handle_pi(self, data: str) -> None:
        self.fail("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.fail("a declaration")


def embed_problem(html: str, platform: str) -> str | None:
    """Why `html` is not a well-formed embed of `platform`, or None when it is."""
    rules = EMBED_RULES.get(platform)
    if rules is None:
        return f"no embeds are accepted for {platform}"
    body = html.rstrip("\n")
    if any(not line.strip() for line in body.split("\n")):
        return "a blank line"
    quote, _, script = body.partition("</blockquote>")
    script = script.strip()
    if script and script not in rules.scripts:
        return "an unknown script"
    checker = _EmbedChecker(rules)
    checker.feed(quote + "</blockquote>")
    checker.close()
    if checker.problem:
        return checker.problem
    if checker.stack or not checker.closed_root:
        return "unclosed tags"
    if quote.count("<") + 1 != checker.tags_seen:
        return "a stray '<'"
    return None


def safe_embed(html: str | None, platform: str) -> str | None:
    """The embed without its trailing line breaks when it is allowed, else None."""
    if html is None or embed_problem(html, platform) is not None:
        return None
    return html.rstrip("\n")
