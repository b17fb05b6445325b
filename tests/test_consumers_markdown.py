"""Block starts, closing `#`s and inline markup in papers' text, read by the real
consumers of each profile: remark (lumen, lumen-2022), markdown-it-py (preview), Hugo's
goldmark (hugo) and Jekyll's kramdown (jekyll). Every text must come back as the text
it was stored as, in a paragraph of its own or its paper's heading, and the post must
keep one heading per paper (an unclosed code fence swallowed every paper after it)."""

import re
import shutil
import subprocess

import pytest

from conftest import make_config, make_mention, make_paper, make_snapshot
from hotpapers.preview import post_html
from hotpapers.rank import rank
from hotpapers.render import PostRenderer
from test_consumers import hugo_site, jekyll_build, live_markup, page_body, read_with_remark, require
from test_kramdown_blocks import jekyll_page

LINES = [  # authors and abstracts: lines of their own
    "~~~ a tilde fence that never closes",
    "```js a backtick fence",
    "   ~~~~",
    "> quoted",
    "- an item",
    "+ an item",
    "* an item",
    "- [x] done",
    "1. first",
    "2) second",
    "***",
    "- - -",
    "___",
    ": a definition",
    "1234567890. ten digits",
    "    indented code",
    "\tcode after a tab",
    "a <?> b",
    "$t<T0: x(t)>0$",
    "$\\text{R}<\\text{P}@k>$ and (0,1](2,3)",
    'a <x_y onmouseover="alert(1)">hover</x_y> <m:abc> <a.b>',
    "<http://a b> and <mailto:x y> and <é@b.c>",
    "<math and <video open no HTML block",
    "  two spaces, which after the list item of the categories put a line inside it",
    "   - three spaces and an item",
    "&#x202E;gpj.exe and &#8238;x and &#X2066;y: references to bidi overrides stay as written",
    "a <![CDATA[click](javascript:alert(1)) and <![CDATA[here](https://e.example) open no link",
]
CATEGORIES = ("<img src=x onerror=\"top.location='javascript:alert%281%29'//", '">')
"""No tag alone, but one across the separator of the categories' line."""
HN_URL = "https://news.ycombinator.com/item?id="
TITLES = [
    "Which sorting algorithm is best? #",
    "Ends with a run ##",
    "##",
    "C# and F#",
    "Named <x_y a=b>tags</x_y>",
    "A &#x202e;title",
]
DISCUSSION = "~~~ a discussion title"
LINKED_DISCUSSIONS = [  # kramdown read the line `[TITLE](url) on Hacker News` otherwise
    "]: a linked title (a link definition: the line went)",
    "^1 a linked title (a footnote marker: the link stayed as text)",
]


def hostile_markdown_post(profile):
    papers = [
        make_paper(f"2009.{n:05d}", title=TITLES[n % len(TITLES)], authors=(text,), abstract=text)
        for n, text in enumerate(LINES)
    ]
    papers[0] = make_paper(
        papers[0].id, title=TITLES[0], authors=(LINES[0],), abstract=LINES[0], categories=("<m:abc>", *CATEGORIES)
    )
    mentions = [make_mention(str(n), (paper.id,), likes=200 - n) for n, paper in enumerate(papers)]
    mentions.append(
        make_mention("99", (papers[0].id,), likes=150, platform="hackernews", text=DISCUSSION, url="javascript:x")
    )
    mentions += [
        make_mention(f"9{n}", (papers[n].id,), likes=150, platform="hackernews", text=text, url=f"{HN_URL}{n}")
        for n, text in enumerate(LINKED_DISCUSSIONS, start=1)
    ]
    config = make_config(output={"profile": profile})
    snapshot = make_snapshot(papers, mentions)
    return PostRenderer(config).render(rank(snapshot, config), snapshot)


def straight(text):
    return re.sub("[\u201c\u201d]", '"', text)


