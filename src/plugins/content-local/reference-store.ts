import { dirname, join } from 'node:path';
import { nodeAtomicFs, readJson, removeAtomicTemps, writeJsonAtomic, type AtomicFs } from '../../lib/atomic-file';
import { noteRecovery, quarantine } from '../../lib/recovery-log';

/** On-disk form, as docker's `repositories.json`: repo name -> full reference -> image ID. */
interface RepositoriesFile { Repositories: Record<string, Record<string, string>> }

/**
 * Names (full normalised references: `docker.io/library/busybox:latest`,
 * `docker.io/library/busybox@sha256:...`) pointing at image IDs. Every change is written
 * atomically to `<root>/repositories.json`.
 */
export class ReferenceStore {
  private refs = new Map<string, string>();
  private readonly file: string;

  constructor(root: string, private readonly fs: AtomicFs = nodeAtomicFs) { this.file = join(root, 'repositories.json'); }

  async init(): Promise<void> {
    await removeAtomicTemps(dirname(this.file)); // writes a crash cut short
    try {
      const data = await readJson<RepositoriesFile>(this.file);
      for (const repo of Object.values(data.Repositories ?? {})) {
        for (const [ref, id] of Object.entries(repo)) this.refs.set(ref, id);
      }
    } catch (err) {
      if (err instanceof SyntaxError) {
        // only a file system that lost a synced write gets here: start with no names rather than not at all
        noteRecovery('quarantined', `unreadable image names ${this.file}`, { movedTo: await quarantine(this.file, join(dirname(this.file), 'quarantine')) });
        return;
      }
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  get(ref: string): string | undefined { return this.refs.get(ref); }

  /** All references to id, sorted. */
  referencesOf(id: string): string[] {
    return [...this.refs].filter(([, v]) => v === id).map(([k]) => k).sort();
  }

  all(): Array<[string, string]> { return [...this.refs]; }

  async set(ref: string, id: string): Promise<void> {
    this.refs.set(ref, id);
    await this.save();
  }

  async delete(ref: string): Promise<boolean> {
    const had = this.refs.delete(ref);
    if (had) await this.save();
    return had;
  }

  private saving: Promise<void> = Promise.resolve();

  /** Writes are chained so an older snapshot never lands after a newer one. */
  private save(): Promise<void> {
    const next = this.saving.then(() => this.write(), () => this.write());
    this.saving = next;
    return next;
  }

  private async write(): Promise<void> {
    const out: RepositoriesFile = { Repositories: {} };
    for (const [ref, id] of [...this.refs].sort()) {
      const repo = ref.replace(/@.*$/, '').replace(/:[^:/]+$/, '');
      (out.Repositories[repo] ??= {})[ref] = id;
    }
    await writeJsonAtomic(this.file, out, this.fs);
  }
}
