"""Feeds of the latest digests: Atom (written by feedgen) and JSON Feed 1.1.

Entries come from the snapshots of the latest days that have a post, ranked again,
so a feed is a pure function of the snapshots and the config, like a post; a day whose
post on disk is not the one they make (built with other settings, or kept because it
lists more papers) is left out, so that no entry differs from the page it links.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from feedgen.feed import FeedGenerator

from hotpapers.atomic import write_atomically
from hotpapers.config import Config
from hotpapers.errors import HotpapersError, WriteError, shown_path
from hotpapers.frontmatter import UNPUBLISHED, frontmatter_problem, frontmatter_strings, reads_back, unpublished
from hotpapers.models import RankedPaper, Snapshot, parse_time
from hotpapers.platform_text import feed_counts
from hotpapers.plural import count
from hotpapers.post_address import post_url, unlinked
from hotpapers.rank import rank
from hotpapers.regular_file import NotRegularFile, read_regular_file
from hotpapers.render import PostRenderer, abs_link, paper_headings
from hotpapers.sanitize import plain_text
from hotpapers.snapshot import site_snapshot
from hotpapers.targets import check_feed_targets, check_outputs, feed_url


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    title: str
    published: str
    """RFC 3339: when the snapshot was taken."""
    summary: str
    html: str


def feed_entry(snapshot: Snapshot, ranked: list[RankedPaper], config: Config) -> FeedEntry:
    day = snapshot.date
    items = "".join(
        f'<li><a href="{escape(abs_link(item.paper))}">{escape(plain_text(item.paper.title))}</a> '
        f"({escape(feed_counts(item))})</li>"
        for item in ranked
    )
    strings = frontmatter_strings(config, day)
    return FeedEntry(
        url=post_url(config, strings.slug),
        title=strings.title,
        published=parse_time(snapshot.taken_at).isoformat().replace("+00:00", "Z"),
        summary=f"{count(len(ranked), 'paper')}, led by: {plain_text(ranked[0].paper.title)}",
        html=f"<ol>{items}</ol>",
    )


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""The characters XML 1.0 cannot hold, even escaped (U+FFFF, NUL, ...): an Atom feed drops
them from every text, which may come from a paper's title or the config."""


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def atom_feed(entries: list[FeedEntry], config: Config) -> str:
    """Newest day first. `updated` is the latest of the entries' times (an older day may
    have been fetched again after the newest), so an unchanged archive gives the same bytes."""
    site = config.site
    assert site.url is not None and entries, "an Atom feed needs site.url and an entry"
    feed = FeedGenerator()
    feed.id(_xml(site.url + "/"))
    feed.title(_xml(site.title))
    feed.link(href=_xml(site.url + "/"), rel="alternate")
    if config.feeds.atom is not None:
        feed.link(href=_xml(feed_url(config, config.feeds.atom)), rel="self")
    feed.updated(max((entry.published for entry in entries), key=parse_time))
    feed.generator("hotpapers")
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(_xml(entry.url))
        item.title(_xml(entry.title))
        item.link(href=_xml(entry.url), rel="alternate")
        item.updated(entry.published)
        item.published(entry.published)
        item.author(name=_xml(site.title))
        item.summary(_xml(entry.summary))
        item.content(_xml(entry.html), type="html")
    return feed.atom_str(pretty=True).decode("utf-8")


