"""Paper text: exactly what CommonMark would read as markup is escaped, nothing else.

The `<` cases are the CommonMark spec's examples of raw HTML, autolinks and HTML-block
starts (sections 4.6, 6.5 and 6.6), each checked against markdown-it-py, a CommonMark
parser, so that the table itself cannot be wrong about what is markup."""

import subprocess
import sys

import pytest
from markdown_it import MarkdownIt

from hotpapers.markdown_text import guard_markup
from hotpapers.sanitize import _CONTROL, checked_embed, html_block, one_line, plain_text, safe_link
from hotpapers.sources.twitter import EMBED_RULES as X_EMBED_RULES

COMMONMARK = MarkdownIt("commonmark")


def markup_tokens(text):
    """The token types markdown-it makes of `text` that are not plain text."""
    found = []
    for token in COMMONMARK.parse(text):
        if token.type in ("html_block", "heading_open"):
            found.append(token.type)
        for child in token.children or ():
            if child.type in ("html_inline", "link_open", "image"):
                found.append(child.type)
    return found


def md_text(text):
    return guard_markup(one_line(text))


RAW_HTML = [  # spec 6.6: each `<` here opens raw HTML
    "<a><bab><c2c>",
    'Attention <img src=x onerror="alert(1)"\u00a0> is all',  # markdown-it: any Unicode space
    '<img src=x onerror="alert(1)"\u3000>',
    "<a/><b2/>",
    '<a  /><b2\ndata="foo" >',
    '<a foo="bar" bam = \'baz <em>"</em>\'\n_boolean zoop:33=zoop:33 />',
    'Foo <responsive-image src="foo.jpg" />',
    "</a></foo >",
    "foo <!-- this is a --\ncomment - with hyphens -->",
    "foo <!--> foo -->",
    "foo <!---> foo -->",
    "foo <?php echo $a; ?>",
    "foo <!ELEMENT br EMPTY>",
    "foo <![CDATA[>&<]]>",
    'foo <a href="&ouml;">',
    'foo <a href="\\*">',
    "<b and c>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
]
AUTOLINKS = [  # spec 6.5
    "<http://foo.bar.baz>",
    "<https://foo.bar.baz/test?q=hello&id=22&boolean>",
    "<irc://foo.bar:2233/baz>",
    "<MAILTO:FOO@BAR.BAZ>",
    "<a+b+c:d>",
    "<made-up-scheme://foo,bar>",
    "<localhost:5001/foo>",
    "<foo@bar.example.com>",
    "<foo+special@Bar.baz-bar0.com>",
]
HTML_BLOCK_STARTS = [  # spec 4.6, at a line's start, not complete tags
    "<pre",
    '<pre language="haskell"',
    "<script type",
    "<style",
    "<textarea",
    "<!-- open comment",
    "<?php",
    "<!DOCTYPE",
    "<![CDATA[",
    "<div",
    "<div id=",
    "</div",
    "<table",
    "<TABLE",
    "<DIV CLASS=",
    "   <div",
    "<address",  # the first and the last of CommonMark's block tags
    "<ul",
]
NOT_MARKUP = [  # spec examples that are text, and math
    "<33>",
    '<a h*#ref="hi">',
    "<a href=\"hi'> <a href=hi'>",
    "< a><\nfoo><bar/ >\n<foo bar=baz\nbim!bop />",
    "<a href='bar'title=title>",
    '</a href="foo">',
    '<a href="\\"">',
    "<>",
    "< http://foo.bar >",
    "foo <!-- not closed",
    "foo <? not closed",
    "foo <? not closed by > alone",
    "foo <![CDATA[ not closed by > alone",
    "<del*>",
    "text <div",
    "$k<n$",
    "$ n^{\\omega/2}<n^{1.19}$",
    "$a<b$ and $c>d$",
    "x < y, a<b, <3 and 1 < 2",
    "see [1] and [a] [b], f(x) and [0, 1]",
    "an arXiv id: 2009.12345 and a URL https://example.org",
    "x\\](y) is escaped already",
]


