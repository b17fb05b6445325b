"""What a template sees and writes (docs/post-format.md, "What a template sees"): the
filters a site's own template may use that the bundled ones do not, and the fields the
renderer's own embed is written from."""

import pytest

from conftest import make_config, make_mention, make_paper, make_snapshot
from hotpapers.errors import InputError
from hotpapers.rank import rank
from hotpapers.render import PostRenderer


def render_with(tmp_path, template, paper=None, **config):
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "post.md.j2").write_text(template, encoding="utf-8")
    config = make_config(root=tmp_path, **config)
    snapshot = make_snapshot([paper or make_paper()], [make_mention(likes=60)])
    return PostRenderer(config).render(rank(snapshot, config), snapshot)


def test_a_name_an_embed_template_is_not_given_is_said_with_the_one_it_likely_stands_for(tmp_path):
    """An embed template is given text, name, handle, url and when, not the post's names: a
    misspelt one is said with the embed's name it stands for."""
    (tmp_path / "templates" / "embeds").mkdir(parents=True)
    embed = tmp_path / "templates" / "embeds" / "twitter.html.j2"
    embed.write_text("<blockquote>\n{{ txt }}</blockquote>", encoding="utf-8")
    shown = "{% for item in papers %}{% for mention in item.shown %}{{ mention | embed }}{% endfor %}{% endfor %}"
    with pytest.raises(InputError) as info:
        render_with(tmp_path, "---\nlayout: mine\n---\n" + shown)
    assert info.value.message == f"template {embed}, line 2: 'txt' is undefined (did you mean text?)"


def test_local_time_writes_a_time_stamp_in_the_configured_time_zone(tmp_path):
    post = render_with(tmp_path, "---\nlayout: mine\n---\n{{ snapshot.taken_at | local_time }}", timezone="Asia/Tokyo")
    assert post == "---\nlayout: mine\n---\n09/25/2020 17:00:47"  # taken_at 08:00:47Z is 17:00:47 at UTC+9


def test_pdf_link_of_a_paper_without_a_pdf_url_is_arxiv_s(tmp_path):
    template = "---\nlayout: mine\n---\n{% for item in papers %}{{ item.paper | pdf_link }}{% endfor %}"
    post = render_with(tmp_path, template, make_paper("2009.00001", pdf_url=None))
    assert post == "---\nlayout: mine\n---\nhttps://arxiv.org/pdf/2009.00001"


OPTIONAL_FIELDS = (
    "{% for item in papers %}[{{ item.paper.comment | md_text }}][{{ item.paper.journal_ref | md_heading }}]"
    "[{{ item.paper.published | local_time }}][{{ item.paper.updated | utc_stamp }}]"
    "{% for mention in item.shown %}[{{ mention.text | md_text }}][{{ mention.created_at | local_time }}]{% endfor %}"
    "{% endfor %}"
)
"""A site's template writing the optional fields of a paper and of its shown mentions."""


@pytest.mark.parametrize("profile", ["lumen", "hugo", "jekyll"])
def test_an_optional_field_a_snapshot_leaves_out_is_written_as_nothing(tmp_path, profile):
    """A template written on a day whose snapshot has them (arXiv's papers carry
    `published`) failed on a day without them (a paper or mention written by hand):
    "'NoneType' object has no attribute 'isprintable' (AttributeError)", or
    "fromisoformat: argument must be str (TypeError)", and the nightly build wrote no post."""
    name = "post.md.j2" if profile == "lumen" else f"post-{profile}.md.j2"
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / name).write_text("---\nours: yes\n---\n" + OPTIONAL_FIELDS, encoding="utf-8")
    config = make_config(root=tmp_path, output={"profile": profile}, timezone="Asia/Tokyo")
    bare = make_mention(likes=60, text=None, created_at=None)
    snapshot = make_snapshot([make_paper()], [bare])
    assert PostRenderer(config).render(rank(snapshot, config), snapshot) == "---\nours: yes\n---\n[][][][][][]"
    given = make_paper(
        comment="12 pages", journal_ref="JMLR 1", published="2020-09-23T15:00:00Z", updated="2020-09-24T01:00:00+02:00"
    )
    snapshot = make_snapshot([given], [make_mention(likes=60)])
    written = PostRenderer(config).render(rank(snapshot, config), snapshot)
    # 15:00Z and 12:00Z are midnight and 21:00 in Tokyo (UTC+9); 01:00+02:00 is 23:00Z
    times = "[09/24/2020 00:00:00][2020-09-23T23:00:00][Post 1][09/24/2020 21:00:00]"
    assert written == f"---\nours: yes\n---\n[12 pages][JMLR 1]{times}"


