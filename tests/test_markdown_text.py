"""Markdown text by where a template puts it: a line of its own can open a block, a
heading's title only inline markup and the heading's closing `#`s. Each case is read by
markdown-it-py (CommonMark) before and after the guard; tests/test_consumers_markdown.py
reads the same cases with remark, Hugo and Jekyll."""

from html import escape

import pytest
from markdown_it import MarkdownIt

from hotpapers.markdown_escape import escape_markdown
from hotpapers.markdown_text import guard_heading, guard_link_text, guard_markup
from hotpapers.sanitize import one_line

COMMONMARK = MarkdownIt("commonmark")

LINE_STARTS = {  # a line of its own (authors, an abstract), and its guarded form
    "~~~ a fence that never closes": "\\~~~ a fence that never closes",
    "```js": "\\```js",
    "   ~~~~": "\\~~~~",
    "> quoted": "\\> quoted",
    ">>> nested": "\\>>> nested",
    "- item": "\\- item",
    "+ item": "\\+ item",
    "* item": "\\* item",
    "-": "\\-",
    "- [x] done": "\\- [x] done",
    "1. first": "1\\. first",
    "2) second": "2\\) second",
    "***": "\\***",
    "- - -": "\\- - -",
    "___": "\\___",
    " _ _ _ ": "\\_ _ _ ",
    "    indented code": "indented code",
    "\tcode after a tab": "code after a tab",
    "  \tcode": "code",
    "> # 99. Fake": "\\> # 99. Fake",
    "- <div": "\\- <div",
    "-\tan item after a tab": "\\-\tan item after a tab",
    "1.": "1\\.",  # an empty item
    "1. <b>x</b>": "1\\. &lt;b>x&lt;/b>",  # the rest of the line gets the inline guard
    "<search party": "&lt;search party",  # HTML block starts, though no tag is complete
    "<h6 small": "&lt;h6 small",
}
GOLDMARK_LINE_STARTS = {  # blocks CommonMark does not read: checked in the consumer tests
    ": a definition": "\\: a definition",  # goldmark (Hugo) and kramdown
    "<meta analysis": "&lt;meta analysis",  # goldmark's HTML block start
    "<source of truth": "&lt;source of truth",  # remark's and goldmark's (CommonMark before 0.31)
}
KRAMDOWN_LINE_STARTS = {
    "1234567890. ten digits": "1234567890\\. ten digits",
    "~`~": "\\~`~",  # kramdown's fence mixes backticks and tildes
    "`~~~~ python": "\\`~~~~ python",
    "```a`": "\\```a`",  # and its info string may hold a backtick
}
KRAMDOWN_STAYS_TEXT = ["`~~ two words", "```a `code` span", "`~ a", "~~` x y"]
"""A fence's run and more than one word, or a run of two: text to kramdown too."""
STAYS_TEXT = [  # line starts that open no block in any of the parsers
    "```a `code` span",
    "-- a dash",
    "1.5 million",
    "1234567890) ten digits",
    "+1 for this",
    "#1 ranked",  # kramdown's own syntax reads it as a heading: stays escaped below
    "~~ strike",
    "<math display=block",  # Python-Markdown's block-level tags: no profile's parser reads them so
    "<video and <audio",
    "** bold **",
    "<divine comedy",  # a block-level tag's name is a whole name, not a prefix
    "<pre-print",
]


def blocks(line):
    """The block tokens markdown-it makes of `line` written as the abstract is: a line
    of its own after a paragraph and an empty line."""
    return [token.type for token in COMMONMARK.parse("authors\n\n" + line + "\n") if token.nesting >= 0][2:]


@pytest.mark.parametrize(("text", "guarded"), LINE_STARTS.items())
def test_a_line_start_that_opens_a_block_gets_the_smallest_escape(text, guarded):
    assert blocks(text) != ["paragraph_open", "inline"]
    assert guard_markup(text) == guarded
    assert blocks(guarded) == ["paragraph_open", "inline"]
    [paragraph] = [token for token in COMMONMARK.parse(guarded) if token.type == "inline"]
    assert "".join(child.content for child in paragraph.children or ()) == text.strip(" \t")


