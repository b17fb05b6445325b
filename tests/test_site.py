"""Site detection, `build` refusing the classic lumen profile on a lumen site since 2022,
and `hotpapers init` for each kind of site."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
import yaml
from click.testing import CliRunner, Result

import hotpapers
from hotpapers.cli import cli
from hotpapers.config import Config, load_config
from hotpapers.config_check import unwrap
from hotpapers.site import detect_site
from hotpapers.sources import SOURCES

REPO = Path(__file__).parent.parent


def package_json(folder, gatsby, name="gatsby-starter-lumen"):
    data = {"name": name, "dependencies": {"gatsby": gatsby, "react": "^18.2.0"}}
    (folder / "package.json").write_text(json.dumps(data), encoding="utf-8")


def hugo_config_folder(folder, name, text):
    """A Hugo site whose only settings are in its config folder, as Hugo allows."""
    (folder / "config" / "_default").mkdir(parents=True)
    (folder / "config" / "_default" / name).write_text(text, encoding="utf-8")


SITES = {
    "hugo.toml": ("hugo", lambda f: (f / "hugo.toml").write_text('baseURL = "https://example.org/"\n')),
    "hugo-config.toml": ("hugo", lambda f: (f / "config.toml").write_text('baseURL = "https://example.org/"\n')),
    "hugo-config.yaml": ("hugo", lambda f: (f / "config.yaml").write_text("baseURL: https://example.org/\n")),
    "hugo-config-folder": ("hugo", lambda f: hugo_config_folder(f, "hugo.toml", 'baseURL = "https://example.org/"\n')),
    "hugo-config-folder-yaml": ("hugo", lambda f: hugo_config_folder(f, "config.yaml", "title: A site\n")),
    "jekyll": ("jekyll", lambda f: (f / "_config.yml").write_text("title: My blog\n")),
    "lumen-2020": ("lumen", lambda f: package_json(f, "^2.24.63")),
    "lumen-gatsby-5": ("lumen-2022", lambda f: package_json(f, "^5.14.0")),
    "lumen-gatsby-4": ("lumen-2022", lambda f: package_json(f, "~4.25.0")),
}


@pytest.mark.parametrize("kind", list(SITES))
def test_detect_site(tmp_path, kind):
    expected, make = SITES[kind]
    make(tmp_path)
    assert detect_site(tmp_path).profile == expected


@pytest.mark.parametrize(
    "make",
    [
        lambda f: None,
        lambda f: package_json(f, "^5.14.0", name="my-gatsby-blog"),
        lambda f: (f / "package.json").write_text("{not json"),
        lambda f: package_json(f, "latest"),
    ],
)
def test_an_unknown_site_has_no_profile(tmp_path, make):
    make(tmp_path)
    site = detect_site(tmp_path)
    assert site is None or site.profile is None


def test_build_refuses_the_classic_profile_on_a_gatsby_5_lumen_site(site):
    package_json(site, "^5.14.0")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "a lumen site on Gatsby 4 or later (package.json: gatsby ^5.14.0, lumen)" in result.stderr
    assert "set `output: {profile: lumen-2022}` in " in result.stderr
    assert not (site / "content").exists()
    (site / "config.yaml").write_text("output: {profile: lumen-2022}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    assert (site / "content" / "posts" / "2020-09-24---hot-papers" / "index.md").exists()


def test_build_keeps_the_classic_profile_on_a_2020_lumen_site(site):
    package_json(site, "^2.24.63")
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    assert (site / "content" / "posts" / "2020-09-24---Hot-Papers.md").exists()


@pytest.mark.parametrize("name", ["package.json", "config.toml", "Gemfile"])
def test_a_fifo_among_the_site_s_files_hangs_no_build(site, name):
    """A build with the lumen profile looks at the site's files for a lumen since 2022:
    one that is a FIFO was read as a file, and every build waited for a writer for ever."""
    os.mkfifo(site / name)
    command = [sys.executable, "-m", "hotpapers", "build", "--date", "2020-09-24"]
    run = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    assert (site / "content" / "posts" / "2020-09-24---Hot-Papers.md").exists()


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("name", "text", "profile"),
    [
        ("package.json", '{"dependencies": {"gatsby": "^5"}, "x": ' + DEEP + "}", "lumen"),
        ("hugo.json", '{"baseURL": "https://lab.example/", "markup": ' + DEEP + "}", "hugo"),
        ("hugo.toml", 'baseURL = "https://lab.example/"\nmarkup = ' + DEEP + "\n", "hugo"),
    ],
)
def test_a_site_file_nested_past_the_recursion_limit_is_one_that_cannot_be_read(site, name, text, profile):
    """json.loads and tomllib raise RecursionError for it, which build reported as an
    internal error; a file of the site that cannot be parsed is read as saying nothing."""
    (site / name).write_text(text, encoding="utf-8")
    (site / "config.yaml").write_text(f"output: {{profile: {profile}}}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--offline", "2020-09-24"])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output


def init(folder, *args, input=None):
    result = CliRunner().invoke(cli, ["init", str(folder), *args], input=input)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("kind", list(SITES))
def test_init_writes_a_config_for_the_site_it_finds(tmp_path, kind):
    expected, make = SITES[kind]
    make(tmp_path)
    result = init(tmp_path)
    assert f"output.profile: {expected} (found " in result.output
    config = load_config(tmp_path / "hotpapers.yaml", tmp_path)
    assert config.output.profile == expected
    assert "Next steps:" in result.output and "X_BEARER_TOKEN" in result.output
    text = (tmp_path / "hotpapers.yaml").read_text(encoding="utf-8")
    for name, source in SOURCES.items():
        about = " ".join(text[: text.index(f"\n  {name}:\n")].rsplit("\n\n", 1)[1].replace("#", " ").split())
        assert about.startswith(f"The {name} source: ") and source.cost in about
        assert ("; needs " in about) == any(key.endswith("_env") for key in source.Settings.__struct_fields__)
    words = " ".join(text.replace("#", " ").split())
    assert (
        "The twitter source: pay-per-use, about $0.005 per post read (max_posts caps a build); needs X_BEARER_TOKEN"
        in words
    )
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8"))
    env = workflow["jobs"]["build"]["steps"][3]["env"]
    assert env["X_BEARER_TOKEN"] == "${{ secrets.X_BEARER_TOKEN }}"


def test_init_when_unsure_and_no_one_to_ask_takes_the_default_and_says_so(tmp_path):
    result = init(tmp_path / "new-site")
    assert "output.profile: lumen (no Hugo, Jekyll or Gatsby site in " in result.output
    assert f"so the default; change output.profile in {tmp_path / 'new-site' / 'hotpapers.yaml'})\n" in result.output
    assert load_config(tmp_path / "new-site" / "hotpapers.yaml", tmp_path).output.profile == "lumen"


def test_init_when_unsure_asks_at_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr("hotpapers.site_init.stdin_is_terminal", lambda: True)
    package_json(tmp_path, "^5.14.0", name="my-gatsby-blog")
    result = init(tmp_path, input="jekyll\n")
    assert "Output profile" in result.stderr
    assert "output.profile: jekyll (package.json: gatsby ^5.14.0, not the lumen starter; chosen)" in result.output
    assert load_config(tmp_path / "hotpapers.yaml", tmp_path).output.profile == "jekyll"


def test_init_never_replaces_a_file(tmp_path):
    (tmp_path / "hotpapers.yaml").write_text("output: {profile: hugo}\n", encoding="utf-8")
    result = init(tmp_path, "--profile", "jekyll")
    assert "kept " in result.output and "wrote " in result.output
    assert (tmp_path / "hotpapers.yaml").read_text(encoding="utf-8") == "output: {profile: hugo}\n"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["hotpapers.yaml", "hotpapers.yml"]


def test_the_written_config_reads_back_to_the_defaults_also_with_every_key_uncommented(tmp_path):
    init(tmp_path, "--profile", "lumen")
    text = (tmp_path / "hotpapers.yaml").read_text(encoding="utf-8")
    defaults = msgspec.to_builtins(load_config(None, tmp_path), enc_hook=str)
    assert msgspec.to_builtins(load_config(tmp_path / "hotpapers.yaml", tmp_path), enc_hook=str) == defaults
    names = {name for kind in declared(Config) for name in kind.__struct_fields__} | set(SOURCES)
    keys = [line for line in text.splitlines() if line.lstrip().startswith("# ") and _key(line) in names]
    uncommented = "\n".join(line.replace("# ", "", 1) if line in keys else line for line in text.splitlines())
    assert len(keys) > 40
    (tmp_path / "hotpapers.yaml").write_text(uncommented, encoding="utf-8")
    everything = load_config(tmp_path / "hotpapers.yaml", tmp_path)
    assert msgspec.to_builtins(everything, enc_hook=str) == defaults
    for name in Config.__struct_fields__:
        assert f"\n{name}:" in uncommented


def _key(line):
    return line.lstrip().removeprefix("# ").split(":")[0]


def declared(kind):
    yield kind
    for field in msgspec.structs.fields(kind):
        base = unwrap(field.type)[0]
        if isinstance(base, type) and issubclass(base, msgspec.Struct):
            yield from declared(base)
    if kind is Config:
        yield from (source.Settings for source in SOURCES.values())


def test_the_written_workflow_is_the_repos_nightly_one_with_every_sources_secret(tmp_path):
    """Written for the repo's own sample site, whose settings are its config.yaml."""
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    init(tmp_path)
    written = yaml.safe_load((tmp_path / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8"))
    nightly = yaml.safe_load((REPO / ".github" / "workflows" / "nightly.yml").read_text(encoding="utf-8"))
    for key in ("on", True, "concurrency", "permissions", "name"):
        assert written.get(key) == nightly.get(key)
    steps, repo_steps = written["jobs"]["build"]["steps"], nightly["jobs"]["build"]["steps"]
    assert [s.get("name") for s in steps] == [s.get("name") for s in repo_steps]
    for step, repo_step in zip(steps, repo_steps, strict=True):
        if step.get("name") != "Install hotpapers":
            assert (step.get("run"), step.get("if")) == (repo_step.get("run"), repo_step.get("if"))
        assert (step.get("uses"), step.get("with")) == (repo_step.get("uses"), repo_step.get("with"))
    secrets = {name for source in SOURCES.values() for name in _variables(source.Settings())}
    assert "X_BEARER_TOKEN" in secrets
    assert steps[3]["env"] == {"DAY": "${{ inputs.date }}"} | {name: f"${{{{ secrets.{name} }}}}" for name in secrets}


def _variables(settings):
    return [getattr(settings, key) for key in settings.__struct_fields__ if key.endswith("_env")]


def test_init_writes_no_hotpapers_yaml_that_would_hide_the_settings_in_config_yaml(tmp_path):
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    result = init(tmp_path)
    assert "config.yaml holds the site's settings, so no hotpapers.yaml" in result.output
    assert (tmp_path / "config.yaml").read_bytes() == (REPO / "config.yaml").read_bytes()
    assert not (tmp_path / "hotpapers.yaml").exists()
    assert (tmp_path / ".github" / "workflows" / "hotpapers.yml").exists()


def test_the_library_refuses_the_classic_profile_on_a_gatsby_5_lumen_site(tmp_path, monkeypatch):
    package_json(tmp_path, "^5.14.0")
    (tmp_path / "hotpapers.yaml").write_text("output: {profile: lumen}\n", encoding="utf-8")
    config = hotpapers.load_config(str(tmp_path / "hotpapers.yaml"))
    with pytest.raises(hotpapers.HotpapersError) as info:
        hotpapers.refuse_unfit_profile(config.output.profile, str(tmp_path / "hotpapers.yaml"))
    assert info.value.exit_code == 2
    assert f"{tmp_path / 'package.json'}: a lumen site on Gatsby 4 or later" in info.value.message
    monkeypatch.chdir(tmp_path)  # no path: the working directory's config, as load_config() reads it
    with pytest.raises(hotpapers.HotpapersError) as info:
        hotpapers.refuse_unfit_profile("lumen")
    assert info.value.message.endswith(
        "set `output: {profile: lumen-2022}` in hotpapers.yaml"
    )  # from the working directory
    hotpapers.refuse_unfit_profile("lumen-2022")
    package_json(tmp_path, "^2.24.63")
    hotpapers.refuse_unfit_profile("lumen")


def test_init_asked_for_the_classic_profile_on_a_gatsby_5_lumen_site_says_build_will_refuse_it(tmp_path):
    """init wrote `profile: lumen` as asked and said nothing; the first build then refused it."""
    package_json(tmp_path, "^5.14.0")
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "lumen"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "output.profile: lumen (as asked; but build refuses it here, where package.json: gatsby ^5.14.0, lumen "
        "needs lumen-2022)"
    )
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "x"), "--profile", "hugo"]).output.splitlines()[0] == (
        "output.profile: hugo (as asked)"
    )