@pytest.mark.parametrize(
    ("written", "error"),
    [
        (
            "item.paper.authors | md_text",
            """md_text writes one text, not a list: join it first, as `| join(", ") | md_text` (TypeError)""",
        ),
        ("item.score | md_heading", "md_heading writes one text, not a number (TypeError)"),
        ("item | local_time", "local_time writes one text, not a RankedPaper (TypeError)"),
        ("item.paper.abstrct | md_text", "a Paper has no attribute 'abstrct' (did you mean abstract?)"),
        (
            "item.paper | engagement",
            "engagement takes a paper of the post, `item | engagement`, not a Paper (TypeError)",
        ),
        ("item | abs_link", "abs_link takes a paper, `item.paper | abs_link`, not a RankedPaper (TypeError)"),
        ("item | pdf_link", "pdf_link takes a paper, `item.paper | pdf_link`, not a RankedPaper (TypeError)"),
        ("item.shown | embed", "embed takes a mention, `mention | embed`, not a tuple (TypeError)"),
    ],
)
def test_a_text_filter_given_no_text_says_what_it_was_given(tmp_path, written, error):
    """`{{ item.paper.authors | md_text }}` (the bundled template joins them first) failed
    with "'tuple' object has no attribute 'isprintable' (AttributeError)"; `item.paper |
    engagement`, as docs/post-format.md listed engagement among the filters for a paper, with
    "'Paper' object has no attribute 'platforms'"."""
    template = "---\nours: yes\n---\n{% for item in papers %}\n{{ " + written + " }}{% endfor %}"
    with pytest.raises(InputError) as info:
        render_with(tmp_path, template)
    assert info.value.message == f"template {tmp_path / 'templates' / 'post.md.j2'}, line 5: {error}"


def test_a_site_template_s_final_line_break_is_written(tmp_path):
    assert render_with(tmp_path, "---\nlayout: mine\n---\nThe end.\n") == "---\nlayout: mine\n---\nThe end.\n"


@pytest.mark.parametrize(
    ("month", "name"),
    [
        (1, "January"),
        (2, "February"),
        (3, "March"),
        (4, "April"),
        (5, "May"),
        (6, "June"),
        (7, "July"),
        (8, "August"),
        (9, "September"),
        (10, "October"),
        (11, "November"),
        (12, "December"),
    ],
)
def test_a_fallback_embed_dates_its_link_as_an_oembed_does(month, name):
    mention = make_mention("1", created_at=f"2021-{month:02d}-05T12:00:00Z")
    html = PostRenderer(make_config()).fallback_embed(mention)
    assert f'<a href="https://twitter.com/someone/status/1">{name} 5, 2021</a></blockquote>' in html


def test_a_fallback_embed_without_a_date_links_the_word_link():
    html = PostRenderer(make_config()).fallback_embed(make_mention("1", created_at=None))
    assert '&mdash; Some One (@someone) <a href="https://twitter.com/someone/status/1">link</a></blockquote>' in html


def test_a_fallback_embed_without_an_author_name_names_the_handle():
    html = PostRenderer(make_config()).fallback_embed(make_mention("1", author_name=None, author_handle="ann"))
    assert "&mdash; ann (@ann) <a href=" in html


def test_a_site_s_own_social_image_is_its_own_key_when_none_is_configured(tmp_path):
    """With `post.social_image: null` hotpapers writes no socialImage, so one the site's
    template writes is a field of its own, as `author` would be, not a changed value."""
    template = '---\nsocialImage: "/media/ours.jpg"\n---\n'
    assert render_with(tmp_path, template, post={"social_image": None}) == template


def test_a_frontmatter_never_closed_is_refused_in_words(tmp_path):
    with pytest.raises(InputError, match="does not read back as configured"):
        render_with(tmp_path, "---\nlayout: mine\n\nThe papers, and no second --- line.\n")
