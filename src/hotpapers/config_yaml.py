"""A commented `hotpapers.yaml` written from the config declarations themselves: every
section and key with its meaning (the docstring under it) and its default, commented
out, so the file reads back to the defaults and shows what each key does."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Mapping
from functools import cache
from itertools import pairwise
from typing import Any

import msgspec
import yaml
from msgspec import Struct

from hotpapers.config import Config, default_feeds
from hotpapers.config_check import unwrap
from hotpapers.credentials import required
from hotpapers.profiles import PROFILES
from hotpapers.sources import SOURCES
from hotpapers.sources.base import Source
from hotpapers.yaml_c import SAFE_DUMPER

WIDTH = 100


def commented_config(profile: str, paths: Mapping[str, str] | None = None) -> str:
    """The whole config, every key commented out but `output.profile`, each source's
    `enabled` and the `paths` given (for a file kept outside the site's folder)."""
    defaults = msgspec.to_builtins(Config(), enc_hook=str)
    defaults["feeds"] |= default_feeds((paths or {}).get("public", PROFILES[profile].public))  # as `build` does
    lines = [
        "# hotpapers settings for this site (written by `hotpapers init`).",
        "# Every key is optional: a commented-out key shows its built-in default. To change a key,",
        "# remove the '# ' in front of it, and in front of its section's line (such as `site:`) if",
        "# that is commented out too; keep the indentation. Relative paths resolve against this",
        "# file's folder.",
    ]
    docs = field_docs(Config)
    for name in Config.__struct_fields__:
        kind = unwrap(msgspec.structs.fields(Config)[Config.__struct_fields__.index(name)].type)[0]
        lines.append("")
        if name == "sources":
            lines += _comment(docs.get(name, ""), "")
            lines.append("sources:")
            for source_name, source in SOURCES.items():
                lines += _source(source_name, source, defaults["sources"][source_name])
        elif isinstance(kind, type) and issubclass(kind, Struct):
            lines += _comment(kind.__doc__ or "", "")
            active = {"profile": profile} if name == "output" else dict(paths or {}) if name == "paths" else {}
            lines.append(f"{name}:" if active else f"# {name}:")
            lines += _keys(kind, defaults[name], "  ", active)
        else:
            lines += _comment(docs.get(name, ""), "")
            lines.append(f"# {name}: {_value(defaults[name])}")
    return "\n".join(lines) + "\n"


def _source(name: str, source: type[Source], values: dict[str, Any]) -> list[str]:
    needs = required(source, msgspec.convert(values, source.Settings))
    optional = [str(value) for key, value in values.items() if key.endswith("_env") and str(value) not in needs]
    reads = f"needs {' and '.join(needs)} in the environment" if needs else "no key needed"
    reads += f", {' and '.join(optional)} used when set" if optional else ""
    lines = ["", *_comment(f"The {name} source: {source.cost}; {reads}.", "  "), f"  {name}:"]
    return lines + _keys(source.Settings, values, "    ", {"enabled": values["enabled"]})


def _keys(kind: type[Struct], values: dict[str, Any], indent: str, active: dict[str, Any]) -> list[str]:
    docs = field_docs(kind)
    lines = []
    for key, value in values.items():
        lines += _comment(docs.get(key, ""), indent)
        line = f"{key}: {_value(active.get(key, value))}"
        lines.append(f"{indent}{line}" if key in active else f"{indent}# {line}")
    return lines


def _comment(text: str, indent: str) -> list[str]:
    text = " ".join(text.split())
    return textwrap.wrap(text, WIDTH, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# ") if text else []


def _value(value: Any) -> str:
    text = yaml.dump(
        value, Dumper=SAFE_DUMPER, default_flow_style=True, sort_keys=False, width=10**6, allow_unicode=True
    )
    return text.removesuffix("\n...\n").strip()


@cache
def field_docs(kind: type) -> dict[str, str]:
    """The docstring under each field of `kind` and its bases, by field name."""
    docs: dict[str, str] = {}
    for cls in reversed(kind.__mro__):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for field, after in pairwise(body):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[field.target.id] = inspect.cleandoc(after.value.value)
    return docs
