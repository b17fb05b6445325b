"""Every profile's output read by its real consumer: gray-matter and the remark chain of
gatsby-transformer-remark 6.16 (pinned in tests/consumers) for lumen, Debian's Hugo for
hugo and Debian's Jekyll for jekyll, `preview`'s markdown-it-py (CommonMark), and PyYAML /
python-frontmatter for all; the HTML they make is read by html5lib, an HTML5 parser, as a
browser would. The fixtures are hostile on purpose."""

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import frontmatter
import html5lib
import pytest
from click.testing import CliRunner

from conftest import make_config, make_mention, make_paper, make_snapshot
from hotpapers.cli import cli
from hotpapers.preview import post_html
from hotpapers.rank import rank
from hotpapers.render import PostRenderer
from hotpapers.snapshot import save_snapshot

CONSUMERS = Path(__file__).parent / "consumers"
REAL_EMBED = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">New paper! <a href="https://t.co/x1">https://t.co/x1</a></p>'
    '&mdash; Some One (@someone) <a href="https://twitter.com/someone/status/1?ref_src=twsrc%5Etfw">September 24, 2020</a>'
    '</blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
)
CR_EMBED = (
    '<blockquote class="twitter-tweet"><p><a href="https://t.co/x\r\r[more](x/onmouseover=alert(document.domain)//)">'
    "t</a></p></blockquote>"
)
TITLES = [
    'He said "no" \\ then: # not a comment',
    "1e3",
    "yes",
    "x\x7fy\u0085z 😀",
    "__init__ considered *harmful*",
    "[click](javascript:alert(1)) and [ref]",
    "# 99. Fake $k<n$",
]
ABSTRACTS = [
    "<pre>\nthis must not swallow the post",
    "<!-- an open comment\nmore",
    "<script>alert(1)</script> and <b>bold",
    "x < y, a<b, <3 and __init__",
    "plain",
    "[ref]: javascript:alert(2)",
    "![i](http://evil.example/t.png) <img/src=x/onerror=alert(1)>\r# 98. Fake\r\r[y](javascript:alert(3))",
]


def hostile_post(profile):
    papers = [
        make_paper(f"2009.0000{n}", title=title, abstract=abstract)
        for n, (title, abstract) in enumerate(zip(TITLES, ABSTRACTS, strict=True))
    ]
    mentions = [
        make_mention(str(n), (paper.id,), likes=100 - n, embed_html=REAL_EMBED.replace("status/1", f"status/{n}"))
        for n, paper in enumerate(papers)
    ]
    mentions.append(
        make_mention("99", (papers[0].id,), likes=90, embed_html=REAL_EMBED.replace("<p lang", '<p onclick="x" lang'))
    )
    mentions.append(make_mention("98", (papers[1].id,), likes=90, embed_html=CR_EMBED))
    config = make_config(
        output={"profile": profile}, post={"title": 'Hot: "Papers" {date}', "tags": ["a: b", "1e3", "yes"]}
    )
    snapshot = make_snapshot(papers, mentions)
    return PostRenderer(config).render(rank(snapshot, config), snapshot), len(papers), len(mentions)


def require(tool, found):
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing: tests/setup-tools.sh installs it")
        pytest.skip(f"{tool} is missing (tests/setup-tools.sh installs it)")


def jekyll_build(site: Path) -> None:
    """Builds the Jekyll site at `site` into its _site folder."""
    command = ["jekyll", "build", "-q", "-s", str(site), "-d", str(site / "_site")]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022", "hugo", "jekyll"])
