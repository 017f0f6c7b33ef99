import { readdir, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic, readJson } from '../../lib/atomic-file';
import { hasErrno, NotFound, InvalidArgument } from '../../errdefs';
import { log } from '../../lib/logger';
import type { ContainerRecord } from './types';

/**
 * Container records: one dir per container under `<dataRoot>/containers/<id>/`, the record in
 * `config.json` written atomically. Holds every record in memory; lookups accept a full ID, a
 * unique ID prefix, or a name (with or without `/`).
 */
export class ContainerStore {
  private byId = new Map<string, ContainerRecord>();
  private byName = new Map<string, string>();

  constructor(readonly root: string) {}

  dir(id: string): string { return join(this.root, id); }

  async load(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const id of await readdir(this.root)) {
      try {
        const rec = await readJson<ContainerRecord>(join(this.root, id, 'config.json'));
        this.index(rec);
      } catch (e) {
        if (hasErrno(e, 'ENOENT')) {
          log.warn('removing a container dir with no record (half-created)', { id });
          await rm(join(this.root, id), { recursive: true, force: true });
        } else log.error('unreadable container record', { id, error: String(e) });
      }
    }
  }

  private index(rec: ContainerRecord) {
    this.byId.set(rec.id, rec);
    this.byName.set(rec.name, rec.id);
  }

  all(): ContainerRecord[] { return [...this.byId.values()]; }

  /** The record for a full ID, a unique prefix, or a name; NotFound `No such container: ref`. */
  get(ref: string): ContainerRecord {
    const r = this.find(ref);
    if (!r) throw new NotFound(`No such container: ${ref}`);
    return r;
  }

  find(ref: string): ContainerRecord | undefined {
    if (!ref) return undefined;
    const exact = this.byId.get(ref);
    if (exact) return exact;
    const byName = this.byName.get(ref.replace(/^\//, ''));
    if (byName) return this.byId.get(byName);
    const matches = [...this.byId.keys()].filter((id) => id.startsWith(ref));
    if (matches.length > 1) throw new InvalidArgument(`multiple IDs found with provided prefix: ${ref}`);
    return matches.length ? this.byId.get(matches[0]) : undefined;
  }

  nameOwner(name: string): string | undefined { return this.byName.get(name); }

  /** Reserves a name for a record not yet saved; the caller must save or release it. */
  reserveName(name: string, id: string) { this.byName.set(name, id); }
  releaseName(name: string, id: string) { if (this.byName.get(name) === id) this.byName.delete(name); }

  async save(rec: ContainerRecord): Promise<void> {
    await writeJsonAtomic(join(this.dir(rec.id), 'config.json'), rec);
    this.index(rec);
  }

  /** Forgets the record and deletes its dir. */
  async delete(rec: ContainerRecord): Promise<void> {
    this.byId.delete(rec.id);
    this.releaseName(rec.name, rec.id);
    await rm(this.dir(rec.id), { recursive: true, force: true });
  }
}
