"""Reading and writing snapshots: every kind of broken file gets one precise error."""

import json
import re

import pytest

from conftest import EXAMPLE_SNAPSHOT, example_data, make_mention, make_paper, make_snapshot
from hotpapers import models
from hotpapers.atomic import write_atomically
from hotpapers.errors import SnapshotError, WriteError
from hotpapers.snapshot import dump_snapshot, load_snapshot, parse_snapshot, save_snapshot
from hotpapers.snapshot_schema import is_date
from hotpapers.sources import bluesky_posts, hackernews, huggingface, twitter_posts


def error_for(data) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(raw, "day.json")
    assert info.value.exit_code == 2
    return info.value.message


def with_change(change):
    data = example_data()
    change(data)
    return data


def test_the_example_loads():
    snapshot = load_snapshot(EXAMPLE_SNAPSHOT)
    assert (snapshot.date, len(snapshot.papers), len(snapshot.mentions)) == ("2020-09-24", 11, 12)
    assert snapshot.papers[0].authors[0] == "Jingtong Su"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "day.json: empty, where a snapshot (JSON) was expected"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "day.json: not UTF-8 text (byte 0x89 on line 1): save it as UTF-8"),
        # saved by a lab's tool in Windows-1252 or UTF-16: "not a snapshot (not UTF-8 text)", not where nor what to do
        (b'{\n"authors": ["Zo\xeb"]}', "day.json: not UTF-8 text (byte 0xeb on line 2): save it as UTF-8"),
        (b"\xff\xfe{\x00}\x00", "day.json: not UTF-8 text (byte 0xff on line 1): save it as UTF-8"),
        (b'{"schema": ', "day.json: not valid JSON (Expecting value at line 1, column 12)"),
        (b"[]", "day.json: $: [] is not of type 'object'"),
        (b'["schema"]', "day.json: $: ['schema'] is not of type 'object'"),
        (b'"a schema"', "day.json: $: 'a schema' is not of type 'object'"),
    ],
)
def test_files_that_are_not_snapshots(raw, expected):
    assert error_for(raw) == expected


def test_wrong_schema_version_is_named():
    message = error_for(with_change(lambda d: d.update(schema="hotpapers/snapshot@2")))
    assert (
        message
        == "day.json: $.schema: unsupported snapshot schema 'hotpapers/snapshot@2' (this version reads 'hotpapers/snapshot@1')"
    )


def test_negative_count_names_its_json_path():
    message = error_for(with_change(lambda d: d["mentions"][3].update(likes=-1)))
    assert message == "day.json: $.mentions[3].likes: -1 is less than the minimum of 0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, "true is not of type 'integer'"), (None, "null is not of type 'integer'")],
)
def test_json_values_are_named_as_json_writes_them(value, expected):
    message = error_for(with_change(lambda d: d["mentions"][3].update(likes=value)))
    assert message == f"day.json: $.mentions[3].likes: {expected}"


def test_impossible_date_is_rejected():
    assert (
        error_for(with_change(lambda d: d.update(date="2020-02-30")))
        == "day.json: $.date: '2020-02-30' is not a day of the calendar written YYYY-MM-DD"
    )