@pytest.mark.parametrize(("text", "guarded"), GOLDMARK_LINE_STARTS.items())
def test_a_line_start_goldmark_reads_as_a_block_is_escaped_for_every_site(text, guarded):
    assert guard_markup(text) == guard_markup(text, kramdown=True) == guarded


@pytest.mark.parametrize(("text", "guarded"), KRAMDOWN_LINE_STARTS.items())
def test_a_line_start_only_kramdown_reads_as_a_block_is_escaped_for_kramdown(text, guarded):
    assert guard_markup(text, kramdown=True) == guarded
    assert guard_markup(text) == text and blocks(text) == ["paragraph_open", "inline"]


@pytest.mark.parametrize("text", KRAMDOWN_STAYS_TEXT)
def test_a_line_start_kramdown_reads_as_no_fence_stays_for_kramdown(text):
    assert guard_markup(text, kramdown=True) == text


@pytest.mark.parametrize("text", STAYS_TEXT)
def test_a_line_start_that_opens_no_block_stays_as_stored(text):
    assert blocks(text) == ["paragraph_open", "inline"]
    expected = "\\" + text if text.startswith("#") else text
    assert guard_markup(text) == expected


INDENTED = [
    "  two spaces",
    "   three spaces",
    "\t a tab",
    "  - an item",
    "  ~~~~",
    "  Xavier: only the indentation goes",
]
"""Indentation of less than a code block's: after a list item (the categories line before an
abstract) two columns put a line inside that item."""


def ends_in_a_paragraph_of_its_own(line):
    """Whether `line`, after a list item and an empty line, is a paragraph outside the list."""
    post = f"- [cs.LG](https://arxiv.org/list/cs.LG/recent)\n\n{line}\n"
    tokens = [(t.type, t.level) for t in COMMONMARK.parse(post)]
    return tokens[-4:] == [("bullet_list_close", 0), ("paragraph_open", 0), ("inline", 1), ("paragraph_close", 0)]


@pytest.mark.parametrize("text", INDENTED)
def test_indentation_is_dropped_so_a_line_after_a_list_stays_a_paragraph_of_its_own(text):
    assert not ends_in_a_paragraph_of_its_own(text)
    guarded = guard_markup(text)
    assert guarded == guard_markup(text.strip(" \t"))
    assert ends_in_a_paragraph_of_its_own(guarded)


def test_the_fence_of_an_abstract_no_longer_swallows_the_papers_after_it():
    abstract = guard_markup(one_line("~~~ We show\nthat"))
    post = f"# 1. A\n\n{abstract}\n\n# 2. B\n\nlater\n"
    assert [t.type for t in COMMONMARK.parse(post)].count("heading_open") == 2


TITLES = {  # a title after `# N. `, and its guarded form
    "Which sorting algorithm is best? #": "Which sorting algorithm is best? \\#",
    "Ends with a run ##  ": "Ends with a run \\##  ",
    "##": "\\##",
    "#": "\\#",
}
TITLES_AS_STORED = [
    "C#",
    "F# and C#",
    "# not at a line start",
    "- not a list",
    "> not a quote",
    "~~~ not a fence",
    "    not code",
    "1. not a list",
    "Escaped already \\#",
]


def heading_text(title):
    [heading] = [token for token in COMMONMARK.parse(f"# 1. {title}\n") if token.type == "inline"]
    return heading.content


@pytest.mark.parametrize(("title", "guarded"), TITLES.items())
def test_a_closing_run_of_hashes_in_a_title_is_kept(title, guarded):
    assert heading_text(title) != f"1. {title}".rstrip()
    assert guard_heading(title) == guarded
    assert COMMONMARK.render(f"# 1. {guarded}\n") == f"<h1>1. {title.rstrip()}</h1>\n"


