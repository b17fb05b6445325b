"""A site's own templates (its `templates/` folder overrides the bundled ones by name)
cannot switch off the guards: a post listing more papers is still kept (papers are
counted by numbered headings at any level; a post whose papers cannot be counted
replaces no other post without --force, and the feeds match posts by the same rule),
a post without frontmatter is refused, naming the template, with nothing written, and so
is any fault of a template: one line naming its file and line, exit 2."""

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT, make_config
from hotpapers.cli import cli
from hotpapers.feeds import update_feeds
from hotpapers.render import bundled_templates, paper_headings

POST = Path("content/posts/2020-09-24---Hot-Papers.md")
HUGO_POST = Path("content/posts/2020-09-24-hot-papers.md")
FEWER = "ranking:\n  min_paper_score: 200\n"
"""The example day lists 11 papers; 5 of them score 200 or more."""


@pytest.fixture
def bare_site(tmp_path, monkeypatch):
    """A site with the example snapshot, a `templates/` folder and no config file."""
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    (tmp_path / "templates").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args))


def site_template(site, name, text):
    (site / "templates" / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


def papers_template(replace):
    """The bundled `_papers.md.j2` with its heading line replaced."""
    bundled = (bundled_templates() / "_papers.md.j2").read_text(encoding="utf-8")
    changed = bundled.replace("# {{ loop.index }}. {{ item.paper.title | md_heading }}", replace)
    assert changed != bundled
    return changed


def test_papers_under_level_2_headings_are_counted_and_the_longer_post_kept(bare_site):
    site_template(bare_site, "_papers.md.j2", papers_template("## {{ loop.index }}. {{ item.paper.title | md_text }}"))
    result = run("build", "2020-09-24", "--offline")
    assert result.exit_code == 0 and "(11 papers)" in result.output
    before = POST.read_bytes()
    assert len(paper_headings(before)) == 11
    (bare_site / "hotpapers.yaml").write_text(FEWER)
    result = run("build", "2020-09-24", "--offline")
    assert result.exit_code == 0
    assert "kept content/posts/2020-09-24---Hot-Papers.md: it lists 11 papers, the new one 5" in result.output
    assert POST.read_bytes() == before
    assert run("build", "2020-09-24", "--offline", "--force").exit_code == 0
    assert len(paper_headings(POST.read_bytes())) == 5


@pytest.mark.parametrize(
    "heading",
    [
        "## {{ item.paper.title | md_text }}",  # no numbers
        "# {{ loop.index }}. {{ item.paper.title | md_text }}\n\n# 99. An extra",  # one heading too many
    ],
)
def test_a_post_whose_papers_cannot_be_counted_replaces_no_other_post_without_force(bare_site, heading):
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    before = POST.read_bytes()
    site_template(bare_site, "_papers.md.j2", papers_template(heading))
    (bare_site / "hotpapers.yaml").write_text(FEWER)
    for args in ((), ("--dry-run",)):
        result = run("build", "2020-09-24", "--offline", *args)
        assert result.exit_code == 0, result.output
        assert re.search(
            r"(kept|would keep) content/posts/2020-09-24---Hot-Papers\.md: the new post's papers cannot be counted: "
            r"the templates write \d+ numbered headings? for 5 papers, .*\(--force replaces it\)",
            result.output,
        ), result.output
        assert POST.read_bytes() == before
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    assert POST.read_bytes() == before
    result = run("build", "2020-09-24", "--offline", "--force")
    assert result.exit_code == 0 and "wrote" in result.output and POST.read_bytes() != before


def test_an_uncountable_post_is_still_written_where_there_is_none_and_left_as_it_is(bare_site):
    site_template(bare_site, "_papers.md.j2", papers_template("## {{ item.paper.title | md_text }}"))
    assert "wrote" in run("build", "2020-09-24", "--offline").output
    result = run("build", "2020-09-24", "--offline")
    assert result.exit_code == 0 and "is up to date" in result.output


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        (b"## 1. a\n\n## 2. b\n\n### 3. c\n", ["1. a", "2. b"]),
        (b"### 1. a\n\n#### 1. part\n\n### 2. b\n", ["1. a", "2. b"]),
        (b"# Intro\n\n## 1. a\n\nb\n--\n", ["1. a"]),
    ],
)
def test_papers_are_the_numbered_headings_of_the_highest_level_that_has_any(post, expected):
    assert paper_headings(post) == expected