def assert_every_text_reads_as_stored(page):
    body = page_body(page)
    headings = [straight("".join(h.itertext())) for h in body.iter("h1") if h.get("class") != "post-title"]
    assert headings == [f"{n}. {TITLES[(n - 1) % len(TITLES)]}" for n in range(1, len(LINES) + 1)]
    in_lists = {id(p) for item in body.iter("li") for p in item.iter("p")}
    paragraphs = [straight("".join(p.itertext())) for p in body.iter("p") if id(p) not in in_lists]
    for text in LINES:
        assert paragraphs.count(text.strip(" \t")) == 2, text  # the authors and the abstract
    assert f"{DISCUSSION} on Hacker News" in paragraphs
    links = {"".join(a.itertext()): a.get("href") for a in body.iter("a")}
    for n, text in enumerate(LINKED_DISCUSSIONS, start=1):
        assert f"{text} on Hacker News" in paragraphs and links[text] == f"{HN_URL}{n}"
    for tag in ("pre", "code", "hr", "dl", "ol", "input", "x_y", "m:abc", "a.b"):
        assert not list(body.iter(tag)), tag
    assert live_markup(page) == []


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022"])
def test_remark_reads_every_text_as_stored(profile, tmp_path):
    assert_every_text_reads_as_stored(read_with_remark(hostile_markdown_post(profile), tmp_path))


def test_preview_reads_every_text_as_stored(tmp_path):
    page = post_html(hostile_markdown_post("lumen"), "2020-09-24", tmp_path / "post.md")
    assert_every_text_reads_as_stored(page)


def test_hugo_reads_every_text_as_stored(tmp_path):
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    (site / "content" / "posts" / "2020-09-24-hot-papers.md").write_text(hostile_markdown_post("hugo"))
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    page = (site / "public" / "posts" / "hot-papers-2020-09-24" / "index.html").read_text(encoding="utf-8")
    assert_every_text_reads_as_stored(page)


def test_jekyll_reads_every_text_as_stored(tmp_path):
    require("jekyll", shutil.which("jekyll"))
    site = tmp_path / "site"
    for folder in ("_posts", "_layouts"):
        (site / folder).mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (site / "_layouts" / "post.html").write_text("<main>{{ content }}</main>\n", encoding="utf-8")
    (site / "_posts" / "2020-09-24-hot-papers.md").write_text(hostile_markdown_post("jekyll"), encoding="utf-8")
    jekyll_build(site)
    [page] = [path.read_text(encoding="utf-8") for path in (site / "_site").rglob("*.html")]
    assert_every_text_reads_as_stored(page)


def page_of(profile, post, tmp_path):
    """The page the real consumer of `profile` makes of `post`."""
    if profile == "hugo":
        require("hugo", shutil.which("hugo"))
        site = hugo_site(tmp_path / "site")
        (site / "content" / "posts" / "2020-09-24-hot-papers.md").write_text(post, encoding="utf-8")
        run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return (site / "public" / "posts" / "hot-papers-2020-09-24" / "index.html").read_text(encoding="utf-8")
    if profile == "jekyll":
        return jekyll_page(post, tmp_path / "site")
    return read_with_remark(post, tmp_path)


STRUCK = "~a~ and ~~b~~"
"""A strikethrough to remark's GFM (both), goldmark's and kramdown's (the second)."""


@pytest.mark.parametrize("profile", ["lumen-2022", "hugo", "jekyll"])
def test_tildes_strike_nothing_where_markdown_is_escaped(profile, tmp_path):
    paper = make_paper(title=f"T {STRUCK}", authors=(STRUCK,), abstract=STRUCK, categories=("cs.LG", STRUCK))
    mentions = [
        make_mention("1", (paper.id,), likes=100),
        make_mention("2", (paper.id,), likes=90, platform="hackernews", text=STRUCK, url=f"{HN_URL}2"),
    ]
    snapshot = make_snapshot([paper], mentions)
    config = make_config(output={"profile": profile})
    page = page_of(profile, PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path)
    body = page_body(page)
    assert not [element.tag for element in body.iter() if element.tag in ("del", "s", "strike")]
    assert ["".join(h.itertext()) for h in body.iter("h1")] == [f"1. T {STRUCK}"]
    paragraphs = ["".join(p.itertext()).strip() for p in body.iter("p")]
    assert paragraphs.count(STRUCK) == 2 and f"{STRUCK} on Hacker News" in paragraphs
    assert any("".join(item.itertext()).strip() == f"cs.LG | {STRUCK}" for item in body.iter("li"))


