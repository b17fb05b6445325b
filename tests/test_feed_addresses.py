"""A feed links each post where its site publishes it, as a valid URL: the slug as the
site's generator makes it a path, percent-encoded. Checked with the real Hugo and
Jekyll; lumen (Gatsby) takes the slug as the path as it is (post_address.py)."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import frontmatter
import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT
from hotpapers.cli import cli
from test_consumers import hugo_site, jekyll_build, require

SLUG = "hot papers ü {date}"
TRICKY = "Hot papers ü? #1 & 100% a%20b {date}"


def build_site(site: Path, profile: str, slug: str, feed: str = "hot-papers.json", **settings) -> dict:
    """Builds the example day into `site` with `profile` and `slug`; the JSON feed."""
    config = {"output": {"profile": profile}, "site": {"url": "https://example.org"}, "post": {"slug": slug}}
    (site / "hotpapers.yaml").write_text(yaml.safe_dump({**config, **settings}), encoding="utf-8")
    (site / "data" / "snapshots").mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE_SNAPSHOT, site / "data" / "snapshots" / "2020-09-24.json")
    result = CliRunner().invoke(cli, ["--config", str(site / "hotpapers.yaml"), "build", "2020-09-24", "--offline"])
    assert result.exit_code == 0, result.output
    public = site / ("." if profile == "jekyll" else "static")
    return json.loads((public / feed).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("profile", "post", "url"),
    [
        # what Gatsby, Hugo 0.111.3 and Jekyll 4.3.1 made of the slug, as a browser asks for it
        ("lumen", "content/posts/2020-09-24---Hot-Papers.md", "/posts/hot%20papers%20%C3%BC%202020-09-24"),
        ("lumen-2022", "content/posts/2020-09-24---hot-papers/index.md", "/posts/hot%20papers%20%C3%BC%202020-09-24"),
        ("hugo", "content/posts/2020-09-24-hot-papers.md", "/posts/hot-papers-%C3%BC-2020-09-24/"),
        ("jekyll", "_posts/2020-09-24-hot-papers.md", "/hot-papers-%C3%BC-2020-09-24/"),
    ],
)
def test_a_slug_with_a_space_or_non_ascii_is_linked_as_a_valid_url(tmp_path, profile, post, url):
    """The Atom feed had <link href="https://example.org/posts/hot papers ü 2020-09-24"/>."""
    feed = build_site(tmp_path, profile, SLUG)
    item = feed["items"][0]
    assert item["url"] == item["id"] == "https://example.org" + url
    atom = (tmp_path / ("." if profile == "jekyll" else "static") / "hot-papers.atom").read_text(encoding="utf-8")
    assert f'<link href="https://example.org{url}"/>' in atom and f"<id>https://example.org{url}</id>" in atom
    slug = frontmatter.load(tmp_path / post)["slug"]  # the post itself keeps the slug as configured
    assert slug == ("/posts/" if profile == "lumen-2022" else "") + "hot papers ü 2020-09-24"
    if profile.startswith("lumen"):  # Gatsby's page path: '/posts/' and the slug in lumen 2020, the slug since 2022
        assert unquote(urlsplit(item["url"]).path) == ("" if profile == "lumen-2022" else "/posts/") + slug


def test_a_feed_file_name_with_a_space_is_encoded_in_its_own_address(tmp_path):
    feed = build_site(tmp_path, "lumen", "x-{date}", "hot papers.json", feeds={"json": "static/hot papers.json"})
    assert feed["feed_url"] == "https://example.org/hot%20papers.json"


@pytest.mark.parametrize(
    ("settings", "link", "where"),
    [
        ("uglyURLs: true\n", None, "Hugo publishes the posts of {posts} at /posts/{{slug}}.html; set site.link"),
        ("uglyURLs: {posts: true}\n", None, "Hugo publishes the posts of {posts} at /posts/{{slug}}.html"),
        ("uglyURLs: {other: true}\n", None, None),
        ("uglyURLs: false\n", None, None),
        ("uglyURLs: true\npermalinks: {posts: /p/:slug/}\n", None, "at /p/{{slug}}.html; set site.link to that"),
        ("uglyURLs: true\n", "/posts/{slug}.html", None),
    ],
)
def test_build_warns_when_hugo_publishes_the_posts_as_ugly_urls(tmp_path, settings, link, where):
    """With Hugo's uglyURLs, Hugo 0.111.3 published the post at /posts/SLUG.html while the
    feeds linked /posts/SLUG/, where it publishes none, and build said nothing."""
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    with (site / "hugo.yaml").open("a", encoding="utf-8") as config:
        config.write(settings)
    build_site(site, "hugo", "hot-papers-{date}")
    settings_file = site / "hotpapers.yaml"
    config = yaml.safe_load(settings_file.read_text(encoding="utf-8"))
    config["site"]["link"] = link
    settings_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(settings_file), "-q", "build", "2020-09-24"])
    assert result.exit_code == 0, result.output
    url = json.loads((site / "static" / "hot-papers.json").read_text(encoding="utf-8"))["items"][0]["url"]
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    path = unquote(urlsplit(url).path).strip("/")
    served = site / "public" / (path if path.endswith(".html") else f"{path}/index.html")
    assert served.is_file() == (where is None), sorted(p.relative_to(site) for p in (site / "public").rglob("*.html"))
    unlinked = "(site.link), where the site publishes none: "
    assert (unlinked in result.stderr) == (where is not None), result.stderr
    if where is not None:
        assert where.format(posts=site / "content/posts") in result.stderr, result.stderr


def page_at(public: Path, url: str) -> Path:
    """The file a static host serves for `url`: the decoded path's index.html."""
    return public / unquote(urlsplit(url).path).strip("/") / "index.html"