def test_feeds_list_a_day_whose_template_numbers_level_2_headings(bare_site):
    site_template(bare_site, "_papers.md.j2", papers_template("## {{ loop.index }}. {{ item.paper.title | md_text }}"))
    (bare_site / "hotpapers.yaml").write_text("site:\n  url: https://example.org\n")
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    POST.write_bytes(POST.read_bytes() + b"\nA line the settings do not make.\n")
    config = make_config(root=bare_site, site={"url": "https://example.org"})
    report = update_feeds(config)
    assert report is not None and report.left_out == () and report.line and "1 entry" in report.line


def test_feeds_leave_out_a_changed_post_whose_papers_cannot_be_counted(bare_site):
    site_template(
        bare_site,
        "_papers.md.j2",
        papers_template("# {{ loop.index }}. {{ item.paper.title | md_text }}\n\n# 99. An extra"),
    )
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    POST.write_bytes(POST.read_bytes() + b"\nA line the settings do not make.\n")
    report = update_feeds(make_config(root=bare_site, site={"url": "https://example.org"}))
    assert report is not None and report.left_out == ("2020-09-24",)


HUGO = "output:\n  profile: hugo\n"


@pytest.mark.parametrize(
    ("template", "why"),
    [
        ("", "writes an empty post"),
        ("Hello {{ title }}\n", "writes a post without frontmatter"),
        ("\n---\ntitle: {{ title }}\n---\n", "writes a post without frontmatter"),
    ],
)
def test_a_template_writing_no_frontmatter_is_refused_and_nothing_written(bare_site, template, why):
    (bare_site / "hotpapers.yaml").write_text(HUGO)
    site_template(bare_site, "post-hugo.md.j2", template)
    for args in (("build", "2020-09-24", "--offline"), ("render", "data/snapshots/2020-09-24.json", "-o", "out.md")):
        result = run(*args)
        assert result.exit_code == 2, result.output
        line = result.output.strip()
        assert "\n" not in line and line.startswith("Error: template ")
        assert f"templates/post-hugo.md.j2 {why}" in line and "every post needs" in line
    assert not HUGO_POST.exists() and not Path("out.md").exists()
    result = run("render", "data/snapshots/2020-09-24.json")
    assert result.exit_code == 2 and "post-hugo.md.j2" in result.output


@pytest.mark.parametrize(
    ("profile", "name", "left_out", "why"),
    [
        (
            "hugo",
            "post-hugo.md.j2",
            ("slug",),
            "writes no slug into the post's frontmatter: the site then makes the post's address otherwise, "
            "where the feeds do not link it; write it as the bundled post-hugo.md.j2 does",
        ),
        (
            "jekyll",
            "post-jekyll.md.j2",
            ("slug",),
            "writes no slug into the post's frontmatter: the site then makes the post's address otherwise, "
            "where the feeds do not link it; write it as the bundled post-jekyll.md.j2 does",
        ),
        (
            "hugo",
            "post-hugo.md.j2",
            ("date",),
            "writes no date into the post's frontmatter: the site then dates the post otherwise than the "
            "feeds do; write it as the bundled post-hugo.md.j2 does",
        ),
        (
            "lumen",
            "post.md.j2",
            ("date", "slug"),
            "writes no date or slug into the post's frontmatter: the site then dates the post otherwise than "
            "the feeds do, and makes the post's address otherwise, where the feeds do not link it; write them "
            "as the bundled post.md.j2 does",
        ),
    ],
)
def test_a_template_leaving_out_the_slug_or_the_date_is_warned_of(bare_site, profile, name, left_out, why):
    """A site's template may leave keys out, but a post without its slug is published
    where the feeds do not link it (a Jekyll site put every day's at /hot-papers/), and one
    without its date is dated otherwise (Hugo dated it 0001-01-01): both were said nothing of."""
    (bare_site / "hotpapers.yaml").write_text(f"output:\n  profile: {profile}\n")
    bundled = (bundled_templates() / name).read_text(encoding="utf-8")
    kept = [line for line in bundled.split("\n") if not line.startswith(tuple(f"{key}:" for key in left_out))]
    assert len(kept) == bundled.count("\n") + 1 - len(left_out)
    site_template(bare_site, name, "\n".join(kept))
    for args in (("build", "2020-09-24", "--offline"), ("render", "data/snapshots/2020-09-24.json")):
        result = run(*args)
        assert result.exit_code == 0, result.output
        warned = [line for line in result.stderr.splitlines() if "writes no" in line]
        assert len(warned) == 1 and re.fullmatch(
            rf"2020-09-24: the template \S*templates/{re.escape(name)} {re.escape(why)}", warned[0]
        )
    assert [p.name for p in (bare_site / ("_posts" if profile == "jekyll" else "content/posts")).iterdir()]


