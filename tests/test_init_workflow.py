"""The workflow `hotpapers init` writes commits what `build` writes for the site (its
posts, its snapshots and its feeds, wherever the profile puts them), also before the
feeds exist; and the README's cron line commits the same."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT
from hotpapers.cli import cli
from hotpapers.config import build_config
from hotpapers.site_workflow import committed_paths

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
SITES = {
    "jekyll": ("_config.yml", "title: My blog\npermalink: /:slug/\n"),
    "hugo": ("hugo.toml", 'baseURL = "https://example.org/"\n'),
    "lumen-2022": ("package.json", '{"name": "gatsby-starter-lumen", "dependencies": {"gatsby": "^5.14.0"}}'),
}


def git(folder, *args):
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True).stdout


def commit_loop(folder):
    """The workflow's lines that stage what changed: from its `for` loop to its `done`."""
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8"))
    (run,) = [s["run"] for s in workflow["jobs"]["build"]["steps"] if s.get("name", "").startswith("Commit")]
    return re.search(r"^ *for path in .*?^ *done$", run, re.MULTILINE | re.DOTALL)[0]


@pytest.mark.parametrize("with_url", [True, False], ids=["feeds", "no-feeds-yet"])
@pytest.mark.parametrize("profile", list(SITES))
def test_the_workflow_commits_everything_build_wrote(tmp_path, monkeypatch, profile, with_url):
    name, text = SITES[profile]
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert CliRunner().invoke(cli, ["init", str(tmp_path)]).output.startswith(f"output.profile: {profile} (found")
    if with_url:
        with (tmp_path / "hotpapers.yaml").open("a", encoding="utf-8") as config:
            config.write("site: {url: https://example.org}\n")
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "the site")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--offline"])
    assert result.exit_code == 0, result.output
    public = tmp_path if profile == "jekyll" else tmp_path / "static"
    assert (public / "hot-papers.atom").is_file() == with_url == (public / "hot-papers.json").is_file()
    subprocess.run(["bash", "-ec", commit_loop(tmp_path)], cwd=tmp_path, check=True)
    status = git(tmp_path, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert status and all(line.startswith("A  ") for line in status), status
    staged = {line[3:] for line in status}
    assert ("hot-papers.json" in " ".join(staged)) == with_url
    assert any(path.endswith(".md") for path in staged)


def test_the_readme_cron_line_commits_what_the_workflow_does():
    cron = re.search(r"```cron\n(.+)\n```", README)[1]
    paths = re.search(r"for p in (.+?); do", cron)[1].split()
    assert paths == committed_paths(build_config({}, Path("/site"), "defaults"), Path("/site"))
    jekyll = build_config({"output": {"profile": "jekyll"}}, Path("/site"), "defaults")
    assert f"A Jekyll site commits `{' '.join(committed_paths(jekyll, Path('/site')))}`" in " ".join(README.split())


def test_the_workflow_commits_the_paths_of_the_config_it_keeps(tmp_path):
    """A kept config is what `build` reads, even when it says another profile than asked."""
    settings = "paths: {posts: my posts, snapshots: facts}\nfeeds: {atom: null}\n"
    (tmp_path / "hotpapers.yaml").write_text(settings, encoding="utf-8")
    CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "jekyll"])
    loop = commit_loop(tmp_path)
    assert loop.splitlines()[0].strip() == "for path in 'my posts' facts static/hot-papers.json; do"


