#!/usr/bin/env bash
# Usage: scripts/soak.sh [name-regex]
#
# The slow reliability runs that stay out of `npm test`: every compiled test under
# dist/test/soak/ (daemon kill loops, API load), one at a time. Each prints its figures;
# docs/reliability.md records them.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

bash scripts/setup.sh
filter="${1:-.}"
mapfile -t soak < <(find dist/test/soak -type f -name '*.test.js' 2>/dev/null | sort | while read -r js; do
  ts="${js#dist/}"
  [ -f "${ts%.js}.ts" ] && printf '%s\n' "$js"
done | grep -E -- "$filter" || true)
[ "${#soak[@]}" -gt 0 ] || { echo "soak: no soak tests match '$filter'" >&2; exit 1; }
node --test --test-reporter=spec --test-concurrency=1 \
  --test-timeout="${BERTH_SOAK_TIMEOUT_MS:-3600000}" "${soak[@]}"
