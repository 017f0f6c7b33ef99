/**
 * User namespaces made by berthd itself: with a mapping written by us (as root, no
 * newuidmap), held by a short-lived child (`unshare --user [--net] sleep`) that is ended as soon
 * as what we need of it is kept (an fd, a bind mount of a namespace it made).
 */
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readlinkSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import koffi from 'koffi';
import { idMapText, type IdMap } from '../lib/id-map';
import { errnoError, mount } from './libc';

const MS_BIND = 4096;
const NS_GET_USERNS = 0xb701;

/**
 * Runs fn with the pid of a child in a new user namespace with map (and in a new network
 * namespace too with `net`, owned by that user namespace), then ends the child.
 */
async function withHolder<T>(map: IdMap, opts: { net?: boolean }, fn: (pid: number) => T): Promise<T> {
  const child = spawn('unshare', ['--user', ...(opts.net ? ['--net'] : []), '--', 'sleep', '60'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => { child.once('exit', () => r()); child.once('error', () => r()); });
  try {
    const pid = child.pid;
    if (pid === undefined) throw new Error('unshare --user: could not start');
    const own = readlinkSync('/proc/self/ns/user');
    for (let i = 0; ; i++) {
      let ns: string | undefined;
      try { ns = readlinkSync(`/proc/${pid}/ns/user`); } catch { /* not yet */ }
      if (ns && ns !== own) break;
      if (i > 2500 || child.exitCode !== null) throw new Error(`unshare --user (pid ${pid}) made no user namespace`);
      await new Promise((r) => setTimeout(r, 2));
    }
    await writeFile(`/proc/${pid}/uid_map`, idMapText(map.uids));
    await writeFile(`/proc/${pid}/gid_map`, idMapText(map.gids));
    return fn(pid);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
}

const usernsFds = new Map<string, number>();

/** An fd of a user namespace with map (for idmapped mounts); one per mapping, kept for the process's life. */
export async function usernsFd(map: IdMap): Promise<number> {
  const key = JSON.stringify(map);
  const known = usernsFds.get(key);
  if (known !== undefined) return known;
  const fd = await withHolder(map, {}, (pid) => openSync(`/proc/${pid}/ns/user`, 'r'));
  usernsFds.set(key, fd);
  return fd;
}

/**
 * Makes a network namespace owned by a new user namespace with map and bind-mounts it at path
 * (an existing empty file). A container that joins it must join that user namespace too.
 */
export async function createNetnsInUserns(map: IdMap, path: string): Promise<void> {
  await withHolder(map, { net: true }, (pid) => mount(`/proc/${pid}/ns/net`, path, '', '', MS_BIND));
}

let ioctl: ((fd: number, req: number) => number) | undefined;

/**
 * The user namespace that owns the network namespace at netnsPath, open for as long as `use`
 * runs: its path (`/proc/<berthd>/fd/<n>`) or undefined when it is the host's (berthd's own).
 */
export async function withNetnsOwner<T>(netnsPath: string, use: (usernsPath: string | undefined) => Promise<T>): Promise<T> {
  ioctl ??= koffi.load('libc.so.6').func('int ioctl(int fd, unsigned long req)') as (fd: number, req: number) => number;
  const netFd = openSync(netnsPath, 'r');
  let userFd = -1;
  try {
    userFd = ioctl(netFd, NS_GET_USERNS);
    if (userFd < 0) throw errnoError('ioctl(NS_GET_USERNS)', netnsPath);
  } finally {
    closeSync(netFd);
  }
  try {
    const host = statSync('/proc/self/ns/user').ino === fstatSync(userFd).ino;
    return await use(host ? undefined : `/proc/${process.pid}/fd/${userFd}`);
  } finally {
    closeSync(userFd);
  }
}
