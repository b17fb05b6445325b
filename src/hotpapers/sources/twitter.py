"""X (Twitter): the posts linking arXiv papers in a window (API v2 search), and the
embed HTML of the posts a digest shows (oEmbed). Reads are billed per post, so
`max_posts` caps a build. Reading a page into mentions is `twitter_posts.parse_page`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from math import ceil
from typing import Annotated, Any, ClassVar

from msgspec import Meta

from hotpapers.config_types import EnvName, Url
from hotpapers.errors import FetchError, InputError
from hotpapers.models import Mention
from hotpapers.sanitize import EmbedRules
from hotpapers.sources.base import Display, Embeds, Found, PageLimit, Source, SourceSettings, left_out, rfc3339
from hotpapers.sources.limits import DayBudget
from hotpapers.sources.twitter_posts import parse_page

log = logging.getLogger("hotpapers")

TWEET_FIELDS = "public_metrics,created_at,entities,author_id,referenced_tweets"
RECENT_DAYS = 7
MIN_PAGE = 10
"""The smallest `max_results` the search accepts."""


class TwitterSettings(SourceSettings, frozen=True, kw_only=True):
    """`sources.twitter` in the config."""

    api_url: Url = "https://api.x.com/2"
    oembed_url: Url = "https://publish.x.com/oembed"
    token_env: EnvName = "X_BEARER_TOKEN"
    """The environment variable holding the bearer token (never written anywhere)."""
    query: Annotated[str, Meta(min_length=1)] = 'url:"arxiv.org" -is:retweet'
    max_posts: Annotated[int, Meta(ge=1)] = 5000
    """The most posts a build reads (X bills each one); the snapshot says `partial` when reached."""
    page_size: Annotated[int, Meta(ge=10, le=500)] = 100
    oembed_concurrency: Annotated[int, Meta(ge=1, le=32)] = 8


_ROOT_ATTRIBUTES = ("dnt", "theme", "width", "lang", "media-max-width", "conversation", "cards")
EMBED_RULES = EmbedRules(
    "twitter-tweet",
    frozenset(
        f'<script async src="https://platform.{host}/widgets.js" charset="utf-8"></script>'
        for host in ("twitter.com", "x.com")
    ),
    frozenset({"align", *(f"data-{name}" for name in _ROOT_ATTRIBUTES)}),
)
"""What an X post's embed may be: X's oEmbed HTML (its script line from either host)."""
_GATSBY_STEPS = {  # lumen's gatsby-config is TypeScript since 2022-04
    profile: "Add gatsby-plugin-twitter to the site (npm install gatsby-plugin-twitter, first in `plugins` of "
    f"{config}) so embedded posts render on client-side navigation too."
    for profile, config in (("lumen", "gatsby-config.js"), ("lumen-2022", "gatsby-config.ts, or .js in older sites"))
}


class TwitterSource(Source):
    """The X API v2 search, then oEmbed for the posts shown."""

    name: ClassVar[str] = "twitter"
    cost: ClassVar[str] = "pay-per-use, about $0.005 per post read (max_posts caps a build)"
    display: ClassVar[Display] = Display(
        "X",
        (("reposts", "retweets"), ("likes", "favorites")),
        embed_rules=EMBED_RULES,
        embed_template="twitter",
        classic=True,
    )
    Settings: ClassVar[type[SourceSettings]] = TwitterSettings
    site_steps: ClassVar[Mapping[str, str]] = _GATSBY_STEPS
    settings: TwitterSettings

    def _token(self) -> str | None:
        return self.credential(self.settings.token_env, "bearer token") or None

    def missing_credentials(self) -> str | None:
        return None if self._token() else self.settings.token_env

    def endpoint(self, since: datetime) -> str:
        """Recent search when the whole window lies within its last 7 days, else full-archive."""
        recent = (self.now() - since).total_seconds() < RECENT_DAYS * 86400 - 60
        return f"{self.settings.api_url.rstrip('/')}/tweets/search/{'recent' if recent else 'all'}"

    def plan(self, since: datetime, until: datetime) -> str:
        return (
            f"search {self.endpoint(since)} for {self.settings.query!r} (at most {self.settings.max_posts} posts); "
            f"oEmbed {self.settings.oembed_url} for the posts shown"
        )

    def page_limit(self) -> PageLimit:
        """Room for pages the API leaves short: every page of the fewest posts it sends, and 10 more."""
        return PageLimit(ceil(self.settings.max_posts / MIN_PAGE) + 10, f"sources.twitter.max_posts / {MIN_PAGE} + 10")

    def search(self, since: datetime, until: datetime) -> Found:
        """Every page of the search, each read once, until no next_token, the post cap or
        the page limit, a page token seen before (a paging loop), or when it has kept what a
        source may keep of a day (DayBudget)."""
        settings, endpoint = self.settings, self.endpoint(since)
        token = self._token()
        if token is None:
            raise InputError(f"twitter: the environment variable {settings.token_env} is empty or not set")

        def refused(response: Any) -> str | None:
            unauthorized = response.status_code in (401, 403)
            return f"the API refused the bearer token in ${settings.token_env}" if unauthorized else None

        page_cap = 100 if endpoint.endswith("/recent") else 500
        limit = self.page_limit()
        mentions: dict[str, Mention] = {}
        posts, malformed, seen_tokens, budget = 0, set[str](), set(), DayBudget()
        next_token: str | None = None

        def found(partial: str | None = None) -> Found:
            why = left_out("whose id is no number", len(malformed), partial)
            return Found(list(mentions.values()), posts, endpoint, settings.query, why)

        for _ in self.progress(range(limit.pages), None, "page"):
            asked = max(MIN_PAGE, min(settings.page_size, page_cap, settings.max_posts - posts))
            params = {
                "query": settings.query,
                "start_time": rfc3339(since),
                "end_time": rfc3339(until),
                "max_results": asked,
                "tweet.fields": TWEET_FIELDS,
                "expansions": "author_id",
                "user.fields": "username,name",
            }
            if next_token:
                params["next_token"] = next_token
            headers = {"Authorization": f"Bearer {token}"}
            try:
                data = self.http.get_json(endpoint, source="twitter", params=params, headers=headers, describe=refused)
            except FetchError as error:  # the pages read are paid for: kept (a repair would pay again)
                return found(self.cut_short(error, posts))
            try:
                page = parse_page(data, rfc3339(self.now()), since, until, most=asked)
            except ValueError as exc:  # as a page that failed: the pages read are kept
                unreadable = FetchError("twitter", f"unreadable search page from {endpoint} ({exc})", url=endpoint)
                return found(self.cut_short(unreadable, posts))
            posts += page.posts
            malformed.update(page.malformed)  # a post on two pages is one
            for mention in page.mentions:
                if not budget.keep(mentions, mention):  # the pages read are paid for: kept
                    return found(budget.reached(len(mentions)))
            next_token = page.next_token
            if not next_token:
                return found()
            if posts >= settings.max_posts:
                return found(f"stopped after {posts} posts (sources.twitter.max_posts)")
            if next_token in seen_tokens:  # the pages read are paid for: kept
                why = (
                    f"stopped when the search at {endpoint} sent a page token again after {posts} posts (a paging loop)"
                )
                return found(why)
            seen_tokens.add(next_token)
        return found(limit.reached())

    def embeds(self, shown: list[Mention]) -> Embeds:
        return self.oembeds(shown, self.settings.oembed_url, "oembed", self.settings.oembed_concurrency)