def test_impossible_time_is_rejected():
    message = error_for(with_change(lambda d: d["mentions"][0].update(observed_at="2020-09-25T25:00:00Z")))
    assert message == (
        "day.json: $.mentions[0].observed_at: '2020-09-25T25:00:00Z' is not a time stamp written as "
        "2020-09-25T08:00:47Z or with an offset, as 2020-09-25T10:00:47+02:00"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(date="2020/09/24"), "$.date: '2020/09/24' is not a day written YYYY-MM-DD"),
        (
            lambda d: d.update(taken_at="2020-09-25 08:00:47"),
            "$.taken_at: '2020-09-25 08:00:47' is not a time stamp written as 2020-09-25T08:00:47Z or with an offset, "
            "as 2020-09-25T10:00:47+02:00",
        ),
        (
            lambda d: d["papers"][0].update(abs_url="arxiv.org/abs/2009.11094"),
            "$.papers[0].abs_url: 'arxiv.org/abs/2009.11094' is not a URI with its scheme, such as "
            "https://arxiv.org/abs/2009.11243",
        ),
        (  # the form Bluesky's API gives a post's `uri`; docs/snapshot.md said an at:// URI was shown unlinked
            lambda d: d["mentions"][0].update(url="at://did:plc:abc123/app.bsky.feed.post/3k"),
            "$.mentions[0].url: 'at://did:plc:abc123/app.bsky.feed.post/3k' is not a URI with its scheme, such as "
            "https://arxiv.org/abs/2009.11243 (a DID after at:// reads as a host and a port: give the post's "
            "https:// address, docs/snapshot.md)",
        ),
        (  # a count in quotes, as a spreadsheet's export writes it
            lambda d: d["mentions"][0].update(likes="120"),
            "$.mentions[0].likes: '120' is not of type 'integer' (did you mean 120, without quotes?)",
        ),
        (
            lambda d: d["mentions"][0].update(replies="5"),
            "$.mentions[0].replies: '5' is not of type 'integer', 'null' (did you mean 5, without quotes?)",
        ),
        (lambda d: d["mentions"][0].update(likes="many"), "$.mentions[0].likes: 'many' is not of type 'integer'"),
        (  # a list written as one text, as a spreadsheet's cell holds it
            lambda d: d["mentions"][0].update(paper_ids="2009.11094"),
            "$.mentions[0].paper_ids: '2009.11094' is not of type 'array' (did you mean [\"2009.11094\"], a list?)",
        ),
        (
            lambda d: d["papers"][0].update(authors="Ada Lovelace, Alan Turing"),
            "$.papers[0].authors: 'Ada Lovelace, Alan Turing' is not of type 'array' (did you mean "
            '["Ada Lovelace", "Alan Turing"], a list?)',
        ),
        (
            lambda d: d["papers"][0].update(categories="cs.LG,stat.ML"),
            "$.papers[0].categories: 'cs.LG,stat.ML' is not of type 'array' (did you mean [\"cs.LG\", \"stat.ML\"], "
            "a list?)",
        ),
        (  # no guess the schema would refuse there: not an arXiv id, not a paper
            lambda d: d["mentions"][0].update(paper_ids="arXiv:2009.11094"),
            "$.mentions[0].paper_ids: 'arXiv:2009.11094' is not of type 'array'",
        ),
        (lambda d: d.update(papers="2009.11094"), "$.papers: '2009.11094' is not of type 'array'"),
        (
            lambda d: d["mentions"][0].update(likes="1" * 21),
            f"$.mentions[0].likes: '{'1' * 21}' is not of type 'integer'",
        ),
        (  # an id as the platform's API gives it, a number
            lambda d: d["mentions"][0].update(id=1308951548979011585),
            "$.mentions[0].id: 1308951548979011585 is not of type 'string' (did you mean \"1308951548979011585\", "
            "in quotes?)",  # JSON's quotes: with a hand's '...', the file is no JSON at all
        ),
        (lambda d: d["mentions"][0].update(id=10**20), f"$.mentions[0].id: {10**20} is not of type 'string'"),
        (lambda d: d["mentions"][0].update(id=-(10**20)), f"$.mentions[0].id: {-(10**20)} is not of type 'string'"),
        (lambda d: d["mentions"][0].update(id=True), "$.mentions[0].id: true is not of type 'string'"),  # no number
        (  # 20 characters, the longest a message repeats
            lambda d: d["mentions"][0].update(likes="1" * 20),
            f"$.mentions[0].likes: '{'1' * 20}' is not of type 'integer' (did you mean {'1' * 20}, without quotes?)",
        ),
        (  # as a browser's address bar shows it: the error named a scheme the URL has
            lambda d: d["mentions"][0].update(url="https://example.org/über/1"),
            "$.mentions[0].url: 'https://example.org/über/1' is not a URI with its scheme, such as "
            "https://arxiv.org/abs/2009.11243 ('ü' cannot stand in a URI: write it percent-encoded, %C3%BC)",
        ),
        (  # words before the URL: percent-encoding their space would make a URI of scheme `paper`
            lambda d: d["mentions"][0].update(url="Paper: https://example.org/1"),
            "$.mentions[0].url: 'Paper: https://example.org/1' is not a URI with its scheme, such as "
            "https://arxiv.org/abs/2009.11243",
        ),
        (
            lambda d: d["papers"][0].update(pdf_url="https://arxiv.org/pdf/2009.11094 v1"),
            "$.papers[0].pdf_url: 'https://arxiv.org/pdf/2009.11094 v1' is not a URI with its scheme, such as "
            "https://arxiv.org/abs/2009.11243 (' ' cannot stand in a URI: write it percent-encoded, %20)",
        ),
        (  # a `%` of a percent-encoding may stand in a URI: the character named is the space after it
            lambda d: d["papers"][0].update(pdf_url="https://arxiv.org/pdf/%32009.11094 v1"),
            "$.papers[0].pdf_url: 'https://arxiv.org/pdf/%32009.11094 v1' is not a URI with its scheme, such as "
            "https://arxiv.org/abs/2009.11243 (' ' cannot stand in a URI: write it percent-encoded, %20)",
        ),
    ],
)
def test_a_value_written_the_wrong_way_is_one_problem_saying_how_to_write_it(change, expected):
    """A lab writing its own snapshot read "'2020-09-25 08:00:47' is not a 'date-time'", and
    for a day with slashes "is not a day written YYYY-MM-DD (and 1 more)": the one more was
    the same value breaking the schema's format as well as its pattern."""
    assert error_for(with_change(change)) == f"day.json: {expected}"


