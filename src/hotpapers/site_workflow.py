"""The nightly GitHub workflow `hotpapers init` writes: when it runs, which secrets it
passes, and what it commits."""

from __future__ import annotations

import json
import os
import re
import shlex
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from hotpapers.config import Config
from hotpapers.regular_file import real_path, site_file_text

WORKFLOW_NAME = ".github/workflows/hotpapers.yml"
WORKFLOW_TITLE = "Hot Papers nightly"


def credential_variables(config: Config) -> list[str]:
    """The environment variables every source reads its credentials from in `config`
    (enabled or not, so that enabling one later needs only its secrets), each once: GitHub
    refuses a workflow whose `env:` names a variable twice."""
    sources = config.sources.values()
    return list(
        dict.fromkeys(str(getattr(s, key)) for s in sources for key in s.__struct_fields__ if key.endswith("_env"))
    )


def secrets_step(config: Config) -> str:
    """The step that adds the secrets the workflow passes (`credential_variables`)."""
    secrets = ", ".join(credential_variables(config)) or "(none needed)"
    return (
        f"Add the repository secrets {secrets} (Settings > Secrets and variables > Actions) for the sources "
        "you use; a source without its variables is skipped."
    )


def nightly_workflow(
    folder: Path, config: Config, config_path: Path | None, option: str
) -> tuple[Path, str, list[str]]:
    """Where the nightly workflow of the site in `folder` goes (`repository`), its text (its
    commands read `config_path`, given as `option`, when its checkout holds it) and the step
    that says where it went, when that is not in `folder` (for a workflow written, not kept)."""
    root, site = repository(folder)
    text = workflow(committed_paths(config, folder), config, read_option(config_path, folder, option), site)
    moved = (
        f"{WORKFLOW_NAME} went to {root}, the root of the git repository holding {folder} and the one place GitHub "
        f"reads workflows, and runs its commands in {site}; if the site is to be a repository of its own, move it "
        f"to {folder / WORKFLOW_NAME} and delete its `defaults:`."
    )
    return root / WORKFLOW_NAME, text, [moved] if site else []


def repository(folder: Path) -> tuple[Path, str]:
    """The root of the git repository holding `folder`, where GitHub reads workflows alone,
    and `folder` seen from there: the nearest folder with a .git, `folder` itself when none
    above has one (a site not in git yet is its repository's root)."""
    site = real_path(folder)
    for root in site.parents if not os.path.lexists(site / ".git") else ():
        if os.path.lexists(root / ".git"):
            return root, site.relative_to(root).as_posix()
    return folder, ""


def committed_paths(config: Config, folder: Path) -> list[str]:
    """What `build` writes, relative to `folder`: the posts and snapshots folders and the feeds."""
    paths = [config.posts_folder, config.paths.snapshots, config.feeds.atom, config.feeds.json]
    return [Path(os.path.relpath(path, real_path(folder))).as_posix() for path in paths if path is not None]


def workflow(committed: list[str], config: Config, option: str = "", site: str = "") -> str:
    """The nightly workflow, run just after midnight in the config's time zone
    (`nightly_schedule`); it passes the secrets the config's sources read, gives its
    hotpapers commands `option` (`read_option`), runs them in the repository's folder
    `site` (its root when empty) and commits the paths in `committed` (seen from there)
    that exist after the build."""
    values = {
        "defaults": f"    defaults:\n      run:\n        working-directory: {json.dumps(site)}   # the site's folder\n"
        if site
        else "",
        "schedule": nightly_schedule(config.timezone, date.today()),
        "env": "".join(f"          {name}: ${{{{ secrets.{name} }}}}\n" for name in credential_variables(config)),
        "build": _yaml_scalar(f'hotpapers build{option} ${{DAY:+--date "$DAY"}}'),
        "check": _yaml_scalar(f"hotpapers check{option} --days 7"),
        "committed": " ".join(map(shlex.quote, committed)),
        "title": WORKFLOW_TITLE,
    }
    # in one pass, so that a path holding `{title}` is written as it is; a block's line ends with it
    fields = r"\{(env|defaults)\}\n|\{(schedule|build|check|committed|title)\}"
    return re.sub(fields, lambda m: values[m[1] or m[2]], _WORKFLOW)


def _yaml_scalar(command: str) -> str:
    """`command` as the value of a `run:` line: as it is, unless YAML would read it otherwise
    (a config named `a #1.yaml` or `a: b.yaml` cuts or splits it), then double-quoted."""
    return command if yaml.safe_load(f"run: {command}") == {"run": command} else json.dumps(command)


def read_option(config_path: Path | None, folder: Path, option: str) -> str:
    """`option` (--config and the path of `config_path` from `folder`) for the workflow's
    commands, when its checkout of the site's repository holds the config; else none."""
    checkout = real_path(repository(folder)[0])
    return option if config_path and real_path(config_path).is_relative_to(checkout) else ""


