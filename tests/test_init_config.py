"""`hotpapers init` says what it did to the config: a kept file's profile, where the Hugo
setting goes (or that it is set), --config naming the file to write, and ordinary modes."""

import json
import os
import re
import shlex
import shutil
import stat
import tomllib
from pathlib import Path

import msgspec
import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT
from fakes import without_credentials
from hotpapers.cli import cli
from hotpapers.config import load_config
from hotpapers.config_yaml import commented_config
from hotpapers.errors import ConfigError
from test_consumers import jekyll_build, require


def init(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_kept_config_with_another_profile_says_the_profile_was_not_applied(tmp_path):
    (tmp_path / "hotpapers.yaml").write_text("output: {profile: lumen}\n", encoding="utf-8")
    output = init("init", str(tmp_path), "--profile", "jekyll")
    assert output.splitlines()[0] == (
        f"output.profile: jekyll (as asked) was NOT applied: {tmp_path / 'hotpapers.yaml'} was kept and says "
        "'lumen'; set `output: {profile: jekyll}` in it"
    )
    assert "(as asked)\n" not in output
    same = init("init", str(tmp_path), "--profile", "lumen")
    assert same.splitlines()[0] == "output.profile: lumen (as asked)"


def test_the_next_steps_follow_the_profile_of_the_kept_config_not_the_one_asked(tmp_path):
    (tmp_path / "hugo.toml").write_text('baseURL = "x"\n', encoding="utf-8")
    (tmp_path / "hotpapers.yaml").write_text("output: {profile: hugo}\n", encoding="utf-8")
    output = init("init", str(tmp_path), "--profile", "jekyll")
    assert (
        "output.profile: jekyll (as asked; but build refuses it here, where hugo.toml needs hugo) was NOT applied"
        in output
    )
    assert "_config.yml" not in output and "Let Hugo keep the embeds' HTML: in hugo.toml" in output
    applied = init("init", str(tmp_path / "new"), "--profile", "jekyll")
    assert (
        "Set `permalink: /:slug/` and add data, hotpapers.yaml to the `exclude` list in _config.yml, "
        "keeping what it holds (`exclude: [data, hotpapers.yaml]` if none)"
    ) in applied


def test_init_in_a_subfolder_of_a_site_names_the_site_above(tmp_path, monkeypatch):
    """Run in content/ of a Hugo site, init said only 'no Hugo, Jekyll or Gatsby site in .,
    so the default', and wrote a lumen config and a workflow into content/."""
    (tmp_path / "hugo.toml").write_text('baseURL = "x"\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path / "content")
    assert init("init").startswith(
        "output.profile: lumen (no Hugo, Jekyll or Gatsby site in ., so the default; change output.profile in "
        "hotpapers.yaml; but .., a folder above, holds a site (hugo.toml): to set up that one, run `hotpapers init` "
        "there)\n"
    )
    (tmp_path / "hugo.toml").unlink()
    assert "a folder above" not in init("init", str(tmp_path / "elsewhere"))  # no site above it


def test_the_default_profile_names_the_config_file_written_with_config(tmp_path):
    written = tmp_path / "site" / "conf" / "hp.yaml"
    (tmp_path / "site" / "conf").mkdir(parents=True)
    output = init("init", str(tmp_path / "site"), "--config", str(written))
    assert f"so the default; change output.profile in {written})\n" in output and f"wrote {written}\n" in output
    assert "hotpapers.yaml" not in output


TOML, YAML = 'baseURL = "x"\n', "baseURL: https://example.org/\n"
HUGO_SITES = {  # a Hugo config file, and how the step's `snippets` are put into it
    "config.toml": (TOML, lambda snippets: f"{TOML}{snippets[1]}\n{snippets[0]}\n"),
    "hugo.toml": (TOML, lambda snippets: f"{TOML}{snippets[1]}\n{snippets[0]}\n"),
    "config.yaml": (YAML, lambda snippets: f"{YAML}{snippets[0]}\n"),
    "hugo.yml": (YAML, lambda snippets: f"{YAML}{snippets[0]}\n"),
    "hugo.json": ('{"baseURL": "x"}', lambda snippets: f'{{"baseURL": "x", {snippets[0]}}}'),
}
PARSE = {".toml": tomllib.loads, ".yaml": yaml.safe_load, ".yml": yaml.safe_load, ".json": json.loads}


@pytest.mark.parametrize("name", list(HUGO_SITES))
def test_the_hugo_step_names_the_sites_config_file_in_its_syntax(tmp_path, name):
    """Following the step in the file it names makes a config that keeps raw HTML."""
    text, follow = HUGO_SITES[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    (step,) = [line for line in init("init", str(tmp_path)).splitlines() if "Let Hugo keep" in line]
    assert step.split(". ", 1)[1].startswith(f"Let Hugo keep the embeds' HTML: in {name}, `")
    assert ("[markup" in step) == name.endswith(".toml") and "(in hugo.yaml" not in step
    followed = follow(re.findall(r"`([^`]+)`", step))
    assert PARSE[Path(name).suffix](followed)["markup"] == {"goldmark": {"renderer": {"unsafe": True}}}
    (tmp_path / name).write_text(followed, encoding="utf-8")
    assert "Let Hugo keep" not in init("init", str(tmp_path))


def test_the_hugo_step_without_a_hugo_config_shows_both_forms(tmp_path):
    (step,) = [line for line in init("init", str(tmp_path), "--profile", "hugo").splitlines() if "Let Hugo" in line]
    assert "in hugo.toml, `unsafe = true` under `[markup.goldmark.renderer]` (in hugo.yaml: `markup: {" in step


def test_the_hugo_step_is_left_out_when_the_site_already_keeps_raw_html(tmp_path):
    (tmp_path / "hugo.toml").write_text('baseURL = "x"\n[markup.goldmark.renderer]\n  unsafe = true\n')
    output = init("init", str(tmp_path))
    assert "output.profile: hugo (found hugo.toml)" in output and "Let Hugo keep" not in output


@pytest.mark.parametrize("config", ["hugo.toml", "config/_default/hugo.toml"])
def test_the_hugo_step_is_left_out_when_the_config_folder_keeps_raw_html(tmp_path, config):
    """A site keeping its markup settings in config/_default/markup.toml, as Hugo allows, was
    told to set `unsafe = true` in its config file, though Hugo reads it there (and build
    did not warn)."""
    (tmp_path / "config" / "_default").mkdir(parents=True)
    (tmp_path / config).write_text('baseURL = "x"\n', encoding="utf-8")
    (tmp_path / "config" / "_default" / "markup.toml").write_text("[goldmark.renderer]\n  unsafe = true\n")
    output = init("init", str(tmp_path))
    assert f"output.profile: hugo (found {config})" in output and "Let Hugo keep" not in output


@pytest.mark.parametrize("before", [True, False])
def test_config_names_the_file_init_writes(tmp_path, monkeypatch, before):
    monkeypatch.chdir(tmp_path)
    option = ["--config", "site-settings.yaml"]
    output = init(*option, "init", "--profile", "hugo") if before else init("init", "--profile", "hugo", *option)
    assert "wrote site-settings.yaml" in output and not (tmp_path / "hotpapers.yaml").exists()
    assert "hotpapers build --config site-settings.yaml --dry-run" in output
    assert load_config(tmp_path / "site-settings.yaml", tmp_path).output.profile == "hugo"


@pytest.mark.parametrize(
    ("config", "seen_from_site"),
    [
        ("cfg/site.yaml", "../cfg/site.yaml"),
        ("site/conf/hp.yaml", "conf/hp.yaml"),
        ("my settings.yaml", "'../my settings.yaml'"),
    ],
)
def test_the_config_in_the_steps_is_named_as_seen_from_the_site(tmp_path, monkeypatch, config, seen_from_site):
    """`init site --config cfg/site.yaml` said `cd site && hotpapers build --config cfg/site.yaml --dry-run`,
    which, pasted, found no cfg/site.yaml in site/; and to add `--config cfg/site.yaml` to the workflow,
    which runs in the site's folder too."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg").mkdir()
    (tmp_path / "site" / "conf").mkdir(parents=True)
    output = init("init", "site", "--config", config)
    assert f"cd site && hotpapers build --config {seen_from_site} --dry-run, then hotpapers build --config" in output
    if seen_from_site.strip("'").startswith(".."):  # the workflow's checkout of the site holds no such file
        assert (
            f".github/workflows/hotpapers.yml runs in a checkout of the site's repository, which holds no "
            f"{seen_from_site} (outside the site's folder): move the config into the site, then add --config with "
            "its path there to the hotpapers commands of .github/workflows/hotpapers.yml."
        ) in output
        assert "Add --config" not in output
    else:  # the workflow reads it (test_the_workflow_reads_the_config_given_to_init)
        assert "Add --config" not in output
    monkeypatch.chdir(tmp_path / "site")
    without_credentials(monkeypatch)
    pasted = CliRunner().invoke(cli, ["build", "--config", seen_from_site.strip("'"), "--dry-run"])
    assert pasted.exit_code == 0, pasted.output


def test_the_folder_in_the_steps_is_quoted_as_a_shell_reads_it(tmp_path, monkeypatch):
    """`init 'my site'` said `cd my site && hotpapers build --dry-run`, which, pasted, cd
    refused (too many arguments), as a46906d quoted only the config's path."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my site").mkdir()
    output = init("init", "my site", "--profile", "hugo")
    assert "Try it (with those variables exported): cd 'my site' && hotpapers build --dry-run," in output


def workflow_commands(site: Path) -> list[list[str]]:
    """The hotpapers commands of the workflow init wrote into `site`, as bash splits them (the
    day's option left out)."""
    workflow = yaml.safe_load((site / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8"))
    runs = [step["run"] for step in workflow["jobs"]["build"]["steps"] if step.get("run", "").startswith("hotpapers")]
    return [shlex.split(run.replace('${DAY:+--date "$DAY"}', "")) for run in runs]


def test_a_config_given_by_its_absolute_path_inside_the_site_is_added_to_the_workflow(tmp_path, monkeypatch):
    """The config inside the site's folder, named from the root while the folder is named
    from here: the workflow's checkout holds it, so no step says to move it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    output = init("init", "site", "--profile", "hugo", "--config", str(tmp_path / "site" / "hp.yaml"))
    assert workflow_commands(tmp_path / "site") == [
        ["hotpapers", "build", "--config", "hp.yaml"],
        ["hotpapers", "check", "--config", "hp.yaml", "--days", "7"],
    ]
    assert "move the config into the site" not in output and "Add --config" not in output


@pytest.mark.parametrize("name", ["conf/my #1: hot papers.yaml", "hp.yaml"])
def test_the_workflow_reads_the_config_given_to_init(tmp_path, monkeypatch, name):
    """`init --config conf/hp.yaml` wrote a workflow whose build read no config (the site holds no
    hotpapers.yaml) and a step to add --config by hand: forgotten, each night built the default
    profile's posts into another folder than the one committed. A name YAML would cut at ` #` or
    split at `: ` is quoted."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site" / "conf").mkdir(parents=True)
    output = init("init", "site", "--profile", "jekyll", "--config", f"site/{name}")
    assert "Add --config" not in output
    build, check = workflow_commands(tmp_path / "site")
    assert build == ["hotpapers", "build", "--config", name]
    assert check == ["hotpapers", "check", "--config", name, "--days", "7"]
    (tmp_path / "site" / name).write_text("sources: {twitter: {enabled: false}}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "site")  # the workflow's checkout
    without_credentials(monkeypatch)
    dry_run = CliRunner().invoke(cli, [*build[1:], "--dry-run"])
    assert dry_run.exit_code == 0, dry_run.output
    assert "bluesky would be skipped" in dry_run.output and "twitter" not in dry_run.output


def test_a_kept_workflow_is_told_to_read_the_config(tmp_path, monkeypatch):
    """A workflow already there is kept as it was, without --config: the step says to add it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site" / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / "site" / ".github" / "workflows" / "hotpapers.yml").write_text("name: mine\n", encoding="utf-8")
    output = init("init", "site", "--profile", "hugo", "--config", "site/hp.yaml")
    assert "Add --config hp.yaml to the hotpapers commands of .github/workflows/hotpapers.yml." in output


def test_init_of_the_working_directory_says_no_cd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = init("init", ".", "--profile", "hugo")
    assert "Try it (with those variables exported): hotpapers build --dry-run," in output


def test_init_writes_files_with_the_umasks_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        init("init", str(tmp_path), "--profile", "lumen")
    finally:
        os.umask(old)
    for path in (tmp_path / "hotpapers.yaml", tmp_path / ".github" / "workflows" / "hotpapers.yml"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.parametrize("profile", ["lumen", "lumen-2022", "hugo", "jekyll"])
def test_the_commented_feed_paths_are_the_profiles_own(tmp_path, profile):
    """Uncommenting a feed path the generated config shows changes nothing: Jekyll serves
    its site folder, the others `static/`."""
    text = commented_config(profile)
    shown = {kind: re.search(rf"^  # {kind}: (.+)$", text, re.MULTILINE)[1] for kind in ("atom", "json")}
    expected = {"atom": "hot-papers.atom", "json": "hot-papers.json"}
    folder = "." if profile == "jekyll" else "static"
    assert shown == {kind: f"{folder}/{name}" for kind, name in expected.items()}
    (tmp_path / "hotpapers.yaml").write_text(text, encoding="utf-8")
    built = load_config(tmp_path / "hotpapers.yaml", tmp_path).feeds
    assert (built.atom, built.json) == (tmp_path / folder / expected["atom"], tmp_path / folder / expected["json"])


def test_the_jekyll_step_asks_for_every_setting_the_readme_does(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    settings = re.search(r"### Jekyll\n[\s\S]*?```yaml\n([\s\S]*?)```", readme)[1].splitlines()
    (tmp_path / "_config.yml").write_text("title: My blog\n", encoding="utf-8")
    step = [line for line in init("init", str(tmp_path)).splitlines() if "in _config.yml" in line]
    assert len(step) == 1 and settings == ["permalink: /:slug/", "exclude: [data, hotpapers.yaml]"]
    for setting in settings:
        assert f"`{setting}`" in step[0]


def test_a_jekyll_site_set_as_the_readme_says_publishes_only_the_post(tmp_path):
    """A real `jekyll build` of a site that `init` made, with the README's settings, after a build."""
    require("jekyll", shutil.which("jekyll"))
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    settings = re.search(r"### Jekyll\n[\s\S]*?```yaml\n([\s\S]*?)```", readme)[1]
    (tmp_path / "_config.yml").write_text(f"title: My blog\n{settings}", encoding="utf-8")
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "post.html").write_text("<main>{{ content }}</main>\n", encoding="utf-8")
    init("init", str(tmp_path), "--profile", "jekyll")
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    init("build", "--config", str(tmp_path / "hotpapers.yaml"), "--date", "2020-09-24")
    jekyll_build(tmp_path)
    published = [path.relative_to(tmp_path / "_site").as_posix() for path in (tmp_path / "_site").rglob("*")]
    assert published == ["hot-papers-2020-09-24", "hot-papers-2020-09-24/index.html"]


@pytest.mark.parametrize(
    ("config", "excluded"),
    [("config.yaml", "data, config.yaml"), ("settings/hp.yaml", "data, settings/hp.yaml"), ("../hp.yaml", "data")],
)
def test_the_jekyll_step_excludes_the_config_where_the_site_would_publish_it(tmp_path, config, excluded):
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text("title: My blog\n", encoding="utf-8")
    if config == "config.yaml":  # a config.yaml of hotpapers' settings is kept as the site's config
        (site / config).write_text("output: {profile: jekyll}\n", encoding="utf-8")
        output = init("init", str(site))
    else:
        output = init("init", str(site), "--config", str(site / config))
    [step] = [line for line in output.splitlines() if "in _config.yml" in line]
    assert f"`exclude: [{excluded}]`" in step


@pytest.mark.parametrize("profile", ["lumen", "jekyll"])
def test_following_the_header_sets_a_key_of_a_commented_section(tmp_path, profile):
    text = commented_config(profile)
    header = " ".join(line.removeprefix("# ") for line in text.split("\n\n", 1)[0].splitlines())
    assert "remove the '# ' in front of it, and in front of its section's line (such as `site:`)" in header
    lines = text.splitlines()
    lines[lines.index("# site:")] = "site:"
    lines[lines.index("  # url: null")] = "  url: https://my-lab.example.org"
    (tmp_path / "hotpapers.yaml").write_text("\n".join(lines), encoding="utf-8")
    config = load_config(tmp_path / "hotpapers.yaml", tmp_path)
    assert config.site.url == "https://my-lab.example.org" and config.output.profile == profile


def test_the_commented_config_speaks_to_the_user_not_of_the_code():
    """Its comments are the keys' docstrings, read by a site's owner in their hotpapers.yaml:
    a pointer to a module of the package (`max_ids`' '(paper_lookup.py)') is for developers,
    whom docs/architecture.md guides."""
    lines = commented_config("hugo").splitlines()
    assert len(lines) > 100
    assert [line for line in lines if re.search(r"\b\w+\.py\b", line)] == []


def test_each_commented_section_reads_back_with_its_line_and_first_key_uncommented(tmp_path):
    """The header's instruction works for every commented-out section, not only site."""
    path = tmp_path / "hotpapers.yaml"
    lines = commented_config("hugo").splitlines()
    path.write_text("\n".join(lines), encoding="utf-8")
    defaults = msgspec.to_builtins(load_config(path, tmp_path), enc_hook=str)
    sections = [n for n, line in enumerate(lines) if re.fullmatch(r"# [a-z]+:", line)]
    assert len(sections) >= 6
    for n in sections:
        key = next(k for k in range(n + 1, len(lines)) if re.match(r"  # [a-z_]+: ", lines[k]))
        changed = [*lines[:n], lines[n][2:], *lines[n + 1 : key], "  " + lines[key][4:], *lines[key + 1 :]]
        path.write_text("\n".join(changed), encoding="utf-8")
        assert msgspec.to_builtins(load_config(path, tmp_path), enc_hook=str) == defaults, lines[key]


@pytest.mark.parametrize(
    ("key", "section", "error"),
    [
        ("  # url: null", "# site:", "output.url: unknown key"),
        ("  # min_paper_score: 50", "# ranking:", "not valid YAML"),
    ],
)
def test_a_key_uncommented_without_its_section_line_is_named_in_the_error(tmp_path, key, section, error):
    lines = commented_config("hugo").splitlines()
    lines[lines.index(key)] = key.replace("# ", "", 1)
    (tmp_path / "hotpapers.yaml").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "hotpapers.yaml", tmp_path)
    name = key.split()[1].rstrip(":")
    assert error in str(raised.value) and str(raised.value).endswith(
        f"; line {lines.index(key.replace('# ', '', 1)) + 1} ({name}) is indented under `{section}` "
        f"(line {lines.index(section) + 1}), which is commented out: remove the '# ' in front of "
        f"`{section[2:]}` too"
    )


def test_a_section_line_uncommented_without_any_key_under_it_says_so(tmp_path):
    """The other half of the header's instruction: `site:` uncommented alone is YAML's
    null, and the error said 'site: expected a mapping, got null'."""
    lines = commented_config("hugo").splitlines()
    sections = [n for n, line in enumerate(lines) if re.fullmatch(r"# [a-z]+:", line)]
    for n in sections:
        name = lines[n][2:]
        (tmp_path / "hotpapers.yaml").write_text("\n".join([*lines[:n], name, *lines[n + 1 :]]), encoding="utf-8")
        with pytest.raises(ConfigError) as raised:
            load_config(tmp_path / "hotpapers.yaml", tmp_path)
        assert str(raised.value) == (
            f"{tmp_path / 'hotpapers.yaml'}: {name[:-1]}: a section with no key (are the keys under it still commented out?): "
            f"remove the '# ' in front of those to set, or comment out `{name}` again"
        )
    (tmp_path / "hotpapers.yaml").write_text("sources:\n  twitter:\n  # hackernews:\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources\.twitter: a section with no key "):
        load_config(tmp_path / "hotpapers.yaml", tmp_path)


def test_a_key_after_a_commented_key_of_its_own_section_gets_no_such_advice(tmp_path):
    (tmp_path / "hotpapers.yaml").write_text("ranking:\n  # weights:\n  min_paper_score: -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="min_paper_score") as raised:
        load_config(tmp_path / "hotpapers.yaml", tmp_path)
    assert "indented under" not in str(raised.value)


def test_a_wrong_value_under_an_active_section_gets_no_such_advice(tmp_path):
    """A value error is not what a key misplaced under a commented-out section causes."""
    text = "sources:\n# hackernews:\n#   enabled: false\n  huggingface:\n    max_pages: -1\n"
    (tmp_path / "hotpapers.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="max_pages") as raised:
        load_config(tmp_path / "hotpapers.yaml", tmp_path)
    assert "indented under" not in str(raised.value)


def test_a_config_kept_outside_the_site_folder_points_its_paths_back_at_the_site(tmp_path, monkeypatch):
    """Paths resolve against the config's folder: init writes the site's own, seen from there."""
    monkeypatch.chdir(tmp_path)
    init("init", "--profile", "hugo", "--config", "conf/hp.yaml")
    text = (tmp_path / "conf" / "hp.yaml").read_text(encoding="utf-8")
    assert "\npaths:\n" in text and "  # atom: ../static/hot-papers.atom\n" in text
    config = load_config(tmp_path / "conf" / "hp.yaml", tmp_path)
    assert [p.resolve() for p in (config.paths.snapshots, config.posts_folder, config.paths.public)] == [
        tmp_path / "data" / "snapshots",
        tmp_path / "content" / "posts",
        tmp_path / "static",
    ]
    assert config.feeds.atom.resolve() == tmp_path / "static" / "hot-papers.atom"
    workflow = (tmp_path / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8")
    assert "for path in content/posts data/snapshots static/hot-papers.atom static/hot-papers.json; do" in workflow


def test_a_kept_config_that_does_not_load_stops_init_before_the_workflow(tmp_path):
    """The workflow commits the folders the config names: from a broken one it would
    guess the profile's and miss where the build writes once the config is fixed."""
    (tmp_path / "hotpapers.yaml").write_text(
        "paths: {posts: blog/posts}\nranking: {min_paper_score: -1}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "hugo"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "ranking.min_paper_score" in result.stderr and "run init again" in result.stderr
    assert not (tmp_path / ".github").exists()


def test_the_next_steps_say_to_turn_off_the_sources_whose_credentials_are_not_set(tmp_path, monkeypatch):
    """A site on the free sources alone otherwise gets, from cron's `hotpapers -q build`, a
    mail every night saying the others were skipped; following the step silences it."""
    without_credentials(monkeypatch)
    monkeypatch.setenv("BSKY_HANDLE", "me.bsky.social")
    monkeypatch.setenv("BSKY_APP_PASSWORD", "abcd-efgh-ijkl-mnop")
    config = tmp_path / "hotpapers.yaml"
    steps = [line for line in init("init", str(tmp_path)).splitlines() if "enabled: false" in line]
    assert steps == [
        f"  2. Not set here: X_BEARER_TOKEN (twitter). To run without it, set `sources.twitter.enabled: false` in "
        f"{config}, or every build warns that it was skipped (cron mails that each night)."
    ]
    monkeypatch.chdir(tmp_path)
    warned = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--dry-run"])
    assert "2020-09-24: twitter would be skipped: set X_BEARER_TOKEN" in warned.stderr
    text = config.read_text(encoding="utf-8")
    assert text.count("  twitter:\n    enabled: true\n") == 1
    config.write_text(text.replace("  twitter:\n    enabled: true\n", "  twitter:\n    enabled: false\n"), "utf-8")
    quiet = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--dry-run"])
    assert (quiet.exit_code, quiet.stderr) == (0, "")


def test_the_step_names_every_source_without_credentials_and_none_when_all_are_set(tmp_path, monkeypatch):
    without_credentials(monkeypatch)
    monkeypatch.setenv("BSKY_HANDLE", "me.bsky.social")
    output = init("init", str(tmp_path / "none"))
    assert (
        "Not set here: X_BEARER_TOKEN (twitter), BSKY_APP_PASSWORD (bluesky). To run without them, set "
        "`sources.twitter.enabled: false` and `sources.bluesky.enabled: false` in "
        f"{tmp_path / 'none' / 'hotpapers.yaml'}, or every build warns that they were skipped" in output
    )
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "hotpapers.yaml").write_text("sources: {twitter: {enabled: false}}\n", encoding="utf-8")
    assert "Not set here: BSKY_APP_PASSWORD (bluesky). To run without it, set `sources.bluesky.enabled: false` in" in (
        init("init", str(tmp_path / "kept"))
    )
    monkeypatch.setenv("BSKY_APP_PASSWORD", "abcd-efgh-ijkl-mnop")
    monkeypatch.setenv("X_BEARER_TOKEN", "token")
    assert "Not set here" not in init("init", str(tmp_path / "all"))


def test_the_next_steps_say_to_set_the_sites_address_or_turn_the_feeds_off(tmp_path, monkeypatch):
    """Without site.url every build, under -q too, says the feeds are off, so cron mails it
    every night; init's steps said nothing of it. Following the step silences it."""
    without_credentials(monkeypatch)
    config = tmp_path / "hotpapers.yaml"
    steps = [line for line in init("init", str(tmp_path)).splitlines() if "the site's address" in line]
    assert steps == [
        f"  3. Set `site: {{url: ...}}` (the site's address, such as https://my-lab.example.org) in {config} so "
        "that build writes the feeds, or `feeds: {atom: null, json: null}` to do without them; until then every "
        "build says the feeds are off (cron mails that each night)."
    ]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    free = "sources: {twitter: {enabled: false}, bluesky: {enabled: false}}\n"
    for settings, stderr in [("", "feeds: off until site.url"), ("site: {url: 'https://my-lab.example.org'}\n", "")]:
        config.write_text(free + settings, encoding="utf-8")
        built = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--offline", "--force"])
        assert (built.exit_code, built.stderr[: len(stderr)]) == (0, stderr)
    assert "the site's address" not in init("init", str(tmp_path))
    (tmp_path / "off").mkdir()
    (tmp_path / "off" / "hotpapers.yaml").write_text("feeds: {atom: null, json: null}\n", encoding="utf-8")
    assert "the site's address" not in init("init", str(tmp_path / "off"))


def test_the_jekyll_step_on_a_blog_with_posts_of_its_own_scopes_the_permalink_to_hotpapers_posts(tmp_path):
    """`permalink: /:slug/` would move the blog's own posts: the step gives the README's scoped
    default instead, which reads as the README writes it."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    scoped = re.findall(r"```yaml\n([\s\S]*?)```", readme.split("### Jekyll\n", 1)[1].split("\n### ", 1)[0])[1]
    (tmp_path / "_config.yml").write_text("title: My blog\n", encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-09-01-our-news.md").write_text("---\ntitle: News\n---\n", encoding="utf-8")
    [step] = [line for line in init("init", str(tmp_path)).splitlines() if "in _config.yml" in line]
    assert "Set `permalink" not in step and "`exclude: [data, hotpapers.yaml]`" in step
    [setting] = [part for part in step.split("`")[1::2] if part.startswith("defaults:")]
    assert yaml.safe_load(setting) == yaml.safe_load(scoped)
    (tmp_path / "_posts" / "2020-09-01-our-news.md").rename(tmp_path / "_posts" / "2020-09-24-hot-papers.md")
    (tmp_path / "_posts" / ".gitkeep").touch()
    [step] = [line for line in init("init", str(tmp_path / ".")).splitlines() if "in _config.yml" in line]
    assert "Set `permalink: /:slug/`" in step  # hotpapers' posts alone: the site-wide setting moves nothing else


@pytest.mark.parametrize(
    ("settings", "post", "step"),
    [
        ("permalink: /:slug/\nexclude: [data, hotpapers.yaml]\n", None, None),
        (
            "permalink: /:slug/\n",
            None,
            "Add data, hotpapers.yaml to the `exclude` list in _config.yml, keeping what it holds (`exclude: [data, "
            "hotpapers.yaml]` if none), so that the snapshots and hotpapers' settings are not published as files of "
            "the site.",
        ),
        ("permalink: pretty\nexclude: [data, hotpapers.yaml]\n", None, "Set `permalink: /:slug/` in _config.yml, "),
        ("exclude: [data, hotpapers.yaml, Gemfile]\n", None, "Set `permalink: /:slug/` in _config.yml, so that URLs "),
        (  # only what the list lacks, added to it
            "exclude: [data]\npermalink: /:title/\n",
            None,
            "Add hotpapers.yaml to the `exclude` list in _config.yml, keeping what it holds (`exclude: "
            "[hotpapers.yaml]` if none)",
        ),
        (
            'exclude: [data, hotpapers.yaml]\ndefaults: [{scope: {path: "_posts"}, values: {permalink: /:slug/}}]\n',
            "2020-09-01-our-news.md",
            None,
        ),
        (  # as init says to scope it: Jekyll's glob finds the posts once written, not before
            'exclude: [data, hotpapers.yaml]\ndefaults: [{scope: {path: "_posts/*-hot-papers.md"}, values: {permalink: '
            "/:slug/}}]\n",
            "2020-09-01-our-news.md",
            None,
        ),
        (
            "exclude: [data, hotpapers.yaml]\n",
            "2020-09-01-our-news.md",
            'Set `defaults: [{scope: {path: "_posts/*-hot-papers.md"}, values: {permalink: /:slug/}}]` in '
            "_config.yml, so that hotpapers' URLs carry the slug while the posts already in _posts keep theirs",
        ),
    ],
)
def test_the_jekyll_step_asks_only_for_what_the_sites_config_lacks(tmp_path, settings, post, step):
    """Run on a Jekyll site whose _config.yml already had `permalink: /:slug/` and `exclude:
    [data, hotpapers.yaml]`, init still said to set both, as it never says for a Hugo site
    whose config keeps raw HTML."""
    (tmp_path / "_config.yml").write_text(f"title: My blog\n{settings}", encoding="utf-8")
    if post:
        (tmp_path / "_posts").mkdir()
        (tmp_path / "_posts" / post).write_text("---\ntitle: News\n---\n", encoding="utf-8")
    steps = [line for line in init("init", str(tmp_path)).splitlines() if "in _config.yml" in line]
    assert [line.split(". ", 1)[1].startswith(step) for line in steps] == ([True] if step else []), steps


@pytest.mark.parametrize(
    ("files", "advised"),
    [
        ({}, True),  # as `hugo new site` makes it: Hugo warned `found no layout file` and wrote no page of a post
        ({"themes/ananke/theme.toml": ""}, True),  # a theme folder the config does not name is not read
        ({"layouts/_default/single.html": "{{ .Content }}"}, False),
        ({"hugo.toml": 'baseURL = "https://example.org/"\ntheme = "ananke"\n'}, False),
        ({"hugo.toml": 'baseURL = "https://example.org/"\n[module]\n[[module.imports]]\npath = "x/y"\n'}, False),
    ],
)
def test_init_says_a_hugo_site_without_a_theme_or_layouts_publishes_no_post(tmp_path, files, advised):
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    step = (
        "Add a theme to the Hugo site (or layouts of its own, in layouts/): it has none, and Hugo makes no "
        "page of a post without one (it warns `found no layout file`)."
    )
    assert (step in init("init", str(tmp_path))) is advised


@pytest.mark.parametrize("profile", ["hugo", "jekyll"])
def test_the_steps_say_where_the_template_to_start_from_is(tmp_path, monkeypatch, profile):
    """A pip user, told by the docs to start from a copy of the bundled template, had no way
    to find the folder that holds it (inside the installed package)."""
    monkeypatch.chdir(tmp_path)
    output = init("init", "site", "--profile", profile)
    step = re.search(r"To change how the posts read, copy (\S+) from (.+) into (\S+) and edit the copy", output)
    assert step, output
    template = {"hugo": "post-hugo.md.j2", "jekyll": "post-jekyll.md.j2"}[profile]
    assert step[1] == template and step[3] == "site/templates"
    assert (Path(step[2]) / template).read_text(encoding="utf-8").startswith("{#-")  # the bundled template itself
