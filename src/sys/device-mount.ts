import { readFile, realpath } from 'node:fs/promises';
import { runCommand } from './run-command';

/**
 * Mounts of a filesystem by type, device and options, as `mount -t type -o o device target`
 * does: volumes with driver options (`type=tmpfs,device=tmpfs,o=size=64m`, `type=none,o=bind`).
 */
export async function mountDevice(m: { device: string; target: string; type?: string; options?: string }): Promise<void> {
  const args = [...(m.type ? ['-t', m.type] : []), ...(m.options ? ['-o', m.options] : []), m.device, m.target];
  await runCommand('mount', args);
}

/** The mount holding a path and its propagation, from /proc/self/mountinfo. */
export interface MountPropagation { mountpoint: string; shared: boolean; slave: boolean }

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The propagation of the mount that path (resolved) lives on. */
export async function mountPropagationOf(path: string): Promise<MountPropagation> {
  const real = await realpath(path);
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  let best: MountPropagation | undefined;
  for (const line of info.split('\n')) {
    const f = line.split(' ');
    if (f.length < 7) continue;
    const mp = unescape(f[4]);
    const holds = mp === '/' || real === mp || real.startsWith(mp + '/');
    if (!holds || (best && best.mountpoint.length > mp.length)) continue;
    const optional = f.slice(6, f.indexOf('-'));
    best = { mountpoint: mp, shared: optional.some((o) => o.startsWith('shared:')), slave: optional.some((o) => o.startsWith('master:')) };
  }
  return best ?? { mountpoint: '/', shared: false, slave: false };
}
