import { BerthError, Conflict, NotFound, findBerthError, isAlreadyExists } from '../../errdefs';
import { newId } from '../../lib/ids';
import { KeyedLock } from '../../lib/keyed-lock';
import { log } from '../../lib/logger';
import {
  ANONYMOUS_LABEL, DEFAULT_VOLUME_DRIVER, validateVolumeName, volumeTimestamp,
  type Volume, type VolumeDriver, type VolumeRequest,
} from '../../core/volumes';
import { listFilter, pruneFilter } from './volume-filters';

export interface VolumeServiceDeps {
  drivers: VolumeDriver[];
  /** Publishes a volume event (Actor.ID the volume's name, '' for prune). */
  events: (action: string, name: string, attributes: Record<string, string>) => void;
}

/** What a mount event reports of the container's use of a volume. */
export interface MountInfo { destination: string; rw: boolean; propagation: string }

/** One container's use of volumes, as its record tells it at daemon start. */
export interface VolumeUser { containerId: string; names: string[]; running: boolean }

export interface PruneReport { VolumesDeleted: string[] | null; SpaceReclaimed: number }

/** err with Docker's `<op> <name>: ` before its message, its code kept. */
function prefixed(prefix: string, err: unknown): unknown {
  const be = findBerthError(err);
  if (!be) return err;
  return Object.assign(new BerthError(be.code, `${prefix}: ${be.message}`, { cause: err }), { name: be.name });
}

/**
 * The volume use cases: create, inspect, list, remove, prune, and the containers' part —
 * references (a container's record names the volume) and mounts (it runs with it). One lock per
 * volume name orders them; references are rebuilt from container records at daemon start.
 */
export class VolumeService {
  private volumes = new Map<string, Volume>();
  private refs = new Map<string, Set<string>>();
  private mounted = new Map<string, Set<string>>();
  private lock = new KeyedLock();

  constructor(private readonly deps: VolumeServiceDeps) {}

  async init(): Promise<void> {
    for (const d of this.deps.drivers) for (const v of await d.list()) this.volumes.set(v.name, v);
  }

  private driver(name: string | undefined): VolumeDriver {
    const n = name || DEFAULT_VOLUME_DRIVER;
    const d = this.deps.drivers.find((x) => x.name === n);
    if (!d) throw new NotFound(`error looking up volume plugin ${n}: plugin ${JSON.stringify(n)} not found`);
    return d;
  }

  /**
   * Checks a request before anything is created anywhere: the name's characters, the driver,
   * its options. Errors as Docker words them, `create <name>: ...`.
   */
  check(req: VolumeRequest): void {
    const name = req.name ?? '';
    try {
      if (name) validateVolumeName(name);
      const existing = name ? this.volumes.get(name) : undefined;
      if (!existing || req.driver) this.driver(req.driver).validateOptions(req.options ?? null);
    } catch (e) { throw prefixed(`create ${name}`, e); }
  }

  /**
   * The volume named (created with req's labels and options when missing: an existing one is
   * returned as it is, as Docker does), or a new anonymous one when req has no name.
   * `created` tells which.
   */
  async create(req: VolumeRequest, ref?: string): Promise<{ volume: Volume; created: boolean }> {
    this.check(req);
    const anonymous = !req.name || !!req.anonymous;
    const name = req.name || newId();
    return this.lock.run(name, async () => {
      const existing = this.volumes.get(name);
      if (existing) {
        if (ref) this.addRef(name, ref);
        // As Docker: every create of a volume is reported, the one that finds it existing too.
        this.deps.events('create', name, { driver: existing.driver });
        return { volume: existing, created: false };
      }
      const driver = this.driver(req.driver);
      const labels = anonymous ? { ...(req.labels ?? {}), [ANONYMOUS_LABEL]: '' } : req.labels && Object.keys(req.labels).length ? { ...req.labels } : null;
      const options = req.options && Object.keys(req.options).length ? { ...req.options } : null;
      let volume: Volume;
      try {
        volume = await driver.create({ name, driver: driver.name, createdAt: volumeTimestamp(), labels, options });
      } catch (e) {
        if (isAlreadyExists(e)) throw new Conflict(`create ${name}: volume name must be unique`, { cause: e });
        throw prefixed(`create ${name}`, e);
      }
      this.volumes.set(name, volume);
      if (ref) this.addRef(name, ref);
      this.deps.events('create', name, { driver: volume.driver });
      return { volume, created: true };
    });
  }

  inspect(name: string): Volume {
    const v = this.volumes.get(name);
    if (!v) throw new NotFound(`get ${name}: no such volume`);
    return v;
  }

  list(filters: Map<string, string[]> = new Map()): Volume[] {
    const keep = listFilter(filters, (n) => this.inUse(n));
    return [...this.volumes.values()].filter(keep);
  }

  isAnonymous(v: Volume): boolean { return !!v.labels && ANONYMOUS_LABEL in v.labels; }

  /** The IDs of the containers whose records name the volume. */
  users(name: string): string[] { return [...(this.refs.get(name) ?? [])]; }

  private inUse(name: string): boolean { return (this.refs.get(name)?.size ?? 0) > 0; }

  private addRef(name: string, ref: string) {
    const s = this.refs.get(name) ?? new Set<string>();
    s.add(ref);
    this.refs.set(name, s);
  }

