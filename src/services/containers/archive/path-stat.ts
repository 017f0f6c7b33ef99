import type { Stats } from 'node:fs';

/** What `X-Docker-Container-Path-Stat` carries (base64 of its JSON). */
export interface PathStat {
  name: string;
  size: number;
  /** A Go `os.FileMode`: type bits at the top, permission bits below. */
  mode: number;
  mtime: string;
  linkTarget: string;
}

// Go's os.FileMode type bits.
export const MODE_DIR = 2 ** 31;
export const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_NAMED_PIPE = 2 ** 25;
const MODE_SOCKET = 2 ** 24;
const MODE_SETUID = 2 ** 23;
const MODE_SETGID = 2 ** 22;
const MODE_CHAR_DEVICE = 2 ** 21;
const MODE_STICKY = 2 ** 20;

/** A Unix st_mode as Go's os.FileMode (uint32). */
export function goFileMode(st: Stats): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m += MODE_DIR;
  else if (st.isSymbolicLink()) m += MODE_SYMLINK;
  else if (st.isBlockDevice()) m += MODE_DEVICE;
  else if (st.isCharacterDevice()) m += MODE_DEVICE + MODE_CHAR_DEVICE;
  else if (st.isFIFO()) m += MODE_NAMED_PIPE;
  else if (st.isSocket()) m += MODE_SOCKET;
  if (st.mode & 0o4000) m += MODE_SETUID;
  if (st.mode & 0o2000) m += MODE_SETGID;
  if (st.mode & 0o1000) m += MODE_STICKY;
  return m;
}

export const isGoDir = (mode: number) => mode >= MODE_DIR;
export const isGoSymlink = (mode: number) => Math.floor(mode / MODE_SYMLINK) % 2 === 1;

export function pathStat(name: string, st: Stats, linkTarget = ''): PathStat {
  return { name, size: st.size, mode: goFileMode(st), mtime: st.mtime.toISOString(), linkTarget };
}

export function encodePathStat(s: PathStat): string {
  return Buffer.from(JSON.stringify(s)).toString('base64');
}
