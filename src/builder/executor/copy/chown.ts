/**
 * `--chown=user[:group]` as Docker's parseChownFlag reads it: numbers as they are, names
 * looked up in the image's /etc/passwd and /etc/group; a lone user is also the group.
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgument } from '../../../errdefs';
import { resolveInScope } from '../scoped-path';
import type { Identity } from './copy-files';

async function lookup(root: string, file: string, name: string, what: 'user' | 'group'): Promise<number> {
  if (/^\d+$/.test(name)) return Number(name);
  let text: string;
  const path = await resolveInScope(root, file);
  try { text = await readFile(path, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new InvalidArgument(`can't find ${what === 'user' ? 'uid' : 'gid'} for ${what} ${name}: open ${file}: no such file or directory`, { cause: err });
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 3 && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  throw new InvalidArgument(`can't find ${what === 'user' ? 'uid' : 'gid'} for ${what} ${name}: no such ${what}: ${name}`);
}

/** The owner `--chown` names, looked up in the rootfs at root. */
export async function resolveChown(root: string, spec: string): Promise<Identity> {
  const parts = spec.split(':');
  if (parts.length > 2) throw new InvalidArgument(`unable to convert uid/gid chown string to host mapping: invalid chown string format: ${spec}`);
  const [user, group = user] = parts;
  try {
    return { uid: await lookup(root, '/etc/passwd', user, 'user'), gid: await lookup(root, '/etc/group', group, 'group') };
  } catch (err) {
    if (err instanceof InvalidArgument) throw new InvalidArgument(`unable to convert uid/gid chown string to host mapping: ${err.message}`, { cause: err });
    throw err;
  }
}

/** `--chmod=0755` (octal; BuildKit's form). */
export function parseChmod(spec: string): number {
  if (!/^[0-7]{3,4}$/.test(spec)) throw new InvalidArgument(`invalid chmod parameter: ${spec}: only octal modes are supported`);
  return parseInt(spec, 8);
}
