"""PyYAML's safe loader and dumper, backed by libyaml's C code when PyYAML was built
with it (the wheels are): ten times faster than the pure-Python ones, which
dominated the time of re-rendering many days and of reading the config."""

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
