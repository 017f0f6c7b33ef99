import { readFile } from 'node:fs/promises';

const NAMES: Record<string, string> = { 'Max open files': 'RLIMIT_NOFILE', 'Max processes': 'RLIMIT_NPROC' };

/**
 * Container rlimits no higher than the daemon's own hard limits: runc refuses to raise a hard
 * limit, and these machines' limits are lower than the usual container defaults.
 */
export async function daemonRlimits(): Promise<{ type: string; hard: number; soft: number }[]> {
  const text = await readFile('/proc/self/limits', 'utf8');
  const out: { type: string; hard: number; soft: number }[] = [];
  for (const line of text.split('\n')) {
    const name = Object.keys(NAMES).find((n) => line.startsWith(n));
    if (!name) continue;
    const [, hard] = line.slice(26).trim().split(/\s+/);
    const h = hard === 'unlimited' ? 1048576 : Math.min(Number(hard), 1048576);
    out.push({ type: NAMES[name], hard: h, soft: h });
  }
  return out;
}