URLS = ["https://github.com/a_b/my_repo", "www.example.org/~user/x_y"]
"""Bare URLs in an abstract, which remark and goldmark link: a backslash before a `_` or
`~` went into remark's link (`a%5C_b`) and ended goldmark's (`https://github.com/a`)."""


@pytest.mark.parametrize("profile", ["lumen-2022", "hugo", "jekyll"])
def test_a_bare_url_in_escaped_text_links_to_itself(profile, tmp_path):
    abstract = f"Code at {URLS[0]} and {URLS[1]} ~ _x_"
    paper = make_paper(abstract=abstract)
    snapshot = make_snapshot([paper], [make_mention("1", (paper.id,), likes=100)])
    config = make_config(output={"profile": profile})
    body = page_body(page_of(profile, PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path))
    assert abstract in ["".join(p.itertext()).strip() for p in body.iter("p")]
    links = {"".join(a.itertext()): a.get("href") for a in body.iter("a")}
    if profile != "jekyll":  # kramdown links no bare URL
        assert links[URLS[0]] == URLS[0] and links[URLS[1]].endswith(URLS[1])
    assert not list(body.iter("em"))


PUNCTUATED = 'Code:https://github.com/a_b and "https://github.com/c_d/e_f" ~ _x_ *www.x.org/g_h _www.x.org/i_j'
"""http(s) URLs after punctuation: remark links one after anything but a letter, goldmark
one after a quote (and `(`, `*`, `_`, `~`, a backtick); a backslash before their `_` went
into remark's link (`a%5C_b`), showed in its text, and ended goldmark's (`https://github.com/c`).
remark links a `www.` URL after `*`, `_` or `~` too (GFM's extended www autolink), with
a backslash before its `_` in its link as well; goldmark none after an escaped mark."""


@pytest.mark.parametrize("profile", ["lumen-2022", "hugo"])
def test_a_url_after_punctuation_keeps_its_underscores(profile, tmp_path):
    paper = make_paper(abstract=PUNCTUATED)
    snapshot = make_snapshot([paper], [make_mention("1", (paper.id,), likes=100)])
    config = make_config(output={"profile": profile})
    body = page_body(page_of(profile, PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path))
    assert PUNCTUATED in [straight("".join(p.itertext())).strip() for p in body.iter("p")]
    hrefs = [a.get("href") for a in body.iter("a")]
    assert not [href for href in hrefs if "%5C" in href]
    assert [href for href in hrefs if href.startswith("https://github.com/c_d/e_f")]  # remark's takes the `"` too
    if profile == "lumen-2022":
        assert {"https://github.com/a_b", "http://www.x.org/g_h", "http://www.x.org/i_j"} <= set(hrefs)
    assert not list(body.iter("em"))


AUTOLINKED = "Code at <https://github.com/a/b>."
"""An autolink, whose `<` is written `&lt;`: remark's GFM then linked the bare URL after
it with the `>` (https://github.com/a/b%3E), which no site has. It links the URL alone now;
goldmark and kramdown link none."""


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022", "hugo", "jekyll"])
def test_an_escaped_autolink_leaves_no_link_to_its_closing_bracket(profile, tmp_path):
    paper = make_paper(title=AUTOLINKED, authors=(AUTOLINKED,), abstract=AUTOLINKED)
    snapshot = make_snapshot([paper], [make_mention("1", (paper.id,), likes=100)])
    config = make_config(output={"profile": profile})
    body = page_body(page_of(profile, PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path))
    assert ["".join(h.itertext()) for h in body.iter("h1")] == [f"1. {AUTOLINKED}"]
    assert ["".join(p.itertext()).strip() for p in body.iter("p")].count(AUTOLINKED) == 2
    links = [a.get("href") for a in body.iter("a") if "github.com" in a.get("href", "")]
    assert links == (["https://github.com/a/b"] * 3 if profile.startswith("lumen") else [])


