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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

SiteSyntax = Literal["shortcodes", "liquid", "heading-attributes", "attribute-lists"]
"""`shortcodes`: Hugo's `{{< >}}` and `{{% %}}`; `liquid`: Liquid's `{{ }}` and `{% %}`;
`heading-attributes`: a `{...}` that ends a heading line (goldmark, kramdown);
`attribute-lists`: kramdown's `{:...}` anywhere in the text."""

_OPENERS: dict[SiteSyntax, re.Pattern[str]] = {
    "shortcodes": re.compile(r"\{\{(?=[<%])|\{\Z"),
    "liquid": re.compile(r"\{[{%]|\{\Z"),
}
"""Each match ends with the character written as a reference."""
_REFERENCES = {"{": "&#123;", "%": "&#37;"}
_LIVE_BRACE = re.compile(r"(?<!\\)((?:\\\\)*)\{")
"""A `{` that a backslash does not escape already (none, or escaped backslashes, before it)."""
_LIVE_ATTRIBUTE_LIST = re.compile(r"(?<!\\)((?:\\\\)*)\{(?=:)")


def _reference(match: re.Match[str]) -> str:
    return match[0][:-1] + _REFERENCES[match[0][-1]]


class SiteGuard:
    """The guards for one profile's `syntax`: `html` for HTML and URLs, `text` for
    Markdown text. With an empty `syntax` both return their text as it is."""

    def __init__(self, syntax: frozenset[SiteSyntax]) -> None:
        self.syntax = syntax
        self._openers = [_OPENERS[name] for name in sorted(syntax & _OPENERS.keys())]
        self._headings = "heading-attributes" in syntax
        self._attribute_lists = "attribute-lists" in syntax

    def html(self, text: str) -> str:
        """`text` with the template syntax's openers, and a final `{`, broken by a character
        reference: for embed HTML, attribute values and link destinations, where a
        backslash would stay as written."""
        if "{" not in text:  # a quick exit: most text has none
            return text
        for opener in self._openers:
            text = opener.sub(_reference, text)
        return text

    def text(self, text: str) -> str:
        """`text` as `html` guards it, and a backslash before each `{` that could open
        attributes: every one when the text ends with `}` (a heading's attributes end
        its line; what goldmark accepts between the braces differs by version), and
        each `{:`."""
        text = self.html(text)
        if "{" not in text:
            return text
        if self._headings and text.rstrip().endswith("}"):
            return _LIVE_BRACE.sub(r"\1\\{", text)
        if self._attribute_lists:
            return _LIVE_ATTRIBUTE_LIST.sub(r"\1\\{", text)
        return text

    def after(self, filter: Callable[..., str], text: bool) -> Callable[..., str]:
        """`filter` (a template filter writing untrusted text, as Markdown `text` or else
        as a URL) followed by this guard."""
        guard = self.text if text else self.html
        return lambda *values: guard(filter(*values))
