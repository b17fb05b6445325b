"""Frontmatter values as YAML scalars that every YAML parser the sites use reads back
as the value itself (PyYAML, js-yaml, Go's YAML in Hugo, Ruby's Psych in Jekyll)."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from hotpapers.errors import InputError
from hotpapers.yaml_c import SAFE_DUMPER, SAFE_LOADER

_PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 ._()/-]*")
_YAML11_BOOLEANS = frozenset("yYnN")
"""YAML 1.1's booleans that PyYAML reads as text but Hugo's Go YAML reads as true and false."""


@lru_cache(maxsize=4096)
def yaml_str(value: str) -> str:
    """A double-quoted YAML scalar that every YAML parser reads back as `value`."""
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise InputError(f"frontmatter value {value!r} contains a lone surrogate")
    return yaml.dump(value, Dumper=SAFE_DUMPER, default_style='"', allow_unicode=True, width=2**31 - 1).rstrip("\n")


@lru_cache(maxsize=4096)
def yaml_plain(value: str) -> str:
    """`value` unquoted when it is unambiguous text in YAML 1.1 and 1.2, else double-quoted."""
    if _PLAIN_SAFE.fullmatch(value) and value not in _YAML11_BOOLEANS and yaml.load(value, Loader=SAFE_LOADER) == value:
        return value
    return yaml_str(value)
