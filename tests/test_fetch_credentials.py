"""An unset GitHub Actions secret arrives as an empty variable: every source takes it as missing."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest

from hotpapers.http import HttpClient
from hotpapers.sources import SOURCES

NAMED = {"twitter": "X_BEARER_TOKEN", "bluesky": "BSKY_HANDLE and BSKY_APP_PASSWORD"}


def credential_variables(settings: msgspec.Struct) -> list[str]:
    return [getattr(settings, f.name) for f in msgspec.structs.fields(settings) if f.name.endswith("_env")]


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("empty", ["", " ", "\n"])
def test_an_empty_credential_variable_is_missing_and_named(name, empty):
    settings = msgspec.convert({}, SOURCES[name].Settings)
    environ = dict.fromkeys(credential_variables(settings), empty)
    http = HttpClient(timeout=1, retries=0, max_wait=1)
    source = SOURCES[name](settings, http, environ, lambda: datetime.now(UTC))
    assert source.missing_credentials() == NAMED.get(name)
    assert http.requests[name] == 0


def test_every_source_needing_credentials_is_covered():
    needing = {name for name, kind in SOURCES.items() if credential_variables(msgspec.convert({}, kind.Settings))}
    assert needing == set(NAMED)
