"""Keeping untrusted text (titles, abstracts, posts, embed HTML) from injecting markup:
plain text, one line, safe links and embeds (Markdown text itself: markdown_text.py).

Embed HTML is passed through only when it is exactly a platform's embed: allowed tags
and attributes, http(s) links and the one known script line. A sanitizer would rewrite
the markup, while we must keep real embeds byte-identical and replace anything else
whole, so the check matches the embed against one strict grammar (`_EMBED`): plain tags
with double-quoted attributes, nested as in real embeds, and text, nothing else. Markup
outside that grammar is refused rather than interpreted.

Line breaks are CommonMark's: LF, CR and CRLF. Control characters and bidi overrides
are dropped from untrusted text before any other rule reads it (`plain_text`), and make
embed HTML fail the allow-list.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
"""A regex class body: the C0 and C1 control characters but tab and the line breaks LF
and CR, and the bidi embeddings, overrides and isolates (which can reorder what a
reader sees)."""
_CONTROL = re.compile(f"[{CONTROLS}]")


def plain_text(text: str) -> str:
    """`text` without its control characters (`CONTROLS`): the first rule for every
    untrusted text, so that no later rule sees markup a dropped character would hide.
    They are dropped rather than written as `&#x202E;`, which a Markdown parser turns
    back into the character itself."""
    if text.isprintable():  # a quick exit (benchmarks/README.md): no control character is printable
        return text
    return _CONTROL.sub("", text)


_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")
"""A numeric character reference as the readers of a post decode one: CommonMark's
parsers and kramdown end it with a `;`, browsers (in embed HTML) need none."""


def _is_control(reference: re.Match[str]) -> bool:
    digits = (reference[1] or reference[2]).lstrip("0")
    if len(digits) > 7:  # beyond U+10FFFF: the replacement character
        return False
    code = int(digits or "0", 16 if reference[1] else 10)
    return code <= 0x10FFFF and _CONTROL.match(chr(code)) is not None


def control_reference(text: str) -> str | None:
    """The first numeric character reference in `text` to a character that `plain_text`
    drops (`&#x202E;`, `&#8238;`), which a reader decodes back into it; None when none."""
    return next((found[0] for found in _NUMERIC_REFERENCE.finditer(text) if _is_control(found)), None)


def defuse_control_references(text: str) -> str:
    """`text` with the `&` of each reference `control_reference` finds written `&amp;`: the
    reference is then read as the text it is."""
    return _NUMERIC_REFERENCE.sub(lambda found: "&amp;" + found[0][1:] if _is_control(found) else found[0], text)


_LINE_BREAK = re.compile(r"[\r\n]\s*")
"""A line break (LF, CR or CRLF) and the white space after it, further breaks included."""


def one_line(text: str) -> str:
    """`text` as plain text (`plain_text`) with each line break (LF, CR or CRLF), and
    the spaces around it, folded into one space, as the arXiv API's own folded lines
    are. In a title, an author list or an abstract, a line break could start a heading,
    a list or a quote of its own."""
    text = plain_text(text)
    if "\n" not in text and "\r" not in text:  # a quick exit: benchmarks/README.md
        return text
    *lines, last = _LINE_BREAK.split(text)
    return "".join(line.rstrip() + " " for line in lines) + last


def is_safe_url(url: str) -> bool:
    """An http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


_LINK_SAFE = re.compile(rf"[^\s<>()\[\]\"'\\`{CONTROLS}]+")


def safe_link(url: str, fallback: str) -> str:
    """`url` when it is a plain http(s) URL that cannot break a Markdown link, else `fallback`."""
    return url if _LINK_SAFE.fullmatch(url) and is_safe_url(url) else fallback


_SIMPLE_VALUE = re.compile(r"[A-Za-z0-9 _.:/-]*")


class EmbedRules:
    """What one platform's embed may contain besides the tags all embeds share
    (`<p lang dir>`, `<a href>`, `<br>`). Each source declares its own (`Display.embed_rules`)."""

    def __init__(self, root_class: str, scripts: frozenset[str], root_attributes: frozenset[str]) -> None:
        self.root_class = root_class
        self.scripts = scripts
        self.root_attributes = root_attributes


