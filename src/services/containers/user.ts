import { readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgument, hasErrno } from '../../errdefs';

export interface ResolvedUser { uid: number; gid: number; additionalGids: number[] }

/** Reads a file under rootfs, refusing a symlinked final component (it could point at the host). */
async function readInRoot(rootfs: string, path: string): Promise<string> {
  const p = join(rootfs, path);
  try {
    if ((await lstat(p)).isSymbolicLink()) return '';
    return await readFile(p, 'utf8');
  } catch (e) {
    if (hasErrno(e, 'ENOENT') || hasErrno(e, 'ENOTDIR')) return '';
    throw e;
  }
}

const table = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));

/**
 * Resolves Docker's `-u user[:group]` (names or numbers) against the image's /etc/passwd and
 * /etc/group, as runc would see them. An unknown name fails as Docker does.
 */
export async function resolveUser(rootfs: string, spec: string): Promise<ResolvedUser> {
  const [u = '', g] = spec.split(':', 2);
  const passwd = table(await readInRoot(rootfs, 'etc/passwd'));
  const groups = table(await readInRoot(rootfs, 'etc/group'));
  let uid = 0;
  let gid = 0;
  let userName = 'root';
  if (u !== '') {
    const entry = /^\d+$/.test(u) ? passwd.find((p) => p[2] === u) : passwd.find((p) => p[0] === u);
    if (entry) { uid = Number(entry[2]); gid = Number(entry[3]); userName = entry[0]; }
    else if (/^\d+$/.test(u)) { uid = Number(u); userName = ''; }
    else throw new InvalidArgument(`unable to find user ${u}: no matching entries in passwd file`);
  }
  if (g !== undefined && g !== '') {
    const entry = /^\d+$/.test(g) ? undefined : groups.find((p) => p[0] === g);
    if (/^\d+$/.test(g)) gid = Number(g);
    else if (entry) gid = Number(entry[2]);
    else throw new InvalidArgument(`unable to find group ${g}: no matching entries in group file`);
  }
  const additionalGids = userName
    ? groups.filter((p) => (p[3] ?? '').split(',').includes(userName)).map((p) => Number(p[2])).filter((x) => x !== gid)
    : [];
  return { uid, gid, additionalGids };
}

/** Resolves `--group-add` entries (names or numbers) against the image's /etc/group, as Docker. */
export async function resolveGroupAdd(rootfs: string, names: string[]): Promise<number[]> {
  if (!names.length) return [];
  const groups = table(await readInRoot(rootfs, 'etc/group'));
  return names.map((g) => {
    if (/^\d+$/.test(g)) return Number(g);
    const entry = groups.find((p) => p[0] === g);
    if (!entry) throw new InvalidArgument(`Unable to find group ${g}: no matching entries in group file`);
    return Number(entry[2]);
  });
}
