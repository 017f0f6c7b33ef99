/**
 * The build cache index: step keys to the images those steps made, kept in
 * `<dataRoot>/builder/cache.json` (written atomically after each build) so a rebuild after a
 * daemon restart still hits. The images themselves live in the image store; an entry whose
 * image is gone is a miss and is dropped at the next save.
 */
import { dirname, join } from 'node:path';
import { noteRecovery, quarantine } from '../../lib/recovery-log';
import { readJson, writeJsonAtomic } from '../../lib/atomic-file';
import { hasErrno } from '../../errdefs';
import type { BuildCache } from '../../builder/executor';

export interface CacheEntry {
  key: string;
  image: string;
  /** The step's history text (`/bin/sh -c #(nop)  ENV A=1`). */
  description: string;
  /** Bytes of the step's layer (0 for metadata-only steps). */
  size: number;
  created: string;
  lastUsed: string;
  usageCount: number;
}

interface CacheFile { version: 1; entries: CacheEntry[] }

export class BuildCacheStore implements BuildCache {
  private readonly entries = new Map<string, CacheEntry>();
  private dirty = false;
  private readonly file: string;

  constructor(dir: string, private readonly imageExists: (id: string) => boolean) {
    this.file = join(dir, 'cache.json');
  }

  async load(): Promise<void> {
    try {
      const f = await readJson<CacheFile>(this.file);
      for (const e of f.entries ?? []) this.entries.set(e.key, e);
    } catch (err) {
      if (err instanceof SyntaxError) {
        // an index the file system cut short: the cache starts empty, the images stay
        noteRecovery('quarantined', `unreadable build cache index ${this.file}`, { movedTo: await quarantine(this.file, join(dirname(this.file), 'quarantine')) });
        return;
      }
      if (!hasErrno(err, 'ENOENT')) throw err;
    }
  }

  get(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e || !this.imageExists(e.image)) return undefined;
    e.lastUsed = new Date().toISOString();
    e.usageCount++;
    this.dirty = true;
    return e.image;
  }

  /**
   * Records what a step made. An image the key named before (a --no-cache rebuild) stays a
   * record of its own, so `builder prune` still finds it.
   */
  set(key: string, entry: { image: string; description: string; size: number }): void {
    const old = this.entries.get(key);
    if (old && old.image !== entry.image) this.entries.set(`${key}:${old.image}`, { ...old, key: `${key}:${old.image}` });
    const now = new Date().toISOString();
    this.entries.set(key, { key, ...entry, created: now, lastUsed: now, usageCount: 1 });
    this.dirty = true;
  }

  /** Entries whose image still exists. */
  list(): CacheEntry[] {
    return [...this.entries.values()].filter((e) => this.imageExists(e.image));
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.dirty = true;
  }

  /** Writes the index if it changed, leaving out entries whose image is gone. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    for (const [k, e] of this.entries) if (!this.imageExists(e.image)) this.entries.delete(k);
    await writeJsonAtomic(this.file, { version: 1, entries: [...this.entries.values()] } satisfies CacheFile);
  }
}
