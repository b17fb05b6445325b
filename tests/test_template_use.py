"""A site's template that its posts never read (a copy of the classic `post.md.j2` edited
on a Hugo site, whose posts start from `post-hugo.md.j2`) is named by a warning; it changed
nothing, silently."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT
from hotpapers.cli import cli
from hotpapers.render import bundled_templates


@pytest.fixture
def hugo_site(tmp_path, monkeypatch):
    """A Hugo-profile site with the example snapshot and an empty `templates/` folder."""
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    (tmp_path / "templates" / "embeds").mkdir(parents=True)
    (tmp_path / "hotpapers.yaml").write_text("output: {profile: hugo}\nfeeds: {atom: null, json: null}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def copy_bundled(site, name, as_name=None, edit="{# edited #}\n"):
    """The bundled template `name` in the site's folder, edited (a copy as it is is never named)."""
    text = edit + (bundled_templates() / name).read_text(encoding="utf-8")
    (site / "templates" / (as_name or name)).write_text(text, encoding="utf-8")


def build_warnings(*args):
    result = CliRunner().invoke(cli, ["-q", "build", "2020-09-24", "--offline", *args])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_a_copy_under_another_profiles_name_is_named(hugo_site):
    copy_bundled(hugo_site, "post.md.j2")
    assert build_warnings() == (
        "templates: post.md.j2 is read by no post of the hugo profile (its posts start from post-hugo.md.j2): "
        "rename or delete it\n"
    )


def test_several_are_named_in_one_line_and_an_unknown_embed_among_them(hugo_site):
    copy_bundled(hugo_site, "post.md.j2")
    copy_bundled(hugo_site, "post-jekyll.md.j2")
    copy_bundled(hugo_site, "embeds/generic.html.j2", "embeds/mastodon.html.j2")
    assert build_warnings() == (
        "templates: embeds/mastodon.html.j2, post-jekyll.md.j2, post.md.j2 are read by no post of the hugo profile "
        "(its posts start from post-hugo.md.j2): rename or delete them\n"
    )


def test_a_copy_saved_without_its_j2_extension_is_named(hugo_site):
    """templates/post-hugo.md, the name of the post it makes, was silently not read: the
    posts kept the bundled template. A file of another name (notes) is not named."""
    copy_bundled(hugo_site, "post-hugo.md.j2", "post-hugo.md")
    copy_bundled(hugo_site, "embeds/generic.html.j2", "embeds/generic.html")
    (hugo_site / "templates" / "README.md").write_text("Our templates.\n")
    assert build_warnings() == (
        "templates: embeds/generic.html, post-hugo.md are read by no post of the hugo profile (its posts start "
        "from post-hugo.md.j2): rename or delete them\n"
    )


def test_the_templates_a_post_reads_are_not_named_nor_a_partial_they_include(hugo_site):
    copy_bundled(hugo_site, "post-hugo.md.j2")
    copy_bundled(hugo_site, "embeds/twitter.html.j2")
    papers = (bundled_templates() / "_papers.md.j2").read_text(encoding="utf-8")
    (hugo_site / "templates" / "_papers.md.j2").write_text('{% include "parts/thanks.md.j2" %}' + papers)
    (hugo_site / "templates" / "parts").mkdir()
    (hugo_site / "templates" / "parts" / "thanks.md.j2").write_text("")
    assert build_warnings() == ""
    (hugo_site / "templates" / "parts" / "unused.md.j2").write_text("")
    assert "parts/unused.md.j2 is read by no post" in build_warnings()


def test_a_template_naming_another_by_an_expression_may_read_any(hugo_site):
    copy_bundled(hugo_site, "post.md.j2")
    post = (bundled_templates() / "post-hugo.md.j2").read_text(encoding="utf-8")
    (hugo_site / "templates" / "post-hugo.md.j2").write_text(post + '{% include "po" ~ "st.md.j2" ignore missing %}')
    assert build_warnings() == ""


def test_the_repositorys_sample_site_names_none(monkeypatch):
    """Its `templates/` holds every profile's template (in an editable install, the bundled ones)."""
    monkeypatch.chdir(Path(__file__).parents[1])
    result = CliRunner().invoke(cli, ["explain", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (0, "")


def test_copies_of_the_bundled_templates_as_they_are_are_not_named(monkeypatch, tmp_path):
    """The sample site installed with `pip install .`, as the README's first command does:
    its `templates/` are copies of the bundled ones, and `build` in a fresh clone named the
    three other profiles' templates. An edited one is named."""
    repository = Path(__file__).parents[1]
    shutil.copytree(repository / "templates", tmp_path / "templates")
    shutil.copy(repository / "config.yaml", tmp_path)
    shutil.copytree(repository / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["explain", "2020-09-24"])
    assert (result.exit_code, result.stderr) == (0, "")
    (tmp_path / "templates" / "post-hugo.md.j2").write_text("{{ title }}\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["explain", "2020-09-24"]).stderr == (
        "templates: post-hugo.md.j2 is read by no post of the lumen profile (its posts start from post.md.j2): "
        "rename or delete it\n"
    )


@pytest.fixture
def jekyll_site(tmp_path, monkeypatch):
    """A Jekyll site set up as init says (permalink, data and hotpapers.yaml excluded), with the
    example snapshot and an empty `templates/` folder."""
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    (tmp_path / "templates").mkdir()
    (tmp_path / "_config.yml").write_text("permalink: /:slug/\nexclude: [data, hotpapers.yaml]\n")
    (tmp_path / "hotpapers.yaml").write_text("output: {profile: jekyll}\nfeeds: {atom: null, json: null}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_jekyll_site_that_publishes_its_templates_is_told_to_exclude_them(jekyll_site):
    """Jekyll publishes every file it does not exclude, and runs Liquid over one that starts
    with `---`: a site's post-jekyll.md.j2 without the bundled one's first comment line stopped
    `jekyll build` (`Invalid syntax for include tag ... "_papers.md.j2"`). `_papers.md.j2`
    starts with `_`, which Jekyll never reads."""
    copy_bundled(jekyll_site, "post-jekyll.md.j2")
    copy_bundled(jekyll_site, "_papers.md.j2")
    assert build_warnings() == (
        "templates: Jekyll publishes post-jekyll.md.j2 as a file of the site (and runs Liquid over a template "
        "that starts with ---, which stops its build): add templates to the `exclude` list in _config.yml\n"
    )
    (jekyll_site / "_config.yml").write_text("permalink: /:slug/\nexclude: [data, hotpapers.yaml, templates]\n")
    assert build_warnings() == ""


def test_a_jekyll_site_with_only_partials_or_without_templates_is_told_nothing(jekyll_site):
    copy_bundled(jekyll_site, "_papers.md.j2")
    assert build_warnings() == ""
    (jekyll_site / "templates" / "_papers.md.j2").unlink()
    (jekyll_site / "templates").rmdir()
    assert build_warnings() == ""