def test_a_bundled_template_is_warned_of_nothing(bare_site):
    for profile in ("lumen", "lumen-2022", "hugo", "jekyll"):
        (bare_site / "hotpapers.yaml").write_text(f"output:\n  profile: {profile}\n")
        result = run("render", "data/snapshots/2020-09-24.json")
        assert result.exit_code == 0 and not result.stderr, result.output


def test_a_refused_post_leaves_the_existing_post_as_it_was(bare_site):
    (bare_site / "hotpapers.yaml").write_text(HUGO)
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    before = HUGO_POST.read_bytes()
    site_template(bare_site, "post-hugo.md.j2", "")
    assert run("build", "2020-09-24", "--offline", "--force").exit_code == 2
    assert HUGO_POST.read_bytes() == before


def test_a_template_saved_with_a_byte_order_mark_is_read_without_it(bare_site):
    (bare_site / "hotpapers.yaml").write_text(HUGO)
    bundled = (bundled_templates() / "post-hugo.md.j2").read_bytes()
    site_template(bare_site, "post-hugo.md.j2", b"\xef\xbb\xbf" + bundled)
    assert run("build", "2020-09-24", "--offline").exit_code == 0
    assert HUGO_POST.read_bytes().startswith(b"---\ntitle: ")


def test_a_frontmatter_that_does_not_read_back_names_the_template_in_use(bare_site):
    (bare_site / "hotpapers.yaml").write_text(HUGO)
    bundled = (bundled_templates() / "post-hugo.md.j2").read_text(encoding="utf-8")
    site_template(bare_site, "post-hugo.md.j2", re.sub(r"(?m)^title: .*$", "title: [unclosed", bundled))
    result = run("build", "2020-09-24", "--offline")
    assert result.exit_code == 2 and not HUGO_POST.exists()
    assert "does not read back as configured" in result.output
    assert re.search(r"check the post settings and the template \S*templates/post-hugo\.md\.j2\n", result.output)


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (
            "\ndescription:",
            "\nauthor: Our: Lab\ndescription:",
            "it is not valid YAML at line 13 (mapping values are not allowed in this context); "
            "line 13 of the post reads 'author: Our: Lab'",
        ),
        (
            "title: {{ title | yaml_plain }}",
            'title: "My {{ title }}"',
            "title reads back as 'My Hot Papers 2020-09-24'",
        ),
        ("draft: {{ post.draft | yaml_bool }}", "draft: yes", "draft reads back as True, not False"),
        (
            "\ndate:",
            "\ndate: 2020-01-01\ndate:",
            "date is given twice, at lines 3 and 4 of the post",
        ),  # gray-matter refuses
    ],
)
def test_a_frontmatter_that_does_not_read_back_says_which_line_or_key(bare_site, old, new, why):
    """A site adding a field to its frontmatter learnt only that it 'does not read back as
    configured': not the YAML problem, nor the line of the post, nor the key it changed."""
    bundled = (bundled_templates() / "post.md.j2").read_text(encoding="utf-8")
    assert old in bundled
    site_template(bare_site, "post.md.j2", bundled.replace(old, new, 1))
    result = run("build", "2020-09-24", "--offline")
    assert result.exit_code == 2 and not POST.exists()
    assert f"does not read back as configured: {why}" in result.output


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        (
            "post.md.j2",
            "---\ntitle: x\n---\n\n{{ 1/0 }}\n",
            r"post\.md\.j2, line 5: division by zero \(ZeroDivisionError\)",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}\n{{ item.paper.title[99] }}{% endfor %}",
            r"_papers\.md\.j2, line 2",
        ),
        ("post.md.j2", "---\n{{ '%d' % 'x' }}\n---\n", r"post\.md\.j2, line 2: .*\(TypeError\)"),
        (
            "post.md.j2",
            "---\ntitle: {{ title | yaml_string }}\n---\n",
            r"post\.md\.j2, line 2: No filter named 'yaml_string'\. \(did you mean yaml_str ",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}\n# {{ item.paper.title | md_header }}{% endfor %}",
            r"_papers\.md\.j2, line 2: No filter named 'md_header'\. \(did you mean md_heading\?\)",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}\n# {{ item.paper.title | MD_HEADING }}{% endfor %}",
            r"_papers\.md\.j2, line 2: No filter named 'MD_HEADING'\. \(did you mean md_heading\?\)",
        ),
        ("post.md.j2", "---\n{% include 'post.md.j2' %}\n---\n", r"post\.md\.j2, line \d+: .*\(RecursionError\)"),
        (
            "post.md.j2",
            "---\ntitle: {{ titel }}\n---\n",
            r"post\.md\.j2, line 2: 'titel' is undefined \(did you mean title\?\)$",
        ),
        (
            "_papers.md.j2",
            "\n{% for item in paper %}{% endfor %}",
            r"_papers\.md\.j2, line 2: 'paper' is undefined \(did you mean papers\?\)$",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}\n{{ itme.score }}{% endfor %}",
            r"_papers\.md\.j2, line 2: 'itme' is undefined \(did you mean item or title\?\)$",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}\n{{ xyzzy }}{% endfor %}",
            r"_papers\.md\.j2, line 2: 'xyzzy' is undefined$",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}\n{% if item.paper.coment %}x{% endif %}{% endfor %}",
            r"_papers\.md\.j2, line 2: a Paper has no attribute 'coment' \(did you mean comment\?\)$",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}\n{{ item.Score }}{% endfor %}",
            r"_papers\.md\.j2, line 2: a RankedPaper has no attribute 'Score' \(did you mean score\?\)$",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}{% for mention in item.shown %}\n\n{{ mention.author }}{% endfor %}{% endfor %}",
            r"_papers\.md\.j2, line 3: a Mention has no attribute 'author' "
            r"\(did you mean author_name or author_handle\?\)$",
        ),
        (
            "_papers.md.j2",
            "{% for item in papers %}\n{{ item.paper.venue }}{% endfor %}",
            r"_papers\.md\.j2, line 2: a Paper has no attribute 'venue' \(its fields: id, title, authors, "
            r"categories, abstract, abs_url, pdf_url, version, published, updated, comment, journal_ref, doi\)$",
        ),
        ("_papers.md.j2", b"caf\xe9 {{ title }}\n", r"_papers\.md\.j2, line 1: not UTF-8 text"),
        ("post.md.j2", b"---\ntitle: caf\xe9\n---\n", r"post\.md\.j2, line 2: not UTF-8 text"),
    ],
)
def test_any_fault_of_a_template_is_one_line_naming_its_file_and_exit_2(bare_site, name, source, expected):
    site_template(bare_site, name, source)
    for args in (("build", "2020-09-24", "--offline"), ("render", "data/snapshots/2020-09-24.json")):
        result = run(*args)
        assert result.exit_code == 2, result.output
        line = result.output.strip()
        assert "\n" not in line and "internal error" not in line
        assert re.match(r"Error: template \S*templates/" + expected, line), line
    assert not POST.exists()