@pytest.mark.parametrize("title", TITLES_AS_STORED)
def test_a_title_is_not_at_a_line_start(title):
    assert guard_heading(title) == title
    assert COMMONMARK.render(f"# 1. {title}\n").startswith("<h1>1. ")


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("a <?> b", "a &lt;?> b"),  # goldmark: `?>` may overlap the `<?`
        ("a <?x?> b", "a &lt;?x?> b"),
        ("a ?> <? b", "a ?> <? b"),
        ("[a](b)", "[a]\\(b)"),
        # the `[` of a CDATA opener opens a link, whether the section is closed (raw HTML,
        # its `<` escaped) or not (text)
        ("x <![CDATA[click](https://e.example)", "x <![CDATA[click]\\(https://e.example)"),
        ("x <![CDATA[click](https://e.example) ]]>", "x &lt;![CDATA[click]\\(https://e.example) ]]>"),
        # autolinks at CommonMark's limits: a domain label of 63 characters, a scheme of 32
        ("<a@" + "b" * 63 + ".org>", "&lt;a@" + "b" * 63 + ".org>"),
        ("<" + "a" * 32 + ":x>", "&lt;" + "a" * 32 + ":x>"),
    ],
)
def test_inline_markup_commonmark_or_goldmark_reads_is_escaped_for_every_site(text, guarded):
    assert guard_markup(text) == guard_markup(text, kramdown=True) == guarded
    assert guard_heading(text) == guard_heading(text, kramdown=True) == guarded
    assert not [
        c for t in COMMONMARK.parse(guarded) for c in t.children or () if c.type in ("html_inline", "link_open")
    ]


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ('a <x_y onmouseover="alert(1)">hover</x_y>', 'a &lt;x_y onmouseover="alert(1)">hover&lt;/x_y>'),
        ("a <x_y onmouseover=alert(1)>", "a <x_y onmouseover=alert(1)>"),  # kramdown: unquoted values are words
        ("<m:abc> <foo.bar.baz> <__> <web:x y>", "&lt;m:abc> &lt;foo.bar.baz> &lt;__> &lt;web:x y>"),  # XML names
        ("<http://a b> <mailto:x y> <http:x y>", "&lt;http://a b> &lt;mailto:x y> &lt;http:x y>"),  # spaces
        ("<é@b.c>", "&lt;é@b.c>"),  # any letters in an email address
        ("$x<y_1>$", "$x&lt;y_1>$"),
        ("<a.b/> <a.b c='d e'>", "&lt;a.b/> &lt;a.b c='d e'>"),  # self-closing, a single-quoted value
        ("<mailto:a (b)>", "&lt;mailto:a (b)>"),  # no tag: its autolink, which runs to the `>`
    ],
)
def test_inline_markup_only_kramdown_reads_is_escaped_for_kramdown(text, guarded):
    assert guard_markup(text, kramdown=True) == guarded
    assert guard_heading(text, kramdown=True) == guarded
    assert guard_markup(text) == guard_heading(text) == text  # CommonMark's parsers and goldmark read text
    assert not [c for t in COMMONMARK.parse(text) for c in t.children or () if c.type in ("html_inline", "link_open")]


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("a &#x202E;txt", "a &amp;#x202E;txt"),  # a bidi override, which plain_text drops
        ("&#8238; &#X2066; &#x1b;", "&amp;#8238; &amp;#X2066; &amp;#x1b;"),
        ("<b> &#0000008238;", "&lt;b> &amp;#0000008238;"),  # kramdown reads any number of digits
        ("&#233; &#x3C;b> &amp; &#x10FFFF0;", "&#233; &#x3C;b> &amp; &#x10FFFF0;"),  # other characters
    ],
)
def test_a_reference_to_a_control_character_is_read_as_written(text, guarded):
    for kramdown in (False, True):
        assert guard_markup(text, kramdown) == guard_heading(text, kramdown) == guarded
        assert guard_link_text(text, kramdown) == guarded
    html = COMMONMARK.render(guard_markup(text))
    assert not [c for c in html if c in "\u202e\u2066\x1b"]