  /**
   * Deletes a volume no container references: Conflict `volume is in use - [ids]` otherwise.
   * With force, a missing volume is not an error.
   */
  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.lock.run(name, async () => {
      const v = this.volumes.get(name);
      if (!v) {
        if (opts.force) return;
        throw new NotFound(`get ${name}: no such volume`);
      }
      if (this.inUse(name)) throw new Conflict(`remove ${name}: volume is in use - [${this.users(name).join(', ')}]`);
      await this.destroy(v);
      this.deps.events('destroy', name, { driver: v.driver });
    });
  }

  private async destroy(v: Volume): Promise<void> {
    try { await this.driver(v.driver).remove(v.name); } catch (e) { throw prefixed(`remove ${v.name}`, e); }
    this.volumes.delete(v.name);
    this.refs.delete(v.name);
    this.mounted.delete(v.name);
  }

  /**
   * Removes the unused volumes the filters select (anonymous ones only unless `all`, or for
   * API versions before 1.42), reporting their names and the bytes they held.
   */
  async prune(filters: Map<string, string[]>, opts: { allByDefault: boolean }): Promise<PruneReport> {
    const selected = pruneFilter(filters, { allByDefault: opts.allByDefault, isAnonymous: (v) => this.isAnonymous(v) });
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const candidate of [...this.volumes.values()].filter(selected)) {
      await this.lock.run(candidate.name, async () => {
        const v = this.volumes.get(candidate.name);
        if (!v || this.inUse(v.name)) return;
        const size = await this.driver(v.driver).size(v).catch(() => 0);
        try { await this.destroy(v); } catch (e) { log.warn('volume prune: removal failed', { name: v.name, error: String(e) }); return; }
        deleted.push(v.name);
        reclaimed += size;
      });
    }
    this.deps.events('prune', '', { reclaimed: String(reclaimed) });
    return { VolumesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
  }

  /** Adds a container's reference to an existing volume (`--volumes-from`). NotFound when it is gone. */
  reference(name: string, ref: string): Volume {
    const v = this.inspect(name);
    this.addRef(name, ref);
    return v;
  }

  /**
   * Runs fill with the volume's data reachable (mounted by its driver when no container has it
   * mounted), without events: the copy-up of image content into a new volume.
   */
  async populate(name: string, fill: (path: string) => Promise<void>): Promise<void> {
    await this.lock.run(name, async () => {
      const v = this.inspect(name);
      if (this.mounted.get(name)?.size) { await fill(v.mountpoint); return; }
      const driver = this.driver(v.driver);
      const path = await driver.mount(v);
      try { await fill(path); } finally { await driver.unmount(v); }
    });
  }

  /**
   * Drops a container's reference. With `remove`, the volume goes too once no container
   * references or mounts it: callers ask so for anonymous volumes (`rm -v`, `--rm`) and for
   * the volumes a failed create made, never for other named ones.
   */
  async release(name: string, ref: string, opts: { remove?: boolean } = {}): Promise<void> {
    await this.lock.run(name, async () => {
      this.refs.get(name)?.delete(ref);
      if (this.refs.get(name)?.size === 0) this.refs.delete(name);
      const v = this.volumes.get(name);
      if (!opts.remove || !v || this.inUse(name) || this.mounted.get(name)?.size) return;
      await this.destroy(v);
      this.deps.events('destroy', name, { driver: v.driver });
    });
  }

  /** Mounts the volume for a starting container (the driver mounts for the first) and returns its path. */
  async mount(name: string, ref: string, info: MountInfo): Promise<string> {
    return this.lock.run(name, async () => {
      const v = this.inspect(name);
      const users = this.mounted.get(name) ?? new Set<string>();
      const path = users.size ? v.mountpoint : await this.driver(v.driver).mount(v);
      users.add(ref);
      this.mounted.set(name, users);
      this.deps.events('mount', name, { container: ref, destination: info.destination, driver: v.driver, propagation: info.propagation, 'read/write': String(info.rw) });
      return path;
    });
  }

  /** Ends a container's mount of the volume; the driver unmounts after the last. Idempotent. */
  async unmount(name: string, ref: string): Promise<void> {
    await this.lock.run(name, async () => {
      const users = this.mounted.get(name);
      const v = this.volumes.get(name);
      if (!users?.has(ref) || !v) return;
      users.delete(ref);
      if (!users.size) {
        this.mounted.delete(name);
        await this.driver(v.driver).unmount(v).catch((e) => log.warn('volume unmount failed', { name, error: String(e) }));
      }
      this.deps.events('unmount', name, { container: ref, driver: v.driver });
    });
  }

  /** Rebuilds references (every container) and mounts (running ones) from container records. */
  restore(users: VolumeUser[]): void {
    for (const u of users) {
      for (const name of u.names) {
        if (!this.volumes.has(name)) { log.warn('container names a missing volume', { container: u.containerId, volume: name }); continue; }
        this.addRef(name, u.containerId);
        if (u.running) this.mounted.set(name, (this.mounted.get(name) ?? new Set<string>()).add(u.containerId));
      }
    }
  }

  /** Every volume with its size and reference count, for `system df`. */
  async usage(): Promise<{ volume: Volume; size: number; refCount: number }[]> {
    return Promise.all([...this.volumes.values()].map(async (v) => ({
      volume: v, size: await this.driver(v.driver).size(v).catch(() => -1), refCount: this.refs.get(v.name)?.size ?? 0,
    })));
  }
}
