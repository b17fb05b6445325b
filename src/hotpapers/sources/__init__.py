"""The engagement sources, by platform name: adding one is a module and a line here.

The arXiv client (`sources.arxiv`) is not among them: it provides the papers' metadata.
"""

from hotpapers.sources.base import Source, registry
from hotpapers.sources.bluesky import BlueskySource
from hotpapers.sources.hackernews import HackerNewsSource
from hotpapers.sources.huggingface import HuggingFaceSource
from hotpapers.sources.twitter import TwitterSource

SOURCES: dict[str, type[Source]] = registry(
    TwitterSource,
    BlueskySource,
    HackerNewsSource,
    HuggingFaceSource,
)


def platform_aliases() -> dict[str, str]:
    """Other ways people write a source's platform, in lower case, to its name: the name a
    post calls it by and, for a name of several words, their initials (`hn`)."""
    aliases: dict[str, str] = {}
    for name, source in SOURCES.items():
        words = source.display.name.lower().split()
        aliases[" ".join(words)] = name
        if len(words) > 1:
            aliases["".join(word[0] for word in words)] = name
    return aliases