@pytest.mark.parametrize(
    "text",
    [
        "$t<T0: x(t)>0$",  # a space: no autolink in any parser
        "$\\text{R}<\\text{P}@k>$",  # a backslash: no email autolink
        "(0,1](2,3)",  # no `[` before the `](`
        "$x\\in(0,1](2,3)$ and [ref]",
        "\\[a](b)",
        "<HTTP://a b>",  # kramdown's autolinks: lower-case http(s), ftp(s) and mailto only
        "$k<n$ and $n>k$",
    ],
)
def test_math_and_brackets_that_no_parser_reads_as_markup_stay_as_stored(text):
    assert guard_markup(text) == guard_markup(text, kramdown=True) == text
    tokens = COMMONMARK.parse(text)
    assert not [c for t in tokens for c in t.children or () if c.type in ("html_inline", "link_open")]


@pytest.mark.parametrize(
    ("title", "guarded"),
    [  # a discussion's title, escaped (platform_text.discussion_link), then guarded
        ("]: a title", "\\]&#58; a title"),  # a link definition, whatever its escapes: the line went
        ("a [b]: c", "a \\[b\\]&#58; c"),
        ("^1 a title", "&#94;1 a title"),  # a footnote's marker: the link stayed as text
        ("a ]b]: c", "a \\]b\\]: c"),  # the first `]` is followed by no `:`
        ("a ^ b", "a ^ b"),
        (": a title", ": a title"),  # no `]` at all
    ],
)
def test_a_line_starting_link_holds_no_kramdown_definition_or_footnote_marker(title, guarded):
    assert guard_link_text(escape_markdown(title), kramdown=True) == guarded
    assert guard_link_text(escape_markdown(title)) == escape_markdown(title)
    html = COMMONMARK.render(f"[{guarded}](https://news.ycombinator.com/item?id=1) on Hacker News")
    assert html == f'<p><a href="https://news.ycombinator.com/item?id=1">{escape(title)}</a> on Hacker News</p>\n'


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("~a~ and ~~b~~", "\\~a\\~ and \\~\\~b\\~\\~"),
        ("~a~", "\\~a\\~"),  # two are enough
        ("~30% faster", "~30% faster"),  # one `~` strikes nothing
        ("a~b", "a~b"),
    ],
)
def test_escape_markdown_escapes_tildes_only_where_two_could_strike(text, escaped):
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("see https://github.com/a_b/c~d_ now", "see https://github.com/a_b/c~d_ now"),  # both leave its `_` out
        ("(www.x.org/_a_/~u_v) and _b_", "(www.x.org/_a_/~u_v) and \\_b\\_"),
        (
            "see https://x.org/a/__init__.py now",
            "see https://x.org/a/__init__.py now",
        ),  # remark and goldmark link it whole
        ("Code:https://x.org/_a_ x", "Code:https://x.org/\\_a\\_ x"),  # goldmark links none after `:`
        ("x https://x.org/a_|_b_ y", "x https://x.org/a\\_|\\_b\\_ y"),  # goldmark's link ends at a `|`
        ("x https://x.org/é_b_ y", "x https://x.org/é\\_b\\_ y"),  # and at a character past ASCII
        ("see https://x.org/a_*", "see https://x.org/a\\_\\*"),  # a `_` that ends it before a mark
        ("https://x.org/a*b_c", "https://x.org/a\\*b\\_c"),  # the run ends at a character escaped anyway
        ("xwww.a.b/_c_ and www._a_", "xwww.a.b/\\_c\\_ and www.\\_a\\_"),  # no link: not a word's start, no domain
        ("~a https://x.org/~b_c ~d", "\\~a https://x.org/~b_c \\~d"),
        ("see http://example.com:8080/a_b now", "see http://example.com:8080/a_b now"),  # a port
        ("Code:https://github.com/a_b", "Code:https://github.com/a_b"),  # remark links it after any non-letter
        ('"https://x.org/c_d"', '"https://x.org/c_d"'),  # and goldmark after a quote
        ("{https://x.org/~~b~~}", "{https://x.org/\\~\\~b\\~\\~}"),  # goldmark links none after `{`: it would strike
        ("xhttps://x.org/a_b", "xhttps://x.org/a\\_b"),  # after a letter no reader links it
        ("*www.x.org/a_b", "\\*www.x.org/a_b"),  # remark links `www.` after `*`, `_`, `~`
        ("_www.x.org/~~a~~_", "\\_www.x.org/\\~\\~a\\~\\~\\_"),  # goldmark does not: it would strike
        # goldmark links none after a tab or a space past ASCII: it would read emphasis and strike
        ("see\thttps://x.org/__init__.py now", "see\thttps://x.org/\\_\\_init\\_\\_.py now"),
        ("see\u00a0https://x.org/~~a~~ now", "see\u00a0https://x.org/\\~\\~a\\~\\~ now"),
    ],
)
def test_escape_markdown_leaves_the_underscores_and_tildes_of_a_linked_url(text, escaped):
    assert escape_markdown(text, links=True) == escaped
    assert escape_markdown(text).count("\\_") == text.count("_")  # kramdown links none: all escaped