@pytest.mark.parametrize(("size", "profile"), [(2**20, "lumen-2022"), (2**20 + 1, None)])
def test_a_site_file_is_read_up_to_1_mib(tmp_path, size, profile):
    """The site's files are read at most 1 MiB of each, so no huge or endless one fills
    the memory: a package.json past that is not read whole, and names no site."""
    package_json(tmp_path, "^5.14.0")
    path = tmp_path / "package.json"
    path.write_bytes(path.read_bytes().rjust(size))  # JSON may begin with white space
    site = detect_site(tmp_path)
    assert (site and site.profile) == profile


def hugo_site(folder, config_text):
    (folder / "hugo.toml").write_text(config_text, encoding="utf-8")
    (folder / "hotpapers.yaml").write_text("output: {profile: hugo}\n", encoding="utf-8")
    (folder / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(REPO / "data" / "snapshots" / "2020-09-24.json", folder / "data" / "snapshots")


DROPPED = "hugo.toml: Hugo drops the HTML of the posts' embeds"


def test_build_warns_when_the_hugo_site_drops_the_embeds_html(tmp_path, monkeypatch):
    """`hugo new site` writes no `unsafe`: Hugo then replaced the 12 embeds of the sample
    day with `<!-- raw HTML omitted -->`, silently, and build said nothing either."""
    hugo_site(tmp_path, "baseURL = 'https://example.org/'\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--offline"])
    assert result.exit_code == 0, result.output
    assert f"{DROPPED} (it writes `<!-- raw HTML omitted -->` in their place): set `unsafe = true` under " in (
        result.stderr
    )
    (tmp_path / "hugo.toml").write_text("baseURL = 'x'\n[markup.goldmark.renderer]\n  unsafe = true\n")
    assert DROPPED not in CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--offline"]).stderr
    (tmp_path / "hugo.toml").write_text("baseURL = 'x'\n")  # set in Hugo's config folder instead
    (tmp_path / "config" / "_default").mkdir(parents=True)
    (tmp_path / "config" / "_default" / "markup.yaml").write_text("goldmark:\n  renderer:\n    unsafe: true\n")
    assert DROPPED not in CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--offline"]).stderr


