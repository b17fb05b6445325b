"""Atomic writes: the permissions a plain write gives, a new folder when needed, and
no temporary file left behind."""

import itertools
import os
import stat
from pathlib import Path

import pytest

from hotpapers import atomic
from hotpapers.atomic import write_atomically
from hotpapers.errors import WriteError


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_written_file_gets_the_permissions_the_umask_gives(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_atomically(tmp_path / "post.md", "text\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "post.md").stat().st_mode) == mode


def test_text_and_bytes_are_written_whole_and_replace_the_old_file(tmp_path):
    target = tmp_path / "post.md"
    write_atomically(target, "old\n")
    write_atomically(target, "Café ☕\n")
    assert target.read_bytes() == "Café ☕\n".encode()
    write_atomically(target, b"\xff raw bytes")
    assert target.read_bytes() == b"\xff raw bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_a_missing_folder_is_created(tmp_path):
    target = tmp_path / "content" / "posts" / "post.md"
    write_atomically(target, "text\n")
    assert target.read_text() == "text\n"


def test_a_stale_temporary_file_of_a_crashed_process_is_stepped_over(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_TEMPORARY_NUMBERS", itertools.count())
    stale = tmp_path / f".post.md.{os.getpid()}-0.tmp"
    stale.write_text("half a post")
    write_atomically(tmp_path / "post.md", "text\n")
    assert (tmp_path / "post.md").read_text() == "text\n"
    assert stale.read_text() == "half a post"


def test_a_failed_rename_leaves_the_old_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "post.md"
    target.mkdir()  # renaming a file over a folder fails
    with pytest.raises(WriteError, match=r"cannot write .*post\.md: Is a directory"):
        write_atomically(target, "text\n")
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "content").write_text("a file where the folder should be")
    with pytest.raises(WriteError, match=r"cannot write .*content/post\.md: "):
        write_atomically(tmp_path / "content" / "post.md", "text\n")


def test_a_folder_that_cannot_be_made_names_what_is_in_its_way(tmp_path, monkeypatch):
    """A link to a folder that is gone (a posts folder on an unmounted disk), or a file,
    where a folder of the path goes said only 'File exists' or 'Not a directory': not
    which part of the path, nor what it is."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "posts").symlink_to(tmp_path / "gone")
    with pytest.raises(WriteError) as raised:
        write_atomically(Path("content/posts/2020/post.md"), "text\n")
    assert raised.value.message == (
        f"cannot write content/posts/2020/post.md: content/posts is a link to {tmp_path / 'gone'}, which does not exist"
    )
    (tmp_path / "notes").write_text("a file where the folder should be")
    with pytest.raises(WriteError) as raised:
        write_atomically(Path("notes/2020/post.md"), "text\n")
    assert raised.value.message == "cannot write notes/2020/post.md: notes is a file, not a folder"
