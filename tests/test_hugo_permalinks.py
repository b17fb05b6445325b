"""Reading a Hugo site's `permalinks` for a section, from each kind of config file, and
turning a pattern into a site.link (tests/test_feed_addresses.py checks the result
against the real Hugo)."""

import pytest

from hotpapers.hugo_permalinks import UnknownPermalinks, as_site_link, page_sections, section_permalink
from hotpapers.site import hugo_config_files


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hugo.toml", 'baseURL = "https://example.org/"\n[permalinks]\nposts = "/:year/:slug/"\n'),
        ("hugo.toml", "[permalinks.page]\nPosts = '/:year/:slug/'\n[permalinks.section]\nposts = '/p/'\n"),
        ("hugo.yaml", "Permalinks:\n  posts: /:year/:slug/\n"),
        ("hugo.json", '{"permalinks": {"page": {"posts": "/:year/:slug/"}}}'),
        ("config/_default/permalinks.toml", "posts = '/:year/:slug/'\n"),
        ("config/production/hugo.yaml", "permalinks: {posts: /:year/:slug/}\n"),
        ("config/_default/Permalinks.toml", "posts = '/:year/:slug/'\n"),  # Hugo 0.111.3 reads it, in any case
        ("config/_default/permalinks.TOML", "posts = '/:year/:slug/'\n"),  # and this one
        # a section named page (Hugo 0.111.3 put the posts at /:year/:slug/) and one named 2020, a number to YAML
        ("hugo.yaml", "permalinks:\n  page: /p/:slug/\n  posts: /:year/:slug/\n  2020: /old/:slug/\n"),
    ],
)
def test_the_sections_pattern_is_read_from_each_kind_of_config_file(tmp_path, name, text):
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text, encoding="utf-8")
    if name.startswith("config/"):
        (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    assert section_permalink(hugo_config_files(tmp_path), "posts") == "/:year/:slug/"
    assert section_permalink(hugo_config_files(tmp_path), "papers") is None


def test_a_permalinks_key_of_another_table_is_not_read(tmp_path):
    """A file of the config folder holds the key it is named for: `permalinks` in
    params.toml is a parameter of the site's theme (.Site.Params.permalinks), which Hugo
    0.111.3 left the posts at /posts/SLUG/ with, but was read as the posts' pattern."""
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (tmp_path / "config" / "_default").mkdir(parents=True)
    (tmp_path / "config" / "_default" / "params.toml").write_text("[permalinks]\nposts = '/:year/:slug/'\n")
    assert section_permalink(hugo_config_files(tmp_path), "posts") is None


def test_the_settings_of_another_environment_than_production_are_not_read(tmp_path):
    """`hugo` builds in the production environment: it published the posts at
    /posts/SLUG/ while config/development/ gave them /:year/:slug/, which the feeds then
    warned of, telling the site to change its links."""
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (tmp_path / "config" / "development").mkdir(parents=True)
    (tmp_path / "config" / "development" / "permalinks.toml").write_text("posts = '/:year/:slug/'\n")
    assert section_permalink(hugo_config_files(tmp_path), "posts") is None


@pytest.mark.parametrize(
    "files",
    [
        {
            "hugo.toml": "[permalinks]\nposts = '/a/:slug/'\n",
            "config/_default/permalinks.toml": "posts = '/b/:slug/'\n",
        },
        {"hugo.toml": "[permalinks]\nposts = '/a/:slug/'\nposts = '/b/:slug/'\n"},  # TOML refuses a repeated key
        {"hugo.yaml": "permalinks:\n  posts: [/a/]\n"},
        {"hugo.json": '{"permalinks": {"posts": "/a/:slug/"}'},
        # both ways of giving the posts a pattern: newer Hugo takes the one it meets last in a walk of no set order
        {"hugo.toml": "[permalinks]\nposts = '/a/:slug/'\n[permalinks.page]\nposts = '/b/:slug/'\n"},
        # a newer Hugo's list of {target, pattern}: not read here
        {"hugo.yaml": "permalinks:\n  - {target: {kind: page, path: '{/posts,/posts/**}'}, pattern: /:year/:slug/}\n"},
    ],
)
def test_a_config_that_cannot_be_read_for_sure_gives_no_pattern(tmp_path, files):
    """Two files that disagree (which one Hugo takes depends on its version and
    environment), a file that does not parse, a pattern that is not a string."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(UnknownPermalinks):
        section_permalink(hugo_config_files(tmp_path), "posts")


@pytest.mark.parametrize(
    ("pattern", "section", "link"),
    [
        ("/posts/:slug/", ("posts",), "/posts/{slug}/"),
        ("/:section/:slug", ("Posts",), "/posts/{slug}/"),
        ("/:sections/:slugorfilename/", ("blog", "posts"), "/blog/posts/{slug}/"),
        ("Articles/:SLUG", ("posts",), "/articles/{slug}/"),
        ("/:year/:month/:slug/", ("posts",), None),
        ("/:title/", ("posts",), None),  # Hugo makes it of the title, not the slug
        ("/:filename/", ("posts",), None),
        ("/:sections[1:]/:slug/", ("blog", "posts"), None),
        # Hugo 0.111.3's own, content/blog/posts/ and content/blog/Posts/ being sections (an _index.md each)
        ("/Z/:section/:slug/", ("blog", "posts"), "/z/blog/{slug}/"),
        ("/Z/:sections/:slug/", ("blog", "Posts"), "/z/blog/posts/{slug}/"),
        ("/Z/:slug/Index", ("blog",), "/z/{slug}/index/"),
        ("/:slugorcontentbasename/", ("posts",), "/{slug}/"),  # Hugo 0.144's: the slug, which every post sets
    ],
)
def test_a_pattern_is_a_site_link_when_it_needs_only_the_slug(pattern, section, link):
    assert as_site_link(pattern, section) == link


@pytest.mark.parametrize(
    ("indexes", "sections"),
    [
        ((), ("blog",)),
        (("blog/x/posts/_index.md",), ("blog", "x", "posts")),
        (("blog/x/_index.md",), ("blog", "x")),
        (("blog/x/_index.html",), ("blog", "x")),
        (("blog/x/_index.md", "blog/x/posts/_index.md"), ("blog", "x", "posts")),
    ],
)
def test_a_folder_is_a_section_down_to_the_deepest_that_holds_an_index_file(tmp_path, indexes, sections):
    """Hugo 0.111.3, `blog: /Z/:sections/:slug/`, published content/blog/x/posts/a.md at
    /z/blog/my-post/ with no _index file, /z/blog/x/my-post/ with one in x/ (_index.md or
    _index.html), and /z/blog/x/posts/my-post/ with one in posts/, whether x/ has one or not."""
    (tmp_path / "blog" / "x" / "posts").mkdir(parents=True)
    for index in indexes:
        (tmp_path / index).write_text("---\ntitle: t\n---\n", encoding="utf-8")
    assert page_sections(tmp_path, ("blog", "x", "posts")) == sections