@pytest.mark.parametrize("kramdown", [False, True])
def test_a_link_text_gets_the_inline_guard_for_every_site(kramdown):
    # docs/post-format.md, "Untrusted text": the `<` of a complete tag, a closing tag and an
    # autolink is written `&lt;`, the rest as stored; inside a link's text as anywhere else
    text = "a <b>c</b> <https://x.org> 1 < 2"
    guarded = guard_link_text(text, kramdown)
    assert guarded == "a &lt;b>c&lt;/b> &lt;https://x.org> 1 < 2"
    html = COMMONMARK.render(f"[{guarded}](https://news.ycombinator.com/item?id=1) on Hacker News")
    assert html == f'<p><a href="https://news.ycombinator.com/item?id=1">{escape(text)}</a> on Hacker News</p>\n'


@pytest.mark.parametrize(
    ("text", "escaped"),
    [  # the marks that open a heading, a quote or a list where a line starts, and only there
        ("# a heading", "\\# a heading"),
        ("> a quote", "\\> a quote"),
        ("+ an item", "\\+ an item"),
        ("- an item", "\\- an item"),
        ("12. an item", "12\\. an item"),
        ("3) an item", "3\\) an item"),
        ("===", "\\==="),  # a setext heading's underline, after a paragraph's line
        ("  # indented", "  \\# indented"),  # up to three spaces still open a heading
        ("a # b > c + d - e 1. f", "a # b > c + d - e 1. f"),
    ],
)
def test_escape_markdown_escapes_the_marks_that_open_a_block_at_a_line_start(text, escaped):
    assert escape_markdown(text) == escaped


def test_past_commonmarks_limits_an_autolink_is_text_to_commonmarks_parsers_and_goldmark():
    # an email's domain label holds at most 63 characters, a scheme at most 32 (kramdown 2.4
    # reads both, as its email autolink and an XML name: they stay escaped for it)
    for text in ("<a@" + "b" * 64 + ".org>", "<" + "a" * 33 + ":x>"):
        assert guard_markup(text, kramdown=True) == "&lt;" + text[1:]
    for text in ("<a@" + "b" * 64 + ".org>", "<" + "a" * 33 + ":x>"):
        assert guard_markup(text) == guard_heading(text) == text
        assert not [c for t in COMMONMARK.parse(text) for c in t.children or () if c.type == "link_open"]


def test_a_line_start_kramdown_reads_as_no_ordered_list_stays_for_kramdown():
    # kramdown's ordered list takes `1.` only, with any number of digits: ten before a `)` is
    # no list to any parser
    assert guard_markup("1234567890) ten digits", kramdown=True) == "1234567890) ten digits"


def test_a_chain_of_autolinks_three_deep_is_escaped_and_the_rest_stays():
    # each escaped `<` completes the autolink of the `<` before it: three passes change the
    # text and the fourth does not, so `1 < 2`, which opens nothing, stays
    text = "<javascript:y<javascript:x<b> and 1 < 2"
    guarded = "&lt;javascript:y&lt;javascript:x&lt;b> and 1 < 2"
    for kramdown in (False, True):
        assert guard_markup(text, kramdown) == guarded
    assert not [
        c for t in COMMONMARK.parse(guarded) for c in t.children or () if c.type in ("html_inline", "link_open")
    ]


