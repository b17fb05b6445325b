"""Rendering: the classic format's details, and untrusted text that must not inject markup."""

import json
import re

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import EXAMPLE_POST, EXAMPLE_SNAPSHOT, make_config, make_mention, make_paper, make_snapshot
from hotpapers.cli import cli
from hotpapers.errors import InputError
from hotpapers.rank import rank
from hotpapers.render import PostRenderer, paper_headings, render_post
from hotpapers.sanitize import checked_embed
from hotpapers.snapshot import load_snapshot, save_snapshot
from hotpapers.sources.twitter import TwitterSource
from hotpapers.yaml_scalars import yaml_plain, yaml_str

REAL_EMBED = json.loads(EXAMPLE_SNAPSHOT.read_text())["mentions"][0]["embed_html"]
X_EMBEDS = TwitterSource.display.embed_rules
SCRIPT = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'


def render(papers, mentions, **config):
    config = make_config(**config)
    snapshot = make_snapshot(papers, mentions)
    return render_post(snapshot, rank(snapshot, config), config)


def body(text):
    return text.split("\n---\n", 1)[1]


def test_a_paper_without_pdf_and_embed_written_by_hand():
    paper = make_paper(
        "2009.00001", title="T", authors=("A", "B"), categories=("cs.LG", "stat.ML"), abstract="Abs.", pdf_url=None
    )
    mention = make_mention(
        "42",
        likes=60,
        text="Look & see <b>this</b>\nsecond line",
        author_name="Ann <Lee>",
        author_handle="ann",
        url="https://twitter.com/ann/status/42",
        created_at="2020-09-24T23:30:00Z",
        observed_at="2020-09-25T08:00:00Z",
    )
    expected = (
        "\n# 1. T\n\nA, B\n\n- retweets: 0, favorites: 60 (09/25/2020 08:00:00)\n\n"
        "- links: [abs](https://arxiv.org/abs/2009.00001)\n"
        "- [cs.LG](https://arxiv.org/list/cs.LG/recent) | [stat.ML](https://arxiv.org/list/stat.ML/recent)\n\n"
        "Abs.\n\n"
        '<blockquote class="twitter-tweet"><p dir="ltr">Look &amp; see &lt;b&gt;this&lt;/b&gt;<br>second line</p>'
        '&mdash; Ann &lt;Lee&gt; (@ann) <a href="https://twitter.com/ann/status/42">September 24, 2020</a></blockquote>\n'
        f"{SCRIPT}\n\n\n\n"
    )
    assert body(render([paper], [mention])) == expected


def test_time_line_and_embed_date_use_the_configured_time_zone():
    mention = make_mention(
        "1", likes=60, created_at="2020-09-24T23:30:00Z", observed_at="2020-09-25T08:00:00Z", embed_html=None
    )
    text = render([make_paper()], [mention], timezone="Asia/Tokyo")
    assert "(09/25/2020 17:00:00)" in text and ">September 25, 2020</a>" in text
    assert "date: 2020-09-25T08:00:47.Z\n" in text  # the frontmatter stays UTC


def test_real_oembed_html_passes_byte_identical():
    text = render([make_paper()], [make_mention("1", likes=60, embed_html=REAL_EMBED)])
    assert "\n\n" + REAL_EMBED.rstrip("\n") + "\n\n" in text


