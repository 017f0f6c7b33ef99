import { readFile } from 'node:fs/promises';
import { capabilitiesInMask } from '../core/runtime';

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

/** The capabilities in berthd's bounding set: a container can be given no others. */
export async function daemonCapabilities(): Promise<string[]> {
  const status = await readFile('/proc/self/status', 'utf8');
  return capabilitiesInMask(/^CapBnd:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? '0');
}
