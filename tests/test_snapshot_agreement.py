"""The fast snapshot decoder (msgspec types) against the reference (the JSON Schema):
it may refuse more, never accept more, and builds the same snapshot."""

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import example_data
from hotpapers import models
from hotpapers.models import Snapshot
from hotpapers.snapshot import parse_snapshot
from hotpapers.snapshot_schema import decode_fast, packaged_schema, snapshot_problems


def patterns(node):
    """Every `pattern` keyword's value in a schema (a property named `pattern` is no string)."""
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        node = list(node.values())
    if isinstance(node, list):
        for value in node:
            yield from patterns(value)


def test_the_patterns_are_the_schemas_own():
    """...and the schema has no other: snapshot_schema says each in words."""
    schema = packaged_schema()
    assert schema["$defs"]["arxiv_id"]["pattern"] == models.ARXIV_ID_PATTERN
    assert schema["properties"]["date"]["pattern"] == models.DAY_PATTERN
    assert sorted(patterns(schema)) == sorted([models.ARXIV_ID_PATTERN, models.DAY_PATTERN])


TRICKY_STRINGS = [
    "",
    "x",
    "twitter",
    "other",
    "ok",
    "failed",
    "hotpapers/snapshot@1",
    "hotpapers/snapshot@2",
    "2020-09-24",
    "2020-02-29",
    "2021-02-29",
    "2020-02-30",
    "0000-01-01",
    "2020-9-24",
    "2020-09-24T08:00:47Z",
    "2020-09-24T08:00:47.123+05:30",
    "2020-09-24t08:00:47z",
    "2020-09-24T24:00:00Z",
    "2021-02-29T00:00:00Z",
    "2020-04-31T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2020-09-24T08:00:60Z",
    "2020-09-24 08:00:47Z",
    "2020-09-24T08:00:47",
    "2020-09-24T08:00:47+0000",
    "https://arxiv.org/abs/2009.11094",
    "http://x.org",
    "https://x.org:8080/a/b?c=d&e=/f?#g",
    "https://x.org/a b",
    "https://x.org/%zz",
    "https://x.org/%41",
    "https://user@x.org/",
    "https://[::1]/",
    "ftp://x.org/a",
    "urn:isbn:0451450523",
    "javascript:alert(1)",
    "//x.org",
    "https://x.org/\n",
    "https://x.org/é",
    "https://x .org/",
    "https://x.org:80a/",
    "https://x.org/?q=a%2",
    "2009.11094",
    "2009.1109",
    "2009.110944",
    "hep-th/9901001",
    "math.GT/0309136",
    "hep-th/990100",
    "2009.11094v2",
    "٢٠٠٩.١١٠٩٤",
    "2009.11094\n",
    "2020-09-24\n",
    "2020-09-24T08:00:47Z\n",
    "https://arxiv.org/abs/2009.11094\n",
    "٢٠٢٠-٠٩-٢٤",
    "٢٠٢٠-09-24T08:00:47Z",
    "2020-09-24T08:00:47.١Z",  # noqa: RUF001 (a digit of another script, on purpose)
    "0001-01-01T00:00:00Z",
    "0999-12-31T23:59:59Z",
    "1000-01-01T00:00:00Z",
    "9998-12-31T23:59:59Z",
    "9999-12-31T23:59:59Z",
]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(TRICKY_STRINGS)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "since", "x", "status"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def locations(node):
    """Every (container, key) in a JSON document, the root's keys included."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield node, key
        yield from locations(value)


def full_example():
    """Two papers and two mentions of the example day, with every optional part filled in."""
    data = example_data()
    data["papers"], data["mentions"] = data["papers"][:2], data["mentions"][:2]
    data["window"] = {"since": "2020-09-24T00:00:00Z", "until": "2020-09-25T00:00:00Z"}
    data["sources"] = {
        "twitter": {
            "status": "ok",
            "detail": None,
            "endpoint": "https://api.x.com/2",
            "query": "q",
            "requests": 2,
            "items": 5,
            "fetched_at": "2020-09-25T08:00:40Z",
        }
    }
    data["papers"][0].update(version=2, updated="2020-09-24T17:00:00Z", comment="c", journal_ref="j", doi="d")
    data["mentions"][0].update(created_at="2020-09-24T10:00:00Z", text="t", replies=1, quotes=0)
    return data


def agrees(data):
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    fast = decode_fast(raw)
    problems = snapshot_problems(data)
    if fast is not None:
        assert problems == []
        assert fast == Snapshot.from_dict(data)
    if not problems:
        assert parse_snapshot(raw, "day.json") == Snapshot.from_dict(data)


def string_places(data):
    """One place of each kind that holds a string (the first paper's title, the window's since...)."""
    seen = {}
    for container, key in locations(data):
        if isinstance(container[key], str):
            kind = (tuple(sorted(container)) if isinstance(container, dict) else "list", key)
            seen.setdefault(kind, (container, key))
    return list(seen.values())


def test_every_kind_of_string_field_agrees_on_every_tricky_string():
    data = full_example()
    for container, key in string_places(data):
        kept = container[key]
        for value in TRICKY_STRINGS:
            container[key] = value
            agrees(data)
        container[key] = kept


@st.composite
def mutated_snapshots(draw):
    """The example day with one value replaced, one key removed or one key added."""
    data = full_example()
    places = list(locations(data))
    container, key = draw(st.sampled_from(places))
    action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
    if action == "replace":
        container[key] = draw(JSON_VALUES)
    elif action == "remove":
        del container[key]
    elif isinstance(container, dict):
        container[draw(st.sampled_from(["extra", "score", "id", "schema", "version"]))] = draw(JSON_VALUES)
    return data


@settings(max_examples=400, deadline=None)
@given(mutated_snapshots())
@example(full_example())
def test_the_fast_decoder_never_accepts_what_the_schema_refuses(data):
    agrees(data)


def test_the_fast_decoder_accepts_the_usual_day():
    assert decode_fast(json.dumps(example_data()).encode()) is not None


def test_a_valid_file_outside_the_fast_subset_still_loads():
    data = example_data()
    data["mentions"][0]["url"] = "ftp://example.org/status/1"
    data["mentions"][0]["likes"] = 3.0
    raw = json.dumps(data).encode()
    assert decode_fast(raw) is None
    snapshot = parse_snapshot(raw, "day.json")
    assert snapshot.mentions[0].url == "ftp://example.org/status/1"
    assert snapshot.mentions[0].likes == 3 and isinstance(snapshot.mentions[0].likes, int)


def test_a_count_above_the_maximum_is_refused_by_both():
    data = full_example()
    data["mentions"][1]["quotes"] = models.MAX_COUNT + 1
    assert decode_fast(json.dumps(data).encode()) is None
    assert snapshot_problems(data) == [
        "$.mentions[1].quotes: 1000000000001 is greater than the maximum of 1000000000000"
    ]
