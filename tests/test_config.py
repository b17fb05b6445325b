"""The config file: declared defaults, relative paths, file names, and every problem reported at once."""

import re
import time
from pathlib import Path

import msgspec
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_config
from hotpapers import yaml_c
from hotpapers.cli import cli
from hotpapers.config import Config, build_config, load_config
from hotpapers.config_check import unwrap
from hotpapers.config_yaml import commented_config
from hotpapers.errors import ConfigError
from hotpapers.profiles import PROFILES, ProfileName
from hotpapers.sources import SOURCES

REPO = Path(__file__).parent.parent


def load_text(tmp_path, text, name="config.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_config(path, tmp_path)


def problem(tmp_path, text, name="config.yaml"):
    with pytest.raises(ConfigError) as info:
        load_text(tmp_path, text, name)
    assert info.value.exit_code == 2 and "\n" not in info.value.message
    return info.value.message


def test_repo_config_is_the_published_sites_choice():
    config = load_config(REPO / "config.yaml", REPO)
    assert config.candidates.categories == ("cs.*", "stat.ML")
    assert config.timezone.key == "UTC"
    assert config.paths.snapshots == REPO / "data" / "snapshots"
    assert config.post_path("2020-09-24") == REPO / "content" / "posts" / "2020-09-24---Hot-Papers.md"
    assert (config.feeds.atom, config.feeds.json) == (REPO / "static/hot-papers.atom", REPO / "static/hot-papers.json")


def test_the_bundled_config_leaves_paths_and_file_names_to_the_profile(tmp_path):
    text = (REPO / "config.yaml").read_text(encoding="utf-8").replace("profile: lumen\n", "profile: jekyll\n")
    assert "profile: jekyll\n" in text
    config = load_text(tmp_path, text)
    assert config.post_path("2020-09-24") == tmp_path / "_posts" / "2020-09-24-hot-papers.md"
    assert config.site.link == "/{slug}/" and config.output.escape_markdown is True
    assert (config.feeds.atom, config.feeds.json) == (tmp_path / "hot-papers.atom", tmp_path / "hot-papers.json")


def test_a_copy_of_the_bundled_config_switched_to_jekyll_writes_to_posts(site):
    text = (site / "config.yaml").read_text(encoding="utf-8")
    (site / "config.yaml").write_text(text.replace("profile: lumen\n", "profile: jekyll\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    assert [p.relative_to(site).as_posix() for p in site.rglob("*.md")] == ["_posts/2020-09-24-hot-papers.md"]


def test_defaults_apply_no_candidate_filter():
    config = load_config(None, Path("/site"))
    assert (config.candidates.categories, config.candidates.max_age_days) == (None, None)
    assert config.ranking.min_paper_score == 50 and config.ranking.min_mention_score == 25
    assert config.ranking.max_mentions_per_paper == 10 and config.ranking.always_show_top is False
    assert config.ranking.weights == {"reposts": 1, "likes": 1}
    assert config.http.max_bytes == 64 * 1024 * 1024
    assert set(config.sources) == set(SOURCES)
    assert config.post_path("2020-09-24") == Path("/site/content/posts/2020-09-24---Hot-Papers.md")


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    (tmp_path / "site").mkdir()
    config = load_text(tmp_path / "site", "paths: {posts: out/posts}\nfeeds: {json: null}\n")
    assert config.paths.posts == tmp_path / "site" / "out" / "posts"
    assert config.feeds.atom == tmp_path / "site" / "static" / "hot-papers.atom" and config.feeds.json is None


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        ("Europe/Pariss", "did you mean 'Europe/Paris'?"),
        ("europe/paris", "did you mean 'Europe/Paris'?"),
        ("America/NewYork", "did you mean 'America/New_York'?"),
        ("Berlin", "did you mean 'Europe/Berlin'?"),
        ("UTC+2", "a name of the tz database, such as Europe/Paris or America/New_York"),
        ("CEST", "a name of the tz database, such as Europe/Paris or America/New_York"),
    ],
)
def test_an_unknown_time_zone_says_which_name_is_meant(tmp_path, zone, hint):
    """'unknown time zone 'Europe/Pariss'' left the user to find the spelling, and 'UTC+2'
    or 'CEST' (an offset or an abbreviation, not a zone) what a zone's name looks like."""
    assert problem(tmp_path, f"timezone: {zone}\n").endswith(f"timezone: unknown time zone '{zone}' ({hint})")


def test_a_frontmatter_key_of_a_site_s_own_says_where_it_goes(tmp_path):
    """A site adding `author` to its posts tried `post: {author: ...}` and read 'post.author:
    unknown key', with no word of the template, where such a field is written."""
    hint = "a frontmatter field of your own is written in the site's own template: docs/post-format.md"
    assert problem(tmp_path, "post: {author: Our Lab}\n").endswith(f"post.author: unknown key ({hint})")
    assert problem(tmp_path, "post: {titel: x}\n").endswith("post.titel: unknown key (did you mean 'title'?)")
    assert problem(tmp_path, "site: {author: x}\n").endswith("site.author: unknown key")


def test_a_key_written_dotted_as_the_docs_name_it_says_how_to_nest_it(tmp_path):
    """init's next steps say 'set `sources.twitter.enabled: false`'; pasted as it stands,
    YAML reads one key named so, and the error read 'sources.twitter.enabled: unknown key',
    the very key the user was told to set (and 'site.url: unknown key (did you mean
    'site'?)')."""
    text = (
        'sources.twitter.enabled: false\nsite.url: "https://lab.example.org"\nranking.min_score: 3\nsite: {ur.l: x}\n'
    )
    message = problem(tmp_path, text)
    hint = "a dotted name is one key to YAML: nest it,"
    assert message == (
        f"{tmp_path / 'config.yaml'}: 4 problems: "
        f"sources.twitter.enabled: unknown key ({hint} sources: {{twitter: {{enabled: false}}}}, in the sources: "
        "section if there is one); "
        f'site.url: unknown key ({hint} site: {{url: "https://lab.example.org"}}, in the site: section if there is one); '
        f"ranking.min_score: unknown key ({hint} ranking: {{min_score: 3}}, in the ranking: section if there is one); "
        "site.ur.l: unknown key (did you mean 'url'?)"  # 'ur' names no key of site: no nesting to offer
    )
    nested = yaml.safe_load('sources: {twitter: {enabled: false}}\nsite: {url: "https://lab.example.org"}\n')
    assert load_text(tmp_path, yaml.safe_dump(nested)).site.url == "https://lab.example.org"


@pytest.mark.parametrize("name", ["config.yaml", "lab.yaml"])
def test_a_config_of_dotted_keys_alone_is_hotpapers_not_another_tool_s(tmp_path, name):
    """A config holding only the keys the docs name, pasted dotted (`sources.twitter.enabled:
    false`), was called "another tool's settings", to be put "in hotpapers.yaml next to it":
    no key was a top-level one of hotpapers', so none counted as hotpapers'."""
    text = "sources.twitter.enabled: false\nsources.bluesky.enabled: false\n"
    hint = "a dotted name is one key to YAML: nest it,"
    assert problem(tmp_path, text, name) == (
        f"{tmp_path / name}: 2 problems: "
        f"sources.twitter.enabled: unknown key ({hint} sources: {{twitter: {{enabled: false}}}}, in the sources: "
        "section if there is one); "
        f"sources.bluesky.enabled: unknown key ({hint} sources: {{bluesky: {{enabled: false}}}}, in the sources: "
        "section if there is one)"
    )
    assert "another tool's settings" in problem(tmp_path, "baseURL.x: 1\ntheme: ananke\n", name)


def test_every_problem_is_reported_at_once_by_its_key(tmp_path):
    text = (
        "timezone: Mars/Olympus\n"
        "ranking: {min_paper_score: -1, weights: {reposts: yes, likse: 2}}\n"
        "candidates: {categoris: [cs.*]}\n"
        "http: {timeout: 0}\n"
        "sources: {twiter: {}, twitter: {max_post: 3, page_size: 5}}\n"
        "output: {profile: hugoo}\n"
    )
    message = problem(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'config.yaml'}: 10 problems: ")
    for part in (
        "timezone: unknown time zone 'Mars/Olympus'",
        "ranking.min_paper_score: expected a number >= 0.0 (got -1)",
        "ranking.weights.reposts: expected a number, got true or false",
        "ranking.weights.likse: unknown key (did you mean 'likes'?)",
        "candidates.categoris: unknown key (did you mean 'categories'?)",
        "http.timeout: expected a number > 0.0 (got 0)",
        "sources.twiter: unknown source (did you mean 'twitter'?)",
        "sources.twitter.max_post: unknown key (did you mean 'max_posts'?)",
        "sources.twitter.page_size: expected an integer >= 10 (got 5)",
        "output.profile: 'hugoo' is not one of lumen, lumen-2022, hugo, jekyll (did you mean 'hugo'?)",
    ):
        assert part in message


def test_a_value_in_other_letter_case_gets_a_did_you_mean(tmp_path):
    """difflib alone finds nothing close to `HUGO` among lower-case names, nor to `RANKING`
    (`Ranking`, one letter off, it finds)."""
    message = problem(tmp_path, "output: {profile: HUGO}\nRANKING: {}\n")
    assert "output.profile: 'HUGO' is not one of lumen, lumen-2022, hugo, jekyll (did you mean 'hugo'?)" in message
    assert "RANKING: unknown key (did you mean 'ranking'?)" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ranking: [1, 2\n", "not valid YAML at line 2, column 1"),
        ("output:\n\tprofile: hugo\n", "not valid YAML at line 2, column 1: a tab, where YAML wants spaces"),
        ("site:\n  url: x\n  \ttitle: T\n", "not valid YAML at line 3, column 3: a tab, where YAML wants spaces"),
        ("post:\n  title: 2020-13-45\n", "not valid YAML at line 2, column 10: '2020-13-45' is not a valid timestamp"),
        ("- just\n- a list\n", "the config must be a mapping of keys, not a list"),
        ("post:\n  title: 'a'\n  tags: 5\n", "post.tags: expected a list, got an integer"),
        ("post: {tags: [a, '']}\n", "post.tags[1]: expected a string of length >= 1"),
        ("ranking: 5\n", "ranking: expected a mapping, got an integer"),
        ("sources: {twitter: 1}\n", "sources.twitter: expected a mapping, got an integer"),
    ],
)
def test_broken_config_files(tmp_path, text, expected):
    assert expected in problem(tmp_path, text)


