"""Untrusted text and the site generator's own syntax: Hugo's shortcodes and goldmark's
heading attributes, Jekyll's Liquid and kramdown's attribute lists. Each profile's guard
is what its declaration (`Profile.site_syntax`) makes; the expected texts are written by
hand from Hugo's, Liquid's and kramdown's tokenizers (tests/test_consumers.py runs the
real Hugo and Jekyll on them), and CommonMark must read each guarded text back as the
text it was."""

import pytest
from markdown_it import MarkdownIt

from conftest import make_config, make_mention, make_paper, make_snapshot
from hotpapers.profiles import PROFILES
from hotpapers.rank import rank
from hotpapers.render import PostRenderer
from hotpapers.site_syntax import SiteGuard

COMMONMARK = MarkdownIt("commonmark")
GADGET = "Deep Nets {{< gist attacker 0badc0de >}}"

TEXT = [  # (untrusted Markdown text, the hugo profile's guarded text, the jekyll profile's)
    (GADGET, "Deep Nets \\{&#123;< gist attacker 0badc0de >}}", "Deep Nets \\{&#123;< gist attacker 0badc0de >}}"),
    (
        "We study {{< youtube dQw4w9WgXcQ >}} here",
        "We study {&#123;< youtube dQw4w9WgXcQ >}} here",
        "We study {&#123;< youtube dQw4w9WgXcQ >}} here",
    ),
    ("{{% nope %}} then", "{&#123;% nope %}} then", "{&#123;% nope %}} then"),
    ("{{{< x >}} then", "{{&#123;< x >}} then", "{&#123;{< x >}} then"),
    ("{{{{% x", "{{{&#123;% x", "{&#123;{&#123;% x"),
    ("{{ site.secret }} then", None, "{&#123; site.secret }} then"),
    ("{% include x.html %} then", None, "{&#37; include x.html %} then"),
    ("{%- raw -%} and {{- x -}} then", None, "{&#37;- raw -%} and {&#123;- x -}} then"),
    ("{{ unterminated", None, "{&#123; unterminated"),
    ("ends in {", "ends in &#123;", "ends in &#123;"),  # the template's text follows
    ("T {#pwn .evil}", "T \\{#pwn .evil}", "T \\{#pwn .evil}"),
    ('T {style="position:fixed"}  ', 'T \\{style="position:fixed"}  ', 'T \\{style="position:fixed"}  '),
    ("Sets {a} and {b}", "Sets \\{a} and \\{b}", "Sets \\{a} and \\{b}"),
    ("\\{x} and \\\\{y}", "\\{x} and \\\\\\{y}", "\\{x} and \\\\\\{y}"),  # an escaped `{` stays as it is
    ("*x*{: .evil} then", None, "*x*\\{: .evil} then"),
    ("{::comment} then {:/}", "\\{::comment} then \\{:/}", "\\{::comment} then \\{:/}"),
    ("a \\{: b and \\\\{: c", None, "a \\{: b and \\\\\\{: c"),
    ("$n^{\\omega/2}<n^{1.19}$ is {x}, not {y", None, None),  # nothing any generator reads
    ("{ { < % } {:", None, "{ { < % } \\{:"),
    # kramdown's tables: every `|` that no backslash escapes, outside a code span, gets one
    ("|V| - 1 and ||x||", None, "\\|V\\| - 1 and \\|\\|x\\|\\|"),
    ("Show HN: Graphs | a paper", None, "Show HN: Graphs \\| a paper"),
    ("a \\| b, `c|d`, ``e|`f`` and x|`", None, "a \\| b, `c|d`, ``e|`f`` and x\\|`"),
    ("\\`a|b\\` (an escaped backtick still opens a span for kramdown's tables)", None, None),
    # kramdown's blocks where a text starts a line (a definition's `: ` is markdown_text's, for
    # goldmark too): only the opener gets a backslash or a reference
    (": defined", None, None),
    ("*[HTML]: Hyper Text", None, "\\*[HTML]: Hyper Text"),
    ("*[x] and *y*: z", None, None),
    ("$$ a math block closed in a later block", None, "\\$$ a math block closed in a later block"),
    ("$$x^2$$", None, None),  # a math block of its own, as a site with math wants it
    ("$$ a $$ b", None, None),
    ("^", None, "&#94;"),
    ("  ^ ", None, "  &#94; "),
    ("a^2 and ^", None, None),
]
HTML = [  # (untrusted HTML or URL, hugo's, jekyll's): references only, never a backslash
    (
        '<p>{{% gist a b %}} <a href="https://x.org/{{%">l</a></p>',
        '<p>{&#123;% gist a b %}} <a href="https://x.org/{&#123;%">l</a></p>',
        '<p>{&#123;% gist a b %}} <a href="https://x.org/{&#123;%">l</a></p>',
    ),
    ("<p>{{ site.x }} {: .c} {#id}</p>", None, "<p>{&#123; site.x }} {: .c} {#id}</p>"),
    ("https://x.org/{%7B{x}", None, "https://x.org/{&#37;7B{x}"),
    ("https://x.org/a{", "https://x.org/a&#123;", "https://x.org/a&#123;"),
    ("<p>a | b</p>", None, None),  # an HTML block is no table row
]
URLS = [  # (untrusted URL, hugo's, jekyll's): as HTML, and a `|` that would make a table row as a reference
    ("https://x.org/a|b", None, "https://x.org/a&#124;b"),
    ("https://x.org/{{%a|", "https://x.org/{&#123;%a|", "https://x.org/{&#123;%a&#124;"),
]
OPENERS = {"lumen": (), "lumen-2022": (), "hugo": ("{{<", "{{%"), "jekyll": ("{{", "{%")}