@pytest.mark.parametrize(
    ("name", "text", "dropped"),
    [
        ("hugo.toml", "baseURL = 'x'\n# To keep the embeds:\n# [markup.goldmark.renderer]\n#   unsafe = true\n", True),
        ("hugo.toml", "baseURL = 'x'\n[params]\n  unsafe = true\n", True),
        ("hugo.yaml", "baseURL: x\nparams: {unsafe: true}\n", True),
        ("hugo.toml", "baseURL = 'x'\n[Markup.Goldmark.Renderer]\n  Unsafe = true\n", False),  # keys: any case
        ("hugo.yaml", "markup:\n  goldmark:\n    renderer:\n      unsafe: true\n", False),
        ("config/_default/markup.toml", "[goldmark.renderer]\nunsafe = true\n", False),
        ("config/_default/hugo.json", '{"markup": {"goldmark": {"renderer": {"unsafe": true}}}}', False),
    ],
)
def test_only_the_markup_setting_keeps_the_embeds_html(tmp_path, monkeypatch, name, text, dropped):
    """`hugo new site`'s config with the setting written in a comment, as a site keeps a
    note: build said nothing, and Hugo 0.111.3 wrote `<!-- raw HTML omitted -->` for
    every embed. Any `unsafe = true` in the file, commented out or in another table,
    counted as the setting."""
    hugo_site(tmp_path, "")
    (tmp_path / "hugo.toml").unlink()
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text, encoding="utf-8")
    if name.startswith("config/"):
        (tmp_path / "hugo.toml").write_text("baseURL = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["-q", "build", "--date", "2020-09-24", "--offline"])
    assert result.exit_code == 0, result.output
    assert ("Hugo drops the HTML of the posts' embeds" in result.stderr) == dropped, result.stderr


def offline_build(site: Path, monkeypatch, files: dict[str, str]):
    """`build 2020-09-24 --offline` run in `site`, holding `files` (name: text) and the example day's snapshot."""
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(REPO / "data" / "snapshots" / "2020-09-24.json", site / "data" / "snapshots")
    monkeypatch.chdir(site)
    return CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"])


@pytest.mark.parametrize(
    ("site_file", "text", "error"),
    [
        (
            "config.toml",
            "baseURL = 'http://example.org/'\n",
            "config.toml: a Hugo site (config.toml with baseURL) reads ",
        ),
        ("_config.yml", "title: a site\n", "_config.yml: a Jekyll site (_config.yml) reads its posts from _posts/"),
        (
            "config/_default/hugo.toml",
            "baseURL = 'http://example.org/'\n",
            "config/_default/hugo.toml: a Hugo site (config/_default/hugo.toml) reads ",
        ),
    ],
)
def test_build_refuses_the_default_classic_profile_in_a_hugo_or_jekyll_site(
    tmp_path, monkeypatch, site_file, text, error
):
    """Run without a hotpapers.yaml in a site `hugo new site` made, build wrote the classic
    post, whose `.Z` date Hugo drops: the post was listed as of 0001-01-01, and nothing said so."""
    result = offline_build(tmp_path, monkeypatch, {site_file: text})
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {error}"), result.stderr
    profile = "jekyll" if site_file == "_config.yml" else "hugo"
    assert result.stderr.endswith(
        f"set `output: {{profile: {profile}}}` in hotpapers.yaml (`hotpapers init` writes one)\n"
    )
    assert not (tmp_path / "content").exists()
    (tmp_path / "hotpapers.yaml").write_text(f"output: {{profile: {profile}}}\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"]).exit_code == 0