def test_empty_config_file_means_defaults(tmp_path):
    assert load_text(tmp_path, "").ranking.min_paper_score == 50


def test_a_repeated_key_is_named_with_its_lines_among_the_other_problems(tmp_path):
    """YAML keeps a repeated key's last value only: the first `ranking` block was silently ignored."""
    text = (
        "ranking: {min_paper_score: 100000}\n"
        "post:\n  title: a\n  title: b\n"
        "sources: {twitter: {enabled: false, enabled: true}}\n"
        "# ranking:\n"
        "ranking: {always_show_top: true, mystery: 1}\n"
    )
    assert problem(tmp_path, text).endswith(
        "config.yaml: 4 problems: post.title: repeated at line 4 (first at line 3); YAML keeps only the last, so "
        "merge them; sources.twitter.enabled: given twice on line 5; YAML keeps only the last, so merge them; "
        "ranking: repeated at line 7 (first at line 1); YAML keeps only the last, so merge them; ranking.mystery: "
        "unknown key"
    )


def test_repeated_keys_are_found_by_the_c_loader(tmp_path):
    assert issubclass(yaml_c.SAFE_LOADER, yaml.CSafeLoader), "PyYAML without libyaml: the C loader is not tested here"
    assert "ranking: repeated at line 2 (first at line 1)" in problem(tmp_path, "ranking: {}\nranking: {}\n")


