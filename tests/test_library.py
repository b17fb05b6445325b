"""The library under the CLI: the README's example runs as written, and the API is
what `__all__` says."""

import json
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

import hotpapers
from conftest import EXAMPLE_POST, EXAMPLE_SNAPSHOT, example_data
from hotpapers.cli import cli

README = Path(__file__).parent.parent / "README.md"


def readme_example(which: int = 0) -> str:
    """The section's first Python example (a site's day, built), or its second (a
    snapshot of one's own, made and saved)."""
    section = README.read_text(encoding="utf-8").split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 2, "the section holds two Python examples"
    return blocks[which]


def test_the_readme_example_runs_in_a_site(site, capsys):
    exec(compile(readme_example(), "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    first = re.search(r"\]\(https://arxiv.org/abs/([0-9.]+)\)", EXAMPLE_POST.read_text(encoding="utf-8"))[1]
    assert first == "2009.11243" and lines[0] == f"11 papers, led by arXiv:{first} (score 18348)"  # 18348 reposts
    assert lines[1] == "2020-09-24: wrote content/posts/2020-09-24---Hot-Papers.md (11 papers)"
    assert lines[2] == "no feeds"  # the sample site sets no site.url
    assert lines[3] == "rank 1" and lines[4] == "[]"
    assert (site / "content/posts/2020-09-24---Hot-Papers.md").read_bytes() == EXAMPLE_POST.read_bytes()


def test_the_readme_example_runs_in_a_site_made_by_init_and_writes_its_feeds(tmp_path, monkeypatch, capsys):
    """What `hotpapers build --date 2020-09-24 --offline` writes there, the example writes too."""
    init = CliRunner().invoke(cli, ["init", str(tmp_path), "--profile", "lumen"])
    assert init.exit_code == 0 and not (tmp_path / "config.yaml").exists()
    settings = (tmp_path / "hotpapers.yaml").read_text(encoding="utf-8")
    site = settings.replace("\n# site:\n", "\nsite:\n").replace("  # url: null", "  url: https://my-lab.example.org")
    (tmp_path / "hotpapers.yaml").write_text(site, encoding="utf-8")
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("2020-09-24: wrote content/posts/2020-09-24---Hot-Papers.md (")
    assert lines[2] == "feeds: 1 entry, wrote static/hot-papers.atom, static/hot-papers.json"
    written = {path: path.read_bytes() for path in (tmp_path / "static").iterdir()}
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--offline"]).exit_code == 0
    assert {path: path.read_bytes() for path in (tmp_path / "static").iterdir()} == written
    assert b"https://my-lab.example.org/posts/hot-papers-2020-09-24" in written[tmp_path / "static/hot-papers.atom"]


def test_the_readme_example_says_what_build_says_of_a_day_before_its_message(site, capsys):
    """The example printed each report's message alone, so a lab building its own
    snapshots from Python never saw what `build` says before it: that mentions of an id
    without metadata were left out (here), a post dated in the future, a snapshot kept."""
    data = example_data()
    data["mentions"][0]["paper_ids"].append("2411.99999")
    (site / "data" / "snapshots" / "2020-09-24.json").write_text(json.dumps(data), encoding="utf-8")
    exec(compile(readme_example(), "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    note = "2020-09-24: ignored mentions of 1 id without metadata: 2411.99999"
    assert lines[1:3] == [note, "2020-09-24: wrote content/posts/2020-09-24---Hot-Papers.md (11 papers)"]
    build = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--offline", "--force"])
    assert build.stderr.startswith(f"{note}\n")


def test_build_days_builds_a_day_as_its_report_is_taken_as_the_readme_says(site):
    section = README.read_text(encoding="utf-8").split("## Use it from Python", 1)[1]
    assert "a call whose reports are never taken builds nothing" in " ".join(section.split())
    reports = hotpapers.build_days(["2020-09-24"], hotpapers.load_config(), hotpapers.BuildOptions(offline=True))
    post = site / "content/posts/2020-09-24---Hot-Papers.md"
    assert not post.exists()
    assert [report.written for report in reports] == [True] and post.read_bytes() == EXAMPLE_POST.read_bytes()


def test_a_day_without_a_snapshot_says_what_build_days_needs_to_fetch_it(site):
    """'and live fetching is not configured' named no setting, and there is none: a
    library caller fetches by giving build_days a make_fetch, as the README says."""
    config = hotpapers.load_config()
    with pytest.raises(hotpapers.InputError) as info:
        list(hotpapers.build_days(["2020-09-25"], config))
    assert info.value.message == (
        "no snapshot for 2020-09-25 at data/snapshots/2020-09-25.json, and no make_fetch was "
        "given to fetch with (FetcherOnDemand, from hotpapers.fetch_on_demand)"
    )


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ({}, "no make_fetch was given to fetch with (FetcherOnDemand, from hotpapers.fetch_on_demand)"),
        ({"offline": True}, "--offline was given"),
    ],
)
def test_a_refresh_that_cannot_fetch_does_not_say_the_stored_snapshot_is_missing(site, options, why):
    """'no snapshot for 2020-09-24 at .../2020-09-24.json', of a file that was there."""
    config = hotpapers.load_config()
    with pytest.raises(hotpapers.InputError) as info:
        list(hotpapers.build_days(["2020-09-24"], config, hotpapers.BuildOptions(refresh=True, **options)))
    assert info.value.message == f"refresh asked for 2020-09-24, and {why}"


@pytest.mark.parametrize("days", [0, -3])
def test_check_days_refuses_to_check_no_day_rather_than_find_it_healthy(site, days):
    """check_days(config, day, days=0) returned [], 'healthy', having checked nothing
    (the command refuses --days 0)."""
    with pytest.raises(hotpapers.InputError, match=f"the days to check must be at least 1, not {days}"):
        hotpapers.check_days(hotpapers.load_config(), "2020-09-24", days=days)


@pytest.mark.parametrize("ratio", [-0.25, 1.5, float("nan")])
def test_check_days_refuses_a_minimum_ratio_the_command_refuses(site, ratio):
    """`check --min-ratio` takes 0 to 1, both included; so does the library."""
    config = hotpapers.load_config()
    with pytest.raises(hotpapers.InputError, match=f"the minimum ratio must be between 0 and 1, not {ratio}$"):
        hotpapers.check_days(config, "2020-09-24", days=1, min_ratio=ratio)
    problems = hotpapers.check_days(config, "2020-09-24", days=1)
    assert hotpapers.check_days(config, "2020-09-24", days=1, min_ratio=0) == problems
    assert hotpapers.check_days(config, "2020-09-24", days=1, min_ratio=1) == problems


def test_the_readme_example_of_a_snapshot_of_one_s_own_saves_a_day_that_builds(tmp_path, monkeypatch):
    """The API offered Snapshot and save_snapshot, but not the Paper and Mention a
    snapshot is made of (hotpapers.models, which no page named)."""
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(1), "README.md", "exec"), {})
    day = re.search(r'date="([0-9-]+)"', readme_example(1))[1]
    result = CliRunner().invoke(cli, ["build", "--date", day, "--offline"])
    assert result.exit_code == 0 and f"{day}: wrote content/posts/{day}---Hot-Papers.md (1 paper)" in result.stderr
    post = (tmp_path / f"content/posts/{day}---Hot-Papers.md").read_text(encoding="utf-8")
    assert "\n# 1. Our paper\n\nZoë Åström\n\n- mastodon: reposts: 30, likes: 45 (" in post
    assert "<p>Our paper is out!</p>&mdash; Zoë Åström (@zoe@sigmoid.social)" in post


