#!/usr/bin/env bash
# Usage: scripts/test.sh [unit|integration|all]   (default: all)
#
# setup -> import rules -> unit tests (dist/src/**/*.test.js, concurrent)
#       -> integration and compat tests (dist/test/{integration,compat}/**/*.test.js, one at a
#          time: they share the host's runtime, network and data root).
# Stops at the first failing stage, so the output always ends with the summary of the
# node test run that decided the exit status.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

mode="${1:-all}"
case "$mode" in
  unit|integration|all) ;;
  *) echo "usage: $0 [unit|integration|all]" >&2; exit 2 ;;
esac

bash scripts/setup.sh
npm run --silent lint:imports

# Compiled tests whose .ts source still exists (tsc never deletes stale outputs).
list_tests() {
  local dir
  for dir in "$@"; do
    [ -d "dist/$dir" ] || continue
    find "dist/$dir" -type f -name '*.test.js' | sort | while read -r js; do
      local ts="${js#dist/}"
      [ -f "${ts%.js}.ts" ] && printf '%s\n' "$js"
    done
  done
}

unit=()
integration=()
if [ "$mode" != integration ]; then
  mapfile -t unit < <(list_tests src)
  [ "${#unit[@]}" -gt 0 ] || echo "test: no unit tests under src/ yet, skipping"
fi
if [ "$mode" != unit ]; then
  mapfile -t integration < <(list_tests test/integration test/compat)
  [ "${#integration[@]}" -gt 0 ] || echo "test: no integration or compat tests yet, skipping"
fi

jobs="$(nproc 2>/dev/null || echo 2)"
[ "$jobs" -ge 2 ] || jobs=2

if [ "${#unit[@]}" -gt 0 ]; then
  echo "test: ${#unit[@]} unit test file(s)"
  node --test --test-reporter=spec --test-concurrency="$jobs" \
    --test-timeout="${BERTH_UNIT_TEST_TIMEOUT_MS:-60000}" "${unit[@]}"
fi
if [ "${#integration[@]}" -gt 0 ]; then
  echo "test: ${#integration[@]} integration/compat test file(s)"
  node --test --test-reporter=spec --test-concurrency=1 \
    --test-timeout="${BERTH_INTEGRATION_TEST_TIMEOUT_MS:-600000}" "${integration[@]}"
fi