def guard(profile):
    return SiteGuard(PROFILES[profile].site_syntax)


def expected(case, profile):
    text, hugo, jekyll = case
    guarded = {"hugo": hugo, "jekyll": jekyll}.get(profile)
    return text if guarded is None else guarded


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("case", TEXT, ids=[case[0] for case in TEXT])
def test_markdown_text_is_guarded_for_what_the_profiles_generator_reads(profile, case):
    guarded = guard(profile).text(case[0])
    assert guarded == expected(case, profile)
    assert not any(opener in guarded for opener in OPENERS[profile])
    assert COMMONMARK.renderInline(guarded) == COMMONMARK.renderInline(case[0])  # read back as written


HEADINGS = [  # (untrusted title, the jekyll profile's guarded heading text)
    ("Graphs | a survey of ||x||", None),
    ("^", None),
    ("$$ opens no math block here", None),
    ("*[HTML]: no abbreviation either", None),
    ("T {#pwn .evil}", "T \\{#pwn .evil}"),
    ("{{ site.x }} and *x*{: .c}", "\\{&#123; site.x }} and *x*\\{: .c}"),
]


@pytest.mark.parametrize(("title", "guarded"), HEADINGS, ids=[title for title, _ in HEADINGS])
def test_a_headings_text_opens_no_kramdown_block_so_only_its_other_syntax_is_guarded(title, guarded):
    assert guard("jekyll").heading(title) == (guarded or title)


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("case", HTML, ids=[case[0] for case in HTML])
def test_html_and_urls_are_guarded_with_character_references_only(profile, case):
    guarded = guard(profile).html(case[0])
    assert guarded == expected(case, profile)
    assert not any(opener in guarded for opener in OPENERS[profile])
    assert "\\" not in guarded


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("case", URLS, ids=[case[0] for case in URLS])
def test_urls_are_guarded_with_character_references_only(profile, case):
    assert guard(profile).url(case[0]) == expected(case, profile)


def test_gatsby_reads_none_of_these_syntaxes_so_lumen_posts_keep_every_byte():
    assert PROFILES["lumen"].site_syntax == PROFILES["lumen-2022"].site_syntax == frozenset()