def test_pyyaml_and_python_frontmatter_read_every_profile(profile):
    text, papers, _ = hostile_post(profile)
    post = frontmatter.loads(text)
    assert post["title"] == 'Hot: "Papers" 2020-09-24'
    assert post["date"] == datetime(2020, 9, 25, 8, 0, 47, tzinfo=UTC)
    assert post["tags"] == ["a: b", "1e3", "yes"]
    assert len(re.findall(r"^# \d+\. ", post.content, re.MULTILINE)) == papers


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022"])
def test_gatsby_remark_chain_reads_dates_types_headings_and_embeds(profile, tmp_path):
    require("node", shutil.which("node"))
    require("the npm packages in tests/consumers", (CONSUMERS / "node_modules").is_dir())
    text, papers, mentions = hostile_post(profile)
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        ["node", str(CONSUMERS / "read-post.js"), str(path)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["data"]["date"] == "2020-09-25T08:00:47.000Z" and seen["types"]["date"] == "date"
    assert seen["types"]["draft"] == "boolean" and seen["types"]["tags"] == "array"
    assert seen["data"]["tags"] == ["a: b", "1e3", "yes"] and seen["data"]["title"] == 'Hot: "Papers" 2020-09-24'
    assert {k: v for k, v in seen["types"].items() if k not in ("date", "draft", "tags")} == dict.fromkeys(
        [k for k in seen["types"] if k not in ("date", "draft", "tags")], "string"
    )
    headings = [h for h in seen["headings"] if h["depth"] == 1]
    assert len(headings) == papers  # nothing swallowed by a stray <pre or <!--
    if profile == "lumen-2022":  # escape_markdown: the literal title comes back
        assert headings[4]["text"] == "5. __init__ considered *harmful*"
    assert len(seen["html"]) == mentions  # 5 real embeds and the hostile one's fallback
    for node in seen["html"]:
        assert node.startswith('<blockquote class="twitter-tweet">') and "onclick" not in node
    assert "<pre" not in seen["rendered"] and "<script>alert" not in seen["rendered"] and "<!--" not in seen["rendered"]
    assert live_markup(seen["rendered"]) == []


def hugo_site(site: Path) -> Path:
    """A Hugo site at `site` that keeps raw HTML, with a page layout showing the date,
    the categories and the content; posts go to content/posts/."""
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.yaml").write_text(
        "baseURL: https://example.org/\ntitle: t\nmarkup:\n  goldmark:\n    renderer:\n      unsafe: true\n",
        encoding="utf-8",
    )
    (site / "layouts" / "_default" / "single.html").write_text(
        '<time>{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}</time><ul>{{ range .Params.categories }}<li>{{ . }}</li>'
        "{{ end }}</ul>{{ .Content }}",
        encoding="utf-8",
    )
    (site / "layouts" / "_default" / "list.html").write_text(
        "{{ range .Pages }}{{ .Title }}{{ end }}", encoding="utf-8"
    )
    return site


def test_hugo_builds_the_hugo_profile_with_real_dates_and_every_embed(tmp_path):
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    hugo_text, papers, mentions = hostile_post("hugo")
    (site / "content" / "posts" / "2020-09-24-hot-papers.md").write_text(hugo_text, encoding="utf-8")
    classic_text, _, _ = hostile_post("lumen")
    (site / "content" / "posts" / "classic.md").write_text(
        classic_text.replace("hot-papers-2020-09-24", "classic"), encoding="utf-8"
    )
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    page = (site / "public" / "posts" / "hot-papers-2020-09-24" / "index.html").read_text(encoding="utf-8")
    assert "<time>2020-09-25T08:00:47Z</time>" in page
    assert "raw HTML omitted" not in page
    assert len(re.findall(r"<h1[^>]*>\d+\. ", page)) == papers
    assert page.count('<blockquote class="twitter-tweet">') == mentions
    assert "<pre" not in page and "<script>alert" not in page
    assert live_markup(page) == []
    classic = (site / "public" / "posts" / "classic" / "index.html").read_text(encoding="utf-8")
    assert "<time>0001-01-01T00:00:00Z</time>" in classic  # why the hugo profile exists: Hugo drops the .Z date