@pytest.mark.parametrize(
    ("site_file", "text", "error"),
    [
        (
            "hugo.toml",
            "baseURL = 'http://example.org/'\n",
            "hugo.toml: a Hugo site (hugo.toml) publishes posts of output.profile lumen-2022 at /posts/posts/SLUG/",
        ),
        (
            "_config.yml",
            "title: a site\n",
            "_config.yml: a Jekyll site (_config.yml) reads its posts from _posts/, "
            "not from content/posts/, where output.profile lumen-2022 writes them",
        ),
    ],
)
def test_build_refuses_the_lumen_2022_profile_in_a_hugo_or_jekyll_site(tmp_path, monkeypatch, site_file, text, error):
    """Hugo 0.111.3 published the lumen-2022 post of a Hugo site at
    /posts/posts/hot-papers-2020-09-24/, where no link points, and build said nothing."""
    (tmp_path / site_file).write_text(text, encoding="utf-8")
    (tmp_path / "hotpapers.yaml").write_text("output: {profile: lumen-2022}\n", encoding="utf-8")
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(REPO / "data" / "snapshots" / "2020-09-24.json", tmp_path / "data" / "snapshots")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"])
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {error}"), result.stderr
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize(
    ("site_file", "text", "profile", "error"),
    [
        (
            "_config.yml",
            "title: a site\n",
            "hugo",
            "_config.yml: a Jekyll site (_config.yml) reads its posts from _posts/, "
            "not from content/posts/, where output.profile hugo writes them",
        ),
        (
            "config.toml",
            "baseURL = 'http://example.org/'\n",
            "jekyll",
            "config.toml: a Hugo site (config.toml with baseURL) reads its posts from content/, "
            "not from _posts/, where output.profile jekyll writes them",
        ),
    ],
)
def test_build_refuses_the_hugo_profile_in_a_jekyll_site_and_the_jekyll_one_in_a_hugo_site(
    tmp_path, monkeypatch, site_file, text, profile, error
):
    """Switched to the jekyll profile, a site `hugo new site` made got its post in _posts/
    and its feeds beside it, outside static/: Hugo 0.111.3 published neither, and build
    said only that 'Jekyll's config' gave the posts another permalink. The hugo profile on
    a Jekyll site: jekyll 4.3.1 published content/posts/D-hot-papers.md as a page of its own."""
    result = offline_build(
        tmp_path, monkeypatch, {site_file: text, "hotpapers.yaml": f"output: {{profile: {profile}}}\n"}
    )
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {error}"), result.stderr
    fits = "jekyll" if profile == "hugo" else "hugo"
    assert result.stderr.endswith(f"set `output: {{profile: {fits}}}` in hotpapers.yaml\n")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "content").exists() and not (tmp_path / "_posts").exists()
    (tmp_path / "hotpapers.yaml").write_text(f"output: {{profile: {fits}}}\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"]).exit_code == 0


