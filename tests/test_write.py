"""write_post's decisions that no build reaches easily: a FIFO on a dry run, a file of
undecodable bytes, a post without frontmatter, a folder in the post's place."""

import os

import pytest

from hotpapers.errors import WriteError
from hotpapers.write import Outcome, WriteResult, write_post

POST = "---\ntitle: x\n---\n\n# 1. A\n\ntext\n\n# 2. B\n\ntext\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_dry_run_writes_nothing_into_a_fifo(tmp_path):
    fifo = tmp_path / "post.md"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that a writer would not wait
    try:
        assert write_post(fifo, POST, papers=2, force=False, dry_run=True) == WriteResult(Outcome.WRITTEN, 2)
        assert os.read(reader, 100) == b""  # no writer came: nothing to read
        assert write_post(fifo, POST, papers=2, force=False, dry_run=False) == WriteResult(Outcome.WRITTEN, 2)
        assert os.read(reader, 1000) == POST.encode()
    finally:
        os.close(reader)


def test_a_file_of_undecodable_bytes_is_no_post_and_is_kept(tmp_path):
    # not blank, no frontmatter, no heading: it is no post, whatever it decodes to
    path = tmp_path / "post.md"
    path.write_bytes(b"\xff\xfe\xfd")
    assert write_post(path, POST, papers=2, force=False, dry_run=False) == WriteResult(Outcome.KEPT, 2, 0)
    assert path.read_bytes() == b"\xff\xfe\xfd"


def test_a_post_without_frontmatter_but_with_its_paper_headings_is_a_post_and_is_replaced(tmp_path):
    # an older template's post: its one paper heading makes it a post, and the new one lists two
    path = tmp_path / "post.md"
    path.write_text("# 1. A\n\ntext\n", encoding="utf-8")
    assert write_post(path, POST, papers=2, force=False, dry_run=False) == WriteResult(Outcome.WRITTEN, 2)
    assert path.read_text(encoding="utf-8") == POST


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_folder_in_the_posts_place_fails_a_dry_run_as_it_fails_a_write(tmp_path, dry_run):
    with pytest.raises(WriteError, match="cannot read the existing post"):
        write_post(tmp_path, POST, papers=2, force=False, dry_run=dry_run)


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_file_in_the_posts_folder_s_place_is_named_by_a_dry_run_and_a_write(tmp_path, monkeypatch, dry_run):
    """A posts folder that is a file said 'cannot read the existing post ...: Not a
    directory', though there is no post to read: a nightly build's error named a post that
    never was, not the file in the way, as a write into a missing folder under it names it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "posts").write_text("a file where the posts folder goes", encoding="utf-8")
    with pytest.raises(WriteError) as raised:
        write_post(tmp_path / "content" / "posts" / "post.md", POST, papers=2, force=False, dry_run=dry_run)
    assert raised.value.message == "cannot write content/posts/post.md: content/posts is a file, not a folder"
