"""`hotpapers init` offers the address the site's own config gives (Hugo's baseURL, Jekyll's
url and baseurl) for site.url, instead of asking the user to type what the site already says."""

import re
import shutil

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_SNAPSHOT
from fakes import without_credentials
from hotpapers.cli import cli
from hotpapers.yaml_c import load_yaml

ASKED = "`site: {url: ...}` (the site's address, such as https://my-lab.example.org)"


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch):
    without_credentials(monkeypatch)


def address_step(folder):
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    steps = [line for line in result.output.splitlines() if "so that build writes the feeds" in line]
    assert len(steps) == 1, result.output
    return steps[0]


def write(folder, name, text):
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hugo.toml", 'baseURL = "https://lab.uni-x.org/"\ntitle = "Lab"\n'),
        ("hugo.yaml", "baseURL: https://lab.uni-x.org/\n"),
        ("hugo.json", '{"baseURL": "https://lab.uni-x.org"}'),
        ("config.toml", 'baseurl = "https://lab.uni-x.org/"\n'),
        ("config/_default/hugo.toml", 'baseURL = "https://lab.uni-x.org/"\n'),
    ],
)
def test_a_hugo_sites_base_url_is_offered_and_following_the_step_turns_the_feeds_on(tmp_path, monkeypatch, name, text):
    """A Hugo site setting baseURL was told to set site.url by hand, with an example address."""
    write(tmp_path, name, text)
    step = address_step(tmp_path)
    assert f'Set `site: {{url: "https://lab.uni-x.org"}}` (your Hugo baseURL in {name}) in ' in step
    settings = re.search(r"`(site: \{url: [^`]+\})`", step).group(1)
    assert load_yaml(settings) == {"site": {"url": "https://lab.uni-x.org"}}
    (tmp_path / "data" / "snapshots").mkdir(parents=True)
    shutil.copy(EXAMPLE_SNAPSHOT, tmp_path / "data" / "snapshots" / "2020-09-24.json")
    with open(tmp_path / "hotpapers.yaml", "a", encoding="utf-8") as config:
        config.write(f"\n{settings}\n")
    monkeypatch.chdir(tmp_path)
    built = CliRunner().invoke(cli, ["build", "--date", "2020-09-24", "--offline"])
    assert built.exit_code == 0, built.output
    assert "feeds: off" not in built.stderr and "wrote static/hot-papers.atom" in built.stderr


@pytest.mark.parametrize(
    ("url", "baseurl", "offered"),
    [
        ("https://ada.github.io", "/lab-blog", "https://ada.github.io/lab-blog"),
        ("https://lab.uni-x.org/", "", "https://lab.uni-x.org"),
        ("https://lab.uni-x.org", None, "https://lab.uni-x.org"),
        ("https://ada.github.io/", "/lab-blog/", "https://ada.github.io/lab-blog"),  # a / between them, not two
        ("https://lab.uni-x.org", "/", "https://lab.uni-x.org"),
    ],
)
def test_a_jekyll_sites_url_and_baseurl_are_offered(tmp_path, url, baseurl, offered):
    base = "" if baseurl is None else f"baseurl: {baseurl!r}\n"
    write(tmp_path, "_config.yml", f"title: Lab\nurl: {url}\n{base}")
    assert f'Set `site: {{url: "{offered}"}}` (your Jekyll url and baseurl in _config.yml) in ' in address_step(
        tmp_path
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hugo.toml", 'baseURL = "https://example.org/"\n'),  # what `hugo new site` writes
        ("hugo.toml", 'baseURL = "http://localhost:1313/"\n'),
        ("hugo.toml", 'baseURL = "/"\n'),
        # the other names kept for examples and for this machine (RFC 2606, RFC 6761)
        ("hugo.toml", 'baseURL = "https://example.com/"\n'),
        ("hugo.toml", 'baseURL = "https://www.example.net/"\n'),
        ("hugo.toml", 'baseURL = "https://blog.example/"\n'),
        ("hugo.toml", 'baseURL = "http://site.localhost:1313/"\n'),
        ("hugo.toml", 'baseURL = "http://127.0.0.1:1313/"\n'),
        ("hugo.toml", 'baseURL = "http://[::1]:1313/"\n'),
        ("hugo.toml", 'baseURL = "https://[lab.uni-x.org/"\n'),  # no URL: the [ of an IPv6 address not closed
        ("hugo.toml", 'baseURL = "http://:1313/"\n'),  # no host
        ("hugo.toml", 'baseURL = "https://lab.uni-x.org/\n'),  # not TOML: the string is not closed
        ("hugo.toml", 'title = "baseURL = https://lab.uni-x.org"\n'),  # no baseURL key at all
        ("hugo.toml", 'baseURL = ["https://lab.uni-x.org"]\n'),
        ("hugo.yaml", "baseURL: [https://lab.uni-x.org\n"),
        ("hugo.json", '{"baseURL": "https://lab.uni-x.org",}'),
        ("_config.yml", 'url: ""\nbaseurl: ""\n'),  # what `jekyll new` writes
        ("_config.yml", "url: https://lab.uni-x.org\nbaseurl: [x]\n"),
        ("_config.yml", "url: https://lab.uni-x.org\n  bad: indent\n"),
    ],
)
def test_no_address_is_offered_where_the_sites_config_gives_none_for_sure(tmp_path, name, text):
    write(tmp_path, name, text)
    assert ASKED in address_step(tmp_path)


def test_hugo_settings_that_disagree_offer_nothing(tmp_path):
    """The root file and config/production/ give two addresses: which one Hugo publishes
    with is not guessed."""
    write(tmp_path, "hugo.toml", 'baseURL = "https://old.uni-x.org/"\n')
    write(tmp_path, "config/production/hugo.toml", 'baseURL = "https://lab.uni-x.org/"\n')
    assert ASKED in address_step(tmp_path)
    write(tmp_path, "config/production/hugo.toml", 'baseURL = "https://old.uni-x.org"\n')
    assert "(your Hugo baseURL in hugo.toml)" in address_step(tmp_path)


def test_an_address_holding_a_password_is_never_printed(tmp_path):
    write(tmp_path, "hugo.toml", 'baseURL = "https://ada:s3cret@lab.uni-x.org/"\n')
    step = address_step(tmp_path)
    assert ASKED in step and "s3cret" not in step