def test_every_name_in_all_is_there():
    assert sorted(hotpapers.__all__) == hotpapers.__all__
    for name in hotpapers.__all__:
        assert getattr(hotpapers, name) is not None


class PlanOnly:
    """A fetcher for dry runs: says what it would fetch."""

    def check_fetchable(self, days):
        self.fetchable = days

    def plan(self, day):
        return f"{day}: would fetch it"


def test_build_days_makes_a_fetcher_only_for_a_day_it_fetches(site):
    config = hotpapers.load_config()
    made = []

    def make_fetch():
        made.append(PlanOnly())
        return made[-1]

    stored = list(hotpapers.build_days(["2020-09-24"], config, hotpapers.BuildOptions(dry_run=True), make_fetch))
    assert stored[0].message.startswith("2020-09-24: would write ") and made == []
    unstored = list(hotpapers.build_days(["2020-09-25"], config, hotpapers.BuildOptions(dry_run=True), make_fetch))
    assert [report.message for report in unstored] == ["2020-09-25: would fetch it"]
    assert len(made) == 1 and made[0].fetchable == ["2020-09-25"]


def test_a_build_looks_at_each_snapshot_once_before_building(site, monkeypatch):
    """The CLI looked at every snapshot to decide whether to make a fetcher, then build_days again."""
    looked = []
    exists = Path.exists

    def counted(path, *args, **kwargs):
        looked.extend([path.name] if path.parent.name == "snapshots" else [])
        return exists(path, *args, **kwargs)

    monkeypatch.setattr(Path, "exists", counted)
    assert CliRunner().invoke(cli, ["build", "--date", "2020-09-24"]).exit_code == 0
    assert looked == ["2020-09-24.json"]


