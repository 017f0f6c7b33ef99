/**
 * Content checksums of COPY/ADD sources, the part of a step's cache key that stands for the
 * files (never their mtimes). The forms follow Docker's history text: `file:<hex>` for one
 * file (its name, type, mode, owner and content), `dir:<hex>` for a directory (every entry
 * below it, by relative path), `multi:<hex>` for several sources.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

function header(name: string, st: Stats, type: string): string {
  return `${type}\0${name}\0${st.mode & 0o7777}\0${st.uid}:${st.gid}\0`;
}

async function contentHash(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** One entry's checksum: name, type, mode, owner, and content or link target. */
async function entryHash(path: string, name: string, st: Stats): Promise<string> {
  if (st.isFile()) return hex(header(name, st, 'f') + (await contentHash(path)));
  if (st.isSymbolicLink()) return hex(header(name, st, 'l') + (await readlink(path)));
  if (st.isDirectory()) return hex(header(name, st, 'd'));
  return hex(header(name, st, 'o') + String(st.rdev));
}

/** Checksums memoised per host path: a build context does not change while it is built. */
export class SourceHasher {
  private readonly memo = new Map<string, Promise<string>>();

  /** `file:<hex>` of a non-directory, named as the COPY names it. */
  file(path: string, name: string, st: Stats): Promise<string> {
    return this.once(`f:${name}:${path}`, async () => `file:${await entryHash(path, name, st)}`);
  }

  /** `dir:<hex>` over every entry below dir (sorted by relative path). */
  dir(path: string): Promise<string> {
    return this.once(`d:${path}`, async () => {
      const hashes: string[] = [];
      const walk = async (abs: string, rel: string): Promise<void> => {
        for (const name of (await readdir(abs)).sort()) {
          const p = join(abs, name);
          const r = rel ? `${rel}/${name}` : name;
          const st = await lstat(p);
          hashes.push(await entryHash(p, r, st));
          if (st.isDirectory()) await walk(p, r);
        }
      };
      await walk(path, '');
      return `dir:${hex(hashes.sort().join(','))}`;
    });
  }

  private once(key: string, fn: () => Promise<string>): Promise<string> {
    let p = this.memo.get(key);
    if (!p) { p = fn(); this.memo.set(key, p); }
    return p;
  }
}

/** Docker's getSourceHashFromInfos: one source's checksum as is, several as `multi:<hex>`. */
export function combinedHash(hashes: readonly string[]): string {
  return hashes.length === 1 ? hashes[0] : `multi:${hex(hashes.join(','))}`;
}

/** A checksum of literal content (a heredoc source, a downloaded file). */
export function dataHash(name: string, data: Buffer | string, mode: number): string {
  return `file:${hex(`f\0${name}\0${mode}\0` + createHash('sha256').update(data).digest('hex'))}`;
}
