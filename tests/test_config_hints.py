"""The commands a message tells the user to run repeat the --config the command was given
when the working directory holds another config or none: cron runs `hotpapers --config
SITE/hotpapers.yaml check` from $HOME, and the `hotpapers build --date D` its mail named,
pasted there, read no config (the built-in defaults: every free source, posts in $HOME)."""

import json
import re
import shlex
import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT, add_settings, example_data
from hotpapers.cli import cli
from hotpapers.sources import SOURCES

SOURCES_OFF = {name: {"enabled": False} for name in SOURCES}


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def own_data_site(folder: Path) -> Path:
    """A site in `folder` that brings its own data: every source off, the example day stored."""
    (folder / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(Path(__file__).parent.parent / "config.yaml", folder / "config.yaml")
    add_settings(folder, json.dumps({"sources": SOURCES_OFF}))
    shutil.copy(EXAMPLE_SNAPSHOT, folder / "data" / "snapshots" / "2020-09-24.json")
    return folder / "config.yaml"


def test_checks_command_works_pasted_where_cron_ran_check(tmp_path, monkeypatch):
    site = tmp_path / "my site"
    config = own_data_site(site)
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path / "home")
    check = ["--config", str(config), "check", "--days", "1", "--until", "2020-09-25"]
    failed = run(*check)
    assert failed.exit_code == 1
    assert failed.output == (
        "Error: check failed: 2020-09-25: no snapshot; every source is disabled in the config: write "
        f"{site / 'data' / 'snapshots' / '2020-09-25.json'} (docs/snapshot.md), then `hotpapers --config '{config}' "
        "build --date 2020-09-25`\n"
    )
    data = example_data() | {"date": "2020-09-25", "taken_at": "2020-09-26T08:00:47Z"}
    [named] = re.findall(r"write (.+) \(docs/snapshot.md\)", failed.output)
    Path(named).write_text(json.dumps(data), encoding="utf-8")
    [pasted] = re.findall(r"`([^`]+)`", failed.output)
    built = run(*shlex.split(pasted)[1:])
    assert built.exit_code == 0, built.output
    assert (site / "content" / "posts" / "2020-09-25---Hot-Papers.md").is_file()
    assert not (tmp_path / "home" / "content").exists()
    assert run(*check).exit_code == 0


def test_a_relative_config_outside_the_folder_is_named_as_messages_name_paths(tmp_path, monkeypatch):
    """`--config '../my site/config.yaml'` from $HOME: the command names the config as the
    message names the snapshot beside it, from the root (shown_path), not by the `..` given."""
    site = tmp_path / "my site"
    config = own_data_site(site)
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path / "home")
    failed = run("--config", "../my site/config.yaml", "check", "--days", "1", "--until", "2020-09-25")
    assert failed.exit_code == 1
    assert failed.output.endswith(f"then `hotpapers --config '{config}' build --date 2020-09-25`\n"), failed.output


def test_previews_and_builds_advice_names_the_config_where_cron_runs_elsewhere(tmp_path, monkeypatch):
    """A day with no post on a site bringing its own data, and a day where no paper qualifies:
    the `build` and `explain` they name, pasted in $HOME, would read no site's config."""
    config = own_data_site(tmp_path / "site")
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path / "home")
    preview = run("--config", str(config), "preview", "2020-09-30")
    assert preview.exit_code == 2
    assert preview.stderr.endswith(f", then run `hotpapers --config {config} build --date 2020-09-30`\n"), (
        preview.stderr
    )
    add_settings(tmp_path / "site", "ranking: {min_paper_score: 100000}")
    built = run("--config", str(config), "build", "--date", "2020-09-24")
    assert built.exit_code == 0
    assert f"; `hotpapers --config {config} explain 2020-09-24` shows each one's); no post written" in built.stderr


def test_the_command_names_no_config_where_the_folder_holds_the_one_given(tmp_path, monkeypatch):
    config = own_data_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    for given in ([], ["--config", "config.yaml"], ["--config", str(config)]):
        failed = run(*given, "check", "--days", "1", "--until", "2020-09-25")
        assert failed.output.endswith("then `hotpapers build --date 2020-09-25`\n"), failed.output
    (tmp_path / "other.yaml").write_text("output: {profile: lumen}\n", encoding="utf-8")
    other = run("explain", "2020-09-25", "--config", "other.yaml")
    assert other.exit_code == 2
    assert other.output.endswith("; run `hotpapers --config other.yaml build --date 2020-09-25` first\n")


def test_a_command_whose_config_is_quoted_is_not_quoted_again(tmp_path, monkeypatch):
    """The advice of a broken snapshot and of a refused embed wrapped the command in single
    quotes, so the quoted config of a site in `my site` read 'hotpapers --config '/x/my
    site/config.yaml' build ...': copied with its quotes, the shell split the path. Each
    command stands between backticks, as check's do, and reads back as given."""
    site = tmp_path / "my site"
    config = own_data_site(site)
    add_settings(site, json.dumps({"sources": {"hackernews": {"enabled": True}}}))  # a day can be fetched again
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path / "home")
    snapshot = site / "data" / "snapshots" / "2020-09-24.json"
    data = example_data()
    data["mentions"][11]["embed_html"] = "<iframe></iframe>"
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    warned = run("--config", str(config), "build", "--date", "2020-09-24", "--offline")
    assert warned.exit_code == 0, warned.output
    snapshot.write_text("{", encoding="utf-8")
    broken = run("--config", str(config), "build", "--date", "2020-09-24", "--offline")
    assert broken.exit_code == 2
    pasted = [re.findall(r"`([^`]+)`", result.stderr) for result in (warned, broken)]
    assert [shlex.split(command) for [command] in pasted] == [
        ["hotpapers", "--config", str(config), "explain", "2020-09-24"],
        ["hotpapers", "--config", str(config), "build", "--date", "2020-09-24", "--refresh"],
    ]
