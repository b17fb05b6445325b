"""`output.escape_markdown`: backslashes before the marks Markdown reads as emphasis, code,
links or math, and before those that open a block where a line starts, in untrusted text
(titles, authors, abstracts, discussion titles); for the readers that link bare URLs
(remark, goldmark), not inside a URL they link (docs/post-format.md, "Untrusted text").
markdown_text.py guards what is left of the text after it."""

from __future__ import annotations

import re

_MARKDOWN_PUNCTUATION = "\\`*_[]$"
"""The marks escape_markdown escapes wherever they stand, the backslash first, so that no
backslash it adds is escaped again."""
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)
_BARE_URL = re.compile(
    r"(?:(?P<word>(?<=[ (])|\A)|(?<=[*_~])(?=www\.)|(?<![A-Za-z])(?=https?://))(?:https?://|www\.)"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#][^\s<\\`*\[\]$]*)?"
)
"""A URL that GFM's readers (remark, goldmark) link as it stands: where a word starts
(`word`: after a space or a `(`, not a tab or a space past ASCII, after which goldmark
links none), a `www.` URL after `*`, `_` or `~` (remark links it there, goldmark not after
the escaped mark), or an http(s) URL after anything but a letter (remark links it there,
goldmark after a quote, `*`, `_`, `~` or a backtick: `Code:https://...`, `"https://..."`), a
domain of GFM's, then up to a space, a `<` or a character escaped anyway. A backslash in
it, before a `_` or a `~`, ended goldmark's link there and went into remark's `href`
(`https://github.com/a\\_b`). Its `~` stays only where a word starts: goldmark, which
links no URL after `:` or `{`, would read `~~x~~` in one as a strikethrough."""
_LONE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
"""A `_` of a URL that could open or close emphasis where a reader does not link all of
the URL (goldmark after a `:`, or past a `|`): one not between two letters or digits."""


def escape_markdown(text: str, links: bool = False) -> str:
    """Backslash-escape what Markdown would read as emphasis, code, links or math, and
    the marks that open a heading, quote or list at a line's start, so `__init__`,
    `x_1 * y_2` and `$k$` stay literal; `~` too when the text holds two, which GFM's
    parsers can read as a strikethrough (remark's takes `~a~`), so `~30%` stays as stored.
    For a reader that `links` bare URLs, a `~` inside one, and its `_`s (`_url_kept`),
    stay as they are: its link holds them, and no parser reads emphasis or a
    strikethrough there."""
    tildes = text.count("~") > 1
    if links and ("://" in text or "www." in text):
        parts, last = [], 0
        for url in _BARE_URL.finditer(text):
            kept = _url_kept(url, text)
            if url["word"] is None and tildes:
                kept = kept.replace("~", "\\~")
            parts += [_escape_punctuation(text[last : url.start()], tildes), kept]
            last = url.end()
        text = "".join(parts) + _escape_punctuation(text[last:], tildes)
    else:
        text = _escape_punctuation(text, tildes)
    return _MARKDOWN_LINE_START.sub(
        lambda m: m[1] + "".join("\\" + ch if not ch.isdigit() else ch for ch in m[2]), text
    )


def _url_kept(url: re.Match[str], text: str) -> str:
    """A bare URL of `text` (`_BARE_URL`) as stored where remark and goldmark both link all
    of it: after a space or a `(` (or at the start), of printable ASCII but `|`, and not
    ending in a `_` before a mark (one before a space opens nothing: both leave it out of
    their links, as a trailing `.`). A backslash before a `_` there went into remark's link,
    shown (`www.x.org/\\_a`, linked as `%5C_a`), and ended goldmark's (`https://x.org/a/`
    of `https://x.org/a/\\_\\_init\\_\\_.py`); `preview`'s CommonMark, which links no bare
    URL, may read emphasis in it. Elsewhere, its `_LONE_UNDERSCORE`s escaped."""
    link, before, after = url[0], text[url.start() - 1 : url.start()], text[url.end() : url.end() + 1]
    whole = before in ("", " ", "(") and link.isascii() and link.isprintable() and "|" not in link
    if whole and (not link.endswith("_") or after in ("", " ", "\t")):
        return link
    return _LONE_UNDERSCORE.sub(r"\\_", link)


def _escape_punctuation(text: str, tildes: bool) -> str:
    for mark in _MARKDOWN_PUNCTUATION + ("~" if tildes else ""):
        text = text.replace(mark, "\\" + mark)
    return text
