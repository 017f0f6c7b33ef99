#!/bin/sh
# Writes profiles/seccomp/default.json from moby's profile at a tag (data, Apache-2.0; see
# profiles/seccomp/NOTICE.md). Usage: scripts/gen-seccomp-profile.sh <moby git dir> [tag]
set -eu
repo=$1; tag=${2:-v20.10.24}
out=$(dirname "$0")/../profiles/seccomp/default.json
git -C "$repo" show "$tag:profiles/seccomp/default.json" | node -e '
  let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => {
    const p = JSON.parse(s);
    if (!p.defaultAction || !Array.isArray(p.syscalls)) throw new Error("not a seccomp profile");
    process.stdout.write(JSON.stringify(p, null, 2) + "\n");
  });' > "$out"
echo "wrote $out from $tag"