def json_feed(entries: list[FeedEntry], config: Config) -> str:
    """A JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/), newest first."""
    site = config.site
    assert site.url is not None, "a JSON feed needs site.url"
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.title,
        "home_page_url": site.url + "/",
        **({"feed_url": feed_url(config, config.feeds.json)} if config.feeds.json is not None else {}),
        "authors": [{"name": site.title}],
        "items": [
            {
                "id": e.url,
                "url": e.url,
                "title": e.title,
                "content_html": e.html,
                "summary": e.summary,
                "date_published": e.published,
            }
            for e in entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def update_feeds(config: Config, now: datetime | None = None) -> FeedsReport | None:
    """Write the feeds of the latest `feeds.entries` days that have a post, when site.url
    is set, leaving out those whose post is not the one their snapshot and the settings
    make (`matches`), drafts, and, given `now`, a post dated after it where the site
    publishes none before its date (Hugo, Jekyll); files are rewritten only when their
    text changes, and not at all when no day is left to list (they keep what they held).
    None when feeds are off."""
    if config.site.url is None or not (config.feeds.atom or config.feeds.json):
        return None
    check_outputs(config)
    check_feed_targets(config)
    targets = [(path, make) for path, make in ((config.feeds.atom, atom_feed), (config.feeds.json, json_feed)) if path]
    renderer = PostRenderer(config)
    entries: list[FeedEntry] = []
    left_out: list[str] = []
    damaged: list[str] = []
    drafts, passed = 0, 0  # passed: posts that are no draft, left out for another reason
    for path in sorted(config.paths.snapshots.glob("*.json"), reverse=True):
        day = path.stem
        if len(entries) + len(left_out) + len(damaged) == config.feeds.entries:
            break
        post = read_post(config.post_path(day))
        draft = post is not None and unpublished(post)  # the site publishes no page for it
        drafts += draft
        if post is None or draft:
            continue
        snapshot = site_snapshot(config, day)  # None: removed since it was listed
        if snapshot is None or (now and not config.profile.publishes_future and parse_time(snapshot.taken_at) > now):
            passed += 1
            continue  # a post dated in the future: no page before then
        if not (ranked := rank(snapshot, config)):
            passed += 1
            continue
        if matches(post, renderer, ranked, snapshot):
            entries.append(feed_entry(snapshot, ranked, config))
        elif problem := frontmatter_problem(post):
            damaged.append(f"{shown_path(config.post_path(day))}: {problem}")
        else:
            left_out.append(day)
    if not entries:
        return FeedsReport(None, tuple(left_out), tuple(damaged), drafts=0 if passed else drafts)
    written = []
    for path, make in targets:
        text = make(entries, config)
        if not path.exists() or path.read_bytes() != text.encode("utf-8"):
            write_atomically(path, text)
            written.append(shown_path(path))
    line = f"feeds: {count(len(entries), 'entry', 'entries')}" + (
        f", wrote {', '.join(written)}" if written else ", up to date"
    )
    return FeedsReport(line, tuple(left_out), tuple(damaged), unlinked(config))


def matches(published: bytes, renderer: PostRenderer, ranked: list[RankedPaper], snapshot: Snapshot) -> bool:
    """Whether the post on disk is, for a feed, the one the settings make now: the same
    bytes; or, when they differ (a newer version's markup, new counts), a frontmatter
    that reads back as configured (title, slug, date) and the same papers' headings in
    the same order. A post whose papers cannot be told apart so (a site template without
    one numbered heading per paper, as write_post counts them), or that cannot be
    rendered now, does not match."""
    try:
        rendered = renderer.render(ranked, snapshot).encode("utf-8")
    except HotpapersError:
        return False
    if published == rendered:
        return True
    headings = paper_headings(published)
    text = published.decode("utf-8-sig", "replace")
    return (
        len(headings) == len(ranked)
        and headings == paper_headings(rendered)
        and reads_back(text, renderer.config, snapshot, ignore=tuple(UNPUBLISHED))  # published or not, as above
    )


def read_post(path: Path) -> bytes | None:
    try:
        return read_regular_file(path)  # a FIFO would wait for a writer for ever
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"cannot read the post {shown_path(path)} for the feeds: {exc.strerror or exc}") from None
    except NotRegularFile as exc:
        raise WriteError(f"cannot read the post {shown_path(path)} for the feeds: it is {exc.kind}") from None


@dataclass(frozen=True, slots=True)
class FeedsReport:
    line: str | None
    """What was written, for the log; None when no day is listed (none has a post yet, or
    every one is left out or a draft), and nothing was written."""
    left_out: tuple[str, ...] = ()
    """Days among the latest `feeds.entries` with a post (newest first) whose post is not
    what the snapshot and the settings make now (another slug or title, or other papers:
    settings changed since it was built, or a post listing more papers was kept), so a
    feed entry would not match the page."""
    damaged: tuple[str, ...] = ()
    """Posts among those days whose frontmatter cannot be read, each as 'path: problem'."""
    unlinked: str | None = None
    """Why the entries link no post the site publishes (`unlinked`)."""
    drafts: int = 0
    """When no day is listed and each post passed over is a draft (`post.draft`, or set by
    hand): how many; 0 when another post was left out too (one dated in the future)."""

    def warning(self) -> str | None:
        parts = [f"feeds: left out {post}; mend it, or build its day again" for post in self.damaged]
        if self.left_out:
            ordered = sorted(self.left_out)
            days = (
                ", ".join(ordered) if len(ordered) <= 3 else f"{len(ordered)} days from {ordered[0]} to {ordered[-1]}"
            )
            one = len(self.left_out) == 1
            parts.append(
                f"feeds: left out {days}: the {'post differs' if one else 'posts differ'} from what the snapshot and "
                f"the settings make now (slug, title or papers); build {'that day' if one else 'those days'} again to "
                f"list {'it' if one else 'them'} (--force replaces a post that lists more papers)"
            )
        if self.unlinked:
            parts.append(self.unlinked)
        return "; ".join(parts) or None


def feeds_off_reason(config: Config, report: FeedsReport | None = None) -> str | None:
    """Why no feed is written although some is configured, or None; given the `report` of
    feeds that listed no day, when that is because the posts are drafts."""
    silence = "feeds.atom and feeds.json null silence this"
    if config.site.url is None and (config.feeds.atom or config.feeds.json):
        return f"feeds: off until site.url (the site's address) is set; {silence}"
    if report is not None and report.line is None and report.drafts and not (report.left_out or report.damaged):
        setting = "post.draft is true" if config.post.draft else "as its frontmatter says"
        draft = f"each post they could list is a draft ({setting}), of which the site publishes no page"
        return f"feeds: not written: {draft}; {silence}"
    return None
