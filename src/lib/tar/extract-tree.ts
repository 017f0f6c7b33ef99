import { lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import { UnsafeTarEntry } from './tar-errors';

const parentOf = (rel: string) => { const d = posix.dirname(rel); return d === '.' ? '' : d; };

/**
 * What one extraction knows of the tree under root, so that most entries need no lstat:
 * the directories it made or checked (real directories, and so are all their parents), and
 * every path it created. Only the extraction writes under root while it runs, so when root
 * started empty a path it never created cannot exist, and a known directory stays one until
 * it removes it. Anything it does not know it checks on disk. Synchronous, as the extractor.
 */
export class ExtractTree {
  private readonly dirs = new Set<string>(['']);
  private readonly created = new Set<string>();
  private readonly startedEmpty: boolean;

  constructor(readonly root: string) {
    this.startedEmpty = readdirSync(root).length === 0;
  }

  isDir(rel: string): boolean { return this.dirs.has(rel); }

  /** Records that rel now exists. */
  markCreated(rel: string): void { this.created.add(rel); }

  /** Records rel as a real directory. */
  markDir(rel: string): void { this.dirs.add(rel); this.created.add(rel); }

  /** rel surely does not exist. */
  private absent(rel: string): boolean { return this.startedEmpty && !this.created.has(rel); }

  /** Forgets rel and everything under it as directories (they are being removed). */
  private forget(rel: string): void {
    for (const d of this.dirs) if (d === rel || d.startsWith(rel + '/')) this.dirs.delete(d);
  }

  /**
   * Creates rel's parent dirs, refusing to go through anything that is not a real directory
   * (a symlink planted by an earlier entry could point outside root).
   */
  ensureParents(rel: string, entryName: string): void {
    const parent = parentOf(rel);
    if (this.dirs.has(parent)) return;
    let cur = '';
    for (const p of parent.split('/')) {
      cur = cur ? `${cur}/${p}` : p;
      if (this.dirs.has(cur)) continue;
      const st = this.absent(cur) ? undefined : lstatSync(join(this.root, cur), { throwIfNoEntry: false });
      if (st && !st.isDirectory()) {
        throw new UnsafeTarEntry(`invalid tar entry ${JSON.stringify(entryName)}: parent ${JSON.stringify(cur)} is not a directory (symlinked parents are refused)`);
      }
      if (!st) mkdirSync(join(this.root, cur), { mode: 0o755 });
      this.markDir(cur);
    }
  }

  /** The first of rel's parents that is absent or not a real directory, if any. */
  badParent(rel: string): { parent: string; missing: boolean } | undefined {
    if (this.dirs.has(parentOf(rel))) return undefined;
    const parts = rel.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const st = lstatSync(join(this.root, parent), { throwIfNoEntry: false });
      if (!st) return { parent, missing: true };
      if (!st.isDirectory()) return { parent, missing: false };
    }
    return undefined;
  }

  /** Removes whatever is at rel, but keeps a directory when keepDir. */
  removeExisting(rel: string, keepDir: boolean): void {
    if (this.absent(rel) || (keepDir && this.dirs.has(rel))) return;
    const st = lstatSync(join(this.root, rel), { throwIfNoEntry: false });
    if (!st) return;
    if (keepDir && st.isDirectory()) { this.markDir(rel); return; }
    this.forget(rel);
    rmSync(join(this.root, rel), { recursive: true, force: true });
  }
}
