"""Which files hotpapers reads as a Hugo site's config, and reading one key of each
(hugo_config.py). Where Hugo has a say, the expected value is what Hugo 0.111.3 did with
the same files; a config.* of another tool is the module's own rule (it sets no baseURL)."""

import os

import pytest

from hotpapers.hugo_config import UnreadableConfig, config_value, hugo_config, hugo_config_files
from hotpapers.hugo_permalinks import UnknownPermalinks, section_permalink
from hotpapers.site_address import site_address


def write(folder, name, text):
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("config.toml", 'title = "Lab"\nbaseURL = "https://lab.uni-x.org/"\n'),  # not on the first line
        ("config.toml", '"baseURL" = "https://lab.uni-x.org/"\n'),  # a quoted key
        ("config.json", '{\n  "title": "Lab",\n  "baseURL": "https://lab.uni-x.org/"\n}\n'),
        ("config.json", '{"title": "Lab", "baseURL": "https://lab.uni-x.org/"}\n'),  # init took it for no Hugo site's
        ("config.json", '{\n  "baseURL": "https://lab.uni-x.org/",\n}\n'),  # not JSON (the last comma): its lines
    ],
)
def test_a_config_file_that_sets_base_url_is_the_sites(tmp_path, name, text):
    write(tmp_path, name, text)
    assert hugo_config(tmp_path) == tmp_path / name


@pytest.mark.parametrize(
    "text",
    [
        '# baseURL = "https://lab.uni-x.org/"\ntitle = "Lab"\n',  # a comment sets nothing
        'baseURLs = ["https://lab.uni-x.org/"]\n',  # another key
    ],
)
def test_a_config_file_that_sets_no_base_url_is_not_taken_for_the_sites(tmp_path, text):
    write(tmp_path, "config.toml", text)
    assert hugo_config(tmp_path) is None
    write(tmp_path, "config.json", '{"title": "Lab", "params": {"baseURL": "https://lab.uni-x.org/"}}\n')
    assert hugo_config(tmp_path) is None


def test_the_config_folders_hugo_file_is_taken_before_its_config_file(tmp_path):
    """Hugo 0.111.3 took config/_default/hugo.toml's permalinks over config.toml's there."""
    write(tmp_path, "config/_default/config.toml", 'baseURL = "https://b.uni-x.org/"\n')
    write(tmp_path, "config/_default/hugo.toml", 'baseURL = "https://a.uni-x.org/"\n')
    assert hugo_config(tmp_path) == tmp_path / "config/_default/hugo.toml"


def test_the_config_files_are_listed_once_each_and_no_folder_among_them(tmp_path):
    """The config folder's hugo.toml is the site's config file too: listed once."""
    write(tmp_path, "config/_default/params.toml", "x = 1\n")
    write(tmp_path, "config/_default/hugo.toml", 'baseURL = "https://lab.uni-x.org/"\n')
    write(tmp_path, "config/_default/menus.toml", "[[main]]\nname = 'Home'\n")
    (tmp_path / "config" / "production" / "languages").mkdir(parents=True)
    default = tmp_path / "config" / "_default"
    assert hugo_config_files(tmp_path) == [default / "hugo.toml", default / "menus.toml", default / "params.toml"]


def test_a_key_is_read_only_from_a_file_that_may_hold_it(tmp_path):
    """A file that never names the key is not parsed: a broken one is no concern of the
    key's; nor is a file of no config format (Hugo 0.111.3 left permalinks.txt unread),
    or no file at all."""
    write(tmp_path, "hugo.toml", 'title = "Lab\n')  # the string is not closed
    assert config_value(tmp_path / "hugo.toml", "permalinks") is None
    write(tmp_path, "hugo.toml", 'title = "Lab\n[permalinks]\nposts = "/:year/:slug/"\n')
    with pytest.raises(UnreadableConfig):
        config_value(tmp_path / "hugo.toml", "permalinks")
    write(tmp_path, "config/_default/permalinks.txt", "posts = '/:year/:slug/'\n")
    assert config_value(tmp_path / "config/_default/permalinks.txt", "permalinks") is None
    assert config_value(tmp_path / "hugo.yaml", "baseurl") is None


def test_a_config_that_is_not_utf8_gives_no_pattern(tmp_path):
    """Hugo 0.111.3 refused the file ('toml: invalid UTF-8'): it was read as giving none."""
    (tmp_path / "hugo.toml").write_bytes(b'title = "caf\xe9"\n[permalinks]\nposts = "/:year/:slug/"\n')
    with pytest.raises(UnknownPermalinks):
        section_permalink(hugo_config_files(tmp_path), "posts")


def test_a_fifo_as_the_jekyll_config_offers_no_address_and_waits_for_no_writer(tmp_path):
    os.mkfifo(tmp_path / "_config.yml")
    assert site_address(tmp_path, "jekyll") is None