def test_hugo_publishes_the_post_at_the_feed_link(tmp_path):
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    link = build_site(site, "hugo", TRICKY)["items"][0]["url"]
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert page_at(site / "public", link).is_file(), sorted(p.name for p in (site / "public" / "posts").iterdir())


@pytest.mark.parametrize(
    "slug",
    [
        "🔥 hot papers {date}",  # Hugo: /posts/-hot-papers-2020-09-24/ (the space after posts/ and 🔥)
        "& papers {date}",
        "İ papers {date}",  # Go lowercases İ to i alone
        "Ⅻ ² ½ ٣ {date}",
        "  spaced  {date}",
        "-x- -- {date}-",
    ],
)
def test_hugo_publishes_an_odd_slug_at_the_feed_link(tmp_path, slug):
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    link = build_site(site, "hugo", slug)["items"][0]["url"]
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert page_at(site / "public", link).is_file(), (
        link,
        sorted(p.name for p in (site / "public" / "posts").iterdir()),
    )


def test_jekyll_publishes_the_post_at_the_feed_link(tmp_path):
    require("jekyll", shutil.which("jekyll"))
    site = tmp_path / "site"
    (site / "_layouts").mkdir(parents=True)
    (site / "_layouts" / "post.html").write_text("{{ content }}", encoding="utf-8")
    (site / "_config.yml").write_text("permalink: /:slug/\nexclude: [data, hotpapers.yaml]\n", encoding="utf-8")
    link = build_site(site, "jekyll", TRICKY)["items"][0]["url"]
    jekyll_build(site)
    assert page_at(site / "_site", link).is_file(), sorted(p.name for p in (site / "_site").iterdir())


UNLINKED = "feeds: the entries link each post at /{slug}/ (site.link), where the site publishes none: Jekyll gives the posts the permalink"