def test_a_repeated_key_stops_build_before_anything_is_written(site):
    with (site / "config.yaml").open("a", encoding="utf-8") as file:
        file.write("\nranking: {min_paper_score: 100000}\n")
    result = CliRunner().invoke(cli, ["build", "--offline", "--date", "2020-09-24"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert re.search(r"config.yaml: ranking: repeated at line \d+ \(first at line \d+\)", result.stderr)
    assert not (site / "content").exists()


def test_the_same_key_in_different_mappings_or_a_list_is_no_repeat(tmp_path):
    text = "post: {title: a, tags: [x, x]}\nsite: {title: b}\nsources: {twitter: {enabled: true}, bluesky: {enabled: true}}\n"
    config = load_text(tmp_path, text)
    assert (config.post.title, config.post.tags, config.site.title) == ("a", ("x", "x"), "b")


def test_a_config_that_cannot_be_read_says_why(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "absent.yaml", tmp_path)
    assert info.value.message == f"{tmp_path / 'absent.yaml'}: cannot read it (No such file or directory)"


def test_a_config_that_is_not_utf8_is_named_in_plain_words(tmp_path):
    (tmp_path / "config.yaml").write_bytes(b"post:\n  title: 'Caf\xe9 papers'\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml", tmp_path)
    assert info.value.exit_code == 2 and info.value.message == (
        f"{tmp_path / 'config.yaml'}: the config is not UTF-8 text (byte 0xe9 on line 2): save it as UTF-8"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("output: {filename: post.md}", "output.filename: 'post.md' must contain {date}"),
        ("post: {title: 'Hot {dat}'}", "post.title: unknown placeholder {dat} (did you mean {date}?)"),
        ("post: {slug: '{slug}-{date}'}", "post.slug: unknown placeholder {slug}"),
        # a Python format of the day was accepted and printed as written: 'Hot Papers {date:%d %B %Y}'
        ("post: {title: 'Hot Papers {date:%d %B %Y}'}", "post.title: unknown placeholder {date:%d %B %Y} (it may"),
        ("post: {slug: 'hot-{date!s}'}", "post.slug: unknown placeholder {date!s} (did you mean {date}?)"),
        ("site: {link: '/p/{date}/'}", "site.link: unknown placeholder {date}"),
        ("site: {link: '/p/{date}/'}", "site.link: '/p/{date}/' must contain {slug}"),
    ],
)
def test_placeholders_are_checked(tmp_path, text, expected):
    assert expected in problem(tmp_path, text + "\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "candidates: {categories: cs.LG}",
            'candidates.categories: expected a list or null, got a string; write it as a list: ["cs.LG"]',
        ),
        ("candidates: {max_age_days: a week}", "candidates.max_age_days: expected an integer or null, got a string"),
        (
            "output: {escape_markdown: yes please}",
            "output.escape_markdown: expected true or false, or null, got a string",
        ),
        ("post: {social_image: 3}", "post.social_image: expected a string or null, got an integer"),
    ],
)
def test_a_key_that_may_be_null_names_its_type_in_words(tmp_path, text, expected):
    """A key that null turns off said "expected `array | null`, got a string", the decoder's
    own words, where a key that cannot be null said `expected a list`."""
    assert problem(tmp_path, text + "\n").endswith(f"config.yaml: {expected}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("post: {category: null}", 'post.category: expected a string, got null; write "" for none'),
        ("post: {description: null}", 'post.description: expected a string, got null; write "" for none'),
        ("post: {tags: null}", "post.tags: expected a list, got null; write [] for none"),
        ("post: {title: null}", "post.title: expected a string, got null"),  # "" is no title either
        ("site: {title: null}", "site.title: expected a string, got null"),
    ],
)
def test_null_for_a_key_that_takes_none_says_how_to_write_none(tmp_path, text, expected):
    """`category: null`, the YAML way to say none, said only "expected a string, got null";
    the key takes "" for none, and says so only when it does."""
    assert problem(tmp_path, text + "\n").endswith(f"config.yaml: {expected}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "post:\n  tags: Machine Learning, arXiv",
            'post.tags: expected a list, got a string; write it as a list: ["Machine Learning", "arXiv"]',
        ),
        (
            "candidates:\n  categories: cs.LG",
            'candidates.categories: expected a list or null, got a string; write it as a list: ["cs.LG"]',
        ),
        (
            "sources:\n  hackernews:\n    searchable: url",
            'sources.hackernews.searchable: expected a list, got a string; write it as a list: ["url"]',
        ),
    ],
)
def test_a_list_written_as_one_text_says_how_to_write_the_list(tmp_path, text, expected):
    """`tags: Machine Learning, arXiv` said only "expected a list, got a string", where a
    snapshot's `"authors": "A, B"` says the list it likely stands for."""
    assert problem(tmp_path, text + "\n").endswith(f"config.yaml: {expected}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'ranking: {min_paper_score: "50"}',
            "ranking.min_paper_score: expected a number, got a string; write it without quotes: 50",
        ),
        (
            "ranking: {max_mentions_per_paper: '3'}",
            "ranking.max_mentions_per_paper: expected an integer, got a string; write it without quotes: 3",
        ),
        (
            'output: {escape_markdown: "false"}',
            "output.escape_markdown: expected true or false, or null, got a string; write it without quotes: false",
        ),
        (
            'candidates: {categories: "null"}',
            "candidates.categories: expected a list or null, got a string; write it without quotes: null",
        ),
        (
            'post: {tags: "[arXiv, Machine Learning]"}',
            "post.tags: expected a list, got a string; write it without quotes: [arXiv, Machine Learning]",
        ),
        (
            'post: {tags: "Machine Learning, 5"}',
            'post.tags: expected a list, got a string; write it as a list: ["Machine Learning", "5"]',
        ),
        ('ranking: {min_paper_score: "fifty"}', "ranking.min_paper_score: expected a number, got a string"),
    ],
)
def test_a_value_in_quotes_says_to_write_it_without(tmp_path, text, expected):
    """`min_paper_score: "50"` said only "expected a number, got a string": in quotes, YAML
    reads a number, true, false, null or a [list] as text."""
    assert problem(tmp_path, text + "\n").endswith(f"config.yaml: {expected}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paths: {snapshots: null}", "paths.snapshots: expected a non-empty path without control characters, got null"),
        ("paths: {templates: true}", "paths.templates: expected a non-empty path without control characters, got true"),
        ("timezone: null", "timezone: unknown time zone null"),
    ],
)
def test_null_or_a_boolean_for_a_path_or_a_time_zone_is_named_as_yaml_writes_it(tmp_path, text, expected):
    """`snapshots: null` said "got None", and `timezone: null` "unknown time zone None":
    Python's words for the value, where the config is YAML, and every other key says null."""
    assert expected in problem(tmp_path, text + "\n")