def test_hugo_reads_no_checkbox_in_a_category_named_x(tmp_path):
    """goldmark's task lists (Hugo 0.111) read `[x]` anywhere in a list item's first
    paragraph as a checked box: a category `x`, linked as `[x](...)`, became
    `<input checked="" disabled="" type="checkbox">` and lost its link."""
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    config = make_config(output={"profile": "hugo"})
    snapshot = make_snapshot([make_paper(categories=("x", "cs.LG", "X"))], [make_mention(likes=60)])
    post = site / "content" / "posts" / "2020-09-24-hot-papers.md"
    post.write_text(PostRenderer(config).render(rank(snapshot, config), snapshot), encoding="utf-8")
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    page = (site / "public" / "posts" / "hot-papers-2020-09-24" / "index.html").read_text(encoding="utf-8")
    assert "<input" not in page
    links = [(a.get("href"), a.text) for a in page_body(page).iter("a") if "/list/" in a.get("href", "")]
    assert links == [
        ("https://arxiv.org/list/x/recent", "x"),
        ("https://arxiv.org/list/cs.LG/recent", "cs.LG"),
        ("https://arxiv.org/list/X/recent", "X"),
    ]


def test_the_readme_s_hugo_setting_for_math_keeps_tex_as_arxiv_gives_it(tmp_path):
    """Hugo's goldmark turns straight quotes, `--` and `...` into typographic characters
    (its Typographer, on by default), inside `$...$` too: an abstract's `$f'(x)$` reached
    the page as `$f&rsquo;(x)$`, which MathJax shows with a closing quote for a prime, while the post-format doc
    said math stays intact and the README's Hugo section said nothing of it."""
    require("hugo", shutil.which("hugo"))
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    hugo_section = readme.split("### Hugo\n", 1)[1].split("\n### ", 1)[0]
    setting = re.search(r"```toml\n(\[markup\.goldmark\.extensions\]\n.*?)```", hugo_section, re.S)
    assert setting, "the README's Hugo section gives no setting for math"
    tex = "$f'(x) = \\frac{a}{b}$ for $a--b$ and $1,...,n$"
    config = make_config(output={"profile": "hugo"})
    snapshot = make_snapshot([make_paper(abstract=f"We bound {tex}.")], [make_mention(likes=60)])
    post = PostRenderer(config).render(rank(snapshot, config), snapshot)
    for extra, kept in (("", False), (setting[1], True)):
        site = hugo_site(tmp_path / f"site-{kept}")
        (site / "hugo.yaml").unlink()
        (site / "hugo.toml").write_text(
            f'baseURL = "https://example.org/"\ntitle = "t"\n[markup.goldmark.renderer]\n  unsafe = true\n{extra}',
            encoding="utf-8",
        )
        (site / "content" / "posts" / "2020-09-24-hot-papers.md").write_text(post, encoding="utf-8")
        run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        page = (site / "public" / "posts" / "hot-papers-2020-09-24" / "index.html").read_text(encoding="utf-8")
        assert (f"<p>We bound {tex}.</p>" in page) is kept, page