@pytest.mark.parametrize(
    "html",
    [
        REAL_EMBED.replace("<p lang", '<p onclick="alert(1)" lang'),
        REAL_EMBED.replace('href="https://t.co/6Wk9DparBL"', 'href="javascript:alert(1)"'),
        REAL_EMBED.replace('href="https://t.co/6Wk9DparBL"', 'href=" JAVASCRIPT:alert(1)"'),
        REAL_EMBED.replace("</p>", "<iframe src=https://evil.example></iframe></p>"),
        REAL_EMBED.replace("</p>", '<img src=x onerror="alert(1)"></p>'),
        REAL_EMBED.replace("</p>", "<style>body{display:none}</style></p>"),
        REAL_EMBED.replace("</p>", "<!-- x --></p>"),
        REAL_EMBED.replace("</p>", "<SCRIPT>alert(1)</SCRIPT></p>"),
        REAL_EMBED.replace('href="https://t.co/6Wk9DparBL"', "href='javascript:alert(1)'"),
        REAL_EMBED.replace('href="https://t.co/6Wk9DparBL"', 'href="javascript&colon;alert(1)"'),
        REAL_EMBED.replace('href="https://t.co/6Wk9DparBL"', 'href="https://t.co/x" href="javascript:alert(1)"'),
        REAL_EMBED.replace("</p>", '</p onclick="alert(1)">'),
        REAL_EMBED.replace("</p>", "<a\nhref=javascript:alert(1)>x</a></p>"),
        REAL_EMBED.replace("widgets.js", "evil.js"),
        REAL_EMBED + "<script>alert(1)</script>",
        REAL_EMBED.replace('class="twitter-tweet"', 'class="twitter-tweet" style="x"'),
        REAL_EMBED.replace("</blockquote>", "</blockquote><p>after</p>", 1),
        REAL_EMBED.replace("Do existing", "Do\n\n<pre>existing"),
        REAL_EMBED.replace("</p>", "</p></p>"),
        REAL_EMBED.replace(">https://t.co/6Wk9DparBL<", '><a href="https://evil.example">x</a><'),  # a link in a link
        REAL_EMBED.replace("Do existing", '<p dir="ltr">Do existing</p>'),  # a paragraph in a paragraph
        REAL_EMBED.replace(">https://t.co/6Wk9DparBL<", "><p>x</p><"),  # a paragraph in a link
        REAL_EMBED.replace('href="https://t.co/6Wk9DparBL"', 'href="https:///evil.example"'),  # no host
        REAL_EMBED.replace("</blockquote>", ""),
        "<pre>" + REAL_EMBED,
        "just text",
        "",
    ],
)
def test_unsafe_embed_html_is_replaced_by_the_escaped_fallback(html):
    assert checked_embed(html, X_EMBEDS)[1] is not None
    mention = make_mention("1", likes=60, text="plain words", embed_html=html)
    text = render([make_paper()], [mention])
    assert '<blockquote class="twitter-tweet"><p dir="ltr">plain words</p>' in text
    assert "alert" not in text and "evil" not in text and "<pre" not in text and "<!--" not in text


BLUESKY_EMBED = (
    '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:x/app.bsky.feed.post/1"><p lang="en">'
    'First paragraph.\r\n\r\nSecond <br>\n \n\t[x](javascript:alert(1))</p>&mdash; A (<a href="https://bsky.app/p">'
    "@a</a>)</blockquote>\r\n\r\n"
    '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>\r\n'
)


def test_line_breaks_in_embed_html_are_folded_into_one_html_block():
    mention = make_mention("1", likes=60, platform="bluesky", url="https://bsky.app/p", embed_html=BLUESKY_EMBED)
    text = render([make_paper()], [mention])
    folded = BLUESKY_EMBED.replace("\r\n\r\n", "\n").replace("\r\n", "").replace("<br>\n \n\t", "<br>\n")
    assert "\n\n" + folded + "\n\n" in text and "\r" not in text


def test_real_oembed_bodies_of_later_years_are_accepted():
    for name in ("x_oembed_alleyco_2023_default_params.json", "x_oembed_hot97_2024_emoji_surrogates.json"):
        html = json.loads((EXAMPLE_SNAPSHOT.parent.parent / "real-api" / name).read_text())["html"]
        assert checked_embed(html, X_EMBEDS)[1] is None, name


def test_markup_in_title_authors_and_abstract_cannot_open_html():
    paper = make_paper(
        title="<script>alert(1)</script> x < y, a<b, <3",
        authors=("<img src=x onerror=alert(1)>", "Bob"),
        abstract="<pre>\nline one\n<!-- comment\n<?php ?> <!DOCTYPE> </p> <https://x.org> <a@b.org> 1 < 2",
    )
    text = render([paper], [make_mention(likes=60)])
    assert "# 1. &lt;script>alert(1)&lt;/script> x < y, a<b, <3\n" in text
    assert "\n&lt;img src=x onerror=alert(1)>, Bob\n" in text
    assert (
        "&lt;pre> line one &lt;!-- comment &lt;?php ?> &lt;!DOCTYPE> &lt;/p> &lt;https&#58;//x.org> &lt;a@b.org> 1 < 2\n"
        in text
    )