HOSTILE = "x {{% a %}} {{< b >}} {{ c }} {% d %} {: .e} {"


def hostile_post(profile, tmp_path=None):
    """A post whose every untrusted value holds the openers: title, authors, abstract,
    a category, the abstract and PDF links, an embed passed through, a fallback embed's
    text, name, handle and link, and a discussion's title and link."""
    paper = make_paper(
        title=HOSTILE,
        authors=(HOSTILE, "B"),
        abstract=HOSTILE,
        categories=("cs.LG", HOSTILE),
        abs_url="https://arxiv.org/abs/{{%a%}}{%b%}{",
        pdf_url="https://arxiv.org/pdf/{{%a%}}{%b%}{",
    )
    embed = '<blockquote class="twitter-tweet"><p>{{% a %}} {{ c }} {% d %}</p>&mdash; {{% <a href="https://x.org/{{%a%}}{%b%}">x</a></blockquote>'
    mentions = [
        make_mention("1", likes=90, embed_html=embed),
        make_mention(
            "2", likes=80, text=HOSTILE, author_name=HOSTILE, author_handle=HOSTILE, url="https://x.org/{{%a%}}{%b%}"
        ),
        make_mention("3", likes=70, platform="hackernews", text=HOSTILE, url="https://x.org/{{%a%}}{%b%}"),
    ]
    config = make_config(tmp_path, output={"profile": profile})
    snapshot = make_snapshot([paper], mentions)
    post = PostRenderer(config).render(rank(snapshot, config), snapshot)
    return post.split("\n---\n", 1)[1]


@pytest.mark.parametrize("profile", ["hugo", "jekyll"])
def test_no_untrusted_value_reaches_the_generator_as_its_syntax(profile):
    body = hostile_post(profile)
    assert not any(opener in body for opener in OPENERS[profile])
    assert body.count("{&#") >= 19  # each value is there, guarded, not dropped
    # (a category's `{{<` is none: its `<` is written `&lt;`, render.category_link)


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022"])
def test_gatsby_profiles_write_the_same_values_as_stored(profile):
    body = hostile_post(profile)
    assert f"# 1. {HOSTILE}\n" in body
    assert "{&#" not in body and "\\{" not in body


def test_a_site_templates_own_shortcodes_are_left_as_written_and_each_filter_guarded(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "post-hugo.md.j2").write_text(
        '---\nlayout: x\n---\n{% for item in papers %}{{ "{{< paper >}}" }} {{ item.paper.title | md_text }}\n'
        "{{ item.paper.categories[1] | category_link }}\n{% endfor %}"
    )
    config = make_config(tmp_path, output={"profile": "hugo"})
    paper = make_paper(title="{{< gist a b >}}", categories=("cs.LG", "T {#pwn .evil}"))
    snapshot = make_snapshot([paper], [make_mention(likes=60)])
    post = PostRenderer(config).render(rank(snapshot, config), snapshot)
    assert post == "---\nlayout: x\n---\n{{< paper >}} \\{&#123;< gist a b >}}\nT \\{\\#pwn .evil}\n"


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022", "hugo"])
def test_only_jekyll_reads_a_pipe_as_a_table_so_the_others_write_it_as_stored(profile):
    paper = make_paper(abstract="Bounds of |V| - 1", categories=("cs.LG", "stat.ML"))
    config = make_config(output={"profile": profile})
    snapshot = make_snapshot([paper], [make_mention(likes=60)])
    body = PostRenderer(config).render(rank(snapshot, config), snapshot).split("\n---\n", 1)[1]
    assert "- links: [abs](https://arxiv.org/abs/2009.00001) | [pdf](https://arxiv.org/pdf/2009.00001)\n" in body
    assert "[cs.LG](https://arxiv.org/list/cs.LG/recent) | [stat.ML](" in body and "Bounds of |V| - 1" in body
    assert "\\|" not in body
