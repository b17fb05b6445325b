"""PyYAML's safe loader and dumper, backed by libyaml's C code when PyYAML was built
with it (the wheels are): ten times faster than the pure-Python ones, which
dominated the time of re-rendering many days and of reading the config."""

from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class AliasRefused(yaml.YAMLError):
    """A YAML alias (`*name`): refused, since a few hundred bytes of them expand to gigabytes."""

    problem = "aliases (*name) are not allowed here"

    def __init__(self, mark: Any) -> None:
        super().__init__(self.problem)
        self.problem_mark = mark


def load_plain_yaml(text: str) -> Any:
    """The document in `text`, read by the safe loader after checking that it holds no alias."""
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise AliasRefused(event.start_mark)
    return yaml.load(text, Loader=SAFE_LOADER)