@pytest.mark.parametrize("text", RAW_HTML + AUTOLINKS)
def test_a_lt_that_opens_raw_html_or_an_autolink_is_escaped(text):
    assert {"html_inline", "html_block", "link_open"} & set(markup_tokens(one_line(text)))
    guarded = md_text(text)
    assert not markup_tokens(guarded), guarded
    # and an http(s) autolink's colon `&#58;`, which leaves remark's GFM no bare URL running into its `>`
    assert guarded.replace("&lt;", "<").replace("&#58;", ":") == one_line(text)


@pytest.mark.parametrize("text", HTML_BLOCK_STARTS)
def test_an_html_block_start_at_a_line_start_is_escaped(text):
    assert markup_tokens(text) == ["html_block"]
    guarded = md_text(text)
    assert guarded == text.strip(" \t").replace("<", "&lt;", 1) and not markup_tokens(guarded)
    assert md_text("text " + text.strip()) == "text " + text.strip()  # inside a line: text


@pytest.mark.parametrize("text", NOT_MARKUP)
def test_every_other_lt_stays_as_stored(text):
    assert md_text(text) == one_line(text)
    assert not markup_tokens(one_line(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[click](javascript:alert(1))", "[click]\\(javascript:alert(1))"),
        ("![i](http://evil.example/t.png)", "![i]\\(http://evil.example/t.png)"),
        ("a [b [c](d) e](f)", "a [b [c]\\(d) e]\\(f)"),
        ("[x](<javascript:y>)", "[x]\\(&lt;javascript:y>)"),
        ("[ref]: javascript:alert(2)", "\\[ref]: javascript:alert(2)"),
        ("   [ref]:\tjavascript:alert(2)", "\\[ref]:\tjavascript:alert(2)"),
        ("# 99. Fake", "\\# 99. Fake"),
        ("###### deep", "\\###### deep"),
        ("#tag", "\\#tag"),
        ("> # 99. Fake", "\\> # 99. Fake"),  # a quote's mark: what follows no longer starts a line
        (">># x", "\\>># x"),
        ("- # x", "\\- # x"),
        ("1. > [r]: javascript:x", "1\\. > [r]: javascript:x"),
        ("* <div", "\\* <div"),
        ("[a\\\\](x)", "[a\\\\]\\(x)"),
        ("\\<b>", "\\&lt;b>"),
        ("<javascript:alert(1)>", "&lt;javascript:alert(1)>"),
    ],
)
def test_links_images_definitions_and_headings_get_one_backslash(text, expected):
    assert md_text(text) == expected
    assert not markup_tokens(expected + "\n\n[ref] [r]")  # no definition for a later [ref] either


def test_escaped_text_reads_as_the_stored_text():
    text = "# 1. [a](b) ![c](d) <e> [f]: g"
    rendered = COMMONMARK.render(md_text(text))
    assert rendered == "<p># 1. [a](b) ![c](d) &lt;e&gt; [f]: g</p>\n"


def test_line_breaks_are_commonmarks():
    assert one_line("a\rb\r\nc\nd \r\r e") == "a b c d e"
    # plain_text first: a bidi override and a NUL go, so the `<` they split is a tag again
    assert one_line("a\u202e<\x00b>\nc") == "a<b> c"
    assert md_text("x\r\r[y](javascript:alert(1))") == "x [y]\\(javascript:alert(1))"


@pytest.mark.parametrize(
    "text",
    [
        "Look <javascript:alert(document.domain)<b> here",  # an autolink once `<b>` is `&lt;b>`
        "<img src=x onerror=alert(1)<b>",  # a tag once `<b>` is `&lt;b>`
        "x <ab:<ab:<ab:<ab:<ab:<b>> y",  # deeper than the passes: every `<` escaped
    ],
)
def test_a_lt_whose_markup_an_escape_would_complete_is_escaped_too(text):
    guarded = md_text(text)
    assert guarded == text.replace("<", "&lt;") and not markup_tokens(guarded)