def test_escape_markdown_escapes_a_backslash_so_it_escapes_nothing():
    # `\*x\*` stored is a backslash, `*x`, a backslash, `*`: unescaped backslashes would
    # pair with the escapes (`\\*x\\*`) and leave two `*` that make emphasis
    escaped = escape_markdown("\\*x\\*")
    assert escaped == "\\\\\\*x\\\\\\*"
    assert COMMONMARK.render(escaped) == "<p>\\*x\\*</p>\n"


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("Code at <https://github.com/a/b>.", "Code at &lt;https&#58;//github.com/a/b>."),
        ("<HTTP://x.org/a_b>", "&lt;HTTP&#58;//x.org/a_b>"),  # remark reads the scheme in any case
        ("<ftp://x.org/a>", "&lt;ftp://x.org/a>"),  # no reader links a bare ftp URL
        ("<https://x.org/a> b", "&lt;https&#58;//x.org/a> b"),
        ("<https://x.org/a b>", "<https://x.org/a b>"),  # no autolink: remark links https://x.org/a, as it should
    ],
)
def test_an_escaped_web_autolink_leaves_no_bare_url_that_runs_into_its_closing_bracket(text, guarded):
    # remark's GFM links a bare http(s) URL after any character but a letter, `;` of `&lt;`
    # included, up to a space or a `<`: the `>` that closed the autolink went into the link
    # (https://github.com/a/b%3E); with a colon written `&#58;` it links the URL only when it
    # reads the text decoded, where the `>` ends it (tests/test_consumers_markdown.py)
    assert guard_markup(text) == guard_heading(text) == guarded
    assert COMMONMARK.render(guarded) == COMMONMARK.render(guard_markup(text, kramdown=True))
    assert guard_markup(text, kramdown=True) == text.replace("<", "&lt;", 1)  # kramdown links no bare URL


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("see `&lt;https://x.org/a>` and <https://x.org/b>", "see `&lt;https://x.org/a>` and &lt;https&#58;//x.org/b>"),
        ("`a` and &lt;https://x.org/b>", "`a` and &lt;https&#58;//x.org/b>"),  # after the span: remark links it
        ("`&lt;https://x.org/a>", "`&lt;https&#58;//x.org/a>"),  # no closing run: no code span
    ],
)
def test_an_autolink_s_colon_stays_as_stored_in_a_code_span(text, guarded):
    # every parser shows a code span's text as it stands: the `&#58;` written for remark's
    # bare URL showed there (`&lt;https&#58;//x.org/a>` in the code)
    assert guard_markup(text) == guard_heading(text) == guarded


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("use `<b>` and ``<https://x.org/a>`` here", "use `<b>` and ``<https://x.org/a>`` here"),
        ("a `` x`<b>` `` b and `[x](y)` c", "a `` x`<b>` `` b and `[x](y)` c"),
        ("a `x\\`<b>` c", "a `x\\`&lt;b>` c"),  # a backslash escapes nothing in a code span: it ends there
        ("a ``<b>` c", "a ``&lt;b>` c"),  # no closing run of two: no code span
        ('a <a title="`">` b', 'a &lt;a title="`">` b'),  # the tag starts first
        ("\\``<b>` x", "\\``<b>` x"),  # the escaped backtick is text, the next one opens the span
    ],
)
def test_a_lt_inside_a_code_span_stays_as_stored(text, guarded):
    # CommonMark's parsers and goldmark read a code span's text as it stands: `&lt;` there
    # showed as `&lt;` ("use `<b>` here" in a lumen post read `&lt;b>` in its code)
    assert guard_markup(text) == guard_heading(text) == guard_link_text(text) == guarded
    tokens = [c.type for t in COMMONMARK.parse(guarded) for c in t.children or ()]
    assert "html_inline" not in tokens and "link_open" not in tokens
    # kramdown ends a code span at the first run of its length, even inside a longer one:
    # "a `x```<b>` c" is code `x`, two backticks and raw HTML to it
    assert guard_markup("a `x```<b>` c", kramdown=True) == "a `x```&lt;b>` c"
    assert guard_markup("use `<b>` here", kramdown=True) == "use `&lt;b>` here"