def test_every_function_and_class_of_the_api_says_what_it_does():
    """help(hotpapers.load_snapshot) said nothing of its `day`, nor did explain_day,
    render_post or save_snapshot; check_days named only the internals it calls."""
    for name in hotpapers.__all__:
        doc = getattr(hotpapers, name).__doc__ or ""
        assert doc.strip() and "checked_days" not in doc, name


def test_paths_may_be_strings_wherever_the_api_takes_one(site):
    """load_config and load_snapshot took a string; save_snapshot and publish's `path`
    raised AttributeError ('str' object has no attribute 'parent')."""
    config = hotpapers.load_config()
    snapshot = hotpapers.load_snapshot(str(config.snapshot_path("2020-09-24")))
    hotpapers.save_snapshot(snapshot, str(site / "copy" / "2020-09-24.json"))
    copy = hotpapers.load_snapshot(site / "copy" / "2020-09-24.json")  # sorted when written
    assert set(copy.papers) == set(snapshot.papers) and set(copy.mentions) == set(snapshot.mentions)
    report = hotpapers.publish(snapshot, config, path=str(site / "copy" / "post.md"))
    assert report.message == "2020-09-24: wrote copy/post.md (11 papers)"  # relative to the site, as build says
    assert (site / "copy" / "post.md").read_bytes() == EXAMPLE_POST.read_bytes()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="writes into /dev/full")
def test_a_dry_run_writes_nothing_into_a_device_either(site):
    """A device is written into without comparing posts; a dry run writes into none (a
    write into /dev/full would fail: No space left on device)."""
    (site / "full.md").symlink_to("/dev/full")
    config = hotpapers.load_config()
    snapshot = hotpapers.load_snapshot(config.snapshot_path("2020-09-24"))
    report = hotpapers.publish(snapshot, config, hotpapers.BuildOptions(dry_run=True), path=site / "full.md")
    assert report.message == "2020-09-24: would write full.md (11 papers)"


def test_days_may_be_dates_and_one_string_is_refused_in_words(site):
    """build_days("2020-09-24", ...) iterated the string: 'no snapshot for 2 at .../2.json
    (and 9 more days)'; a date raised TypeError from deep inside, as did check_days given
    the string its sibling takes."""
    config = hotpapers.load_config()
    options = hotpapers.BuildOptions(offline=True)
    reports = list(hotpapers.build_days([date(2020, 9, 24)], config, options))
    assert [report.day for report in reports] == ["2020-09-24"]
    with pytest.raises(hotpapers.InputError, match=r"a list of days, not one string: \['2020-09-24'\]"):
        list(hotpapers.build_days("2020-09-24", config, options))
    with pytest.raises(hotpapers.InputError, match="'2020-9-24' is not a day written YYYY-MM-DD"):
        list(hotpapers.build_days(["2020-9-24"], config, options))
    for other_iso_form in ("20200924", "2020-W39-4"):  # which Python's date.fromisoformat reads too
        with pytest.raises(hotpapers.InputError, match=f"'{other_iso_form}' is not a day written YYYY-MM-DD"):
            list(hotpapers.build_days([other_iso_form], config, options))
    assert hotpapers.check_days(config, "2020-09-24", days=1) == hotpapers.check_days(config, date(2020, 9, 24), days=1)
    with pytest.raises(hotpapers.InputError, match="'yesterday' is not a day written YYYY-MM-DD"):
        hotpapers.check_days(config, "yesterday")