UNDERSCORED = "Code at https://github.com/a/b/blob/main/__init__.py and (www.x.org/_a_/~u_v) or https://x.org/c_ now"
"""Bare URLs whose `_`s could open emphasis outside a link: a backslash before them went
into remark's link, shown (`__init__.py` as `\\_\\_init\\_\\_.py`, linked as `%5C_%5C_init...`),
and ended goldmark's (`https://github.com/a/b/blob/main/`)."""


@pytest.mark.parametrize("profile", ["lumen-2022", "hugo"])
def test_a_bare_url_keeps_its_underscores_in_its_link_and_its_text(profile, tmp_path):
    paper = make_paper(abstract=UNDERSCORED)
    snapshot = make_snapshot([paper], [make_mention("1", (paper.id,), likes=100)])
    config = make_config(output={"profile": profile})
    body = page_body(page_of(profile, PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path))
    [abstract] = [p for p in body.iter("p") if "".join(p.itertext()).strip() == UNDERSCORED]
    links = {"".join(a.itertext()): a.get("href") for a in abstract.iter("a")}
    www = "http://www.x.org/_a_/~u_v" if profile == "lumen-2022" else "https://www.x.org/_a_/~u_v"
    assert links == {
        "https://github.com/a/b/blob/main/__init__.py": "https://github.com/a/b/blob/main/__init__.py",
        "www.x.org/_a_/~u_v": www,
        "https://x.org/c": "https://x.org/c",
    }
    assert not list(body.iter("em")) and not list(body.iter("strong"))


SPACED = "Code at\thttps://x.org/a/__init__.py and\u00a0https://x.org/~~b~~ now"
"""Bare URLs after a tab and a no-break space, which goldmark links after neither: their
`_` and `~` kept as stored for a link, it read `__init__` as bold and `~~b~~` as struck."""


def test_goldmark_reads_no_emphasis_in_a_url_it_does_not_link(tmp_path):
    paper = make_paper(abstract=SPACED)
    snapshot = make_snapshot([paper], [make_mention("1", (paper.id,), likes=100)])
    config = make_config(output={"profile": "hugo"})
    body = page_body(page_of("hugo", PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path))
    assert SPACED in ["".join(p.itertext()).strip() for p in body.iter("p")]
    assert not [element.tag for element in body.iter() if element.tag in ("em", "strong", "del")]


CODE = "Reasoning in `<think>` tags, closed by `</think>`, and ``<a href=`x`>`` code"
"""Code spans, in which every parser reads a `<` as text: written `&lt;`, it showed as
`&lt;think>` in the classic profile's code."""


@pytest.mark.parametrize(("profile", "escaped"), [("lumen", None), ("hugo", False)])
def test_a_code_span_shows_its_text_as_stored(profile, escaped, tmp_path):
    paper = make_paper(title=CODE, authors=(CODE,), abstract=CODE)
    snapshot = make_snapshot([paper], [make_mention("1", (paper.id,), likes=100)])
    output = {"profile": profile} if escaped is None else {"profile": profile, "escape_markdown": escaped}
    config = make_config(output=output)
    page = page_of(profile, PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path)
    body = page_body(page)
    shown = "Reasoning in <think> tags, closed by </think>, and <a href=`x`> code"
    assert ["".join(h.itertext()) for h in body.iter("h1")] == [f"1. {shown}"]
    assert ["".join(p.itertext()).strip() for p in body.iter("p")].count(shown) == 2
    assert ["".join(c.itertext()) for c in body.iter("code")] == ["<think>", "</think>", "<a href=`x`>"] * 3
    assert live_markup(page) == []