def test_text_full_of_openers_takes_linear_time():
    guard_markup("<!--" * 50_000 + "<?" * 50_000 + "<![CDATA[" * 50_000)  # seconds if quadratic


HOSTILE = {
    "tag openers": '<a x="' * 200_000,
    "attributes": "<a" + ' x="<a"' * 150_000,
    "both quotes": "<a x=\"<a y='\" z='" * 70_000,
    "comments": "<!--" * 250_000,
    "autolinks": "<a:b" * 250_000,
    "nested autolinks": "<ab:" * 250_000 + "<b>>",
    "links": "[a](" * 250_000,
    "kramdown autolinks": "<http: " * 150_000 + ">",
    "kramdown names": "<a_b c " * 150_000,
    "kramdown values": "<a_b c='" * 150_000,
    "kramdown emails": "<a@" * 300_000 + "b>",
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_megabyte_of_hostile_text_or_embed_is_checked_within_seconds(kind):
    """Linear time, not a timing: a quadratic check of a megabyte takes minutes."""
    code = (
        "import sys; from hotpapers.markdown_text import guard_markup; from hotpapers.sanitize import one_line, checked_embed; text = sys.stdin.read(); "
        "from hotpapers.sources.twitter import EMBED_RULES; guard_markup(one_line(text)); guard_markup(one_line(text), kramdown=True); "
        "checked_embed('<blockquote class=\"twitter-tweet\"><p>' + text + '</p></blockquote>', EMBED_RULES)[1]"
    )
    subprocess.run([sys.executable, "-c", code], input=HOSTILE[kind], text=True, check=True, timeout=10)


def test_no_character_plain_text_drops_is_printable():
    """plain_text returns printable text as it is, unscanned: that is only right while
    every character it drops is one `str.isprintable` refuses."""
    dropped = [chr(code) for code in range(0x110000) if _CONTROL.match(chr(code))]
    assert len(dropped) == 29 + 33 + 5 + 4  # C0 but tab, LF and CR; DEL and C1; bidi
    assert not any(character.isprintable() for character in dropped)
    assert all(plain_text(f"a{character}b") == "ab" for character in dropped)


def test_an_embed_whose_blockquote_repeats_an_attribute_is_refused():
    # a browser keeps the first of two `class` attributes, a dict of them the last: this
    # blockquote is of class "other" to the reader, and would pass as X's
    quote = '<blockquote class="other" class="twitter-tweet"><p>x</p></blockquote>'
    assert checked_embed(quote, X_EMBED_RULES) == (quote, "repeated attribute on <blockquote>")
    assert checked_embed(quote.replace('class="other" ', ""), X_EMBED_RULES)[1] is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript://example.org/%0Aalert%601%60",  # a host, but not http(s)
        "ftp://example.org/file",
        "javascript:void0",  # no character a Markdown link minds, but no http(s) either
        "https:///no-host",
        "https:no-host",
        "https://x\uff0fy.org/",  # urlsplit refuses a host that NFKC reads otherwise (U+FF0F as '/')
    ],
)
def test_only_an_http_or_https_url_with_a_host_is_linked(url):
    assert safe_link(url, "fallback") == "fallback"
    assert safe_link("http://example.org/a", "fallback") == "http://example.org/a"
    assert safe_link("https://example.org", "fallback") == "https://example.org"


def test_an_embed_whose_blockquote_is_of_another_class_is_refused():
    quote = '<blockquote class="bluesky-embed"><p>x</p></blockquote>'
    assert checked_embed(quote, X_EMBED_RULES) == (quote, "wrong class")
    assert checked_embed("<blockquote><p>x</p></blockquote>", X_EMBED_RULES)[1] == "wrong class"