@pytest.mark.parametrize(("gatsby", "fits"), [("^5.14.0", "lumen-2022"), ("^2.24.63", "lumen")])
@pytest.mark.parametrize(
    ("profile", "why"),
    [
        ("jekyll", "reads its posts from content/, not from _posts/, where output.profile jekyll writes them"),
        (
            "hugo",
            "makes a page only of a post whose frontmatter has `template: post`, which output.profile hugo "
            "does not write (it would publish none of them)",
        ),
    ],
)
def test_build_refuses_the_hugo_and_jekyll_profiles_in_a_lumen_site(tmp_path, monkeypatch, gatsby, fits, profile, why):
    """gatsby-starter-lumen reads markdown from content/ alone (gatsby-config's
    gatsby-source-filesystem) and makes a page of a post only when its frontmatter says
    `template: post` (internal/gatsby/create-pages.ts): a jekyll post in _posts/ and a hugo
    post, which has no `template`, were written every night and never published."""
    package_json(tmp_path, gatsby)
    result = offline_build(tmp_path, monkeypatch, {"hotpapers.yaml": f"output: {{profile: {profile}}}\n"})
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: package.json: a lumen site (package.json: gatsby {gatsby}, lumen) {why}; "
        f"set `output: {{profile: {fits}}}` in hotpapers.yaml\n"
    )
    assert not (tmp_path / "content").exists() and not (tmp_path / "_posts").exists()
    (tmp_path / "hotpapers.yaml").write_text(f"output: {{profile: {fits}}}\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"]).exit_code == 0


