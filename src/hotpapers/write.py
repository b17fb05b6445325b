"""Writing a post without ever making a site worse: atomic, idempotent, and never
replacing a post with one that lists fewer papers unless forced."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from hotpapers.atomic import encode_text, in_the_way, is_special_file, write_atomically
from hotpapers.errors import WriteError, shown_path
from hotpapers.frontmatter import FRONTMATTER
from hotpapers.plural import count
from hotpapers.render import paper_headings


class Outcome(Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    KEPT = "kept"
    """An existing post listing more papers was kept, or a file that is no post, or one
    differing from a new post whose papers cannot be counted."""


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What write_post did, with the counts the build's message gives."""

    outcome: Outcome
    papers: int
    existing_papers: int | None = None
    uncounted_headings: int | None = None
    """Kept because the new post's paper headings (this many) are not one per paper."""

    @property
    def listed(self) -> int:
        """The papers of the post at the path after the write: the kept one's when it lists more."""
        return self.papers if self.existing_papers is None else self.existing_papers


def write_post(path: Path, text: str, *, papers: int, force: bool, dry_run: bool) -> WriteResult:
    """`papers`: how many papers `text` lists (the caller ranked them); parsing a post
    costs more than rendering it, so posts are parsed only to decide a replacement.
    Posts are compared by their paper headings (render.paper_headings); when the new
    post's are not one per paper (a site's template numbers its headings otherwise),
    it cannot be compared, and a differing post is kept unless forced. So is a file that
    is no post (`render -o config.yaml`): no paper heading, no frontmatter, not blank.
    A FIFO or a device (`-o /dev/stdout`) is written into: it holds no post to compare.
    `dry_run` decides as a write would, and writes nothing."""
    data = encode_text(text, path)
    if is_special_file(path):
        if not dry_run:
            write_atomically(path, data)
        return WriteResult(Outcome.WRITTEN, papers)
    try:
        existing = path.read_bytes()
    except FileNotFoundError:
        existing = None
    except NotADirectoryError as exc:  # no post to read: a file where a folder of the path goes
        raise WriteError(f"cannot write {shown_path(path)}: {in_the_way(path.parent) or exc.strerror}") from None
    except OSError as exc:
        raise WriteError(f"cannot read the existing post {shown_path(path)}: {exc.strerror or exc}") from None
    if existing == data:
        return WriteResult(Outcome.UNCHANGED, papers)
    if existing is not None and not force:
        existing_papers, new_papers = len(paper_headings(existing)), len(paper_headings(data))
        if new_papers != papers:
            return WriteResult(Outcome.KEPT, papers, uncounted_headings=new_papers)
        if existing_papers > new_papers or (existing_papers == 0 and _no_post(existing)):
            return WriteResult(Outcome.KEPT, new_papers, existing_papers)
    if not dry_run:
        write_atomically(path, data)
    return WriteResult(Outcome.WRITTEN, papers)


def _no_post(data: bytes) -> bool:
    """Whether `data` is neither blank nor opened by a frontmatter block, as every post is,
    even one without a paper heading (a `hugo new` stub, an older template's post)."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    return bool(text.strip()) and FRONTMATTER.match(text) is None


def kept_post_note(target: Path) -> str:
    """What a build that writes no post adds of the post already at `target` (written under
    other settings): it stays on the site, as no build takes a day off it."""
    if not target.is_file():
        return ""
    return f"; the day's post already there, {shown_path(target)}, is kept (delete it to take the day off the site)"


def outcome_message(day: str, shown: str, result: WriteResult, dry_run: bool) -> str:
    """What writing the post of `day` to `shown` (a path, for messages) did, in a line."""
    would = "would " if dry_run else ""
    if result.outcome is Outcome.WRITTEN:
        return f"{day}: {would}{'write' if would else 'wrote'} {shown} ({count(result.papers, 'paper')})"
    if result.outcome is Outcome.UNCHANGED:
        return f"{day}: {shown} is up to date ({count(result.papers, 'paper')})"
    kept = f"{day}: {would}{'keep' if would else 'kept'} {shown}"
    if result.uncounted_headings is not None:
        return (
            f"{kept}: the new post's papers cannot be counted: the templates write "
            f"{count(result.uncounted_headings, 'numbered heading')} for {count(result.papers, 'paper')}, "
            "and posts are compared by one heading `N. title` per paper (--force replaces it)"
        )
    if not result.existing_papers:
        return f"{kept}: it is no post (no frontmatter, no heading `N. title`), the new one lists {count(result.papers, 'paper')} (--force replaces it)"
    return (
        f"{kept}: it lists {count(result.existing_papers, 'paper')}, the new one {result.papers} (--force replaces it)"
    )