def test_a_slug_without_the_day_is_refused(tmp_path):
    """`post: {slug: hot-papers}` gave every day's post the same slug: Hugo published one of
    two days at /posts/hot-papers/, and the feeds listed both at that address, as their id too."""
    assert problem(tmp_path, "post: {slug: hot-papers}\n").endswith("post.slug: 'hot-papers' must contain {date}")
    assert load_text(tmp_path, "post: {slug: 'papers/{date}'}\n").post.slug == "papers/{date}"


@pytest.mark.parametrize(
    "url",
    [
        "example.org",
        "http://example.org/?x=1",
        "https://lab.example.org/#top",
        "https://lab.example.org/a b",
        "http://:1313/",  # a port and no host: Hugo's `hugo server` address with its host left out
    ],
)
def test_a_site_url_is_an_address_without_query_or_fragment(tmp_path, url):
    assert problem(tmp_path, f"site: {{url: '{url}'}}\n").endswith(
        "config.yaml: site.url: expected an address that starts with http:// or https:// and a host, and has no "
        f"user or password, query (?), fragment (#), space or control character (got {url!r})"
    )


@pytest.mark.parametrize("url", ["https://ada:s3cret@example.org", "https://ada@example.org/hot/"])
def test_a_site_url_holds_no_user_or_password(tmp_path, url):
    """The feeds link every entry under it: 'https://ada:s3cret@example.org' was published in
    them five times. The error does not show it either."""
    text = problem(tmp_path, f"site: {{url: '{url}'}}\n")
    assert (
        "site.url: expected an address that starts with http:// or https:// and a host, and has no user or password"
        in text
    )
    assert "ada" not in text and "***@example.org" in text