@pytest.mark.parametrize(
    ("profile", "name", "old", "new", "why"),
    [
        (
            "hugo",
            "post-hugo.md.j2",
            "  - {{ category | yaml_str }}",
            '  - "news"',
            "categories reads back as ['news'], not ['arXiv']",
        ),
        ("jekyll", "post-jekyll.md.j2", 'layout: "post"', 'layout: "page"', "layout reads back as 'page', not 'post'"),
        (
            "lumen",
            "post.md.j2",
            "date: {{ snapshot.taken_at | utc_stamp }}.Z",
            "date: 2020-09-25T08:00:00.Z",
            "date reads back as 2020-09-25T08:00:00+00:00, not 2020-09-25T08:00:47+00:00",
        ),
        (
            "hugo",
            "post-hugo.md.j2",
            "date: {{ snapshot.taken_at | utc_stamp }}Z",
            "date: {{ date }}",
            "date reads back as 2020-09-24, not 2020-09-25T08:00:47+00:00",  # was datetime.date(2020, 9, 24)
        ),
        (
            "lumen",
            "post.md.j2",
            "description: {{ description | yaml_str }}",
            'description: "Cold papers"',
            "description reads back as 'Cold papers', not 'Hot papers 2020-09-24'",
        ),
        ("lumen", "post.md.j2", "  - {{ tag | yaml_str }}", '  - "news"', "tags reads back as ['news', 'news'"),
        (
            "lumen",
            "post.md.j2",
            "category: {{ post.category | yaml_str }}",
            'category: "news"',
            "category reads back as 'news', not 'arXiv'",
        ),
        (
            "hugo",
            "post-hugo.md.j2",
            "draft: {{ post.draft | yaml_bool }}",
            "draft: true",
            "draft reads back as True, not False",
        ),
        (
            "hugo",
            "post-hugo.md.j2",
            "slug: {{ slug | yaml_str }}",
            'slug: "mine"',
            "slug reads back as 'mine', not 'hot-papers-2020-09-24'",
        ),
        (
            "jekyll",
            "post-jekyll.md.j2",
            "slug: {{ slug | yaml_str }}",
            'slug: "mine"',
            "slug reads back as 'mine', not 'hot-papers-2020-09-24'",
        ),
        (
            "jekyll",
            "post-jekyll.md.j2",
            "  - {{ category | yaml_str }}",
            '  - "news"',
            "categories reads back as ['news'], not ['arXiv']",
        ),
        (
            "jekyll",
            "post-jekyll.md.j2",
            "published: {{ (not post.draft) | yaml_bool }}",
            "published: false",
            "published reads back as False, not True",
        ),
        (
            "lumen",
            "post.md.j2",
            "template: {{ post.template | yaml_str }}",
            'template: "page"',
            "template reads back as 'page', not 'post'",
        ),
        (
            "lumen",
            "post.md.j2",
            "socialImage: {{ post.social_image | yaml_str }}",
            'socialImage: "/a.png"',
            "socialImage reads back as '/a.png', not '/media/flying-marine.jpg'",
        ),
        (
            "lumen-2022",
            "post-lumen-2022.md.j2",
            'slug: {{ ("/posts/" ~ slug) | yaml_str }}',
            "slug: {{ slug | yaml_str }}",
            "slug reads back as 'hot-papers-2020-09-24', not '/posts/hot-papers-2020-09-24'",
        ),
        (
            "lumen",
            "post.md.j2",
            "---\ntitle:",
            "---\n- a list\n- not a mapping\n---\ntitle:",
            "it is no YAML mapping of keys to values",
        ),
    ],
)
def test_each_profile_s_own_keys_must_read_back(bare_site, profile, name, old, new, why):
    """The keys one profile's generator reads (Hugo's categories, Jekyll's layout,
    published, slug and categories, lumen's template and socialImage, lumen-2022's slug as a page path):
    a site's own template writing another value is refused, naming the key (the values
    expected are the defaults of config.py's PostSettings)."""
    (bare_site / "hotpapers.yaml").write_text(f"output:\n  profile: {profile}\n")
    bundled = (bundled_templates() / name).read_text(encoding="utf-8")
    assert old in bundled
    site_template(bare_site, name, bundled.replace(old, new, 1))
    result = run("build", "2020-09-24", "--offline")
    assert result.exit_code == 2, result.output
    assert f"does not read back as configured: {why}" in result.output
    assert not [p for p in bare_site.rglob("*.md") if "templates" not in p.parts]
