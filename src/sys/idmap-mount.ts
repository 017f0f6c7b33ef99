/**
 * Idmapped mounts (Linux 5.12+): a bind of a directory whose owners are seen through a user
 * namespace's mapping, made with open_tree(2), mount_setattr(2) and move_mount(2), which
 * util-linux 2.38's mount(8) and runc 1.1 cannot do. Nothing on disk changes: a layer owned
 * by 0:0 shows as the remapped root through the mount, and files written through it are
 * stored with the unmapped IDs.
 */
import { closeSync } from 'node:fs';
import koffi from 'koffi';
import { errnoError } from './libc';

const SYS_OPEN_TREE = 428;
const SYS_MOVE_MOUNT = 429;
const SYS_MOUNT_SETATTR = 442;
const AT_FDCWD = -100;
const AT_EMPTY_PATH = 0x1000;
const OPEN_TREE_CLONE = 1;
const OPEN_TREE_CLOEXEC = 0o2000000;
const MOVE_MOUNT_F_EMPTY_PATH = 4;
const MOUNT_ATTR_RDONLY = 0x1;
const MOUNT_ATTR_IDMAP = 0x100000;

interface Calls {
  openTree: (dfd: number, path: string, flags: number) => number;
  mountSetattr: (fd: number, path: string, flags: number, attr: Buffer, size: number) => number;
  moveMount: (fromFd: number, fromPath: string, toFd: number, toPath: string, flags: number) => number;
}

let calls: Calls | undefined;
function load(): Calls {
  if (calls) return calls;
  if (process.arch !== 'x64') throw Object.assign(new Error(`idmapped mounts: syscall numbers known for x86_64 only, not ${process.arch}`), { code: 'ENOSYS' });
  const lib = koffi.load('libc.so.6');
  const syscall = lib.func('long syscall(long number, ...)');
  calls = {
    openTree: (dfd, path, flags) => Number(syscall(SYS_OPEN_TREE, 'int', dfd, 'str', path, 'uint', flags)),
    mountSetattr: (fd, path, flags, attr, size) => Number(syscall(SYS_MOUNT_SETATTR, 'int', fd, 'str', path, 'uint', flags, 'void *', attr, 'size_t', size)),
    moveMount: (fromFd, fromPath, toFd, toPath, flags) => Number(syscall(SYS_MOVE_MOUNT, 'int', fromFd, 'str', fromPath, 'int', toFd, 'str', toPath, 'uint', flags)),
  };
  return calls;
}

/**
 * Binds source at target (an existing directory) as an idmapped mount through the user
 * namespace usernsFd; read-only unless `rw`. Errors carry the errno (`EINVAL`: the file system
 * or the kernel does not support idmapped mounts).
 */
export function idmapMount(source: string, target: string, usernsFd: number, opts: { rw?: boolean } = {}): void {
  const c = load();
  const fd = c.openTree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (fd < 0) throw errnoError('open_tree', source);
  try {
    const attr = Buffer.alloc(32); // struct mount_attr { u64 attr_set, attr_clr, propagation, userns_fd }
    attr.writeBigUInt64LE(BigInt(MOUNT_ATTR_IDMAP | (opts.rw ? 0 : MOUNT_ATTR_RDONLY)), 0);
    attr.writeBigUInt64LE(BigInt(usernsFd), 24);
    if (c.mountSetattr(fd, '', AT_EMPTY_PATH, attr, attr.length) !== 0) throw errnoError('mount_setattr', source);
    if (c.moveMount(fd, '', AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) !== 0) throw errnoError('move_mount', target);
  } finally {
    closeSync(fd);
  }
}
