"""What a site generator reads in a post's body before or beside Markdown, and the
guards that keep untrusted text from being read as it (docs/post-format.md, "Untrusted
text"). Each profile declares what its generator reads (`Profile.site_syntax`); a
guard writes differently only the characters that would open one of those syntaxes,
in a form the generator's Markdown reader and browsers read back as the same text:

- template syntax, which the generator runs over the raw post before any Markdown
  (Hugo's shortcodes `{{<` and `{{%`; Jekyll's Liquid `{{` and `{%`): the opener's last
  character becomes a character reference (`{&#123;<`, `{&#37;`), which CommonMark,
  goldmark and kramdown decode in text and link destinations, and browsers in HTML;
- attribute syntax, which the Markdown reader takes from the text itself (a `{...}`
  ending a heading: goldmark's `parser.attribute.title`, kramdown's `{#id}`; kramdown's
  `{:...}` attribute lists and `{::...}` extensions): a backslash before the `{`.

A `{` that ends a value is written as a reference too: the template's own text after it
could complete an opener (`{` then `{% if %}`).

kramdown also reads blocks that CommonMark does not: a table row in any line holding a `|`
(`tables`), and, where a block starts, an abbreviation, a math block or an end-of-block
marker (`kramdown-blocks`). Their opener gets a backslash before it (`|`, `*`, `$`), or is
written as a reference where kramdown reads no escape (`^` as `&#94;`, and `|` in a link as
`&#124;`). A heading's text opens none of them (`SiteGuard.heading`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Literal

SiteSyntax = Literal["shortcodes", "liquid", "heading-attributes", "attribute-lists", "tables", "kramdown-blocks"]
"""`shortcodes`: Hugo's `{{< >}}` and `{{% %}}`; `liquid`: Liquid's `{{ }}` and `{% %}`;
`heading-attributes`: a `{...}` that ends a heading line (goldmark, kramdown);
`attribute-lists`: kramdown's `{:...}` anywhere in the text; `tables`: kramdown's table
rows, any line with a `|` that no backslash escapes, outside code spans; `kramdown-blocks`:
what kramdown alone reads where a block starts (`*[X]:` an abbreviation, `$$` a math block
that may close in a later block, `^` alone an end-of-block marker)."""

_OPENERS: dict[SiteSyntax, re.Pattern[str]] = {
    "shortcodes": re.compile(r"\{\{(?=[<%])|\{\Z"),
    "liquid": re.compile(r"\{[{%]|\{\Z"),
}
"""Each match ends with the character written as a reference."""
_REFERENCES = {"{": "&#123;", "%": "&#37;"}
_LIVE_BRACE = re.compile(r"(?<!\\)((?:\\\\)*)\{")
"""A `{` that a backslash does not escape already (none, or escaped backslashes, before it)."""
_LIVE_ATTRIBUTE_LIST = re.compile(r"(?<!\\)((?:\\\\)*)\{(?=:)")
_TABLE_PIPE = re.compile(r"(?<!\\)\|")
"""kramdown's own test: a backslash before a `|` escapes it, whatever comes before that."""
_CODE_DELIMITER = re.compile(r"`+")
_KRAMDOWN_BLOCK = re.compile(r"(?s)\A([ \t]*)(?:(\*(?=\[.+?\]:)|\$(?=\$(?!.*?\$\$)))|\^(?=\s*\Z))")
"""An abbreviation, a `$$` that this text does not close, or a lone `^`, where the text
starts a line (markdown_text.guard_markup escapes CommonMark's blocks, and definitions,
and the list and quote marks after which a block would start)."""


def _reference(match: re.Match[str]) -> str:
    return match[0][:-1] + _REFERENCES[match[0][-1]]


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where kramdown's table reader sees code spans: from a run of backticks to the next
    same run (no backslash escapes a backtick there); a lone backtick between spaces (the
    text's start counted as one: the safe guess) is text."""
    spans: list[tuple[int, int]] = []
    position, unclosed = 0, set()
    while opening := _CODE_DELIMITER.search(text, position):
        start, position = opening.span()
        delimiter = opening[0]
        lone = (
            delimiter == "`" and (start == 0 or text[start - 1].isspace()) and text[position : position + 1].isspace()
        )
        if lone or delimiter in unclosed:
            continue
        close = text.find(delimiter, position)
        if close < 0:
            unclosed.add(delimiter)  # no later run closes it either
            continue
        position = close + len(delimiter)
        spans.append((start, position))
    return spans


def _escape_pipes(text: str) -> str:
    """`text` with a backslash before each `|` that kramdown would read as a table cell's end."""
    spans = _code_spans(text) if "`" in text else []
    starts = [start for start, _ in spans]

    def escape(match: re.Match[str]) -> str:
        inside = bisect_right(starts, match.start()) - 1
        return "|" if inside >= 0 and match.start() < spans[inside][1] else "\\|"

    return _TABLE_PIPE.sub(escape, text)


def _block_opener(match: re.Match[str]) -> str:
    return match[1] + ("\\" + match[2] if match[2] else "&#94;")


class SiteGuard:
    """The guards for one profile's `syntax`: `html` for HTML, `url` for links, `text`
    for Markdown text, `heading` for a heading's. With an empty `syntax` each returns its
    text as it is."""

    def __init__(self, syntax: frozenset[SiteSyntax]) -> None:
        self.syntax = syntax
        self._openers = [_OPENERS[name] for name in sorted(syntax & _OPENERS.keys())]
        self._headings = "heading-attributes" in syntax
        self._attribute_lists = "attribute-lists" in syntax
        self._tables = "tables" in syntax
        self._blocks = "kramdown-blocks" in syntax

    def html(self, text: str) -> str:
        """`text` with the template syntax's openers, and a final `{`, broken by a character
        reference: for embed HTML, attribute values and link destinations, where a
        backslash would stay as written."""
        if "{" not in text:  # a quick exit: most text has none
            return text
        for opener in self._openers:
            text = opener.sub(_reference, text)
        return text

    def url(self, url: str) -> str:
        """`url` as `html` guards it, with each `|` written `&#124;` for kramdown's
        tables: a link's destination keeps a backslash as written."""
        url = self.html(url)
        return url.replace("|", "&#124;") if self._tables else url

    def text(self, text: str) -> str:
        """`text` as `heading` guards it, with the opener of each of kramdown's blocks
        escaped (`_escape_pipes`, `_KRAMDOWN_BLOCK`)."""
        if self._tables and "|" in text:
            text = _escape_pipes(text)
        if self._blocks:
            text = _KRAMDOWN_BLOCK.sub(_block_opener, text, count=1)
        return self.heading(text)

    def heading(self, text: str) -> str:
        """`text` as `html` guards it, and a backslash before each `{` that could open
        attributes: every one when the text ends with `}` (a heading's attributes end
        its line; what goldmark accepts between the braces differs by version), and
        each `{:`. No block starts inside a heading, so kramdown's need no guard."""
        text = self.html(text)
        if "{" not in text:
            return text
        if self._headings and text.rstrip().endswith("}"):
            return _LIVE_BRACE.sub(r"\1\\{", text)
        if self._attribute_lists:
            return _LIVE_ATTRIBUTE_LIST.sub(r"\1\\{", text)
        return text

    @staticmethod
    def after(filter: Callable[..., str], guard: Callable[[str], str]) -> Callable[..., str]:
        """`filter` (a template filter writing untrusted text) followed by `guard`, the one
        of this guard's methods for where the filter writes it."""
        return lambda *values: guard(filter(*values))