def test_missing_field_and_extra_field_are_both_counted():
    def change(d):
        del d["papers"][0]["title"]
        d["papers"][1]["colour"] = "red"

    assert error_for(with_change(change)) == (
        "day.json: 2 problems: $.papers[0]: 'title' is a required property; $.papers[1]: Additional properties "
        "are not allowed ('colour' was unexpected)"
    )


def test_bad_arxiv_id_is_rejected():
    message = error_for(with_change(lambda d: d["mentions"][0].update(paper_ids=["2009.11094v2"])))
    assert message.startswith(
        "day.json: $.mentions[0].paper_ids[0]: '2009.11094v2' is not an arXiv id as the schema has it: no version"
    )


def test_duplicate_paper_ids_are_rejected():
    message = error_for(with_change(lambda d: d["papers"].append(d["papers"][0])))
    assert message == "day.json: $.papers[11].id: duplicate paper id '2009.11094'"


def test_missing_file(tmp_path):
    with pytest.raises(SnapshotError, match=r"no such snapshot"):
        load_snapshot(tmp_path / "nope.json")


def test_round_trip_is_stable_sorted_and_ends_with_one_newline(tmp_path):
    snapshot = make_snapshot(
        [make_paper("2009.00002"), make_paper("2009.00001"), make_paper("hep-th/9901001")],
        [make_mention("100"), make_mention("99"), make_mention("5", platform="bluesky", url="https://bsky.app/p/5")],
    )
    path = tmp_path / "day.json"
    save_snapshot(snapshot, path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert [p["id"] for p in data["papers"]] == ["2009.00001", "2009.00002", "hep-th/9901001"]
    assert [(m["platform"], m["id"]) for m in data["mentions"]] == [
        ("bluesky", "5"),
        ("twitter", "99"),
        ("twitter", "100"),
    ]
    assert text.endswith("}\n") and not text.endswith("\n\n")
    again = load_snapshot(path)
    assert dump_snapshot(again) == text
    assert list(tmp_path.iterdir()) == [path]


def test_non_ascii_is_written_as_utf8(tmp_path):
    snapshot = make_snapshot([make_paper(title="Über 😀")], [make_mention()])
    assert "Über 😀" in dump_snapshot(snapshot)


def test_an_invalid_snapshot_is_never_written(tmp_path):
    snapshot = make_snapshot([make_paper()], [make_mention(likes=-5)])
    with pytest.raises(SnapshotError, match=r"refusing to write an invalid snapshot: \$.mentions\[0\].likes"):
        save_snapshot(snapshot, tmp_path / "day.json")
    assert list(tmp_path.iterdir()) == []


def test_half_a_surrogate_pair_is_named():
    raw = json.dumps(with_change(lambda d: d["papers"][0].update(title="Cut \ud83d"))).encode()
    assert (
        error_for(raw)
        == "day.json: a string holds half of a UTF-16 surrogate pair (a lone \\udXXX escape), which no post can hold"
    )


def test_text_that_utf8_cannot_hold_is_never_written(tmp_path):
    with pytest.raises(WriteError, match=r"lone surrogate \('\\ud83d'\)"):
        write_atomically(tmp_path / "post.md", "Cut \ud83d")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(taken_at="2020-09-25T08:00:47Z\n"), r"\$\.taken_at: .* is not a time stamp written as"),
        (lambda d: d["papers"][0].update(id="2009.11094\n"), r"\$\.papers\[0\]\.id: .* is not an arXiv id"),
        (lambda d: d["papers"][0].update(id="٢٠٠٩.١١٠٩٤"), r"\$\.papers\[0\]\.id: .* is not an arXiv id"),
        (
            lambda d: d["mentions"][0].update(url=d["mentions"][0]["url"] + "\n"),
            r"\$\.mentions\[0\]\.url: .* is not a URI with its scheme",
        ),
        (lambda d: d.update(date="2020-09-24\n"), r"\$\.date: .* is not a day written YYYY-MM-DD"),
    ],
)
def test_a_final_line_break_or_other_digits_are_refused_as_json_schema_means(change, expected):
    """Python's `$` also matches before a final line break and its `\\d` any script's
    digits; JSON Schema's (ECMA 262) do not. Such a time stamp crashed the build."""
    assert re.match(expected, error_for(with_change(change)).removeprefix("day.json: "))


