"""PyYAML's safe loader and dumper, backed by libyaml's C code when PyYAML was built
with it (the wheels are): the pure-Python ones dominated the time of re-rendering many
days and of reading the config (benchmarks/README.md has the figures). The loader
refuses what could take unbounded time or memory (`load_plain_yaml`)."""

import math
import re
import sys
from typing import Any

import yaml

_FAST_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _SafeLoader(_FAST_SAFE_LOADER):
    """The safe loader, whose values that cannot be built (`date: 2020-13-45`, `!!int x`)
    raise a ConstructorError at their line, like any other broken YAML: PyYAML's own
    constructors raise ValueError, KeyError or AttributeError there."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, ArithmeticError, LookupError, AttributeError, TypeError) as exc:
            kind = node.tag.rsplit(":", 1)[-1]
            value = f"{str(node.value)[:40]!r} is" if isinstance(node, yaml.ScalarNode) else "this is"
            reason = f" ({exc})" if type(exc) is ValueError else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"{value} not a valid {kind}{reason}", node.start_mark
            ) from None


SAFE_LOADER = _SafeLoader


MAX_DEPTH = 32
_DECIMAL = re.compile(r"[-+]?[0-9][0-9_]*")


class Refused(yaml.YAMLError):
    """YAML that could take unbounded time or memory to build: an alias (`*name`; a few
    hundred bytes of them expand to gigabytes), or nesting deeper than MAX_DEPTH (which
    crashes the C loader)."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class NumberTooLong(Refused):
    """An integer longer than Python converts (its own error would advise calling
    sys.set_int_max_str_digits); the problem names the key holding it."""


Repeat = tuple[str, int, int]
"""A key given twice in a mapping: its dotted path, the line of its first and its next time."""


def load_plain_yaml(text: str) -> tuple[Any, list[Repeat]]:
    """The document in `text`, read by the safe loader once its events show no alias, no
    deep nesting and no integer longer than Python converts; and its repeated keys, whose
    values but the last YAML drops silently."""
    open_: list[_Open] = []
    repeated: list[Repeat] = []
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise Refused("aliases (*name) are not allowed here", event.start_mark)
        if isinstance(event, yaml.CollectionEndEvent):
            open_.pop()
            continue
        if isinstance(event, yaml.NodeEvent) and open_:
            repeated += _step(open_, event)
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append(_Open(isinstance(event, yaml.MappingStartEvent)))
            if len(open_) > MAX_DEPTH:
                raise Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        elif isinstance(event, yaml.ScalarEvent) and not event.style and _DECIMAL.fullmatch(event.value):
            digits = sum(character.isdigit() for character in event.value)
            if digits > (sys.get_int_max_str_digits() or digits):
                raise NumberTooLong(
                    f"a number of {digits} digits at {_where(open_) or 'the top'} is too large", event.start_mark
                )
    return yaml.load(text, Loader=SAFE_LOADER), repeated


_EXPONENT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def number_read_as_text(text: str) -> str | None:
    """How to write the number `text` means when it has an exponent, which YAML 1.1 reads as
    text unless a dot comes before it and a sign after (`1e3` and `1.0e3` are text, `1.0e+3`
    a number): an integer in full, else as Python writes it, with the dot; None for other text."""
    if not _EXPONENT.fullmatch(text) or not math.isfinite(number := float(text)):
        return None
    if number == 0 and float(re.split("[eE]", text)[0]):  # too small for a float: 1e-400
        return None
    if number.is_integer() and abs(number) < 1e16:  # repr writes an exponent from there
        return str(int(number))
    mantissa, exponent, power = repr(number).partition("e")
    return f"{mantissa if '.' in mantissa or not exponent else mantissa + '.0'}{exponent}{power}"


def yaml_problem(exc: yaml.YAMLError) -> str:
    """'not valid YAML at line N (what is wrong)', on one line, for a message."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}" if mark else ""
    reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
    return f"not valid YAML{where} ({reason[:119] + '…' if len(reason) > 120 else reason})"


def load_yaml(text: str) -> Any:
    """The document in `text`, refused as `load_plain_yaml` refuses it: every YAML a
    file or a post holds is read so, and anything wrong in it is a yaml.YAMLError."""
    return load_plain_yaml(text)[0]


class _Open:
    """A collection being read: its key or index now, and for a mapping the line of each key."""

    def __init__(self, is_mapping: bool) -> None:
        self.is_mapping, self.next_is_key = is_mapping, True
        self.place: int | str = -1
        self.key_lines: dict[str, int] = {}


def _where(open_: list[_Open]) -> str:
    return "".join(f"[{c.place}]" if isinstance(c.place, int) else f".{c.place}" for c in open_).lstrip(".")


def _step(open_: list[_Open], event: Any) -> list[Repeat]:
    """Moves the innermost collection's place on to `event`'s node: the next index, or a key
    then its value. A key already read in that mapping is returned, described."""
    collection = open_[-1]
    if not collection.is_mapping:
        collection.place = int(collection.place) + 1
        return []
    is_key, collection.next_is_key = collection.next_is_key, not collection.next_is_key
    if not is_key:
        return []
    if not isinstance(event, yaml.ScalarEvent):
        collection.place = "?"
        return []
    collection.place, line = event.value, event.start_mark.line + 1 if event.start_mark else 0
    if event.value not in collection.key_lines:
        collection.key_lines[event.value] = line
        return []
    return [(_where(open_), collection.key_lines[event.value], line)]