@pytest.mark.parametrize("escape", ["\\e", "\\0", "\\x7f"])
def test_a_site_url_holds_no_control_character(tmp_path, escape):
    """It goes into every feed link, where XML cannot hold most of them."""
    assert "site.url: expected an address that starts with http:// or https://" in problem(
        tmp_path, f'site: {{url: "https://ex.org/a{escape}"}}\n'
    )


@pytest.mark.parametrize(
    "url", ["http://example.org", "https://lab.example.org/hot/", "https://h.example:8080/a-b/", "https://e.org/@ada/"]
)
def test_a_site_url_may_have_a_path_and_a_port(tmp_path, url):
    assert load_text(tmp_path, f"site: {{url: '{url}'}}\n").site.url == url.rstrip("/")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http: {timeout: .nan}", "http.timeout: expected a number > 0.0 (got nan)"),
        ("http: {max_wait: .inf}", "http.max_wait: expected a number <= 604800.0 (got inf)"),
        ("ranking: {min_paper_score: -.inf}", "ranking.min_paper_score: expected a number >= 0.0 (got -inf)"),
        ("http: {retries: 1" + "0" * 5000 + "}", "config.yaml: a number of 5001 digits at http.retries is too large"),
        (
            "http: {retries: 1" + "0" * 1000 + "}",
            "http.retries: expected an integer <= 10 (got a number of about 1000 digits)",
        ),
        ("post: {title: '" + "x" * 5000 + "'}", "post.title: expected a string of length <= 1000"),
    ],
)
def test_no_nan_infinity_or_absurd_number_passes(tmp_path, text, expected):
    message = problem(tmp_path, text + "\n")
    assert expected in message and len(message) < 400


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # YAML 1.1 reads a number with an exponent as one only with a dot before it and a sign after
        ("http: {timeout: 1e2}", "http.timeout: expected a number, got a string; YAML reads 1e2 as text: write 100"),
        ("http: {retries: 2E0}", "http.retries: expected an integer, got a string; YAML reads 2E0 as text: write 2"),
        ("http: {max_wait: 1.5e3}", "expected a number, got a string; YAML reads 1.5e3 as text: write 1500"),
        ("http: {max_wait: 25e-3}", "expected a number, got a string; YAML reads 25e-3 as text: write 0.025"),
        ("http: {max_wait: 1e300}", "expected a number, got a string; YAML reads 1e300 as text: write 1.0e+300"),
        ("ranking: {min_paper_score: -3e-7}", "got a string; YAML reads -3e-7 as text: write -3.0e-07"),
        ("http: {timeout: 1e999}", "http.timeout: expected a number, got a string"),  # no number to offer
        ("http: {max_wait: 1e15}", "YAML reads 1e15 as text: write 1000000000000000"),  # not 1000000000000000.0
        ("http: {max_wait: 1e-400}", "http.max_wait: expected a number, got a string"),  # no float: not 'write 0'
        ("post: {title: 1e3}", None),  # text is what the key wants
    ],
)
def test_a_number_yaml_reads_as_text_says_how_to_write_it(tmp_path, text, expected):
    if expected is None:
        assert load_text(tmp_path, text + "\n").post.title == "1e3"
        return
    message = problem(tmp_path, text + "\n")
    assert message.endswith(expected), message
    assert "write" not in message or yaml.safe_load(message.rsplit("write ", 1)[1]) == float(text.split(": ")[2][:-1])


