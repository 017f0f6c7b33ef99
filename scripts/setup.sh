#!/usr/bin/env bash
# Brings a Debian 12 host (as root) to the point where berth builds and runs:
# system packages, node modules, a compiled dist/, and `berth`/`berthd` on the PATH.
# Idempotent; when everything is in place it only runs an incremental tsc.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" -ge 20 ] || die "Node.js >= 20 is required (found: $(node --version 2>/dev/null || echo none))"

# --- Debian packages ---------------------------------------------------------
packages=(runc crun conmon busybox-static nftables iproute2 util-linux tini tmux skopeo umoci docker-registry docker-compose)
missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root to install them"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- the berth group: members may use the API socket (root:berth 0660) ----------
if [ "$(id -u)" -eq 0 ] && ! getent group berth >/dev/null; then
  say "adding group berth"
  groupadd --system berth
fi

# --- node modules --------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: it is the stamp.
stamp=node_modules/.package-lock.json
if [ -f package-lock.json ]; then
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    say "npm ci"
    # npm ci rejects a lockfile that lacks optional platform packages missing from the
    # registry (node-unix-socket's darwin/arm builds); npm install accepts the same lockfile.
    ci_err="$(mktemp)"
    if ! npm ci --no-audit --no-fund --loglevel=error 2>"$ci_err"; then
      say "npm ci refused the lockfile ($(grep -m1 -o 'Missing: [^ ]*' "$ci_err" || head -n1 "$ci_err")); using npm install"
      npm install --no-audit --no-fund --loglevel=error
    fi
    rm -f "$ci_err"
    touch "$stamp"
  fi
elif [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ]; then
  say "npm install"
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

# --- build (tsc is incremental: dist/.tsbuildinfo) -----------------------------
npm run --silent build

# --- berth and berthd on the PATH ----------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
  for name in berth berthd berth-compose; do
    target="$repo/bin/$name"
    link="/usr/local/bin/$name"
    if [ -e "$link" ] && [ ! -L "$link" ]; then
      say "not replacing $link: it is not a symlink"
      continue
    fi
    [ "$(readlink "$link" 2>/dev/null || true)" = "$target" ] || ln -sfn "$target" "$link"
    [ -x "$target" ] || say "$target is missing or not executable yet"
  done
fi
