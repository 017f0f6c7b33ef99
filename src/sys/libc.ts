import { constants } from 'node:os';
import koffi from 'koffi';

/**
 * Direct libc calls for the privileged file-system operations berthd makes on every container
 * start and stop (mount, umount, mknod, lsetxattr): a syscall costs microseconds where spawning
 * mount(8) costs milliseconds. Each call is synchronous and returns at once (umount uses lazy
 * detach), so the event loop is never held.
 */
interface Libc {
  mount: (source: string, target: string, fstype: string, flags: number, data: string | null) => number;
  umount2: (target: string, flags: number) => number;
  mknod: (path: string, mode: number, dev: number) => number;
  lsetxattr: (path: string, name: string, value: Buffer, size: number, flags: number) => number;
  lgetxattr: (path: string, name: string, value: Buffer, size: number) => number;
}

let libc: Libc | undefined;
function load(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    mount: lib.func('int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)'),
    umount2: lib.func('int umount2(const char *target, int flags)'),
    mknod: lib.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
    lsetxattr: lib.func('int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)'),
    lgetxattr: lib.func('intptr_t lgetxattr(const char *path, const char *name, void *value, size_t size)'),
  };
  return libc;
}

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

/** A Node-style error (`code: 'EBUSY'`) for the call that just failed, from errno. */
export function errnoError(call: string, what: string): Error {
  const errno = koffi.errno();
  const code = ERRNO_NAMES.get(errno) ?? `E${errno}`;
  return Object.assign(new Error(`${call} ${what}: ${code}`), { code, errno, syscall: call, path: what });
}

function fail(call: string, path: string): never {
  throw errnoError(call, path);
}

export const MNT_DETACH = 2;

export function mount(source: string, target: string, fstype: string, data: string, flags = 0): void {
  if (load().mount(source, target, fstype, flags, data) !== 0) fail('mount', target);
}

/** Unmounts target; `lazy` detaches it at once even while busy. EINVAL: it was not mounted. */
export function umount(target: string, lazy = false): void {
  if (load().umount2(target, lazy ? MNT_DETACH : 0) !== 0) fail('umount', target);
}

const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;

export function mknod(path: string, kind: 'c' | 'b' | 'p', major: number, minor: number, mode: number): void {
  const type = kind === 'c' ? S_IFCHR : kind === 'b' ? S_IFBLK : S_IFIFO;
  const dev = kind === 'p' ? 0 : ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12);
  if (load().mknod(path, type | (mode & 0o7777 || 0o600), dev) !== 0) fail('mknod', path);
}

/** Sets an xattr on path itself, not on what a symlink points to. */
export function lsetxattr(path: string, name: string, value: string): void {
  const v = Buffer.from(value);
  if (load().lsetxattr(path, name, v, v.length, 0) !== 0) fail('lsetxattr', path);
}

/** Reads an xattr of path itself (at most 4 KiB); undefined when it is not set (ENODATA). */
export function lgetxattr(path: string, name: string): string | undefined {
  const buf = Buffer.alloc(4096);
  const n = Number(load().lgetxattr(path, name, buf, buf.length));
  if (n >= 0) return buf.subarray(0, n).toString();
  if (ERRNO_NAMES.get(koffi.errno()) === 'ENODATA') return undefined;
  fail('lgetxattr', path);
}