# The grammar of an embed, read by one compiled pattern: one blockquote holding text,
# `<br>`, links (text and `<br>` only) and paragraphs (text, `<br>` and links), each
# tag with its allowed attributes (double-quoted values only) and closed where it
# opened, as in real embeds; links are `http://` or `https://` and a host, written out.
# Any other markup (another tag or attribute, a comment, a declaration, odd quoting, a
# stray `<`, tags nested otherwise) or a control character does not match. Possessive
# repeats keep the match linear in the length of the embed.
_SPACE = "[ \t\n]"
_TEXT_OR_BREAK = rf"[^<{CONTROLS}]++|<br{_SPACE}*/?>"
_LINK = (
    rf'<a{_SPACE}+href="https?://[^/?#&"<{CONTROLS}\s][^"<{CONTROLS}]*"{_SPACE}*>(?:{_TEXT_OR_BREAK})*+</a{_SPACE}*>'
)
_PARAGRAPH = rf'<p(?:{_SPACE}+(?:lang|dir)="[A-Za-z0-9 _.:/-]*")*{_SPACE}*>(?:{_TEXT_OR_BREAK}|{_LINK})*+</p{_SPACE}*>'
_EMBED = re.compile(
    rf'<blockquote(?P<root>(?:{_SPACE}+[a-z][a-z0-9-]*="[^"<{CONTROLS}]*")*){_SPACE}*>'
    rf"(?:{_TEXT_OR_BREAK}|{_LINK}|{_PARAGRAPH})*+</blockquote>"
)
_ATTRIBUTE_VALUE = re.compile(r'\s+([a-z][a-z0-9-]*)="([^"]*)"')


def _root_problem(attributes: list[tuple[str, str]], rules: EmbedRules) -> str | None:
    names = [name for name, _ in attributes]
    if len(names) != len(set(names)):
        return "repeated attribute on <blockquote>"
    if dict(attributes).get("class") != rules.root_class:
        return "wrong class"
    for name, value in attributes:
        if name != "class" and (name not in rules.root_attributes or not _SIMPLE_VALUE.fullmatch(value)):
            return f"attribute {name} on <blockquote>"
    return None


def _markup_problem(quote: str, rules: EmbedRules) -> str | None:
    """Why `quote` is not one blockquote of allowed tags and attributes, or None."""
    embed = _EMBED.fullmatch(quote)
    if embed is None:
        return "markup, a link or a character that is not allowed"
    return _root_problem(_ATTRIBUTE_VALUE.findall(embed["root"]), rules)


def html_block(html: str) -> str:
    """`html` as one Markdown HTML block: CommonMark ends one at a blank line, so each
    line break becomes one LF and blank lines go (an embedded post's text may keep its
    blank lines; in HTML they are only white space). Each line without its indentation:
    kramdown ends an HTML block at its element's closing tag, and reads a line after it
    indented by four columns (an embed's script line) as code. Without its trailing white
    space. A real embed, one line and its script line, stays as is.
    A CR becomes an LF, so a CRLF makes an empty line, which goes with the blank ones."""
    lines = html.replace("\r", "\n").split("\n")
    return "\n".join(line.lstrip(" \t") for line in lines if line.strip(" \t")).strip()


def _block_problem(block: str, rules: EmbedRules | None) -> str | None:
    if rules is None:
        return "no embeds are accepted for this platform"
    quote, _, script = block.partition("</blockquote>")
    script = script.strip()
    if script and script not in rules.scripts:
        return "an unknown script"
    if reference := control_reference(block):
        shown = reference if len(reference) <= 16 else f"{reference[:15]}…"  # `&#000...` can run on
        return f"a character reference to a control character ({shown})"
    return _markup_problem(quote + "</blockquote>", rules)


def checked_embed(html: str, rules: EmbedRules | None) -> tuple[str, str | None]:
    """The embed as one HTML block, and why `rules` refuse it (None when they allow it)."""
    block = html_block(html)
    return block, _block_problem(block, rules)
