import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../../lib/atomic-file';
import { InvalidArgument, NotFound } from '../../errdefs';
import { log } from '../../lib/logger';
import type { NetworkRecord } from './network-record';

/**
 * Network records: one `<dataRoot>/network/networks/<id>.json` each, written atomically, all
 * held in memory. Lookups take a full ID, a name, or a unique ID prefix, in that order (as
 * Docker's FindNetwork).
 */
export class NetworkStore {
  private byId = new Map<string, NetworkRecord>();

  constructor(readonly dir: string) {}

  async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const f of await readdir(this.dir)) {
      if (!/^[0-9a-f]{64}\.json$/.test(f)) continue;
      try {
        const rec = await readJson<NetworkRecord>(join(this.dir, f));
        this.byId.set(rec.id, rec);
      } catch (e) { log.error('unreadable network record', { file: f, error: String(e) }); }
    }
  }

  all(): NetworkRecord[] { return [...this.byId.values()]; }

  /** NotFound `network ref not found`. */
  get(ref: string): NetworkRecord {
    const n = this.find(ref);
    if (!n) throw new NotFound(`network ${ref} not found`);
    return n;
  }

  find(ref: string): NetworkRecord | undefined {
    if (!ref) return undefined;
    const exact = this.byId.get(ref);
    if (exact) return exact;
    const byName = this.all().find((n) => n.name === ref);
    if (byName) return byName;
    const matches = this.all().filter((n) => n.id.startsWith(ref));
    if (matches.length > 1) throw new InvalidArgument(`network ${ref} is ambiguous (${matches.length} matches found based on ID prefix)`);
    return matches[0];
  }

  async save(rec: NetworkRecord): Promise<void> {
    await writeJsonAtomic(join(this.dir, `${rec.id}.json`), rec);
    this.byId.set(rec.id, rec);
  }

  async delete(rec: NetworkRecord): Promise<void> {
    await rm(join(this.dir, `${rec.id}.json`), { force: true });
    this.byId.delete(rec.id);
  }
}
