/**
 * Content checksums of COPY/ADD sources, the part of a step's cache key that stands for the
 * files (never their mtimes). The forms follow Docker's history text: `file:<hex>` for one
 * file (its name, type, mode, owner and content), `dir:<hex>` for a directory (every entry
 * below it, by relative path), `multi:<hex>` for several sources.
 */
import { createHash } from 'node:crypto';
import type { SourceFs, SourceStat } from './source-fs';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

const header = (name: string, st: SourceStat) => `${st.type}\0${name}\0${st.mode}\0${st.uid}:${st.gid}\0`;

/** One entry's checksum: its name (as given), type, mode, owner, and content or link target. */
async function entryHash(fs: SourceFs, rel: string, name: string, st: SourceStat): Promise<string> {
  if (st.type === 'file') return hex(header(name, st) + (await fs.contentHash(rel)));
  if (st.type === 'symlink') return hex(header(name, st) + (st.linkname ?? ''));
  return hex(header(name, st));
}

/** Checksums memoised per path: a tree does not change while a build reads it. */
export class SourceHasher {
  private readonly memo = new Map<string, Promise<string>>();

  constructor(private readonly fs: SourceFs) {}

  /** `file:<hex>` of a non-directory at rel, named as the COPY names it. */
  file(rel: string, name: string, st: SourceStat): Promise<string> {
    return this.once(`f:${name}:${rel}`, async () => `file:${await entryHash(this.fs, rel, name, st)}`);
  }

  /** `dir:<hex>` over every entry below the directory rel (sorted by relative path). */
  dir(rel: string): Promise<string> {
    return this.once(`d:${rel}`, async () => {
      const hashes: string[] = [];
      const walk = async (dir: string, sub: string): Promise<void> => {
        for (const name of (await this.fs.readdir(dir)).sort()) {
          const p = dir ? `${dir}/${name}` : name;
          const r = sub ? `${sub}/${name}` : name;
          const st = (await this.fs.lstat(p))!;
          hashes.push(await entryHash(this.fs, p, r, st));
          if (st.type === 'dir') await walk(p, r);
        }
      };
      await walk(rel, '');
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
  return `file:${hex(`file\0${name}\0${mode}\0` + createHash('sha256').update(data).digest('hex'))}`;
}
