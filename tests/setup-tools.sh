#!/usr/bin/env bash
# The real consumers the tests drive: headless Chromium (for `hotpapers serve`) and
# Hugo from Debian's packages, installed only when missing and only where apt-get can
# (root); and the npm packages Gatsby's Markdown chain uses, pinned in
# tests/consumers/package-lock.json. Tests whose tool is missing are skipped, outside CI.
set -euo pipefail
cd "$(dirname "$0")"
if command -v npm >/dev/null; then
  (cd consumers && npm ci --no-audit --no-fund --silent)
else
  echo "tests/setup-tools.sh: npm is missing; the Gatsby consumer tests will be skipped" >&2
fi
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v hugo >/dev/null || missing+=(hugo)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "tests/setup-tools.sh: cannot install ${missing[*]} (needs root and apt-get); their tests will be skipped" >&2
fi