def test_an_embed_is_refused_for_the_reason_build_and_explain_give():
    quote = '<blockquote class="twitter-tweet"><p>x</p></blockquote>'
    script = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    assert checked_embed(quote + "\n" + script, X_EMBED_RULES) == (quote + "\n" + script, None)
    assert checked_embed(quote, None)[1] == "no embeds are accepted for this platform"
    assert checked_embed(quote + script.replace("widgets", "evil"), X_EMBED_RULES)[1] == "an unknown script"
    assert checked_embed(quote.replace("<p>", "<p><b>"), X_EMBED_RULES)[1] == (
        "markup, a link or a character that is not allowed"
    )
    # an allowed attribute of the blockquote holds letters, digits, spaces and `_.:/-` only
    assert checked_embed(quote.replace('">', '" align="center">'), X_EMBED_RULES)[1] is None
    assert checked_embed(quote.replace('">', '" align="a&amp;b">'), X_EMBED_RULES)[1] == (
        "attribute align on <blockquote>"
    )


@pytest.mark.parametrize("indentation", ["\t", "    ", " "])
def test_an_embeds_lines_lose_their_indentation(indentation):
    """kramdown reads a line indented by four columns after an HTML block's closing tag as
    code: the script line of an embed would show as text."""
    html = (
        f'<blockquote class="twitter-tweet">\n{indentation}<p>a\n{indentation}b</p></blockquote>\n{indentation}<script>'
    )
    assert html_block(html) == '<blockquote class="twitter-tweet">\n<p>a\nb</p></blockquote>\n<script>'


@pytest.mark.parametrize("character", list("<>()[]\"'\\`"))
def test_an_http_url_holding_a_character_that_can_end_a_markdown_link_is_not_linked(character):
    # `[abs](https://x.org/a)<img src=x onerror=alert(1)>)`: the `)` ends the link, the rest is raw HTML
    url = f"https://example.org/a{character}b"
    assert safe_link(url, "fallback") == "fallback"


def test_a_reference_of_thousands_of_digits_is_no_control_character_and_fails_nothing():
    # past int()'s 4,300 decimal digits: beyond U+10FFFF, a reader decodes the replacement character
    text = "&#" + "9" * 5000 + ";"
    assert guard_markup(text) == text
    quote = f'<blockquote class="twitter-tweet"><p>{text}</p></blockquote>'
    assert checked_embed(quote, X_EMBED_RULES) == (quote, None)


QUOTE = '<blockquote class="twitter-tweet"><p>x{}</p></blockquote>'


@pytest.mark.parametrize("markup", ["<br>", "<br/>", "<br />", '<a href="https://t.co/x">t.co/x</a >'])
def test_an_embed_may_write_a_break_and_close_a_link_as_html_allows(markup):
    quote = QUOTE.format(markup)
    assert checked_embed(quote, X_EMBED_RULES) == (quote, None)


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="https://&#47;evil.example/">x</a>',  # the host is written out, not a reference
        '</p><p style="color:red">',  # a paragraph has lang and dir only, of simple values
        '</p><p lang="a&amp;b">',
    ],
)
def test_an_embed_link_or_paragraph_outside_the_grammar_is_refused(markup):
    assert checked_embed(QUOTE.format(markup), X_EMBED_RULES)[1] == "markup, a link or a character that is not allowed"


def test_an_embed_whose_blockquote_has_an_attribute_of_another_name_shape_is_refused():
    # `xlink:href`: not a name the attribute check reads, so it must fail the grammar itself
    quote = '<blockquote class="twitter-tweet" xlink:href="javascript:alert(1)"><p>x</p></blockquote>'
    assert checked_embed(quote, X_EMBED_RULES)[1] == "markup, a link or a character that is not allowed"


def test_an_embed_block_loses_its_trailing_white_space():
    quote = QUOTE.format("")
    assert html_block(quote + "  \t\n \n") == html_block(quote + " \t") == quote


def test_a_reference_of_16_characters_is_named_whole_and_a_longer_one_cut():
    for reference, shown in (("&#x00000000202E;", "&#x00000000202E;"), ("&#x000000000202E;", "&#x000000000202…")):
        quote = QUOTE.format(" " + reference)
        assert checked_embed(quote, X_EMBED_RULES)[1] == f"a character reference to a control character ({shown})"