@pytest.mark.parametrize("escape_markdown", [None, True])
def test_a_line_break_in_a_title_authors_or_abstract_cannot_start_a_heading(escape_markdown):
    paper = make_paper(
        title="Real title\n# 99. Injected heading",
        authors=("Ada\r\n> quoted",),
        abstract="First line\n\n# 98. Another  \n - item",
    )
    text = render([paper], [make_mention(likes=60)], output={"escape_markdown": escape_markdown})
    assert "\n# 99." not in text and "\n# 98." not in text and "\n>" not in text and "\n - " not in text
    assert len(paper_headings(text.encode())) == 1
    if escape_markdown is None:  # lumen: written as stored, but on one line
        assert "\n# 1. Real title # 99. Injected heading\n\nAda > quoted\n" in text
        assert "\nFirst line # 98. Another - item\n" in text


def test_a_blank_line_in_a_name_or_category_cannot_end_the_embed_or_open_a_block():
    mention = make_mention(
        "1", likes=60, author_name="Eve\n\n# 5. fake", author_handle="eve\n\n- x", embed_html=None, text="hi"
    )
    paper = make_paper(categories=("cs.LG", "odd\n> quote\n- item"))
    text = render([paper], [mention])
    assert "&mdash; Eve # 5. fake (@eve - x) <a " in text
    assert "| odd > quote - item\n" in text
    assert len(paper_headings(text.encode())) == 1 and "\n\n# 5." not in text


def test_hostile_links_and_categories_fall_back_to_safe_forms():
    paper = make_paper(
        "2009.00001",
        abs_url="javascript:alert(1)",
        pdf_url="https://arxiv.org/pdf/x) [click](javascript:alert(1)",
        categories=("cs.LG", "](javascript:alert(1))"),
    )
    text = render([paper], [make_mention(likes=60)])
    assert "- links: [abs](https://arxiv.org/abs/2009.00001) | [pdf](https://arxiv.org/pdf/2009.00001)\n" in text
    assert "| \\]\\(javascript:alert\\(1\\)\\)\n" in text


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022", "hugo", "jekyll"])
def test_categories_that_are_no_tag_alone_make_none_on_their_line(profile):
    """Each category was guarded alone, then joined: neither half of this tag is one,
    while the line held `<img src=x onerror="...// | ">`, which every parser passed on."""
    attack = ("cs.LG", "<img src=x onerror=\"top.location='javascript:alert%281%29'//", '">')
    text = render([make_paper(categories=attack)], [make_mention(likes=60)], output={"profile": profile})
    [line] = [line for line in text.splitlines() if "/list/cs.LG/" in line]
    assert "&lt;img src=x onerror=\"top.location='javascript:alert%281%29'//" in line and "<" not in line
    tokens = MarkdownIt("commonmark").parse(line)
    assert not [c.type for t in tokens for c in t.children or () if c.type in ("html_inline", "html_block")]


@pytest.mark.parametrize("profile", ["lumen", "hugo", "jekyll"])
def test_a_category_named_x_is_linked_by_a_reference_no_task_list_reads(profile):
    """`[x]`, `[X]` and `[ ]` in a list item's first paragraph are a task's checkbox to
    Hugo 0.111's goldmark, wherever they stand: `[x](...)` lost its link to one."""
    text = render([make_paper(categories=("x", "cs.LG", "X"))], [make_mention(likes=60)], output={"profile": profile})
    separator = " \\| " if profile == "jekyll" else " | "
    expected = separator.join(
        [
            "- [&#120;](https://arxiv.org/list/x/recent)",
            "[cs.LG](https://arxiv.org/list/cs.LG/recent)",
            "[&#88;](https://arxiv.org/list/X/recent)\n",
        ]
    )
    assert expected in text


def test_a_line_break_at_the_end_of_a_link_or_category_cannot_split_it():
    """Python's `$` also matches before a final line break; the checks must not."""
    paper = make_paper("2009.00001", abs_url="https://arxiv.org/abs/2009.00001\n", categories=("cs.LG\n",))
    text = render([paper], [make_mention(likes=60)])
    assert "- links: [abs](https://arxiv.org/abs/2009.00001) | " in text
    assert "\n- cs.LG \n\n" in text and "list/cs.LG\n" not in text  # the break folds into a space