def test_a_yaml_alias_bomb_is_refused_fast_in_one_short_line(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)]
    text = "\n".join(lines) + "\n"
    assert len(text) < 400
    started = time.monotonic()
    message = problem(tmp_path, text)
    assert time.monotonic() - started < 1
    assert "not valid YAML at line 2, column 8: aliases (*name) are not allowed here" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # PyYAML 6.0.4 and later stop at their own depth limit before hotpapers' check sees the events
        (
            "ranking: " + "[" * 100_000 + "]" * 100_000 + "\n",
            r"line 1, column \d+: (nested more than 32 levels deep|exceeded maximum nesting depth)$",
        ),
        ("post: {tags: [" + ",".join(["x"] * 150_000) + "]}\n", "the config is larger than 256 KiB"),
    ],
    ids=["deep", "huge"],
)
def test_deep_or_huge_yaml_is_refused_fast(tmp_path, text, expected):
    started = time.monotonic()
    message = problem(tmp_path, text)
    assert re.search(expected, message) and "\n" not in message
    assert time.monotonic() - started < 1


def test_keys_with_line_breaks_or_escapes_stay_on_one_line(tmp_path):
    message = problem(tmp_path, 'post: {"ti\\ntle\\e[31m": 1, "x\\ry": 2}\n', "hotpapers.yaml")
    assert "post.'ti\\ntle\\x1b[31m': unknown key" in message and "post.'x\\ry': unknown key" in message


def test_a_long_list_of_problems_is_capped(tmp_path):
    message = problem(tmp_path, "".join(f"key{n}{'x' * 300}: 1\n" for n in range(40)), "hotpapers.yaml")
    assert message.startswith(f"{tmp_path / 'hotpapers.yaml'}: 40 problems: ") and len(message) < 2500
    assert message.endswith("xxx...: unknown key (and 30 more)")  # as a snapshot's problems are listed