@pytest.mark.parametrize(
    ("stamp", "refused"),
    [
        ("0999-12-31T23:59:59Z", True),
        ("1000-01-01T00:00:00Z", False),
        ("9998-12-31T23:59:59+14:00", False),
        ("9999-01-01T00:00:00Z", True),
    ],
)
def test_time_stamps_a_post_cannot_show_in_every_time_zone_are_refused(stamp, refused):
    """The schema allows year 1 and 9999, but New York cannot show 0001-01-01T00:00Z
    (Python's dates start at year 1) and a year before 1000 loses a digit."""
    data = with_change(lambda d: d["mentions"][3].update(observed_at=stamp))
    if refused:
        assert error_for(data) == f"day.json: $: the time stamp {stamp!r} is outside the years 1000 to 9998"
    else:
        assert parse_snapshot(json.dumps(data).encode(), "day.json").mentions[3].observed_at == stamp


def test_every_source_reads_counts_with_the_models_bound():
    assert all(module.NonNegative is models.Count for module in (bluesky_posts, hackernews, huggingface, twitter_posts))
    assert models.MAX_COUNT == 10**12


def test_a_misspelt_key_is_named_before_the_required_one_it_stands_for():
    def misspell(data):
        data["mentions"][0]["retweets"] = data["mentions"][0].pop("reposts")

    assert error_for(with_change(misspell)) == (
        "day.json: 2 problems: $.mentions[0]: Additional properties are not allowed ('retweets' was unexpected); "
        "$.mentions[0]: 'reposts' is a required property"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["mentions"][0].update(paper_id=d["mentions"][0].pop("paper_ids")),
            "$.mentions[0]: Additional properties are not allowed ('paper_id' was unexpected; did you mean "
            "'paper_ids'?)",
        ),
        (
            lambda d: d.update(mention=d.pop("mentions")),
            "$: Additional properties are not allowed ('mention' was unexpected; did you mean 'mentions'?)",
        ),
        (
            lambda d: d["mentions"][0].update(platform="Reddit"),
            "$.mentions[0].platform: 'Reddit' is not one of ['twitter', 'bluesky', 'mastodon', 'hackernews', "
            "'reddit', 'huggingface', 'other'] (did you mean 'reddit'?)",
        ),
        (
            lambda d: d["mentions"][0].update(
                paper_id=d["mentions"][0].pop("paper_ids"), like=d["mentions"][0].pop("likes"), colour="red"
            ),
            "$.mentions[0]: Additional properties are not allowed ('colour', 'like', 'paper_id' were unexpected) "
            "(did you mean 'paper_ids' for 'paper_id', 'likes' for 'like'?)",
        ),
        (
            lambda d: d["papers"][0].update(colour="red"),
            "$.papers[0]: Additional properties are not allowed ('colour' was unexpected)",
        ),
        (  # difflib alone finds nothing close to "OK" or "HN" among lower-case names
            lambda d: d.update(sources={"twitter": {"status": "OK"}}),
            "$.sources.twitter.status: 'OK' is not one of ['ok', 'partial', 'failed', 'skipped'] (did you mean 'ok'?)",
        ),
        (
            lambda d: d["mentions"][0].update(platform="HACKERNEWS"),
            "$.mentions[0].platform: 'HACKERNEWS' is not one of ['twitter', 'bluesky', 'mastodon', 'hackernews', "
            "'reddit', 'huggingface', 'other'] (did you mean 'hackernews'?)",
        ),
    ],
)
def test_a_misspelt_key_or_value_gets_a_did_you_mean(change, expected):
    """A snapshot written by hand with `paper_id` or `Reddit` read only that they were
    unexpected (and that `paper_ids` was missing), while a config's misspelt key gets the
    name it stands for; the key missing for a misspelt one is not a problem of its own."""
    assert error_for(with_change(change)) == f"day.json: {expected}"