@pytest.mark.parametrize(
    "jekyll_config",
    [
        "title: a site",  # jekyll new site's: the permalink style `date`, /arxiv/2020/09/25/hot-papers-2020-09-24.html
        "permalink: pretty",
        "permalink: /:year/:slug/",
        "permalink: /:slug/",
        "permalink: /:title/",  # a post's slug sets :title too
        'defaults: [{scope: {path: "_posts/*-hot-papers.md"}, values: {permalink: /:slug/}}]',  # the README's
        "collections: {posts: {permalink: /:slug/}}",  # the posts' own permalink
        "permalink: /:slug/\ncollections: {posts: {permalink: /:year/:title.html}}",  # before the site's
    ],
)
def test_build_warns_when_jekyll_publishes_no_post_where_the_feeds_link_it(tmp_path, jekyll_config):
    """A new Jekyll site gives posts its date permalink: every feed entry linked a page
    that was not there, and build said nothing. Each verdict is compared with Jekyll's."""
    require("jekyll", shutil.which("jekyll"))
    site = tmp_path / "site"
    (site / "_layouts").mkdir(parents=True)
    (site / "_layouts" / "post.html").write_text("{{ content }}", encoding="utf-8")
    (site / "_config.yml").write_text(f"{jekyll_config}\nexclude: [data, hotpapers.yaml]\n", encoding="utf-8")
    link = build_site(site, "jekyll", "hot-papers-{date}")["items"][0]["url"]
    result = CliRunner().invoke(cli, ["--config", str(site / "hotpapers.yaml"), "-q", "build", "2020-09-24"])
    assert result.exit_code == 0, result.output
    jekyll_build(site)
    published = page_at(site / "_site", link).is_file()
    assert (UNLINKED in result.stderr) == (not published), (result.stderr, sorted((site / "_site").rglob("*.html")))
    if not published:
        assert "(README: Jekyll), or set site.link to where they are\n" in result.stderr


@pytest.mark.parametrize(
    ("scope", "permalink", "warned"),
    [
        ('{path: "_posts/*-hot-papers.md"}', "/:slug/", True),  # init's advice, before the file name changed
        ('{path: "_posts/*-lab.md"}', "/:slug/", False),
        ('{path: "_posts"}', "/:slug/", False),
        ('{path: ""}', "/:slug/", False),
        ("{type: posts}", "/:slug/", False),
        ("{type: pages}", "/:slug/", True),
        ('{path: "_drafts"}', "/:slug/", True),
        ('{path: "_posts"}', "/:year/:slug/", True),  # applies, and puts the posts elsewhere
    ],
)
def test_build_warns_when_no_jekyll_default_permalink_applies_to_the_posts_file_name(
    tmp_path, scope, permalink, warned
):
    """A Jekyll site set up as init says (a `defaults` entry giving `_posts/*-hot-papers.md`
    the permalink /:slug/) then set output.filename: its posts went to
    /arxiv/2020/09/25/hot-papers-2020-09-24.html, the feeds linked /hot-papers-2020-09-24/, and
    build said nothing, since any `defaults` entry setting a permalink silenced it. Each
    verdict is compared with Jekyll's."""
    require("jekyll", shutil.which("jekyll"))
    site = tmp_path / "site"
    (site / "_layouts").mkdir(parents=True)
    (site / "_layouts" / "post.html").write_text("{{ content }}", encoding="utf-8")
    (site / "_config.yml").write_text(
        f"defaults: [{{scope: {scope}, values: {{permalink: {permalink}}}}}]\nexclude: [data, hotpapers.yaml]\n",
        encoding="utf-8",
    )
    output = {"profile": "jekyll", "filename": "{date}-lab.md"}
    link = build_site(site, "jekyll", "hot-papers-{date}", output=output)["items"][0]["url"]
    result = CliRunner().invoke(cli, ["--config", str(site / "hotpapers.yaml"), "-q", "build", "2020-09-24"])
    assert result.exit_code == 0, result.output
    jekyll_build(site)
    assert page_at(site / "_site", link).is_file() == (not warned), sorted((site / "_site").rglob("*.html"))
    assert (UNLINKED in result.stderr) == warned, result.stderr
    unscoped = (  # Jekyll's own default: a config without `permalink` gives none
        "Jekyll gives the posts the permalink /:categories/:year/:month/:day/:title:output_ext (no `defaults` entry "
        "setting one applies to _posts/2020-09-24-lab.md); give hotpapers' posts `permalink: /:slug/` in _config.yml"
    )
    assert (unscoped in result.stderr) == (warned and permalink == "/:slug/"), result.stderr
    if permalink != "/:slug/":
        assert f"gives the posts the permalink {permalink}; give hotpapers' posts" in result.stderr


