"""The published post of 2020-09-24 is rendered from its snapshot byte for byte."""

from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLE_POST, EXAMPLE_SNAPSHOT, make_config
from hotpapers.cli import cli
from hotpapers.rank import rank
from hotpapers.render import render_post
from hotpapers.snapshot import load_snapshot

REPO = Path(__file__).parent.parent


def test_example_snapshot_renders_to_the_published_post():
    snapshot = load_snapshot(EXAMPLE_SNAPSHOT)
    config = make_config()
    assert render_post(snapshot, rank(snapshot, config), config) == EXAMPLE_POST.read_text(encoding="utf-8")


def test_build_in_a_site_writes_the_published_post(site):
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    written = site / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    assert written.read_bytes() == EXAMPLE_POST.read_bytes()


def test_bundled_sample_data_is_the_example_day():
    assert (REPO / "data" / "snapshots" / "2020-09-24.json").read_bytes() == EXAMPLE_SNAPSHOT.read_bytes()