def test_a_script_catches_the_errors_the_readme_names_by_their_names(site):
    """The README says refuse_unfit_profile raises 'a ConfigError' and save_snapshot's
    checks 'a SnapshotError', but neither was in the API: a script could catch only InputError."""
    (site / "config.yaml").write_text("post: {titel: x}\n", encoding="utf-8")
    with pytest.raises(hotpapers.ConfigError, match=r"post\.titel: unknown key"):
        hotpapers.load_config()
    (site / "data" / "snapshots" / "2020-09-24.json").write_text("{", encoding="utf-8")
    with pytest.raises(hotpapers.SnapshotError, match="not valid JSON"):
        hotpapers.load_snapshot(site / "data" / "snapshots" / "2020-09-24.json")
    assert issubclass(hotpapers.FetchError, hotpapers.HotpapersError)
    assert not issubclass(hotpapers.FetchError, hotpapers.InputError)  # a failure, exit 1


def test_a_snapshot_of_one_s_own_with_a_date_or_a_wrong_type_is_saved_or_refused_in_words(tmp_path):
    """The README promises an InputError for a mistake in a snapshot made in Python; a `date`
    or a `datetime` (as observed_at takes) for its date or taken_at was a TypeError of the json
    module, and a number for a mention's id an AttributeError, both from inside save_snapshot."""
    paper = hotpapers.Paper("2411.01234", "T", ("A",), ("cs.LG",), "X.", "https://arxiv.org/abs/2411.01234", None)
    mention = hotpapers.Mention(
        "mastodon", "1", "https://sigmoid.social/@a/1", ("2411.01234",), 30, 45, "2024-11-21T08:00:00Z"
    )
    stamp = datetime(2024, 11, 21, 8, tzinfo=UTC)
    day = hotpapers.Snapshot(date(2024, 11, 20), stamp, (paper,), (mention,))
    hotpapers.save_snapshot(day, tmp_path / "a.json")
    saved = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert (saved["date"], saved["taken_at"]) == ("2024-11-20", "2024-11-21T08:00:00Z")
    assert hotpapers.load_snapshot(tmp_path / "a.json").date == "2024-11-20"
    numbered = hotpapers.Mention(
        "mastodon", 2, "https://sigmoid.social/@a/2", ("2411.01234",), 1, 1, "2024-11-21T08:00:00Z"
    )
    with pytest.raises(hotpapers.SnapshotError, match=r"\$\.mentions\[0\]\.id: 2 is not of type 'string'"):
        hotpapers.save_snapshot(
            hotpapers.Snapshot("2024-11-20", "2024-11-21T08:00:00Z", (paper,), (numbered,)), tmp_path / "b.json"
        )
    bad = hotpapers.Snapshot("2024-11-20", "2024-11-21T08:00:00Z", (paper,), (mention,), window=tmp_path)
    with pytest.raises(hotpapers.SnapshotError, match="refusing to write an invalid snapshot: "):
        hotpapers.save_snapshot(bad, tmp_path / "c.json")
    assert not (tmp_path / "b.json").exists() and not (tmp_path / "c.json").exists()


