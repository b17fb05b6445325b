"""hotpapers: a daily "Hot Papers" digest of the arXiv papers people posted about.

The library under the `hotpapers` command. A day goes snapshot → rank → render → write:

    config = hotpapers.load_config()  # ./hotpapers.yaml (else ./config.yaml), as the commands read
    snapshot = hotpapers.load_snapshot(config.snapshot_path("2020-09-24"))
    ranked = hotpapers.rank_papers(snapshot, config)
    text = hotpapers.render_post(snapshot, ranked, config)

`build_days` runs all the stages with the guards of `hotpapers build` (atomic writes,
a post is never replaced by one listing fewer papers unless forced), and
`update_feeds(config, now)` then rewrites the feeds, as `build` does (without `now`, they
list a Hugo or Jekyll post dated in the future, which `build` leaves out). `build` first calls
`refuse_unfit_profile` (a profile whose posts the site cannot build); a caller
of `build_days` must too, since a Config does not know its file, so neither the site's
folder. Errors are `HotpapersError`s: `InputError` (bad input, exit code 2: a
`ConfigError` in the config, a `SnapshotError` in a snapshot) or a runtime failure (1:
a `FetchError` when a source or arXiv fails).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from hotpapers import config as _config
from hotpapers import config_file as _config_file
from hotpapers.check_files import check_days
from hotpapers.config import Config
from hotpapers.errors import ConfigError, FetchError, HotpapersError, InputError, SnapshotError
from hotpapers.explain import Explanation
from hotpapers.explain import explain as explain_day
from hotpapers.feeds import FeedsReport, update_feeds
from hotpapers.models import Mention, Paper, RankedPaper, Snapshot
from hotpapers.pipeline import BuildOptions, DayReport, build_days, publish
from hotpapers.rank import rank as rank_papers
from hotpapers.render import render_post
from hotpapers.repair_recent import build_nightly
from hotpapers.site import refuse_unfit_profile
from hotpapers.snapshot import load_snapshot, save_snapshot

__version__ = "0.1.0"
__all__ = [
    "BuildOptions",
    "Config",
    "ConfigError",
    "DayReport",
    "Explanation",
    "FeedsReport",
    "FetchError",
    "HotpapersError",
    "InputError",
    "Mention",
    "Paper",
    "RankedPaper",
    "Snapshot",
    "SnapshotError",
    "build_days",
    "build_nightly",
    "check_days",
    "explain_day",
    "load_config",
    "load_snapshot",
    "publish",
    "rank_papers",
    "refuse_unfit_profile",
    "render_post",
    "save_snapshot",
    "update_feeds",
]


def load_config(path: str | PathLike[str] | None = None) -> Config:
    """The config in `path`; without one, the working directory's config file, else
    the built-in defaults. Relative paths in it resolve against its folder."""
    cwd = Path.cwd()
    return _config.load_config(Path(path) if path is not None else _config_file.default_config_path(cwd), cwd)
