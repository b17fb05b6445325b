"""Untrusted text (titles, authors, abstracts, discussion titles) written as Markdown text:
exactly what the sites' parsers would read as markup is escaped, nothing else
(docs/post-format.md, "Untrusted text"). The parsers are CommonMark's (markdown-it,
remark), Hugo's goldmark and Jekyll's kramdown; where they differ, the union of what
they read is escaped.

kramdown is read only for a profile whose site reads with it (Jekyll's, `kramdown=True`):
its wider raw HTML would otherwise cost the math of other sites a `&lt;` (`$x<y_1>$`).

Where the text stands decides what it can open: a line of its own (authors, an
abstract, a discussion without a link) can open a block (`guard_markup`); a title that
ends a heading line after `# N. ` only inline markup and the heading's closing `#`s
(`guard_heading`). The smallest escape is a backslash before the one character that
opens the markup, or `&lt;` for a `<`; other text stays byte for byte, so math such as
`$k<n$` keeps working on sites that typeset it.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from hotpapers.sanitize import defuse_control_references

# The grammar of a tag or an autolink after a `<`: CommonMark's (spec sections "Raw
# HTML" and "Autolinks"), and kramdown's (XML names with `_`, `.` and a prefix; unquoted
# values of word characters; an email address of word characters).
_WS = r"[\s\ufeff]"
"""White space between a tag's parts: CommonMark's is ASCII, but markdown-it (JavaScript's
regex class for spaces) and Ruby's kramdown also take Unicode spaces such as U+00A0."""
_TAG_NAME = r"[A-Za-z][A-Za-z0-9-]*"
_VALUE = r"""(?:[^ \t\n\v\f\r"'=<>`]+|'[^']*'|"[^"]*")"""
_ATTRIBUTE = rf"{_WS}+[A-Za-z_:][A-Za-z0-9_.:-]*(?:{_WS}*={_WS}*{_VALUE})?"
_XML_NAME = r"[^\W\d][\w.\u00b7\u0300-\u036f\u203f\u2040-]*"
_KRAMDOWN_NAME = rf"(?:{_XML_NAME}:)?{_XML_NAME}"
_KRAMDOWN_ATTRIBUTE = rf"{_WS}+{_KRAMDOWN_NAME}(?:{_WS}*={_WS}*(?:\w+|'[^']*'|\"[^\"]*\"))?"
_EMAIL = (
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
# The time stays linear however many `<` a text holds: a tag can run past another `<`
# only inside a quoted value, and a quote ends every value of its kind while opening
# one for a tag outside values, so at most three tags can be open over the same text
# (tests/test_sanitize.py runs a megabyte of such openers).
_TAG_OR_AUTOLINK = (
    rf"{_TAG_NAME}(?:{_ATTRIBUTE})*{_WS}*/?>"  # open tag
    rf"|/{_TAG_NAME}{_WS}*>"  # closing tag
    r"|[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*>"  # URI autolink
    rf"|{_EMAIL}>"  # email autolink
)
_KRAMDOWN_TAG_OR_AUTOLINK = (
    rf"|{_KRAMDOWN_NAME}(?:{_KRAMDOWN_ATTRIBUTE})*{_WS}*/?>"  # open tag
    rf"|/{_KRAMDOWN_NAME}{_WS}*>"  # closing tag
    r"|[\w.-]+@[\w.-]+>"  # email autolink
)
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|"
    "dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|"
    "main|menu|menuitem|meta|nav|noframes|ol|optgroup|option|p|param|pre|script|search|section|source|style|"
    "summary|table|tbody|td|textarea|tfoot|th|thead|title|tr|track|ul"
)
"""The tags that open an HTML block at a line's start: CommonMark's (start conditions 1
and 6, all versions: `source` in remark and goldmark, `search` in markdown-it) and
goldmark's `meta`. Python-Markdown's other block-level tags (`<math`, `<video`...) are
text to every profile's parser."""
_HTML_BLOCK_START = rf"<(?:!--|\?|![A-Za-z]|!\[CDATA\[|/?(?:{_BLOCK_TAGS})(?![A-Za-z0-9-]))"
_BLOCK_START = (
    rf"(?P<first>{_HTML_BLOCK_START}"
    r"|#"  # a heading (kramdown's own syntax needs no space after the `#`)
    r"|\[(?=.*\]:)"  # a link reference definition (or a footnote's)
    r"|`(?=`{2,}(?!.*`))|~(?=~~){fence}"  # a code fence: its info string holds no backtick
    r"|([-*_])(?=(?:[ \t]*\2){2,}[ \t]*\Z)"  # a thematic break
    r"|[-+*:](?=[ \t]|\Z)|>)"  # a list item, a definition (goldmark, kramdown), a quote
    r"|(?P<number>{digits})(?P<delimiter>[.)])(?=[ \t]|\Z)"  # an ordered list item
)
"""What opens a block where a line starts (its indentation dropped)."""
_INLINE_MARKUP = (
    r"\\[^<]"  # an escaped character stays as it is
    r"|(?P<ticks>{code})"  # a run of backticks, which may open a code span
    r"|<(?={tags})"
    r"|<(?P<open>!--|!\[CDATA\[|![A-Za-z]|\?{autolink})"  # raw HTML only when its end follows
    r"|\[|\]\("  # a link's opener, and the middle of an inline link or image
)
_READS: dict[bool, tuple[re.Pattern[str], re.Pattern[str]]] = {
    kramdown: (
        re.compile(
            _BLOCK_START.replace("{digits}", r"\d+(?=\.)|\d{1,9}(?=\))" if kramdown else r"\d{1,9}")
            # kramdown's fence mixes backticks and tildes, and its info string is one word of anything
            .replace("{fence}", r"|[`~](?=[`~]{2,}+[ \t]*+[^ \t]*+[ \t]*\Z)" if kramdown else ""),
            re.IGNORECASE | re.DOTALL,
        ),
        re.compile(
            _INLINE_MARKUP.replace("{tags}", _TAG_OR_AUTOLINK + (_KRAMDOWN_TAG_OR_AUTOLINK if kramdown else ""))
            # kramdown's URI autolink may hold spaces and `<`: it ends at the next `>`
            .replace("{autolink}", "|(?:mailto|https?|ftps?):(?=.)" if kramdown else "")
            # kramdown ends a code span otherwise (`_code_end`): its `<` are escaped as anywhere
            .replace("{code}", "(?!)" if kramdown else "`++")
        ),
    )
    for kramdown in (False, True)
}
"""The block starts and the inline markup that CommonMark's parsers and goldmark read
(`False`), and those and kramdown (`True`): kramdown also reads any number of digits
before an ordered list's `.`, and a code fence of three or more backticks and tildes
mixed (`` `~~ ``, closed by a later line of the same run)."""
_ENDS = {"![CDATA[": "]]>", "?": "?>"}
"""Where a CDATA section and a processing instruction end (a comment and a declaration:
at a `>`). Looked for once per text, so that text full of `<!--` takes linear time."""
_OVERLAP = {"?": 1}
"""goldmark ends a processing instruction at a `?>` that overlaps its `<?` (`<?>`)."""
_CLOSING_SEQUENCE = re.compile(r"(?:(?<=[ \t])|\A)#+[ \t]*\Z")
_BARE_AFTER_AUTOLINK = re.compile(r"(?<=&lt;)(https?):(?=//[^ \t<]*>)", re.IGNORECASE)
"""The scheme of an autolink whose `<` is written `&lt;`: remark's GFM links the http(s)
URL left after it (after any character but a letter) up to a space or a `<`, so its `>` too
(`https://github.com/a/b%3E`). With its colon written `&#58;` the URL is linked only by
remark's second reading, of the text as decoded, which ends the link before the `>`;
goldmark and kramdown link none there either way."""


