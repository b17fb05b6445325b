"""Jekyll's kramdown reads blocks that CommonMark does not, and a real `jekyll build`
(Debian's Jekyll 4, kramdown 2 with its GFM parser) shows where untrusted text or the
templates' own text would open one: a line holding a `|` is a table row, and where a
block starts `: ` makes the paragraph before it a definition term, `*[X]:` defines an
abbreviation (the line goes, every X gets a title), `$$` opens a math block that runs
to the next `$$` in any later block, and `^` alone ends a block (the line goes); a
footnote's definition `[^x]:` moves the line to the page's end. The jekyll profile
guards each of them (site_syntax.py; a definition and a footnote's get the backslash
markdown_text gives every profile); the page shows the text as stored."""

import re
import shutil

import pytest
from click.testing import CliRunner

from conftest import make_config, make_mention, make_paper, make_snapshot
from hotpapers.cli import cli
from hotpapers.rank import rank
from hotpapers.render import PostRenderer
from test_consumers import jekyll_build, live_markup, page_body, require


def jekyll_page(post: str, folder) -> str:
    """The HTML page that a real `jekyll build` makes of `post` (its layout: the content only)."""
    require("jekyll", shutil.which("jekyll"))
    for sub in ("_posts", "_layouts"):
        (folder / sub).mkdir(parents=True)
    (folder / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (folder / "_layouts" / "post.html").write_text("<main>{{ content }}</main>\n", encoding="utf-8")
    (folder / "_posts" / "2020-09-24-hot-papers.md").write_text(post, encoding="utf-8")
    jekyll_build(folder)
    [page] = [path.read_text(encoding="utf-8") for path in (folder / "_site").rglob("*.html")]
    return page


def texts(page: str, tag: str) -> list[str]:
    return ["".join(element.itertext()).strip() for element in page_body(page).iter(tag)]


def test_the_jekyll_profiles_links_and_categories_make_no_table(site, tmp_path):
    (site / "config.yaml").write_text("output: {profile: jekyll}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    post = (site / "_posts" / "2020-09-24-hot-papers.md").read_text(encoding="utf-8")
    page = jekyll_page(post, tmp_path / "jekyll")
    assert "<table" not in page
    items = texts(page, "li")
    assert items.count("links: abs | pdf") == 11
    assert "cs.SI | cs.CY | cs.GT | nlin.AO | physics.soc-ph" in items and "cs.LG | stat.ML" in items


HN_TITLE = "Show HN: Graphs | a paper"
PAPERS = [  # (authors, abstract): each opens one of kramdown's blocks where the template writes it
    # (a footnote's definition gets markdown_text's backslash, as a link reference definition)
    (("^",), "Bounds of |V| - 1 and ||x|| for all graphs."),
    (("*[HTML]: Hyper Text Markup Language",), "$$ opens a math block, in HTML"),
    (("Ada | Bob",), "that this abstract closes $$"),
    (("[^1]: a footnote",), "An abstract[^1] that a definition would make its term."),
]


def kramdown_post(escape_markdown: bool) -> str:
    """A jekyll post holding every opener: a `|` in authors, abstracts, a category, a
    discussion's title and link (and in titles, where it opens nothing); `^` and `*[X]:`
    as authors; `$$` opening in one abstract and closing in the next; `: ` starting the
    discussion line that follows an abstract."""
    papers = [
        make_paper(f"2009.0000{n}", title=f"Paper {n} | ^", authors=authors, abstract=abstract)
        for n, (authors, abstract) in enumerate(PAPERS, start=1)
    ]
    papers[1] = make_paper(
        "2009.00002", title="Paper 2 | ^", authors=PAPERS[1][0], abstract=PAPERS[1][1], categories=("a|b",)
    )
    mentions = [make_mention(str(n), (paper.id,), likes=100 - n) for n, paper in enumerate(papers)]
    mentions[0] = make_mention(
        "0", (papers[0].id,), likes=100, platform="hackernews", text=HN_TITLE, url="https://x.org/item?id=1|2"
    )
    mentions[3] = make_mention("3", (papers[3].id,), likes=97, platform="hackernews", text=": defined", url="x")
    config = make_config(output={"profile": "jekyll", "escape_markdown": escape_markdown})
    snapshot = make_snapshot(papers, mentions)
    return PostRenderer(config).render(rank(snapshot, config), snapshot)


@pytest.mark.parametrize("escape_markdown", [True, False])
def test_untrusted_text_opens_none_of_kramdowns_blocks(tmp_path, escape_markdown):
    post = kramdown_post(escape_markdown)
    assert "\n# 1. Paper 1 | ^\n" in post  # a heading opens no table: its `|` needs no backslash
    page = jekyll_page(post, tmp_path)
    for block in ("<table", "<dl", "<dt", "<abbr", "<math", "\\[", 'class="footnote'):
        assert block not in page
    assert texts(page, "h1") == [f"{n}. Paper {n} | ^" for n in range(1, 5)]
    paragraphs = texts(page, "p")
    for authors, abstract in PAPERS:
        assert ", ".join(authors) in paragraphs and abstract in paragraphs
    assert ": defined on Hacker News" in paragraphs
    assert "a|b" in texts(page, "li")
    links = {a.get("href"): "".join(a.itertext()) for a in page_body(page).iter("a")}
    assert links["https://x.org/item?id=1|2"] == HN_TITLE
    assert live_markup(page) == []


def test_a_pipe_in_a_code_span_stays_as_written_and_makes_no_table(tmp_path):
    abstracts = ["Code `a|b` here", "A lone ` c|d ` is no code for kramdown", "Escaped \\`e|f\\` ticks"]
    papers = [make_paper(f"2009.0000{n}", abstract=abstract) for n, abstract in enumerate(abstracts, start=1)]
    mentions = [make_mention(str(n), (paper.id,), likes=100 - n) for n, paper in enumerate(papers)]
    config = make_config(output={"profile": "jekyll", "escape_markdown": False})
    snapshot = make_snapshot(papers, mentions)
    post = PostRenderer(config).render(rank(snapshot, config), snapshot)
    page = jekyll_page(post, tmp_path)
    assert "<table" not in page
    assert texts(page, "code") == ["a|b"]
    paragraphs = texts(page, "p")
    assert "Code a|b here" in paragraphs
    assert "A lone ` c|d ` is no code for kramdown" in paragraphs and "Escaped `e|f` ticks" in paragraphs
    assert not re.search(r"\\[|`]", "".join(paragraphs))


def test_a_fence_of_backticks_and_tildes_mixed_hides_no_paper(tmp_path):
    """kramdown's fence is any run of three backticks and tildes, mixed, and one word: the
    authors of the first paper opened one that the abstract of the third closed, and the
    page showed the first paper's heading only, the rest as code."""
    papers = [
        make_paper("2009.00001", title="One", authors=("~`~ python",)),
        make_paper("2009.00002", title="Two"),
        make_paper("2009.00003", title="Three", abstract="~`~"),
    ]
    mentions = [make_mention(str(n), (paper.id,), likes=100 - n) for n, paper in enumerate(papers)]
    config = make_config(output={"profile": "jekyll", "escape_markdown": False})
    snapshot = make_snapshot(papers, mentions)
    page = jekyll_page(PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path)
    assert "<pre" not in page and "<code" not in page
    assert texts(page, "h1") == ["1. One", "2. Two", "3. Three"]
    paragraphs = texts(page, "p")
    assert "~`~ python" in paragraphs and "~`~" in paragraphs


INDENTED_SCRIPT = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">New paper</p>&mdash; Some One (@someone) '
    '<a href="https://twitter.com/someone/status/1">September 24, 2020</a></blockquote>\n'
    '\t<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
)


def test_an_embeds_indented_script_line_is_no_code_block(tmp_path):
    """kramdown ends an HTML block at its element's closing tag, so an embed's script line
    indented by a tab (or four spaces) was a code block, and the page showed
    `<script async src=...` as text; CommonMark's HTML block went on to the blank line."""
    papers = [make_paper("2009.00001")]
    mentions = [make_mention("1", (papers[0].id,), likes=100, embed_html=INDENTED_SCRIPT)]
    config = make_config(output={"profile": "jekyll"})
    snapshot = make_snapshot(papers, mentions)
    page = jekyll_page(PostRenderer(config).render(rank(snapshot, config), snapshot), tmp_path / "jekyll")
    assert "<pre" not in page and "&lt;script" not in page
    [script] = page_body(page).iter("script")
    assert script.get("src") == "https://platform.twitter.com/widgets.js"