HUGO_DATES = "Hugo's permalinks put the posts of {posts} at /:year/:month/:slug/, which site.link cannot give"


@pytest.mark.parametrize(
    ("posts", "permalinks", "published", "where"),
    [
        ("content/papers", "", "/papers/", "Hugo publishes the posts of {posts} at /papers/{{slug}}/; set site.link"),
        ("content/posts", "", "/posts/", None),
        ("content/papers", "permalinks:\n  papers: /posts/:slug/\n", "/posts/", None),
        (
            "content/posts",
            "permalinks:\n  Posts: /Articles/:slug\n",
            "/articles/",
            "Hugo publishes the posts of {posts} at /articles/{{slug}}/; set site.link",
        ),
        ("content/posts", "permalinks:\n  posts: /:year/:month/:slug/\n", "/2020/09/", HUGO_DATES),
        (  # content/blog/posts holds no _index.md: no section of Hugo's, so not in :sections
            "content/blog/posts",
            "permalinks:\n  blog: /:sections/:slug/\n",
            "/blog/",
            "Hugo publishes the posts of {posts} at /blog/{{slug}}/; set site.link",
        ),
    ],
)
def test_build_warns_when_hugo_publishes_no_post_where_the_feeds_link_it(tmp_path, posts, permalinks, published, where):
    """Posts in a section of their own (paths.posts: content/papers), or under Hugo
    `permalinks` of the site's (/:year/:month/:slug/), were linked at /posts/SLUG/ by
    the feeds, where Hugo publishes none, and build said nothing."""
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    with (site / "hugo.yaml").open("a", encoding="utf-8") as config:
        config.write(permalinks)
    link = build_site(site, "hugo", "hot-papers-{date}", paths={"posts": posts})["items"][0]["url"]
    result = CliRunner().invoke(cli, ["--config", str(site / "hotpapers.yaml"), "-q", "build", "2020-09-24"])
    assert result.exit_code == 0, result.output
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert page_at(site / "public", link).is_file() == (published == "/posts/")
    assert page_at(site / "public", f"{published}hot-papers-2020-09-24/").is_file()
    unlinked = "feeds: the entries link each post at /posts/{slug}/ (site.link), where the site publishes none: "
    if where is None:
        assert unlinked not in result.stderr
    else:
        assert (unlinked + where.format(posts=site / posts)) in result.stderr, result.stderr
        assert result.stderr.count(unlinked) == 1


@pytest.mark.parametrize(
    ("title", "published", "warned"),
    [
        ("Hot Papers {date}", "/posts/hot-papers-2020-09-24/", False),
        ("Digest {date}", "/posts/digest-2020-09-24/", True),
    ],
)
def test_a_hugo_title_permalink_is_the_feed_link_when_the_title_makes_the_slug_s_path(
    tmp_path, title, published, warned
):
    """Under Hugo's `permalinks: {posts: /:section/:title/}` the default title, Hot Papers
    DAY, makes the path of the default slug, hot-papers-DAY: Hugo published each post where
    the feeds link it, and build warned that it published none there. A title that makes
    another path is still warned of."""
    require("hugo", shutil.which("hugo"))
    site = hugo_site(tmp_path / "site")
    with (site / "hugo.yaml").open("a", encoding="utf-8") as config:
        config.write("permalinks:\n  posts: /:section/:title/\n")
    post = {"slug": "hot-papers-{date}", "title": title}
    link = build_site(site, "hugo", "hot-papers-{date}", post=post)["items"][0]["url"]
    result = CliRunner().invoke(cli, ["--config", str(site / "hotpapers.yaml"), "-q", "build", "2020-09-24"])
    assert result.exit_code == 0, result.output
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert page_at(site / "public", published).is_file()
    assert page_at(site / "public", link).is_file() == (not warned)
    said = "Hugo's permalinks put the posts of {posts} at /:section/:title/, which site.link cannot give"
    assert (said.format(posts=site / "content" / "posts") in result.stderr) == warned, result.stderr
