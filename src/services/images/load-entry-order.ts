import type { ArchiveEntry, LoadArchive } from './load-archive';

/**
 * Records a load archive's entries in the order the archive holds them (a later entry of a
 * name replaces an earlier one), some of them (layers) only once their unpacking, which runs
 * on while the archive is read further, has settled; at most `max` of those at once. Every
 * entry is recorded even after one failed, so the archive's dispose() finds every staged layer.
 */
export class OrderedEntries {
  private chain: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<void>>();
  private failed: { err: unknown } | undefined;

  constructor(private readonly archive: LoadArchive, private readonly max: number) {}

  /** Resolves once fewer than max entries are still settling. */
  async room(): Promise<void> {
    while (this.running.size >= this.max) await Promise.race(this.running);
  }

  put(name: string, entry: ArchiveEntry | Promise<ArchiveEntry>): void {
    if (entry instanceof Promise) {
      const settling: Promise<void> = entry.then(() => { this.running.delete(settling); }, () => { this.running.delete(settling); });
      this.running.add(settling);
    }
    const before = this.chain;
    this.chain = (async () => {
      let e: ArchiveEntry | undefined;
      try { e = await entry; } catch (err) { this.failed ??= { err }; }
      await before;
      if (!e) return;
      try { await this.archive.set(name, e); } catch (err) { this.failed ??= { err }; }
    })();
  }

  /** Waits until every entry put is recorded; throws the first failure. */
  async done(): Promise<void> {
    await this.chain;
    if (this.failed) throw this.failed.err;
  }
}