def test_a_snapshot_of_one_s_own_with_something_else_where_a_record_goes_is_refused_in_words(tmp_path):
    """A paper given as its id, or a dict, where a Paper goes (or a mention, or the snapshot
    itself, given as something else) raised AttributeError from inside save_snapshot."""
    paper = hotpapers.Paper("2411.01234", "T", ("A",), ("cs.LG",), "X.", "https://arxiv.org/abs/2411.01234", None)
    mention = hotpapers.Mention(
        "mastodon", "1", "https://sigmoid.social/@a/1", ("2411.01234",), 30, 45, "2024-11-21T08:00:00Z"
    )
    day = hotpapers.Snapshot("2024-11-20", "2024-11-21T08:00:00Z", (paper,), (mention,))
    refused = "refusing to write an invalid snapshot: "
    for wrong, said in (
        (msgspec.structs.replace(day, papers=(paper, "2411.05678")), "$.papers[1]: a value of type str"),
        (msgspec.structs.replace(day, papers=({"id": "2411.01234"},)), "$.papers[0]: a value of type dict"),
        (msgspec.structs.replace(day, mentions=(mention, paper)), "$.mentions[1]: a value of type Paper"),
        (paper, "a value of type Paper"),
    ):
        record = "Snapshot" if wrong is paper else "Mention" if "mentions" in said else "Paper"
        with pytest.raises(hotpapers.InputError) as info:
            hotpapers.save_snapshot(wrong, tmp_path / "a.json")
        assert info.value.message == f"{refused}{said}, where a {record} is expected"
    assert not (tmp_path / "a.json").exists()


def test_a_snapshot_of_one_s_own_whose_records_are_no_tuple_is_refused_not_written_empty(tmp_path):
    """Mentions given as a generator were read through by the check for misplaced records,
    and the snapshot then written with none of them, without a word."""
    paper = hotpapers.Paper("2411.01234", "T", ("A",), ("cs.LG",), "X.", "https://arxiv.org/abs/2411.01234", None)
    mention = hotpapers.Mention(
        "mastodon", "1", "https://sigmoid.social/@a/1", ("2411.01234",), 30, 45, "2024-11-21T08:00:00Z"
    )
    day = hotpapers.Snapshot("2024-11-20", "2024-11-21T08:00:00Z", (paper,), (mention,))
    for wrong, said in (
        (msgspec.structs.replace(day, mentions=(m for m in (mention,))), "$.mentions: a value of type generator"),
        (msgspec.structs.replace(day, papers=None), "$.papers: a value of type NoneType"),
    ):
        record = "Mention" if "mentions" in said else "Paper"
        with pytest.raises(hotpapers.InputError) as info:
            hotpapers.save_snapshot(wrong, tmp_path / "a.json")
        assert (
            info.value.message
            == f"refusing to write an invalid snapshot: {said}, where a tuple of {record}s is expected"
        )
    assert not (tmp_path / "a.json").exists()
    hotpapers.save_snapshot(msgspec.structs.replace(day, mentions=[mention]), tmp_path / "b.json")  # a list is kept
    assert len(hotpapers.load_snapshot(tmp_path / "b.json").mentions) == 1


def test_a_snapshot_of_one_s_own_with_bytes_or_a_huge_count_is_refused_in_words(tmp_path):
    """A title given as bytes (a file read in binary) was saved as its base64 text, `VA==`
    for b"T", the post titled so, without a word; a count of 5,000 digits raised the
    ValueError of Python's int-to-text limit from inside save_snapshot."""
    paper = hotpapers.Paper("2411.01234", b"T", ("A",), ("cs.LG",), "X.", "https://arxiv.org/abs/2411.01234", None)
    mention = hotpapers.Mention(
        "mastodon", "1", "https://sigmoid.social/@a/1", ("2411.01234",), 30, 45, "2024-11-21T08:00:00Z"
    )
    with pytest.raises(hotpapers.SnapshotError, match=r"^refusing to write an invalid snapshot: .*bytes"):
        hotpapers.save_snapshot(
            hotpapers.Snapshot("2024-11-20", "2024-11-21T08:00:00Z", (paper,), ()), tmp_path / "a.json"
        )
    huge = msgspec.structs.replace(mention, likes=10**5000)
    paper = msgspec.structs.replace(paper, title="T")
    with pytest.raises(
        hotpapers.SnapshotError, match=r"^refusing to write an invalid snapshot: a number of more than 4300 digits"
    ):
        hotpapers.save_snapshot(
            hotpapers.Snapshot("2024-11-20", "2024-11-21T08:00:00Z", (paper,), (huge,)), tmp_path / "b.json"
        )
    assert not (tmp_path / "a.json").exists() and not (tmp_path / "b.json").exists()
