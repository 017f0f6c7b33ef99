/**
 * Docker's v2 metadata: for each layer (diffID), the compressed blobs it is known as and
 * in which registry repositories, so a push finds blobs a pull or an earlier push put
 * there (HEAD, or a mount from a sibling repository) instead of compressing again.
 * Kept in `<dataRoot>/image/distribution/v2metadata.json`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../../lib/atomic-file';

export interface BlobSource { digest: string; size: number; /** `domain/path` */ repo: string }

export class DistributionMetadata {
  private entries: Record<string, BlobSource[]> | undefined;
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(dataRoot: string) { this.file = join(dataRoot, 'image', 'distribution', 'v2metadata.json'); }

  private async load(): Promise<Record<string, BlobSource[]>> {
    if (!this.entries) {
      try { this.entries = await readJson<Record<string, BlobSource[]>>(this.file); } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        this.entries = {};
      }
    }
    return this.entries;
  }

  async sourcesOf(diffId: string): Promise<BlobSource[]> {
    return (await this.load())[diffId] ?? [];
  }

  /** Records where layers' blobs are; one write for all of them. */
  async add(...entries: Array<[diffId: string, src: BlobSource]>): Promise<void> {
    const all = await this.load();
    let changed = false;
    for (const [diffId, src] of entries) {
      const list = all[diffId] ?? [];
      if (list[0]?.digest === src.digest && list[0]?.repo === src.repo) continue;
      all[diffId] = [src, ...list.filter((s) => !(s.digest === src.digest && s.repo === src.repo))].slice(0, 50);
      changed = true;
    }
    if (!changed) return;
    this.writing = this.writing.then(async () => {
      await mkdir(join(this.file, '..'), { recursive: true });
      await writeJsonAtomic(this.file, all);
    });
    await this.writing;
  }
}