def test_a_fallback_embed_without_author_names_the_platform_by_its_snapshot_key():
    """As stored days' posts have it: a snapshot renders to the same post forever."""
    html = PostRenderer(make_config()).fallback_embed(make_mention("1", author_name=None, author_handle=None))
    assert "&mdash; twitter <a href=" in html


def test_fallback_embed_of_a_mention_with_unsafe_url_has_no_link():
    mention = make_mention("1", likes=60, url="javascript:alert(1)", created_at=None, text=None)
    renderer = PostRenderer(make_config())
    html = renderer.fallback_embed(mention)
    assert "javascript" not in html.split("&mdash;")[1] and "<a " not in html
    assert html.split("\n")[0].endswith("&mdash; Some One (@someone)</blockquote>")  # no word "link", linking nothing
    assert checked_embed(renderer.fallback_embed(make_mention("1")), X_EMBEDS)[1] is None


@pytest.mark.parametrize(
    "value",
    [
        'He said "hi"',
        "back\\slash",
        "a: b # c",
        "1e3",
        "0o17",
        "12:30",
        "yes",
        "null",
        "~",
        "- item",
        "tab\there",
        "line\nbreak",
        "del\x7f",
        "nel\x85",
        "\ufeffbom",
        "😀 emoji",
        "  padded  ",
        "@at",
        "`tick",
        "'",
        "%x",
        "",
        "*alias",
        "&anchor",
        "!tag",
        "[x]",
        "{x",
        "{}",
    ],
)
def test_any_configured_string_survives_the_frontmatter(value):
    post = {
        "title": (value or "t") + " {date}",
        "description": value,
        "category": value,
        "tags": [value or "t"],
        "social_image": value,
        "slug": (value or "s") + "-{date}",
        "template": value or "post",
    }
    config = make_config(post=post)
    snapshot = make_snapshot([make_paper()], [make_mention(likes=60)])
    text = PostRenderer(config).render(rank(snapshot, config), snapshot)
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert front["title"] == (value or "t") + " 2020-09-24"
    assert front["description"] == value and front["category"] == value and front["tags"] == [value or "t"]
    assert front["socialImage"] == value and front["slug"] == (value or "s") + "-2020-09-24"


def test_lone_surrogate_in_config_is_refused():
    for surrogate in ("\ud800", "\udfff"):  # the first and the last
        with pytest.raises(InputError, match="lone surrogate"):
            yaml_str(f"bad {surrogate}")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F)) | st.text())
def test_yaml_str_reads_back_as_the_value(value):
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return
    assert yaml.safe_load(yaml_str(value)) == value


def test_plain_title_only_when_unambiguous():
    assert yaml_plain("Hot Papers 2020-09-24") == "Hot Papers 2020-09-24"
    assert yaml_plain("yes") == '"yes"'
    assert [yaml_plain(v) for v in ("y", "N", "Ny")] == ['"y"', '"N"', "Ny"]  # Go's YAML reads y and N as booleans
    assert [yaml_plain(v) for v in ("X", "Hot ", "Hot")] == ["X", '"Hot "', "Hot"]  # a trailing space is kept
    assert yaml_str("Café ü") == '"Café ü"'  # written as it is, not as YAML's escapes
    assert yaml_plain("Papers: 2020") == '"Papers: 2020"'
    # YAML 1.2's numbers (js-yaml, Go's YAML) that PyYAML's 1.1 reads as text
    assert [yaml_plain(v) for v in ("1e3", "0o17")] == ['"1e3"', '"0o17"']
    assert yaml_plain("Hot Papers (week 39) / cs.LG") == "Hot Papers (week 39) / cs.LG"


def test_a_long_frontmatter_value_stays_on_its_line():
    value = "A description of many words, " * 20
    assert yaml_str(value) == f'"{value}"'


def test_social_image_null_leaves_the_key_out():
    text = render([make_paper()], [make_mention(likes=60)], post={"social_image": None})
    assert (
        "socialImage" not in text
        and yaml.safe_load(text.split("\n---\n")[0][4:])["description"] == "Hot papers 2020-09-24"
    )