def read_with_remark(post, tmp_path):
    require("node", shutil.which("node"))
    require("the npm packages in tests/consumers", (CONSUMERS / "node_modules").is_dir())
    path = tmp_path / "post.md"
    path.write_text(post, encoding="utf-8")
    run = subprocess.run(
        ["node", str(CONSUMERS / "read-post.js"), str(path)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["rendered"]


WIDGET = "https://platform.twitter.com/widgets.js"


def live_markup(html):
    """What a browser would run, load or link that no template wrote: on* attributes,
    links that are not http(s), images, frames and scripts other than the X widget."""
    found = []
    for element in page_body(html).iter():
        if not isinstance(element.tag, str):
            continue
        found += [f"<{element.tag} {name}>" for name in element.attrib if name.lower().startswith("on")]
        href = element.get("href", "").strip().lower()
        if element.tag == "a" and not href.startswith(("http://", "https://")):
            found.append(f"<a href={href!r}>")
        if element.tag in ("img", "iframe", "object", "embed", "svg", "details", "style"):
            found.append(f"<{element.tag}>")
        if element.tag == "script" and element.get("src") != WIDGET:
            found.append("<script>")
    return found


def page_body(html):
    """The body as an HTML5 parser reads it, without preview's own navigation."""
    body = html5lib.parse(html, namespaceHTMLElements=False).find("body")
    for nav in body.findall("nav"):
        body.remove(nav)
    return body


def paper_headings(html):
    return ["".join(h.itertext()) for h in page_body(html).iter("h1") if h.get("class") != "post-title"]


HOSTILE_TEXT = "\r\r[x](javascript:alert(1))"
ATTACKS = [  # (fields of the first paper's mention, fields of the first paper)
    pytest.param({"embed_html": CR_EMBED}, {}, id="cr-in-embed-attribute"),
    pytest.param(
        {
            "embed_html": CR_EMBED.replace("x\r\r", "x>\n \n\t").replace(
                "x/onmouseover=alert(document.domain)//", "javascript:alert(1)"
            )
        },
        {},
        id="blank-line-in-embed-attribute",
    ),
    pytest.param({"text": HOSTILE_TEXT, "embed_html": None}, {}, id="cr-in-post-text"),
    pytest.param({"author_name": HOSTILE_TEXT, "embed_html": None}, {}, id="cr-in-author-name"),
    pytest.param({}, {"title": "[click](javascript:alert(1))"}, id="link-in-title"),
    pytest.param({}, {"abstract": "![i](http://evil.example/t.png)"}, id="image-in-abstract"),
    pytest.param({}, {"abstract": "[ref]: javascript:alert(2)", "title": "see [ref]"}, id="reference-definition"),
    pytest.param({}, {"authors": ("# 99. Fake",)}, id="heading-in-authors"),
    pytest.param({}, {"abstract": "> # 98. Fake"}, id="heading-in-a-quote"),
    pytest.param({}, {"abstract": "x\r# 97. Fake\r\r[y](javascript:alert(3))"}, id="cr-in-abstract"),
    pytest.param({}, {"abstract": "a <img/src=x/onerror=alert(1)>"}, id="tag-only-python-markdown-reads"),
    pytest.param({}, {"abstract": "<details/open/ontoggle=alert(1)>"}, id="block-only-python-markdown-reads"),
]


@pytest.mark.parametrize("reader", ["remark", "preview"])
@pytest.mark.parametrize(("mention_fields", "paper_fields"), ATTACKS)
def test_an_attack_built_by_the_cli_has_no_live_markup_for_any_reader(
    site, tmp_path, reader, mention_fields, paper_fields
):
    papers = [make_paper("2009.00001", **paper_fields), make_paper("2009.00002")]
    mentions = [
        make_mention("1", (papers[0].id,), likes=100, **mention_fields),
        make_mention("2", (papers[1].id,), likes=90, embed_html=REAL_EMBED),
    ]
    save_snapshot(make_snapshot(papers, mentions), site / "data" / "snapshots" / "2020-09-24.json")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    post = (site / "content" / "posts" / "2020-09-24---Hot-Papers.md").read_text(encoding="utf-8")
    html = (
        read_with_remark(post, tmp_path) if reader == "remark" else post_html(post, "2020-09-24", tmp_path / "post.md")
    )
    assert live_markup(html) == []
    assert [heading.split(".")[0] for heading in paper_headings(html)] == ["1", "2"]


SITE_SYNTAX_PAPERS = [  # (title, abstract): the site generator's own syntax in untrusted text
    ("Deep Nets {{< gist attacker 0badc0de >}}", "We study things. {{< youtube dQw4w9WgXcQ >}} {{% nope %}}"),
    ('T {style="position:fixed;top:0;left:0;width:100%;height:100%;background:red"}', "{{< nope >}} {{ site.secret }}"),
    ("T {#pwn .evil}", "*x*{: .evil} {::comment}hidden{:/} {% include secret.html %} {{ unterminated"),
    ("Sets {a, b} and {x} stay as written", "So does {y} and $n^{2}$ {"),
]


def site_syntax_post(profile):
    """A post whose titles, abstracts, authors, category, fallback embed and discussion
    line hold Hugo shortcodes, Liquid and attribute lists, with Markdown left unescaped."""
    papers = [
        make_paper(f"2009.0000{n}", title=title, abstract=abstract, authors=(f"A {{{{% nope %}}}} {n}",))
        for n, (title, abstract) in enumerate(SITE_SYNTAX_PAPERS, start=1)
    ]
    mentions = [make_mention(str(n), (paper.id,), likes=100 - n) for n, paper in enumerate(papers)]
    hostile = "{{< gist attacker 0badc0de >}} {{ site.secret }}"
    mentions[0] = make_mention("0", (papers[0].id,), likes=100, text=hostile, author_name=hostile)
    mentions.append(make_mention("9", (papers[1].id,), likes=50, platform="hackernews", text=hostile))
    papers[2] = make_paper(papers[2].id, title=papers[2].title, abstract=papers[2].abstract, categories=(hostile,))
    config = make_config(output={"profile": profile, "escape_markdown": False})
    snapshot = make_snapshot(papers, mentions)
    return PostRenderer(config).render(rank(snapshot, config), snapshot)


def shown_as_written(page):
    """The headings' text and the untrusted paragraphs as a reader sees them, and any
    attribute a heading got."""
    body = page_body(page)
    headings = ["".join(h.itertext()).replace("\u201c", '"').replace("\u201d", '"') for h in body.iter("h1")]
    attributes = [dict(h.attrib) for h in body.iter("h1")]
    return headings, attributes, "".join(body.itertext())


def assert_no_site_syntax_ran(page):
    headings, attributes, text = shown_as_written(page)
    assert sorted(heading.split(". ", 1)[1] for heading in headings) == sorted(t for t, _ in SITE_SYNTAX_PAPERS)
    assert [set(a) - {"id"} for a in attributes] == [set()] * 4 and "pwn" not in [a.get("id") for a in attributes]
    for abstract in ("We study things. {{< youtube dQw4w9WgXcQ >}} {{% nope %}}", "So does {y} and $n^{2}$ {"):
        assert abstract in text
    assert "{{< gist attacker 0badc0de >}} {{ site.secret }}" in text  # fallback embed, discussion, category
    assert "A {{% nope %}} 1" in text
    assert "gist.github.com" not in page and "<iframe" not in page and 'class="evil"' not in page
    assert live_markup(page) == []


def test_hugo_runs_no_shortcode_and_reads_no_heading_attribute_from_untrusted_text(tmp_path):
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    (site / "content" / "posts" / "2020-09-24-hot-papers.md").write_text(site_syntax_post("hugo"), encoding="utf-8")
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert_no_site_syntax_ran((site / "public" / "posts" / "hot-papers-2020-09-24" / "index.html").read_text())


def test_jekyll_runs_no_liquid_and_reads_no_attribute_list_from_untrusted_text(tmp_path):
    require("jekyll", shutil.which("jekyll"))
    site = tmp_path / "site"
    for folder in ("_posts", "_layouts", "_includes"):
        (site / folder).mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nsecret: SITE-SECRET\n", encoding="utf-8")
    (site / "_layouts" / "post.html").write_text("<main>{{ content }}</main>\n", encoding="utf-8")
    (site / "_includes" / "secret.html").write_text("INCLUDED\n", encoding="utf-8")
    (site / "_posts" / "2020-09-24-hot-papers.md").write_text(site_syntax_post("jekyll"), encoding="utf-8")
    jekyll_build(site)
    [page] = [path.read_text(encoding="utf-8") for path in (site / "_site").rglob("*.html")]
    assert "SITE-SECRET" not in page and "INCLUDED" not in page and "<!-- hidden -->" not in page
    assert_no_site_syntax_ran(page)
