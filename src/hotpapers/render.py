"""Rendering: ranked papers and their snapshot into the text of a post, through Jinja2.

The templates are the repository's top-level `templates/`, which the wheel ships as
`hotpapers/templates`; a site's own `templates/` folder overrides any of them by name.
Every filter that touches untrusted text lives here, so a template cannot forget to
escape: authors and abstracts go through `md_text` (one line, and no markup that the
sites' Markdown parsers would read: markdown_text.guard_markup), the title of a heading
through `md_heading` (markdown_text.guard_heading), embeds through `embed` (one HTML block),
frontmatter strings through `yaml_str`/`yaml_plain`, and the frontmatter is parsed back
and compared before the text is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from hotpapers.config import Config
from hotpapers.errors import HotpapersError, InputError
from hotpapers.frontmatter import FRONTMATTER, frontmatter_strings, read_back
from hotpapers.markdown_escape import escape_markdown
from hotpapers.markdown_text import guard_heading, guard_markup
from hotpapers.models import Mention, Paper, RankedPaper, Snapshot, parse_time
from hotpapers.platform_text import discussion_link, display, embed_templates, engagement_lines, published_embed
from hotpapers.sanitize import html_block, one_line, plain_text, safe_link
from hotpapers.site_syntax import SiteGuard
from hotpapers.template_errors import FieldUndefined, TemplateFolder, check_arguments, template_error
from hotpapers.yaml_scalars import yaml_plain, yaml_str

_FENCE = re.compile(r"---[ \t]*(?:\r\n?|\n)")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_CATEGORY = re.compile(r"[A-Za-z-]+(\.[A-Za-z-]+)?")
LINK_SEPARATOR = " | "
"""Between the links on one line (a paper's categories; its abstract and PDF links, the
templates' `link_separator`), guarded as text for the site's Markdown reader."""


def bundled_templates() -> Path:
    """The templates hotpapers ships: inside the installed package, or in the
    repository's `templates/` when run from a checkout (or an editable install)."""
    installed = Path(__file__).with_name("templates")
    return installed if installed.is_dir() else Path(__file__).parents[2] / "templates"


def make_env(site_templates: Path) -> jinja2.Environment:
    """One environment per run: the site's templates first, then the bundled ones (a site
    without a templates folder finds none there)."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([TemplateFolder(site_templates), TemplateFolder(bundled_templates())]),
        undefined=FieldUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a run; this saves a stat per include
        trim_blocks=True,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
    )
    env.filters.update(
        yaml_str=yaml_str,
        yaml_plain=yaml_plain,
        yaml_bool=lambda value: "true" if value else "false",
        utc_stamp=lambda value: parse_time(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        abs_link=abs_link,
        pdf_link=lambda paper: safe_link(paper.pdf_url or "", f"https://arxiv.org/pdf/{paper.id}"),
    )
    env.globals["link_separator"] = LINK_SEPARATOR
    return env


def abs_link(paper: Paper) -> str:
    """The paper's abstract page, as a post and a feed link it: arXiv's own when the
    snapshot's is no safe link."""
    return safe_link(paper.abs_url, f"https://arxiv.org/abs/{paper.id}")


@lru_cache(maxsize=4096)
def local_stamp(value: str, timezone: ZoneInfo) -> str:
    return parse_time(value).astimezone(timezone).strftime("%m/%d/%Y %H:%M:%S")


def category_link(category: str, kramdown: bool) -> str:
    """A category linked to arXiv's listing; one of another shape as text, every `<` of it
    written `&lt;`: the categories share a line, and a category guarded alone can still
    open a tag that another one closes (`<img src=x onerror="...` and `">`)."""
    if _CATEGORY.fullmatch(category):
        # `[x]`, in either case, is a task's checkbox anywhere in a list item to Hugo 0.111's goldmark
        text = f"&#{ord(category)};" if category.lower() == "x" else category
        return f"[{text}](https://arxiv.org/list/{category}/recent)"
    text = re.sub(r"([\\`*_\[\]()#!|~])", r"\\\1", one_line(category))
    return guard_markup(text.replace("<", "&lt;"), kramdown)


_URL_FILTERS = ("abs_link", "pdf_link")
"""The filters that write a URL: guarded for the site's syntax as a link, not as Markdown text."""


@dataclass(slots=True)
class Departures:
    """Shown mentions a post shows otherwise than they say: their embed HTML refused (and
    why), or their URL no web address, so that the post links neither them nor their discussion;
    and a post that its site dates or addresses otherwise than the feeds."""

    refused: list[tuple[Mention, str]] = field(default_factory=list)
    unlinked: list[Mention] = field(default_factory=list)
    left_out: tuple[str, ...] = ()
    """The keys of frontmatter.PLACING that the post leaves out, written by `template`."""
    template: str = ""


class PostRenderer:
    """Renders posts with templates compiled once, for as many days as needed."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._departures = Departures()
        self.env = make_env(config.paths.templates)
        self.env.filters["local_time"] = self._local_time
        self.env.filters["embed"] = self.embed
        self.env.filters["engagement"] = lambda item: engagement_lines(item, self._local_time)
        self.kramdown = kramdown = config.profile.kramdown
        escaped = (lambda text: escape_markdown(text, links=not kramdown)) if config.output.escape_markdown else str
        self.env.filters.update(
            md_text=lambda text: guard_markup(escaped(one_line(text)), kramdown),
            md_heading=lambda text: guard_heading(escaped(one_line(text)), kramdown),
            category_link=lambda category: category_link(category, kramdown),
            category_links=lambda categories: LINK_SEPARATOR.join(category_link(c, kramdown) for c in categories),
        )
        self.guard = SiteGuard(config.profile.site_syntax)
        if self.guard.syntax:
            guards = {"md_heading": self.guard.heading, **dict.fromkeys(_URL_FILTERS, self.guard.url)}
            for name in ("md_text", "md_heading", "category_link", "category_links", *_URL_FILTERS):
                self.env.filters[name] = self.guard.after(self.env.filters[name], guards.get(name, self.guard.text))
            self.env.globals["link_separator"] = self.guard.text(LINK_SEPARATOR)
        check_arguments(self.env.filters)
        try:
            self.post_template = self.env.get_template(config.profile.template)
            self.embed_templates = {name: self.env.get_template(f"embeds/{name}.html.j2") for name in embed_templates()}
        except jinja2.TemplateError as exc:
            raise template_error(exc, self.env) from None

    def _local_time(self, value: str) -> str:
        return local_stamp(value, self.config.timezone)

    def embed(self, mention: Mention) -> str:
        """The mention's own embed when it is allowed, else one written from its fields;
        a line linking its discussion for a platform without embeds. What the post shows
        otherwise than the mention says goes into the render's `Departures`."""
        html, problem = published_embed(mention)
        if html is not None:
            return self.guard.html(html)
        if problem is not None:
            self._departures.refused.append((mention, problem))
        link = safe_link(mention.url, "")
        if not link:
            self._departures.unlinked.append(mention)
        if display(mention.platform).embedded:
            return self.fallback_embed(mention)
        return discussion_link(mention, self.guard.url(link), self.guard.text, self.kramdown)

    def fallback_embed(self, mention: Mention) -> str:
        template = self.embed_templates[display(mention.platform).embed_template]
        text = mention.text if mention.text else mention.url
        lines = (escape(line) for line in re.split(r"\r\n|\r|\n", plain_text(text)))
        url = self._html(mention.url) if safe_link(mention.url, "") else None
        when = "link" if url else ""  # the text of the link, or nothing when there is none
        if mention.created_at:
            created = parse_time(mention.created_at).astimezone(self.config.timezone)
            when = f"{MONTHS[created.month - 1]} {created.day}, {created.year}"
        given = {
            "text": self._html(Markup("<br>").join(lines)),
            "name": self._html(one_line(mention.author_name or mention.author_handle or mention.platform)),
            "handle": mention.author_handle and self._html(one_line(mention.author_handle.removeprefix("@"))),
            "url": url,
            "when": when,
        }
        try:
            return html_block(template.render(**given))
        except Exception as exc:  # a site's embed template, as a post's (_fill)
            raise template_error(exc, self.env, given) from None

    def _html(self, value: str) -> Markup:
        """An untrusted value of an HTML template, escaped and guarded for the site's syntax."""
        return Markup(self.guard.html(escape(value)))

    def render(self, ranked: list[RankedPaper], snapshot: Snapshot) -> str:
        """One day's post; its frontmatter is read back before it is returned."""
        return self.render_noting(ranked, snapshot)[0]

    def render_noting(self, ranked: list[RankedPaper], snapshot: Snapshot) -> tuple[str, Departures]:
        """One day's post, as `render`, and where it departs from its mentions."""
        self._departures = departures = Departures()
        rendered = self._fill(ranked, snapshot)
        if not _FENCE.match(rendered):
            what = "a post without frontmatter" if rendered.strip() else "an empty post"
            raise InputError(
                f"template {self.post_template.filename} writes {what}; every post needs its frontmatter "
                "first, between two `---` lines"
            )
        mismatch, departures.left_out = read_back(rendered, self.config, snapshot)
        departures.template = str(self.post_template.filename)
        if mismatch:
            raise InputError(
                f"the frontmatter of {snapshot.date} does not read back as configured: {mismatch}; check the post "
                f"settings and the template {self.post_template.filename}"
            )
        return rendered, departures

    def _fill(self, ranked: list[RankedPaper], snapshot: Snapshot) -> str:
        strings = frontmatter_strings(self.config, snapshot.date)
        given = {
            "snapshot": snapshot,
            "papers": ranked,
            "post": self.config.post,
            "title": strings.title,
            "description": strings.description,
            "slug": strings.slug,
            "date": snapshot.date,
        }
        try:
            return self.post_template.render(**given)
        except HotpapersError:
            raise
        except Exception as exc:  # a site's template may raise anything: {{ 1/0 }}
            raise template_error(exc, self.env, given) from None


_NUMBERED = re.compile(r"\d+\.(?: |\Z)")
"""`N. title`, or `N.` alone: a paper's title of white space, or of characters every text drops
(a bidi override), leaves a heading `# N. ` that a parser reads as `N.`."""
_BLOCKS = MarkdownIt("commonmark").disable("inline")
"""Block structure only: a heading's text is all the count needs."""


def paper_headings(post: bytes) -> list[str]:
    """The papers a post lists, as a reader sees them: the headings `N. ...` that a
    CommonMark parser finds after the frontmatter, as their text, at the highest level
    that has any (`#` in the bundled templates; a site's may use `##`, with numbered
    subheadings below). Text that only looks like a heading (inside an embed's HTML
    block, say) is not one."""
    text = post.decode("utf-8", errors="replace")
    frontmatter = FRONTMATTER.match(text)
    tokens = _BLOCKS.parse(text[frontmatter.end() :] if frontmatter else text)
    numbered = [
        (opening.tag, inline.content)
        for opening, inline in pairwise(tokens)
        if opening.type == "heading_open" and _NUMBERED.match(inline.content)
    ]
    top = min((tag for tag, _ in numbered), default=None)  # "h1" < "h2" < ... < "h6"
    return [content for tag, content in numbered if tag == top]


def render_post(snapshot: Snapshot, ranked: list[RankedPaper], config: Config) -> str:
    """The post's text for `ranked` (rank_papers of `snapshot`), written nowhere; a
    frontmatter that does not read back as configured is an InputError."""
    return PostRenderer(config).render(ranked, snapshot)