def test_hotpapers_yaml_comes_before_config_yaml(site):
    (site / "hotpapers.yaml").write_text("output: {profile: hugo}\n", encoding="utf-8")
    (site / "config.yaml").write_text("baseURL: https://example.org/\ntitle: My site\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 0, result.output
    assert (site / "content" / "posts" / "2020-09-24-hot-papers.md").exists()


def test_another_tools_config_yaml_points_at_hotpapers_yaml(site):
    (site / "config.yaml").write_text("baseURL: https://example.org/\ntimezone: UTC\nparams: {a: 1}\n")
    result = CliRunner().invoke(cli, ["build", "--date", "2020-09-24"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "another tool's settings (baseURL, timezone, params, ...)" in result.stderr
    assert "put hotpapers' settings in hotpapers.yaml" in result.stderr
    assert not (site / "content").exists()


def test_a_snapshot_given_as_the_config_is_called_a_snapshot(site):
    """`--config data/snapshots/D.json` said 'these are another tool's settings (schema,
    date, taken_at, ...), not hotpapers'', of hotpapers' own snapshot."""
    result = CliRunner().invoke(cli, ["--config", "data/snapshots/2020-09-24.json", "check"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: data/snapshots/2020-09-24.json: this is a snapshot (a day's fetched facts), not settings; give "
        "--config the site's hotpapers.yaml, and a snapshot to the commands that read one (`hotpapers render "
        "SNAPSHOT`)\n"
    )


@pytest.mark.parametrize("where", ["before", "after"])
def test_config_option_before_or_after_the_command(site, tmp_path_factory, where):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "my.yaml").write_text("output: {profile: jekyll}\n", encoding="utf-8")
    option = ["--config", str(elsewhere / "my.yaml")]
    command = ["build", "--date", "2020-09-24", "--offline"]
    args = option + command if where == "before" else command + option
    (site / "data").rename(elsewhere / "data")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (elsewhere / "_posts" / "2020-09-24-hot-papers.md").exists()


def test_the_readme_names_declared_keys_only():
    """The README's Configuration names keys by their dotted path; each must be one the
    config declares (docs/hotpapers.yaml lists them all, made from the declarations)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration\n", 1)[1].split("\n## ", 1)[0]
    keys = set(
        re.findall(
            r"`((?:timezone|repair_days|candidates|ranking|post|output|site|feeds|paths|arxiv|sources|http)(?:\.[a-z_]+)*)`",
            section,
        )
    )
    assert len(keys) > 10
    for key in keys:
        node: object = Config()
        for part in key.replace("sources.NAME", "sources.twitter").split("."):
            node = node[part] if isinstance(node, dict) else getattr(node, part)


def test_the_config_reference_in_docs_is_what_init_writes():
    """docs/hotpapers.yaml is the README's list of every key: it must stay what the
    declarations make. After a change of a key, write it again with
    python -c 'from hotpapers.config_yaml import commented_config; print(commented_config("lumen"), end="")' > docs/hotpapers.yaml"""
    assert (REPO / "docs" / "hotpapers.yaml").read_text(encoding="utf-8") == commented_config("lumen")


def test_profile_names_are_the_declared_ones():
    assert set(PROFILES) == set(unwrap(ProfileName)[0].__args__)


def _places(kind, prefix=()):
    for field in msgspec.structs.fields(kind):
        base = unwrap(field.type)[0]
        if isinstance(base, type) and issubclass(base, msgspec.Struct):
            yield from _places(base, (*prefix, field.name))
        else:
            yield (*prefix, field.name)


CONFIG_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3000)
    | st.floats(-1, 5)
    | st.sampled_from(["", "x", "lumen", "hugo", "{date}", "{slug}", "https://x.org", "ftp://x", "9X", "UTC"])
    | st.lists(st.sampled_from(["", "cs.*"]), max_size=2)
    | st.dictionaries(st.sampled_from(["x", "reposts"]), st.integers(0, 2), max_size=1)
)


PLACEHOLDER_KEYS = {
    ("post", "title"),
    ("post", "description"),
    ("post", "slug"),
    ("output", "filename"),
    ("site", "link"),
}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([p for p in _places(Config) if p != ("sources",)]), CONFIG_VALUES)
def test_the_checker_agrees_with_one_conversion_of_the_whole(place, value):
    """Keys are checked one by one; a conversion of the whole file must refuse exactly what
    they refuse (except the placeholder rules, which no type expresses)."""
    data: dict = {}
    node = data
    for key in place[:-1]:
        node = node.setdefault(key, {})
    node[place[-1]] = value
    try:
        build_config(data, Path("/site"), "test")
        refused = False
    except ConfigError:
        refused = True
    try:
        msgspec.convert(data, Config, dec_hook=_decode)
    except (msgspec.ValidationError, ValueError):
        assert refused
        return
    if place not in PLACEHOLDER_KEYS:
        assert not refused


def _decode(kind, value):
    from zoneinfo import ZoneInfo

    if not isinstance(value, str) or not value:
        raise ValueError(value)
    if kind is Path:
        return Path(value)
    try:
        return ZoneInfo(value)
    except Exception as exc:
        raise ValueError(value) from exc


def test_make_config_builds_from_sections():
    assert make_config(output={"profile": "hugo"}).profile is PROFILES["hugo"]


def test_paths_above_the_config_folder_read_without_dot_dot(tmp_path):
    """Messages show the folders as the user knows them (`content/posts`), not
    `conf/../content/posts`; `..` still leads to the config folder's real parent."""
    real = tmp_path / "real"
    (real / "conf").mkdir(parents=True)
    (tmp_path / "site").symlink_to(real)
    path = tmp_path / "site" / "conf" / "hp.yaml"
    path.write_text("paths:\n  posts: ../content/posts\n  snapshots: ../../data/./snapshots\n", encoding="utf-8")
    config = load_config(path, tmp_path)
    assert config.paths.posts == real.resolve() / "content" / "posts"
    assert config.paths.snapshots == tmp_path.resolve() / "data" / "snapshots"


def test_addresses_and_variable_names_are_asked_for_in_words(tmp_path):
    """The core's and the sources' URL keys share one declaration, and no error shows a regex."""
    path = tmp_path / "hotpapers.yaml"
    path.write_text(
        "arxiv: {api_url: 'ftp://x'}\nsources:\n  twitter: {token_env: 1ab}\n  hackernews: {api_url: nowhere}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path, tmp_path)
    message = str(raised.value)
    assert "regex" not in message
    assert (
        "arxiv.api_url: expected an address that starts with http:// or https://, with no user or password " in message
    )
    assert "(got 'ftp://x')" in message
    assert "sources.hackernews.api_url: expected an address that starts with http:// or https://" in message
    assert "sources.twitter.token_env: expected an environment variable's name" in message


@pytest.mark.parametrize("key", ["arxiv", "sources.hackernews"])
def test_an_address_holding_a_user_and_password_is_refused_without_showing_them(tmp_path, key):
    """Errors, dry runs and snapshots show the addresses asked: a password in one would be
    shown with it (secrets come from environment variables)."""
    section, _, source = key.partition(".")
    value = "{api_url: 'https://ada:hunter2@hn.example.org/api/v1'}"
    message = problem(tmp_path, f"{section}:\n  {source}: {value}\n" if source else f"{section}: {value}\n")
    assert (
        f"{key}.api_url: expected an address that starts with http:// or https://, with no user or password" in message
    )
    assert "hunter2" not in message and "ada" not in message
    assert "(got 'https://***@hn.example.org/api/v1')" in message


@pytest.mark.parametrize("password", ["hun#ter2", "hun/ter2", "hun?ter2"])
def test_a_password_with_a_character_that_ends_the_host_is_refused_and_not_shown(tmp_path, password):
    """Written unencoded, `#`, `/` or `?` in a password ends the address's host for a URL
    parser (host `ada`, port `hun`): the address passed, and a dry run printed it whole."""
    message = problem(tmp_path, f"arxiv: {{api_url: 'https://ada:{password}@export.arxiv.org/api/query'}}\n")
    assert "arxiv.api_url: expected an address that starts with http:// or https://, with no user or password" in (
        message
    )
    assert (
        "hun" not in message and "ter2" not in message and "(got 'https://***@export.arxiv.org/api/query')" in message
    )


def test_an_address_with_a_port_or_an_ipv6_host_is_no_user(tmp_path):
    for url in ("http://127.0.0.1:8080/api", "http://[::1]:8080/api?by=a@b", "https://export.arxiv.org"):
        assert load_text(tmp_path, f"arxiv: {{api_url: '{url}'}}\n").arxiv.api_url == url


def test_an_at_sign_after_the_host_is_no_user(tmp_path):
    config = load_text(tmp_path, "arxiv: {api_url: 'https://example.org/@arxiv/query?by=a@b'}\n")
    assert config.arxiv.api_url == "https://example.org/@arxiv/query?by=a@b"


def test_no_feed_entries_is_refused_with_the_way_to_turn_the_feeds_off(tmp_path):
    """`feeds.entries: 0` stopped updating existing feeds without a word, leaving them stale."""
    assert problem(tmp_path, "feeds: {entries: 0}\n").endswith(
        "feeds.entries: expected an integer >= 1 (got 0); feeds.atom and feeds.json null turn the feeds off"
    )
    assert problem(tmp_path, "feeds: {entries: 1001}\n").endswith(
        "feeds.entries: expected an integer <= 1000 (got 1001)"
    )
    assert load_text(tmp_path, "feeds: {entries: 1, atom: null, json: null}\n").feeds.entries == 1


@pytest.mark.parametrize("key", ["atom", "json"])
def test_false_for_a_feed_says_that_null_turns_it_off(tmp_path, key):
    """`feeds: {atom: false}`, a natural way to turn a feed off, said only that a path was
    expected: null is the way, as the feed's comment in the config says."""
    assert problem(tmp_path, f"feeds: {{{key}: false}}\n").endswith(
        f"feeds.{key}: expected a non-empty path without control characters, got false; feeds.atom and feeds.json null turn the feeds off"
    )


@pytest.mark.parametrize("value", ["false", "no", "true"])
def test_a_source_set_to_true_or_false_is_told_how_a_source_is_turned_off(tmp_path, value):
    """`sources: {twitter: false}`, the way many tools turn a source off, said only that a
    mapping was expected; `enabled: false` in the source's section is the way."""
    assert problem(tmp_path, f"sources: {{twitter: {value}}}\n").endswith(
        "sources.twitter: expected a mapping, got true or false; "
        "sources.NAME.enabled: false turns a source off (each is on by default)"
    )
