import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import * as libc from './libc';

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

/**
 * Mounts an overlay. The options of a mount must fit in one page: with absolute lower paths
 * they usually do and the mount is a direct syscall; a deep image's options only fit with the
 * short relative links, which mount(8) run in cwd resolves.
 */
export async function mountOverlay(m: OverlayMount): Promise<void> {
  const abs = m.lowerdirs.map((d) => (isAbsolute(d) ? d : join(m.cwd, d)));
  const data = `lowerdir=${abs.join(':')},upperdir=${m.upperdir},workdir=${m.workdir}`;
  if (Buffer.byteLength(data) < PAGE) { libc.mount('overlay', m.target, 'overlay', data); return; }
  const opts = `lowerdir=${m.lowerdirs.join(':')},upperdir=${m.upperdir},workdir=${m.workdir}`;
  await run('mount', ['-t', 'overlay', 'overlay', '-o', opts, m.target], m.cwd);
}

const PAGE = 4096;

function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** True when target is a mount point (per /proc/self/mountinfo). */
export async function isMounted(target: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((line) => unescapeMountinfo(line.split(' ')[4] ?? '') === target);
}

const MS_NOSUID = 2;
const MS_NODEV = 4;
const MS_NOEXEC = 8;

/** Mounts a tmpfs named source on target, nosuid, nodev and noexec, with data (`mode=1777,size=N`). */
export async function mountTmpfs(source: string, target: string, data: string): Promise<void> {
  libc.mount(source, target, 'tmpfs', data, MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

/** Unmounts target (a lazy detach, so a busy mount goes too); not mounted is fine. */
export async function unmount(target: string): Promise<void> {
  try {
    libc.umount(target, true);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOENT') throw err;
  }
}

/** Creates a device node or fifo (`fs` cannot). */
export async function mknod(path: string, kind: 'c' | 'b' | 'p', major: number, minor: number, mode: number): Promise<void> {
  libc.mknod(path, kind, major, minor, mode);
}

/**
 * Marks dir as the top of directory hierarchies for ext4's Orlov allocator (`chattr +T`):
 * each directory made in it starts in a block group of its own. Fails on file systems
 * without the flag.
 */
export async function markTopDir(dir: string): Promise<void> {
  await run('chattr', ['+T', dir]);
}

/** Sets an xattr on path itself (not a symlink's target). */
export async function setXattr(path: string, name: string, value: string): Promise<void> {
  libc.lsetxattr(path, name, value);
}

/** An xattr of path itself; undefined when path has none by that name. */
export async function getXattr(path: string, name: string): Promise<string | undefined> {
  return libc.lgetxattr(path, name);
}