def test_the_workflow_passes_the_variables_a_kept_config_names_for_credentials(tmp_path):
    """A config whose X source reads its token from X_TOKEN_LAB got a workflow passing
    X_BEARER_TOKEN, the default, and a step asking for that secret: each night's build found
    X_TOKEN_LAB unset and skipped X."""
    settings = "sources: {twitter: {token_env: X_TOKEN_LAB}}\n"
    (tmp_path / "hotpapers.yaml").write_text(settings, encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8"))
    env = next(s["env"] for s in workflow["jobs"]["build"]["steps"] if "env" in s)
    assert env.pop("DAY") == "${{ inputs.date }}"
    # the registry's first two sources' variables; a source registered later adds its own after them
    assert list(env)[:3] == ["X_TOKEN_LAB", "BSKY_HANDLE", "BSKY_APP_PASSWORD"] and "X_BEARER_TOKEN" not in env
    assert env == {name: f"${{{{ secrets.{name} }}}}" for name in env}
    assert f"Add the repository secrets {', '.join(env)} (" in result.output


def commit_step(folder):
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8"))
    return next(s["run"] for s in workflow["jobs"]["build"]["steps"] if s.get("name", "").startswith("Commit"))


def test_the_nightly_commit_is_pushed_when_another_push_came_in_during_the_build(tmp_path):
    """The site's owner (or another workflow) pushed while the build ran: a bare `git push` was
    refused, the run went red and the night's post and snapshot were lost with its runner."""
    origin, site, other = tmp_path / "origin.git", tmp_path / "site", tmp_path / "other"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "clone", "-q", str(origin), str(other))
    (other / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    assert CliRunner().invoke(cli, ["init", str(other)]).exit_code == 0
    git(other, "add", "-A")
    git(other, "commit", "-qm", "the site")
    git(other, "push", "-q", "origin", "HEAD:main")
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(site))  # as actions/checkout does
    (other / "about.md").write_text("About me\n", encoding="utf-8")
    git(other, "add", "-A")
    git(other, "commit", "-qm", "the owner's edit")
    git(other, "push", "-q", "origin", "HEAD:main")
    (site / "content" / "posts").mkdir(parents=True)
    (site / "content" / "posts" / "2020-09-24.md").write_text("a post\n", encoding="utf-8")
    run = subprocess.run(["bash", "-e", "-c", commit_step(site)], cwd=site, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    pushed = git(origin, "log", "--format=%s", "main").splitlines()
    assert pushed == ["Hot papers of yesterday", "the owner's edit", "the site"]


def test_a_variable_two_settings_name_is_passed_once(tmp_path):
    """X's token read from BSKY_HANDLE (as Bluesky's handle is) wrote BSKY_HANDLE twice in the
    build step's `env:`, and GitHub refuses a workflow with a key twice in a mapping: no night ran."""
    (tmp_path / "hotpapers.yaml").write_text("sources: {twitter: {token_env: BSKY_HANDLE}}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8")
    assert text.count("BSKY_HANDLE: ${{ secrets.BSKY_HANDLE }}") == 1
    assert "Add the repository secrets BSKY_HANDLE, BSKY_APP_PASSWORD" in " ".join(result.output.split())


def test_a_site_in_a_folder_of_its_repository_gets_the_workflow_at_the_repositorys_root(tmp_path):
    """A Jekyll site in docs/ (as GitHub Pages publishes one) got docs/.github/workflows/hotpapers.yml,
    where GitHub reads no workflow: no night ever ran, and nothing said so. The workflow goes where
    GitHub reads it and runs its commands in the site's folder."""
    git(tmp_path, "init", "-q")
    site = tmp_path / "my docs"
    site.mkdir()
    (site / "_config.yml").write_text("title: My project\npermalink: /:slug/\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(site)])
    assert result.exit_code == 0, result.output
    assert not (site / ".github").exists()
    assert (
        f".github/workflows/hotpapers.yml went to {tmp_path}, the root of the git repository holding {site} and the "
        "one place GitHub reads workflows, and runs its commands in my docs;"
    ) in " ".join(result.output.split())
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "hotpapers.yml").read_text(encoding="utf-8"))
    assert workflow["jobs"]["build"]["defaults"] == {"run": {"working-directory": "my docs"}}
    (site / "_posts").mkdir()
    (site / "_posts" / "2020-09-24-hot-papers.md").write_text("a post\n", encoding="utf-8")
    (site / "_config.yml").write_text("changed\n", encoding="utf-8")
    (run,) = [s["run"] for s in workflow["jobs"]["build"]["steps"] if s.get("name", "").startswith("Commit")]
    loop = re.search(r"^ *for path in .*?^ *done$", run, re.MULTILINE | re.DOTALL)[0]
    subprocess.run(["bash", "-ec", loop], cwd=site, check=True)  # in the working-directory, as GitHub runs it
    staged = git(tmp_path, "diff", "--cached", "--name-only").splitlines()
    assert staged == ["my docs/_posts/2020-09-24-hot-papers.md"]


def test_a_workflow_kept_at_the_repositorys_root_is_not_said_to_have_gone_there(tmp_path):
    """A hotpapers.yml already at the root is kept as it was, without `defaults:`: the step said
    that the workflow went there and runs its commands in the site's folder, as a written one does."""
    git(tmp_path, "init", "-q")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "hotpapers.yml").write_text("name: mine\n", encoding="utf-8")
    site = tmp_path / "docs"
    site.mkdir()
    (site / "_config.yml").write_text("title: My project\npermalink: /:slug/\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(site)])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert f"kept {tmp_path / '.github' / 'workflows' / 'hotpapers.yml'} as it was" in output
    assert "went to" not in output and "runs its commands in" not in output
    assert not (site / ".github").exists()
