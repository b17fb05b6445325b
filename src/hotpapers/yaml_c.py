"""PyYAML's safe loader and dumper, backed by libyaml's C code when PyYAML was built
with it (the wheels are): ten times faster than the pure-Python ones, which
dominated the time of re-rendering many days and of reading the config."""

import re
import sys
from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


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


def load_plain_yaml(text: str) -> Any:
    """The document in `text`, read by the safe loader once its events show no alias, no
    deep nesting and no integer longer than Python converts."""
    open_: list[list[Any]] = []  # per open collection: [is a mapping, its key or index now, next node is a key]
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise Refused("aliases (*name) are not allowed here", event.start_mark)
        if isinstance(event, yaml.CollectionEndEvent):
            open_.pop()
            continue
        if isinstance(event, yaml.NodeEvent) and open_:
            _step(open_[-1], event)
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append([isinstance(event, yaml.MappingStartEvent), -1, True])
            if len(open_) > MAX_DEPTH:
                raise Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        elif isinstance(event, yaml.ScalarEvent) and not event.style and _DECIMAL.fullmatch(event.value):
            digits = sum(character.isdigit() for character in event.value)
            if digits > (sys.get_int_max_str_digits() or digits):
                where = "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for _, key, _ in open_).lstrip(".")
                raise NumberTooLong(
                    f"a number of {digits} digits at {where or 'the top'} is too large", event.start_mark
                )
    return yaml.load(text, Loader=SAFE_LOADER)


def _step(collection: list[Any], event: Any) -> None:
    """Moves an open collection's place on to `event`'s node: the next index, or a key then its value."""
    if not collection[0]:
        collection[1] += 1
        return
    if collection[2]:
        collection[1] = event.value if isinstance(event, yaml.ScalarEvent) else "?"
    collection[2] = not collection[2]