def test_site_template_overrides_the_packaged_one(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "post.md.j2").write_text(
        "---\nlayout: mine\n---\n{% for item in papers %}{{ item.paper.id }}\n{% endfor %}"
    )
    config = make_config(root=tmp_path)
    snapshot = make_snapshot([make_paper()], [make_mention(likes=60)])
    assert PostRenderer(config).render(rank(snapshot, config), snapshot) == "---\nlayout: mine\n---\n2009.00001\n"


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("post.md.j2", "---\ntitle: x\n{{ title }\n", r"post\.md\.j2, line 3: unexpected '}'"),
        (
            "post.md.j2",
            "---\n{% for item in papers %}\n{{ item.paper.nokey }}{% endfor %}\n",
            r"post\.md\.j2, line 3: .* has no attribute 'nokey'",
        ),
        ("post.md.j2", "{% include 'mine.md.j2' %}", r"mine\.md\.j2 not found, included from \S*post\.md\.j2, line 1$"),
        (
            "post.md.j2",
            "---\n{% include '_paper.md.j2' %}",
            r"_paper\.md\.j2 not found \(did you mean _papers\.md\.j2\?\), included from \S*post\.md\.j2, line 2$",
        ),
        (  # a name in other letter case, which Linux's files do not see past
            "post.md.j2",
            "---\n{% include '_PAPERS.MD.J2' %}",
            r"_PAPERS\.MD\.J2 not found \(did you mean _papers\.md\.j2\?\), included from \S*post\.md\.j2, line 2$",
        ),
        ("embeds/generic.html.j2", "{% if %}", r"embeds/generic\.html\.j2, line 1: Expected an expression"),
    ],
)
def test_a_mistake_in_a_site_template_names_the_file_and_line(tmp_path, name, source, expected):
    (tmp_path / "templates" / "embeds").mkdir(parents=True)
    (tmp_path / "templates" / name).write_text(source)
    config = make_config(root=tmp_path)
    snapshot = make_snapshot([make_paper()], [make_mention(likes=60)])
    with pytest.raises(InputError, match=r"^template .*" + expected) as info:
        PostRenderer(config).render(rank(snapshot, config), snapshot)
    assert "\n" not in info.value.message


FORGED = "".join(f"\n# {n}. x" for n in range(2, 21))


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        (EXAMPLE_POST.read_bytes(), 11),
        (b"# 1. a\n\n<blockquote>" + FORGED.encode() + b"</blockquote>\n", 1),
        (b"# 1. a\r\r# 2. b\r\n# 3. c\n    # 4. indented code\n## 5. h2\n# six\n7. item\n===\n", 3),
        (b"---\ntitle: x\n---\n# 1. a\n", 1),
        (b"---\ntitle: x\n# 1. a YAML comment\n---\n# 1. a\n", 1),
        (b"# 1. a\n\n```\n2. code\n```\n", 1),
        (b"1234567890. ten digits make no list item, and a paragraph no heading\n", 0),
        (b"# 1. caf\xe9 saved as Latin-1\n", 1),
        (b"# 1. \n\n# 2.\n\n# 3. \xc2\xa0\n", 3),  # titles of white space
    ],
)
def test_paper_count_is_what_a_commonmark_parser_sees(post, expected):
    assert len(paper_headings(post)) == expected


@pytest.mark.parametrize("title", [" \t ", "\u202e", "\x00\r\n"])
def test_a_title_of_nothing_to_show_is_still_a_paper_and_its_post_is_rebuilt(site, title):
    """A title of white space, or of characters every text drops (a bidi override), made the
    heading `# 1. `, read as `1.`: the post was counted one paper short of its snapshot, and
    every later build kept it ("the new post's papers cannot be counted") unless --force."""
    papers = [make_paper("2009.00001", title=title), make_paper("2009.00002")]
    mentions = [make_mention("1", (papers[0].id,), likes=100), make_mention("2", (papers[1].id,), likes=90)]
    path = site / "data" / "snapshots" / "2020-09-24.json"
    save_snapshot(make_snapshot(papers, mentions), path)
    post = site / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    assert (
        re.search(r"\n# 1\. \s*\n\n", post.read_text(encoding="utf-8")) and len(paper_headings(post.read_bytes())) == 2
    )
    mentions[1] = make_mention("2", (papers[1].id,), likes=200)
    save_snapshot(make_snapshot(papers, mentions), path)
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0 and "wrote content/posts/2020-09-24---Hot-Papers.md (2 papers)" in result.output
    assert re.search(r"\n# 2\. \s*\n\n", post.read_text(encoding="utf-8"))


