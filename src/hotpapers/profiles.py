"""Output profiles: which template writes the post, where it goes, and how Markdown is
escaped, for each kind of site that reads it (README.md, "Profiles")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hotpapers.site_syntax import SiteSyntax

ProfileName = Literal["lumen", "lumen-2022", "hugo", "jekyll"]


@dataclass(frozen=True, slots=True)
class Profile:
    name: ProfileName
    template: str
    posts: str
    """Default folder of the posts, relative to the config file."""
    filename: str
    """Default file name inside it; `{date}` is the digest day."""
    escape_markdown: bool
    """Default for backslash-escaping Markdown punctuation in titles, authors and abstracts."""
    link: str
    """The post's URL path on the site; `{slug}` is the post's slug."""
    public: str
    """The folder the site serves at its root, relative to the config file: the feeds go
    there by default, and a feed's URL is its path inside it."""
    site_syntax: frozenset[SiteSyntax] = frozenset()
    """What the site's generator reads in the post's body before or beside Markdown;
    untrusted text is guarded against it (site_syntax.py). Gatsby's remark reads none."""
    future_posts: str = "the site shows it under that date"
    """What the site's generator does with a post dated in the future (`build` says it)."""
    publishes_future: bool = True
    """Whether the site publishes a post dated in the future before that date (the feeds list it then)."""

    @property
    def kramdown(self) -> bool:
        """The site reads Markdown with kramdown (Jekyll), which reads more raw HTML, autolinks
        and ordered lists than CommonMark's parsers and goldmark (markdown_text.py)."""
        return "kramdown-blocks" in self.site_syntax


PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        Profile("lumen", "post.md.j2", "content/posts", "{date}---Hot-Papers.md", False, "/posts/{slug}", "static"),
        Profile(
            "lumen-2022",
            "post-lumen-2022.md.j2",
            "content/posts",
            "{date}---hot-papers/index.md",
            True,
            "/posts/{slug}",
            "static",
        ),
        Profile(
            "hugo",
            "post-hugo.md.j2",
            "content/posts",
            "{date}-hot-papers.md",
            True,
            "/posts/{slug}/",
            "static",
            frozenset({"shortcodes", "heading-attributes"}),
            "Hugo does not publish it before then (unless buildFuture is set)",
            False,
        ),
        Profile(
            "jekyll",
            "post-jekyll.md.j2",
            "_posts",
            "{date}-hot-papers.md",
            True,
            "/{slug}/",
            ".",
            frozenset({"liquid", "heading-attributes", "attribute-lists", "tables", "kramdown-blocks"}),
            "Jekyll does not publish it before then (unless future: true is set)",
            False,
        ),
    )
}
