"""One resolver from every form of arXiv link (and `arXiv:ID` in text) to a version-less id.

Handles abs/pdf/html/format pages with or without `.pdf`, `vN`, `arXiv:` prefixes,
`export.`/`www.` hosts, old-style ids (`hep-th/9901001`, `math.GT/0309136` read as
`math/0309136`), the arXiv DOI `10.48550/arXiv.ID`, and the mirrors alphaxiv.org,
huggingface.co/papers and ar5iv.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

_ID = r"(?P<id>[0-9]{4}\.[0-9]{4,5}|[a-z]+(?:-[a-z]{2,})?(?:\.[A-Z]{2})?/[0-9]{7})(?:v(?P<version>[0-9]+))?"
"""ASCII digits only: `\\d` also matches other scripts' digits, which no arXiv id has."""
_PAGE_PATH = re.compile(rf"^/(?:abs|pdf|html|format|papers|overview|ps)/(?:(?i:arxiv):)?{_ID}(?:\.pdf)?/?$")
_DOI_PATH = re.compile(rf"^/10\.48550/(?i:arxiv)\.{_ID}/?$")
_IN_TEXT = re.compile(rf"(?<![\w/.])(?i:arxiv):\s?{_ID}(?!\w|\.\d)")
_PAGE_HOSTS = {"arxiv.org", "export.arxiv.org", "ar5iv.org", "ar5iv.labs.arxiv.org", "alphaxiv.org", "huggingface.co"}
_DOI_HOSTS = {"doi.org", "dx.doi.org"}


def _valid(identifier: str) -> str | None:
    """The id when arXiv's own rules let it exist (arxiv-base's Identifier; the API answers a
    batch holding any other with HTTP 400): a real month and a number other than 0; old-style
    from 1991 to March 2007, and without its subject class (arXiv names math.GT/0309136
    math/0309136); new-style since April 2007, 4 digits after the dot until 2014, 5 since."""
    if "/" in identifier:
        archive, number = identifier.split("/")
        yymm, count = number[:4], number[4:]
        era = yymm >= "9101" or "0001" <= yymm <= "0703"
        return f"{archive.partition('.')[0]}/{number}" if era and 1 <= int(yymm[2:]) <= 12 and int(count) else None
    yymm, count = identifier.split(".")
    if not 1 <= int(yymm[2:]) <= 12 or yymm < "0704" or not int(count):
        return None
    return identifier if (len(count) == 5) == (yymm >= "1501") else None


def id_from_url(url: str) -> str | None:
    """The version-less arXiv id a URL points to, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = unquote(parts.path)
    if host in _PAGE_HOSTS:
        match = _PAGE_PATH.match(path)
    elif host in _DOI_HOSTS:
        match = _DOI_PATH.match(path)
    else:
        return None
    if host == "huggingface.co" and not path.lower().startswith("/papers/"):
        return None
    return _valid(match.group("id")) if match else None


def ids_in_text(text: str) -> list[str]:
    """Ids written as `arXiv:ID` in free text, in order of appearance."""
    return [found for match in _IN_TEXT.finditer(text) if (found := _valid(match.group("id")))]


def resolve_ids(urls: Iterable[str], text: str = "") -> tuple[str, ...]:
    """Every distinct id linked by `urls` or written in `text`, first appearance first."""
    found = [i for url in urls if (i := id_from_url(url))] + ids_in_text(text)
    return tuple(dict.fromkeys(found))