def config_step(config_path: Path, folder: Path, option: str, written: bool) -> list[str]:
    """The step that gives the workflow the config, unless it was `written` reading it: it
    runs in a checkout of the site's repository (`repository`), which holds no file outside it."""
    if read_option(config_path, folder, option):
        return [] if written else [f"Add{option} to the hotpapers commands of {WORKFLOW_NAME}."]
    return [
        f"{WORKFLOW_NAME} runs in a checkout of the site's repository, which holds no{option.removeprefix(' --config')} "
        "(outside the site's folder): move the config into the site, then add --config with its path there "
        f"to the hotpapers commands of {WORKFLOW_NAME}."
    ]


def push_deploy_step(folder: Path) -> list[str]:
    """The step for the site's workflows run `on: push` (a deploy, most often): the nightly
    pushes with GITHUB_TOKEN, and GitHub starts no workflow for such a push."""
    root = repository(folder)[0]
    found = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    names = [path.relative_to(root).as_posix() for path in found if path.name != "hotpapers.yml" and _on_push(path)]
    if not names:
        return []
    return [
        f"{', '.join(names)} {'runs' if len(names) == 1 else 'run'} on push, but GitHub starts no workflow for the "
        f"nightly's push (made with GITHUB_TOKEN): add `workflow_run: {{workflows: [{WORKFLOW_TITLE}], types: "
        "[completed]}` to its `on:` so each night's post is deployed."
    ]


def _on_push(path: Path) -> bool:
    try:
        text = yaml.safe_load(site_file_text(path))  # a FIFO there would keep init waiting for a writer
    except (yaml.YAMLError, RecursionError):  # PyYAML's composer recurses into nested values
        return False
    on = text.get(True, text.get("on")) if isinstance(text, dict) else None  # YAML 1.1 reads `on` as true
    if isinstance(on, dict) and WORKFLOW_TITLE in str(on.get("workflow_run")):
        return False  # already run after the nightly
    return on == "push" or (isinstance(on, list | dict) and "push" in on)


EARLIEST_RUN = 6 * 60 + 17
"""06:17 UTC, in minutes: past midnight in every zone from UTC-6 to UTC+14, at an odd
minute, since runs at the top of the hour are often late."""


def nightly_schedule(timezone: ZoneInfo, today: date) -> str:
    """The workflow's cron line: 06:17 UTC when it is past midnight in `timezone` all year
    (the offsets of the year from `today`), else 17 minutes past midnight at the zone's
    westmost offset, so that `build`'s yesterday is never two days back."""
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    offsets = {(noon + timedelta(days=n)).astimezone(timezone).utcoffset() for n in range(366)}
    westmost = min(offset for offset in offsets if offset is not None) // timedelta(minutes=1)
    run = max(EARLIEST_RUN, -westmost + 17)
    hour, minute = divmod(run, 60)
    cron = f'cron: "{minute} {hour} * * *"'
    if run == EARLIEST_RUN:
        return f"{cron}   # 06:17 UTC; an odd minute, since runs at the top of the hour are often late"
    return f"{cron}   # {hour:02}:{minute:02} UTC, just after midnight in {timezone} in every season"


_WORKFLOW = """\
# The nightly Hot Papers build (written by `hotpapers init`): add the secrets named
# below to the repository, and adjust the install step. Its push (with GITHUB_TOKEN) starts
# no workflow: a deploy run `on: push` needs `workflow_run: {workflows: [{title}],
# types: [completed]}` in its `on:` too.
name: {title}

on:
  schedule:
    - {schedule}
  workflow_dispatch:
    inputs:
      date:
        description: "Digest day, YYYY-MM-DD (empty: yesterday)"
        required: false
        default: ""

concurrency:
  group: hotpapers-nightly   # two runs never write the same day at once
  cancel-in-progress: false

permissions:
  contents: write            # to push the new post and snapshot

jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 60
{defaults}
    steps:
      - uses: actions/checkout@v7
      - uses: actions/setup-python@v7
        with:
          python-version: "3.12"
      - name: Install hotpapers
        run: pip install "hotpapers @ git+https://github.com/<owner>/hotpapers@<tag>"   # where you take it from
      - name: Build the day's post
        timeout-minutes: 50   # a hung build fails this step, and the commit step still runs (not at the job's)
        env:
{env}
          DAY: ${{ inputs.date }}
        run: {build}
      - name: Commit the post, the snapshot and the feeds when they changed
        if: ${{ !cancelled() }}   # after a failed build too: a snapshot it saved keeps the posts read
        env:
          DAY: ${{ inputs.date }}
        run: |
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          for path in {committed}; do
            if [ -e "$path" ]; then git add -A -- "$path"; fi
          done
          if git diff --cached --quiet; then
            echo "Nothing changed."
          else
            git commit -m "Hot papers ${DAY:-of yesterday}"
            git push || { git pull --rebase --quiet && git push; }   # after a push made during the build
          fi
      - name: Fail loudly when the pipeline went quiet
        run: {check}
"""