def guard_markup(text: str, kramdown: bool = False) -> str:
    """`text`, written as a line of its own, with a backslash before what would open a
    block where a line starts (a heading, a quote, a list item, a code fence, a
    thematic break, a link reference definition), without its indentation (a paragraph
    drops it; four columns would make a code block, and two after a list item, such as
    the categories line before an abstract, would put the text inside that item), and
    `guard_inline` after that."""
    if text.startswith((" ", "\t")):
        text = text.lstrip(" \t")
    found = _READS[kramdown][0].match(text)
    if found is None:
        guarded = guard_inline(text, kramdown)
    elif found["number"]:
        rest = text[found.end() :]
        guarded = text[: found.end("number")] + "\\" + found["delimiter"] + guard_inline(rest, kramdown)
    else:
        first = found["first"][0]
        guarded = ("&lt;" if first == "<" else "\\" + first) + guard_inline(text[1:], kramdown)
    return _unlinked(guarded, kramdown)


def guard_heading(text: str, kramdown: bool = False) -> str:
    """`text` that ends a heading line after other text (a title after `# N. `):
    `guard_inline`, and a backslash before a closing run of `#`s, which every parser
    would drop (`Which sort is best? #`)."""
    text = _unlinked(guard_inline(text, kramdown), kramdown)
    closing = _CLOSING_SEQUENCE.search(text)
    return text if closing is None else text[: closing.start()] + "\\" + text[closing.start() :]


