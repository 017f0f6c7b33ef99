/** The CLI's own version facts, for `berth version` and `berth --version`. */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** berth's version from package.json (dist/src/cli -> the repository root). */
export function berthVersion(): string {
  if (cached) return cached;
  try {
    // dist/src/cli when compiled, dist/ when bundled: the first package.json upwards is ours.
    const file = [['..'], ['..', '..'], ['..', '..', '..']].map((up) => path.join(__dirname, ...up, 'package.json')).find((f) => fs.existsSync(f));
    const pkg = file ? JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string } : {};
    cached = pkg.version ?? 'dev';
  } catch { cached = 'dev'; }
  return cached;
}

export function clientVersion() {
  const arch = ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;
  return {
    Version: berthVersion(), GoVersion: `node${process.versions.node}`, GitCommit: 'unknown', BuildTime: 'unknown',
    Os: process.platform, Arch: arch, Context: 'default',
  };
}
