"""How a post speaks of each platform, in the words its source declares
(`Source.display`): a paper's engagement lines (in a post and in a feed), the line that
links a discussion for a platform without embeds, and for one with embeds, whether a
mention's own embed HTML is published and the templates and scripts embeds may use; and
the word `explain` says it with (embedded, quoted, linked)."""

from __future__ import annotations

from collections.abc import Callable

from hotpapers.markdown_escape import escape_markdown
from hotpapers.markdown_text import guard_link_text, guard_markup
from hotpapers.models import Mention, PlatformTotals, RankedPaper
from hotpapers.sanitize import checked_embed, one_line
from hotpapers.sources import SOURCES
from hotpapers.sources.base import GENERIC_EMBED, Display


def display(platform: str) -> Display:
    """How a post speaks of a platform; one that no registered source reads (in an
    imported snapshot) by its own name and the counts' names."""
    source = SOURCES.get(platform)
    return source.display if source is not None else Display(platform, (("reposts", "reposts"), ("likes", "likes")))


def published_embed(mention: Mention) -> tuple[str | None, str | None]:
    """A shown mention's own embed HTML as the post publishes it (one HTML block), or None
    and why it is refused; (None, None) for a platform without embeds or a mention without HTML."""
    words = display(mention.platform)
    if not (words.embedded and mention.embed_html):
        return None, None
    html, problem = checked_embed(mention.embed_html, words.embed_rules)
    return (None, problem) if problem else (html, None)


def shown_as(mention: Mention) -> str:
    """How the post shows a shown mention, as `explain` says it: `linked` for a platform
    without embeds; `quoted` when it writes a quote from the mention's fields (the generic
    template: no embed HTML of its own published, and the platform has no embed
    template); else `embedded`."""
    words = display(mention.platform)
    if not words.embedded:
        return "linked"
    return "quoted" if published_embed(mention)[0] is None and words.embed_template == GENERIC_EMBED else "embedded"


def embed_templates() -> tuple[str, ...]:
    """The names of the templates (`embeds/NAME.html.j2`) a post may write embeds with."""
    return tuple(dict.fromkeys([*(source.display.embed_template for source in SOURCES.values()), GENERIC_EMBED]))


def embed_scripts() -> frozenset[str]:
    """The script lines the registered platforms' embeds may end with (`EmbedRules.scripts`)."""
    return frozenset(
        script
        for source in SOURCES.values()
        if source.display.embed_rules
        for script in source.display.embed_rules.scripts
    )


def engagement_lines(item: RankedPaper, local_time: Callable[[str], str]) -> list[str]:
    """The paper's engagement lines: the classic one when only a `Display.classic`
    platform talks about it, else one per platform in that platform's words, each with
    its latest observation."""
    named = not _classic(item)
    return [f"{counts_text(totals, named=named)} ({local_time(totals.observed_at)})" for totals in item.platforms]


def feed_counts(item: RankedPaper) -> str:
    """A paper's counts in a feed entry: `R reposts, F likes` when only a classic
    platform talks about it (as feeds said before there were several platforms), else
    each platform's counts in its words."""
    if _classic(item):
        return f"{item.reposts} reposts, {item.likes} likes"
    return "; ".join(map(counts_text, item.platforms))


def _classic(item: RankedPaper) -> bool:
    return len(item.platforms) == 1 and display(item.platforms[0].platform).classic


def counts_text(totals: PlatformTotals, named: bool = True) -> str:
    """`Name: points: 40, comments: 15`: a paper's counts on one platform in its words."""
    words = display(totals.platform)
    counts = ", ".join(f"{word}: {getattr(totals, count)}" for count, word in words.counts)
    return f"{words.name}: {counts}" if named else counts


def discussion_link(mention: Mention, url: str, site_guard: Callable[[str], str], kramdown: bool) -> str:
    """A line linking a mention's discussion page `url` (the mention's URL when it is
    safe in a Markdown link, else empty: no link), by its title (escaped, for kramdown
    too when the site reads with it, then guarded by `site_guard` for the site's own
    syntax) or by the platform's name."""
    name = display(mention.platform).name
    text = mention.text
    if not (text and text.strip()):
        return f"[{name}]({url})" if url else name
    if not url:  # the title starts a line; a bare URL in it is linked as in an abstract
        return f"{site_guard(guard_markup(escape_markdown(one_line(text), links=not kramdown), kramdown))} on {name}"
    return f"[{site_guard(guard_link_text(escape_markdown(one_line(text)), kramdown))}]({url}) on {name}"