def published_by_hugo(site: Path) -> Path:
    """The public/ folder Hugo builds of `site`, given the least layouts that make a page of each post."""
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}", encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("", encoding="utf-8")
    run = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return site / "public"


def built_in_hugo_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, settings: dict) -> Result:
    """`build --offline` of the example day in a Hugo site in `tmp_path` whose hugo.toml
    adds `setting` (a TOML line) to a base URL and raw HTML, with hotpapers' `settings`."""
    (tmp_path / "hugo.toml").write_text(
        f'baseURL = "https://lab.example.org/"\n{setting}\n[markup.goldmark.renderer]\n  unsafe = true\n',
        encoding="utf-8",
    )
    (tmp_path / "hotpapers.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(REPO / "data" / "snapshots" / "2020-09-24.json", tmp_path / "data" / "snapshots")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "2020-09-24", "--offline"])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize(("posts", "warned"), [(None, True), ("pages/posts", False)])
def test_build_warns_when_a_hugo_site_reads_its_pages_from_another_content_dir(tmp_path, monkeypatch, posts, warned):
    """A Hugo site with `contentDir = "pages"` reads no page from content/: build wrote the
    posts to content/posts, where Hugo never looks, and said nothing (nor did check): the
    site published no digest at all. paths.posts inside that folder is read."""
    settings = {"output": {"profile": "hugo"}, **({"paths": {"posts": posts}} if posts else {})}
    result = built_in_hugo_site(tmp_path, monkeypatch, 'contentDir = "pages"', settings)
    said = (
        "hugo.toml: Hugo reads the site's pages from pages (contentDir), so it publishes none of the posts written "
        "to content/posts: set paths.posts to a folder inside it, such as pages/posts\n"
    )
    assert (said in result.stderr) == warned, result.stderr
    if shutil.which("hugo"):  # what Hugo publishes
        assert (published_by_hugo(tmp_path) / "posts" / "hot-papers-2020-09-24" / "index.html").is_file() == (
            not warned
        )


@pytest.mark.parametrize(("public", "warned"), [(None, True), ("assets", False)])
def test_build_warns_when_a_hugo_site_copies_its_static_files_from_another_folder(
    tmp_path, monkeypatch, public, warned
):
    """A Hugo site with `staticDir = "assets"` copies no file of static/: the feeds went to
    static/hot-papers.atom and .json, which Hugo never publishes, and build said nothing.
    paths.public set to that folder is published."""
    settings = {"output": {"profile": "hugo"}, "site": {"url": "https://lab.example.org"}}
    result = built_in_hugo_site(
        tmp_path,
        monkeypatch,
        'staticDir = ["assets"]',
        {**settings, **({"paths": {"public": public}} if public else {})},
    )
    said = (
        "hugo.toml: Hugo copies the site's static files from assets (staticDir), so it publishes none of the feeds "
        "written to static: set paths.public to it\n"
    )
    assert (said in result.stderr) == warned, result.stderr
    if shutil.which("hugo"):  # what Hugo publishes
        assert (published_by_hugo(tmp_path) / "hot-papers.atom").is_file() == (not warned)
