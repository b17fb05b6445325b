"""The config file: defaults, relative paths, and every problem reported at once."""

import copy
from pathlib import Path

import pytest
from fastjsonschema import JsonSchemaException
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_config
from hotpapers.config import DEFAULTS, SCHEMA, _fast_validator, _schema_problems, load_config
from hotpapers.errors import ConfigError

REPO = Path(__file__).parent.parent


def load_text(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, tmp_path)


def test_repo_config_is_the_published_sites_choice():
    config = load_config(REPO / "config.yaml", REPO)
    assert config.candidates.categories == ("cs.*", "stat.ML")
    assert config.timezone.key == "UTC"
    assert config.paths.snapshots == REPO / "data" / "snapshots"
    assert config.post_path("2020-09-24") == REPO / "content" / "posts" / "2020-09-24---Hot-Papers.md"


def test_defaults_apply_no_candidate_filter():
    config = load_config(None, Path("/site"))
    assert (config.candidates.categories, config.candidates.max_age_days) == (None, None)
    assert config.ranking.min_paper_score == 50 and config.ranking.min_mention_score == 25
    assert config.ranking.max_mentions_per_paper == 10 and config.ranking.always_show_top is False


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    (tmp_path / "site").mkdir()
    config = load_text(tmp_path / "site", "paths: {posts: out/posts}\n")
    assert config.paths.posts == (tmp_path / "site" / "out" / "posts").resolve()


def test_every_problem_is_reported_at_once(tmp_path):
    text = (
        "timezone: Mars/Olympus\n"
        "ranking: {min_paper_score: -1, weights: {reposts: yes}}\n"
        "candidates: {categoris: [cs.*]}\n"
        "http: {timeout: 0}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, text)
    message = info.value.message
    assert info.value.exit_code == 2
    assert message.startswith(f"{tmp_path / 'config.yaml'}: 5 problems: ")
    for part in (
        "candidates: unknown key 'categoris'",
        "http.timeout: 0 is less than or equal to the minimum of 0",
        "ranking.min_paper_score: -1 is less than the minimum of 0",
        "ranking.weights.reposts: True is not of type 'number'",
        "timezone: unknown time zone 'Mars/Olympus'",
    ):
        assert part in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ranking: [1, 2\n", "not valid YAML at line 2, column 1"),
        ("- just\n- a list\n", "the config must be a mapping of keys, not list"),
        ("post:\n  title: 'a'\n  title: 'b'\n  tags: 5\n", "post.tags: 5 is not of type 'array'"),
    ],
)
def test_broken_config_files(tmp_path, text, expected):
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, text)
    assert expected in info.value.message


def test_empty_config_file_means_defaults(tmp_path):
    assert load_text(tmp_path, "").ranking.min_paper_score == 50


def test_unreadable_config(tmp_path):
    (tmp_path / "config.yaml").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "config.yaml", tmp_path)


def test_filename_must_contain_the_date():
    with pytest.raises(ConfigError, match=r"output.filename: 'post.md' does not match"):
        make_config(output={"filename": "post.md"})


def _config_places(node, prefix=()):
    for key, value in node.items():
        yield prefix + (key,)
        if isinstance(value, dict):
            yield from _config_places(value, prefix + (key,))


CONFIG_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3000)
    | st.floats(-1, 5, allow_nan=False)
    | st.sampled_from([1.0, 0.0, 2.5])
    | st.sampled_from(["", "x", "lumen", "hugo", "{date}", "{slug}", "https://x.org", "ftp://x", "9X", "UTC"])
    | st.lists(st.sampled_from(["", "cs.*"]), max_size=2)
    | st.dictionaries(st.sampled_from(["x", "reposts"]), st.integers(0, 2), max_size=1)
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(_config_places(DEFAULTS))), CONFIG_VALUES)
def test_the_compiled_validator_never_passes_a_config_jsonschema_refuses(place, value):
    """A good config is judged by fastjsonschema alone, so it must be at least as strict."""
    from jsonschema import Draft202012Validator

    config = copy.deepcopy(DEFAULTS)
    node = config
    for key in place[:-1]:
        node = node[key]
    node[place[-1]] = value
    try:
        _fast_validator()(config)
    except JsonSchemaException:
        return
    assert list(Draft202012Validator(SCHEMA).iter_errors(config)) == []
    assert _schema_problems(config) == []
