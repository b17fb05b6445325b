#!/usr/bin/env bash
# The tools the real-consumer tests drive, from Debian's packages: headless Chromium
# (for `hotpapers serve`). Installed only when missing, and only where apt-get can
# (root); elsewhere those tests say what is missing and are skipped, outside CI.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "tests/setup-tools.sh: cannot install ${missing[*]} (needs root and apt-get); their tests will be skipped" >&2
fi