@pytest.mark.parametrize(
    ("written", "meant"),
    [("HN", "hackernews"), ("hf", "huggingface"), ("X", "twitter"), ("Hacker News", "hackernews")],
)
def test_a_platform_written_as_its_sources_name_or_initials_gets_a_did_you_mean(written, meant):
    """`HN`, as people write Hacker News, is too short for difflib to find `hackernews`: a
    registered source's platform is also guessed from its display name (`X`, `Hacker News`)
    and, of a name of several words, their initials."""
    assert error_for(with_change(lambda d: d["mentions"][0].update(platform=written))) == (
        f"day.json: $.mentions[0].platform: {written!r} is not one of ['twitter', 'bluesky', 'mastodon', "
        f"'hackernews', 'reddit', 'huggingface', 'other'] (did you mean {meant!r}?)"
    )


def test_a_file_with_several_problems_names_the_first_three_at_once():
    """A snapshot written by hand with four mistakes took four runs to fix, one problem a run."""

    def mistakes(d):
        d["taken_at"] = "2020-09-25T08:00:47"
        d["mentions"][0].update(paper_id=d["mentions"][0].pop("paper_ids"), likes="45")
        d["mentions"][1]["platform"] = "Twitter"

    assert error_for(with_change(mistakes)) == (
        "day.json: 4 problems: $.mentions[0]: Additional properties are not allowed ('paper_id' was unexpected; "
        "did you mean 'paper_ids'?); $.mentions[0].likes: '45' is not of type 'integer' (did you mean 45, without "
        "quotes?); $.mentions[1].platform: "
        "'Twitter' is not one of ['twitter', 'bluesky', 'mastodon', 'hackernews', 'reddit', 'huggingface', 'other'] "
        "(did you mean 'twitter'?) (and 1 more)"
    )


def test_a_byte_order_mark_before_the_json_is_read_past():
    raw = EXAMPLE_SNAPSHOT.read_bytes()
    assert parse_snapshot(b"\xef\xbb\xbf" + raw, "day.json") == parse_snapshot(raw, "day.json")


def test_a_day_in_another_form_is_described_in_words():
    message = error_for(with_change(lambda d: d.update(date="2020/09/24")))
    assert message.startswith("day.json: $.date: '2020/09/24' is not a day written YYYY-MM-DD")


def test_three_problems_are_all_named_and_no_more_are_announced():
    """SHOWN_PROBLEMS (3) are named; "(and N more)" only counts problems beyond them."""

    def spoil(data):
        for mention in data["mentions"][:3]:
            mention["likes"] = "x"

    assert error_for(with_change(spoil)) == (
        "day.json: 3 problems: $.mentions[0].likes: 'x' is not of type 'integer'; "
        "$.mentions[1].likes: 'x' is not of type 'integer'; $.mentions[2].likes: 'x' is not of type 'integer'"
    )


def test_a_snapshot_holding_half_a_surrogate_pair_is_never_saved(tmp_path):
    """As a post is never written with one: no snapshot file holding one reads back."""
    snapshot = make_snapshot([make_paper(title="Cut \ud83d")], [make_mention()])
    with pytest.raises(SnapshotError) as error:
        save_snapshot(snapshot, tmp_path / "2020-09-24.json")
    assert error.value.message == "refusing to write an invalid snapshot: it holds a lone surrogate ('\\ud83d')"
    assert list(tmp_path.iterdir()) == []


def test_load_snapshot_given_a_string_names_a_missing_file(tmp_path):
    with pytest.raises(SnapshotError) as error:
        load_snapshot(str(tmp_path / "gone.json"))
    assert error.value.message == f"{tmp_path / 'gone.json'}: no such snapshot"


@pytest.mark.parametrize("name", ["20200924", "2020-W39-4"])
def test_a_day_is_written_yyyy_mm_dd_not_in_the_other_iso_forms_python_reads(name):
    # date.fromisoformat reads these as 2020-09-24 since Python 3.11; a snapshot file so named is no day's
    assert not is_date(name)
    assert is_date("2020-09-24")
