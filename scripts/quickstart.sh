#!/usr/bin/env bash
# Set up, make sure berthd answers on its socket (starting it if needed), run a container.
# Running it again is quick: setup is idempotent and a live daemon is reused.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

sock=/run/berth/berth.sock
log=/var/log/berthd.log

bash scripts/setup.sh

# Exit 0 when berthd answers GET /_ping with 200 within a second.
ping_daemon() {
  node -e '
    const req = require("node:http").get(
      { socketPath: process.argv[1], path: "/_ping", timeout: 1000 },
      (res) => { res.resume(); process.exit(res.statusCode === 200 ? 0 : 1); });
    req.on("timeout", () => process.exit(1));
    req.on("error", () => process.exit(1));
  ' "$sock"
}

if ! ping_daemon; then
  [ "$(id -u)" -eq 0 ] || { echo "quickstart: berthd must be started as root" >&2; exit 1; }
  mkdir -p "$(dirname "$log")"
  echo "quickstart: starting berthd (log: $log)"
  # setsid + nohup: the daemon leaves this script's session and survives its exit.
  setsid nohup "$repo/bin/berthd" </dev/null >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 40); do
    ping_daemon && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "quickstart: berthd exited; last lines of $log:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    sleep 0.5
  done
  if ! ping_daemon; then
    echo "quickstart: berthd (pid $pid) did not answer on $sock within 20 s; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  echo "quickstart: berthd is up (pid $pid)"
fi

"$repo/bin/berth" run --rm busybox echo hello from berth
