import { readdir, rm, mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeJsonAtomic, readJson, removeAtomicTemps, syncDir, type AtomicFs } from '../../lib/atomic-file';
import { hasErrno, NotFound, InvalidArgument } from '../../errdefs';
import { noteRecovery, quarantine } from '../../lib/recovery-log';
import type { ContainerRecord } from './types';
import { KeyedLock } from '../../lib/keyed-lock';

const ID = /^[0-9a-f]{64}$/;
/** A container dir being deleted: renamed first, so a crash mid-delete is seen as one. */
const REMOVING = '.removing-';

/** Whether a parsed record has what every reader of a record relies on. */
function wellFormed(rec: unknown, id: string): rec is ContainerRecord {
  const r = rec as Partial<ContainerRecord> | null;
  return !!r && typeof r === 'object' && r.id === id && typeof r.name === 'string' && !!r.name &&
    typeof r.state?.status === 'string' && typeof r.config === 'object' && !!r.config &&
    typeof r.hostConfig === 'object' && !!r.hostConfig && typeof r.runtime === 'string';
}

/**
 * Container records: one dir per container under `<dataRoot>/containers/<id>/`, the record in
 * `config.json` written atomically. Holds every record in memory; lookups accept a full ID, a
 * unique ID prefix, or a name (with or without `/`).
 */
export class ContainerStore {
  private byId = new Map<string, ContainerRecord>();
  /** IDs whose half-made or half-deleted dir load settled (what else they left is theirs too). */
  readonly settled = new Set<string>();
  private byName = new Map<string, string>();

  /** fs: the file operations of record writes (a test injects faults there). */
  constructor(readonly root: string, private readonly fs?: AtomicFs) {}

  dir(id: string): string { return join(this.root, id); }

  /** Where unreadable records are moved: `<dataRoot>/quarantine/containers/`. */
  get quarantineDir(): string { return join(dirname(this.root), 'quarantine', 'containers'); }

  /**
   * Loads every record. What a crash left is settled here and logged: a delete that was under
   * way is completed, a dir without a record (a create that never saved one) is rolled back,
   * temp files of unfinished writes are dropped, and a record that cannot be read is moved to
   * quarantineDir. A bad record never stops the load.
   */
  async load(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const name of await readdir(this.root)) {
      const path = join(this.root, name);
      if (name.startsWith(REMOVING)) {
        await rm(path, { recursive: true, force: true });
        this.settled.add(name.slice(REMOVING.length));
        noteRecovery('completed', `removal of container ${name.slice(REMOVING.length)}`);
        continue;
      }
      if (!ID.test(name)) continue;
      await removeAtomicTemps(path);
      let rec: unknown;
      try {
        rec = await readJson<unknown>(join(path, 'config.json'));
      } catch (e) {
        if (hasErrno(e, 'ENOENT')) {
          await rm(path, { recursive: true, force: true });
          this.settled.add(name);
          noteRecovery('rolled back', `half-created container ${name}`);
          continue;
        }
        if (!(e instanceof SyntaxError)) throw e;
        rec = undefined;
      }
      if (wellFormed(rec, name) && !this.byName.has(rec.name)) {
        this.index(rec);
        continue;
      }
      const to = await quarantine(path, this.quarantineDir);
      noteRecovery('quarantined', `unreadable record of container ${name}`, { movedTo: to });
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

  private saves = new KeyedLock();
  /** IDs deleted in this run (IDs are never reused): a save queued behind the delete is dropped. */
  private deleted = new Set<string>();

  /**
   * Writes the record atomically. Saves of one record are chained and each writes the record
   * as it is when its turn comes, so an older state never lands after a newer one.
   */
  save(rec: ContainerRecord): Promise<void> {
    const write = async () => {
      if (this.deleted.has(rec.id)) return; // a save that lost a race with the delete
      await writeJsonAtomic(join(this.dir(rec.id), 'config.json'), rec, this.fs);
      // the first record of a container also makes its dir's entry durable
      if (this.byId.get(rec.id) !== rec) await syncDir(this.root, this.fs);
      this.index(rec);
    };
    return this.saves.run(rec.id, write);
  }

  /**
   * Forgets the record and deletes its dir. The dir is renamed out of the way first, so a
   * crash during the delete leaves no half-deleted record behind (load completes it).
   */
  async delete(rec: ContainerRecord): Promise<void> {
    this.byId.delete(rec.id);
    this.releaseName(rec.name, rec.id);
    this.deleted.add(rec.id);
    await this.saves.run(rec.id, async () => undefined); // the saves queued before it have landed
    const doomed = join(this.root, `${REMOVING}${rec.id}`);
    try { await rename(this.dir(rec.id), doomed); } catch (e) {
      if (!hasErrno(e, 'ENOENT')) throw e;
      return;
    }
    await rm(doomed, { recursive: true, force: true });
  }
}