def test_a_forged_heading_count_replaces_no_post_through_the_cli(site):
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    post = site / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    forged = REAL_EMBED.replace("</p>", FORGED + "</p>", 1)
    assert checked_embed(forged, X_EMBEDS)[1] is None  # text in an embed: allowed, and written as is
    snapshot = make_snapshot([make_paper()], [make_mention("1", likes=60, embed_html=forged)])
    save_snapshot(snapshot, site / "data" / "snapshots" / "2020-09-24.json")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0 and "it lists 11 papers, the new one 1 (--force replaces it)" in result.output
    assert post.read_bytes() == EXAMPLE_POST.read_bytes()
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--force"]).exit_code == 0
    assert len(paper_headings(post.read_bytes())) == 1 and FORGED in post.read_text(encoding="utf-8")


@pytest.mark.parametrize("title", ["yes", "Hot: {date}", "12:30", "a\r---\rdraft: true"])
def test_a_frontmatter_that_reads_back_otherwise_is_refused(tmp_path, title):
    """The read-back check: a site's template writing a value unquoted changes what YAML
    reads (a boolean, a broken mapping, a sexagesimal number, a frontmatter ended early by a CR)."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "post.md.j2").write_text(
        "---\ntitle: {{ title }}\n---\n{% for item in papers %}\n# {{ loop.index }}. x\n{% endfor %}"
    )
    config = make_config(root=tmp_path, post={"title": title})
    snapshot = make_snapshot([make_paper()], [make_mention(likes=60)])
    with pytest.raises(InputError, match="does not read back as configured"):
        PostRenderer(config).render(rank(snapshot, config), snapshot)
    assert PostRenderer(make_config(root=tmp_path)).render(rank(snapshot, config), snapshot).startswith("---\n")


CONTROLS = "\x00\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""NUL, BEL, backspace, VT, FF, ESC, DEL, two C1 controls, and the bidi overrides and isolates."""


@pytest.mark.parametrize("escape_markdown", [None, True])
def test_control_characters_and_bidi_overrides_are_dropped_from_every_untrusted_text(escape_markdown):
    def hostile(word):
        return f"{word[0]}{CONTROLS}{word[1:]}\tend"

    paper = make_paper(
        "2009.00001",
        title=hostile("Title"),
        authors=(hostile("Ada"), "Bob"),
        abstract=hostile("Abstract"),
        categories=("cs.LG", hostile("odd(")),
    )
    mentions = [
        make_mention(
            "1",
            likes=60,
            text=hostile("Post") + "\n" + hostile("line"),
            author_name=hostile("Eve"),
            author_handle=hostile("eve"),
        ),
        make_mention(
            "2",
            platform="hackernews",
            likes=50,
            url="https://news.ycombinator.com/item?id=2",
            text=hostile("Show HN"),
        ),
    ]
    text = render([paper], mentions, output={"escape_markdown": escape_markdown})
    assert not any(ch in text for ch in CONTROLS)
    for word in ("Title\tend", "Ada\tend", "Abstract\tend", "Post\tend<br>line\tend", "Eve\tend (@eve\tend)"):
        assert word in text
    assert "Show HN\tend](https://news.ycombinator.com/item?id=2)" in text
    assert "odd\\(\tend" in text


def test_a_dropped_control_character_cannot_hide_markup_from_the_guards():
    paper = make_paper(title="<\x00script>x", abstract="[a]\u202e(javascript:alert(1))", authors=("<\x1bimg src=x>",))
    text = render([paper], [make_mention(likes=60)])
    assert "# 1. &lt;script>x\n" in text
    assert "\n[a]\\(javascript:alert(1))\n" in text
    assert "\n&lt;img src=x>\n" in text


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x85", "\u202e", "\u2066"])
def test_an_embed_holding_a_control_character_fails_the_allow_list(control):
    html = REAL_EMBED.replace("Do existing", f"Do{control} existing")
    assert checked_embed(REAL_EMBED, X_EMBEDS)[1] is None
    assert checked_embed(html, X_EMBEDS)[1] is not None
    text = render([make_paper()], [make_mention(likes=60, embed_html=html, text=f"Do{control} existing")])
    assert control not in text and '<p dir="ltr">Do existing</p>' in text


