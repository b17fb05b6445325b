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
