import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * Mount and file-node operations that need privileges or binaries `fs` lacks: overlay
 * mount/umount, device nodes (whiteouts) and overlay xattrs.
 */

function run(cmd: string, args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve();
      else reject(Object.assign(new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${stderr.trim()}`), { stderr, exitCode: code }));
    });
  });
}

export interface OverlayMount {
  /** Lower dirs, top-most first; may be relative to cwd (short `l/` links keep options small). */
  lowerdirs: string[];
  upperdir: string;
  workdir: string;
  target: string;
  /** Directory relative lowerdirs are resolved against. */
  cwd: string;
}

export async function mountOverlay(m: OverlayMount): Promise<void> {
  const opts = `lowerdir=${m.lowerdirs.join(':')},upperdir=${m.upperdir},workdir=${m.workdir}`;
  await run('mount', ['-t', 'overlay', 'overlay', '-o', opts, m.target], m.cwd);
}

function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** True when target is a mount point (per /proc/self/mountinfo). */
export async function isMounted(target: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((line) => unescapeMountinfo(line.split(' ')[4] ?? '') === target);
}

/** Unmounts target; not mounted is fine; busy falls back to a lazy detach. */
export async function unmount(target: string): Promise<void> {
  if (!(await isMounted(target))) return;
  try {
    await run('umount', [target]);
  } catch (err) {
    if (!/busy/i.test((err as { stderr?: string }).stderr ?? '')) throw err;
    await run('umount', ['-l', target]);
  }
}

/** Creates a device node or fifo (`fs` cannot). */
export async function mknod(path: string, kind: 'c' | 'b' | 'p', major: number, minor: number, mode: number): Promise<void> {
  const args = ['-m', (mode & 0o7777 || 0o600).toString(8), path, kind];
  if (kind !== 'p') args.push(String(major), String(minor));
  await run('mknod', args);
}

/** Sets an xattr (setfattr from `attr` when present, else python3's os.setxattr). */
export async function setXattr(path: string, name: string, value: string): Promise<void> {
  try {
    await run('setfattr', ['-h', '-n', name, '-v', value, path]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await run('python3', ['-c', 'import os,sys; os.setxattr(sys.argv[1], sys.argv[2], sys.argv[3].encode(), follow_symlinks=False)', path, name, value]);
  }
}