@pytest.mark.parametrize("reference", ["&#x202E;", "&#8238;", "&#X2066", "&#0008238;", "&#x1b;", "&#0;"])
def test_an_embed_holding_a_reference_to_a_control_character_fails_the_allow_list(reference):
    """A browser decodes the reference (with or without its `;`) into the character itself."""
    html = REAL_EMBED.replace("Do existing", f"Do {reference} existing")
    assert checked_embed(html, X_EMBEDS)[1] == f"a character reference to a control character ({reference})"
    text = render([make_paper()], [make_mention(likes=60, embed_html=html, text=f"Do {reference} existing")])
    assert f'<p dir="ltr">Do &amp;{reference[1:]} existing</p>' in text


def test_a_reference_the_allow_list_refuses_is_named_in_a_few_characters():
    html = REAL_EMBED.replace("Do existing", f"Do &#{'0' * 10**6}8238; existing")
    assert checked_embed(html, X_EMBEDS)[1] == "a character reference to a control character (&#0000000000000…)"


def test_an_embed_holding_references_to_other_characters_passes_the_allow_list():
    html = REAL_EMBED.replace("Do existing", "Do &#233; &#x27; &amp; &#1114112; &#xFFFFFFFFF; existing")
    assert checked_embed(html, X_EMBEDS) == (html.rstrip("\n"), None)


def test_a_link_holding_a_control_character_falls_back():
    paper = make_paper("2009.00001", abs_url="https://arxiv.org/abs/2009.00001\x00x", pdf_url="https://x.org/\u202ep")
    mention = make_mention("1", likes=60, url="https://twitter.com/a/status/1\x1b", embed_html=None)
    text = render([paper], [mention])
    assert "- links: [abs](https://arxiv.org/abs/2009.00001) | [pdf](https://arxiv.org/pdf/2009.00001)\n" in text
    assert "status/1" not in text and "\x1b" not in text


def test_feed_entries_drop_control_characters_too():
    from hotpapers.feeds import feed_entry

    config = make_config(site={"url": "https://example.org"})
    snapshot = make_snapshot([make_paper(title=f"A{CONTROLS}B")], [make_mention(likes=60)])
    entry = feed_entry(snapshot, rank(snapshot, config), config)
    assert entry.summary.endswith("led by: AB") and ">AB</a>" in entry.html


@pytest.mark.parametrize("abs_url, pdf_url", [("ftp://example.org/x", "javascript:alert(1)"), ("mailto:a@b.c", None)])
def test_a_stored_url_that_is_not_plain_http_is_kept_but_the_post_links_arxiv(tmp_path, abs_url, pdf_url):
    """docs/snapshot.md: the schema takes any URI; the post links only http(s)."""
    paper = make_paper("2009.00001", abs_url=abs_url, pdf_url=pdf_url)
    path = tmp_path / "2020-09-24.json"
    save_snapshot(make_snapshot([paper], [make_mention("1", reposts=50, likes=100)]), path)
    snapshot = load_snapshot(path)
    assert (snapshot.papers[0].abs_url, snapshot.papers[0].pdf_url) == (abs_url, pdf_url)
    config = make_config()
    post = render_post(snapshot, rank(snapshot, config), config)
    assert "- links: [abs](https://arxiv.org/abs/2009.00001)" in post and abs_url not in post
    assert ("| [pdf](https://arxiv.org/pdf/2009.00001)" in post) == (pdf_url is not None)


@pytest.mark.parametrize("profile", ["lumen", "jekyll"])
def test_a_paper_without_categories_gets_no_empty_list_item(profile):
    """A snapshot written by hand may give a paper no category (the schema allows an empty
    list): its post had a line `- ` there, an empty bullet on every site."""
    paper = make_paper(categories=(), pdf_url=None, abstract="Abs.")
    text = body(render([paper], [make_mention(likes=60)], output={"profile": profile}))
    assert "- links: [abs](https://arxiv.org/abs/2009.00001)\n\nAbs.\n" in text
    assert "\n- \n" not in text