def _unlinked(guarded: str, kramdown: bool) -> str:
    """`guarded` text with the colon of an escaped http(s) autolink written `&#58;`
    (`_BARE_AFTER_AUTOLINK`), for the GFM readers: kramdown links no bare URL. Not for a
    link's text, where no reader links a URL, nor in a code span, which shows it."""
    if kramdown or "&lt;" not in guarded:
        return guarded
    code = _code_spans(guarded) if "`" in guarded else []
    return _BARE_AFTER_AUTOLINK.sub(
        lambda m: m[0] if any(start < m.start() < end for start, end in code) else f"{m[1]}&#58;", guarded
    )


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the code spans of guarded `text` start and end (`_code_end`)."""
    runs, spans, end = _runs(text), [], 0
    for token in re.finditer(r"\\.|`+", text):
        if token.start() >= end and token[0][0] == "`":
            end = _code_end(runs.get(len(token[0]), []), token.end(), len(token[0]))
            spans += [(token.start(), end)] if end else []
    return spans


def guard_link_text(text: str, kramdown: bool = False) -> str:
    """`text` as the text of a link that starts a line (`[text](url) on` a platform's name):
    `guard_inline`, and for kramdown, which reads `[x]:` at a line's start as a link or
    footnote definition whatever backslashes its `x` holds (the line goes), the `:` after
    the text's first `]` written `&#58;`, and a first `^` (`[^1](url)`, a footnote's
    marker, which left the link as text) written `&#94;`: kramdown has no escape for it."""
    text = guard_inline(text, kramdown)
    if not kramdown:
        return text
    if text.startswith("^"):
        text = "&#94;" + text[1:]
    if "]:" in text:
        end = text.find("]") + 1
        if text.startswith(":", end):
            return text[:end] + "&#58;" + text[end + 1 :]
    return text


def guard_inline(text: str, kramdown: bool) -> str:
    """`text` with every `<` that would open raw HTML or an autolink written as `&lt;`,
    and a backslash before the `](` of a link or an image; the `&` of a numeric character
    reference to a control character or a bidi override (`&#x202E;`), which every parser
    decodes to the character that `sanitize.plain_text` drops, written `&amp;`."""
    text = defuse_control_references(text)
    if "<" not in text and "]" not in text:  # a quick exit: benchmarks/README.md
        return text
    markup = _READS[kramdown][1]
    guarded = text
    for _ in range(_PASSES):
        again = _guard_inline(guarded, markup)
        if again == guarded:  # usually after the first pass: it changed nothing
            return again
        guarded = again
    return _guard_inline(text.replace("<", "&lt;"), markup)


_PASSES = 4
"""Escaping a `<` can complete a tag or an autolink that an earlier `<` opens (in
`<javascript:x<b>`, the first `<` opens nothing until the second is `&lt;`), so the
rules run again until a pass changes nothing; text that still changes after this many
passes (only built to) gets every `<` escaped."""


def _guard_inline(rest: str, markup: re.Pattern[str]) -> str:
    """One pass of guard_inline's rules; what a code span holds stays as it is."""
    last_end: dict[str, int] = {}
    link_opened = False
    code_ends = 0
    runs: dict[int, list[int]] = {}

    def escape(match: re.Match[str]) -> str:
        nonlocal link_opened, code_ends
        if match.start() < code_ends:
            return match[0]
        token, opener = match[0], match["open"]
        if match["ticks"]:
            if not runs:
                runs.update(_runs(rest))
            code_ends = _code_end(runs.get(len(token), []), match.end(), len(token))
            return token
        if token == "[":
            link_opened = True
            return token
        if token == "](":
            return "]\\(" if link_opened else token
        if token[0] == "\\":
            return token
        if opener is None:
            return "&lt;"
        if opener == "![CDATA[":  # its `[` opens a link, closed or not (then it is text)
            link_opened = True
        end = _ENDS.get(opener, ">")
        if end not in last_end:
            last_end[end] = rest.rfind(end)
        return ("&lt;" if last_end[end] >= match.end() - _OVERLAP.get(opener, 0) else "<") + opener

    return markup.sub(escape, rest)


def _runs(text: str) -> dict[int, list[int]]:
    """Where each run of backticks of `text` starts, by its length."""
    runs: dict[int, list[int]] = {}
    for run in re.finditer("`+", text):
        runs.setdefault(len(run[0]), []).append(run.start())
    return runs


def _code_end(starts: list[int], after: int, length: int) -> int:
    """Where the code span opened by a run of `length` backticks ending at `after` ends: past
    the first whole run of as many after it (`starts`), as CommonMark's parsers and goldmark
    read it; 0 when there is none (the run is text). kramdown ends one at the first as many
    backticks, even inside a longer run (`` `x```<b>` `` is code `x`, then raw HTML)."""
    at = bisect_left(starts, after)
    return starts[at] + length if at < len(starts) else 0
