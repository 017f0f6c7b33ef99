import { lstat, realpath } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidArgument, NotFound, hasErrno } from '../../../errdefs';
import type { ContainerService } from '../container-service';
import type { ContainerRecord } from '../types';
import { mountPointsOf } from '../mounting';
import { resolveUser } from '../user';
import { cleanContainerPath, resolvePath, type ContainerView, type ViewMount } from './container-view';
import { pathStat, type PathStat } from './path-stat';
import { tarTree } from './tar-tree';
import { extractInto } from './extract-into';
import { containerChanges, type Change, type LayerDirs } from './changes';
import { Freezer, type FreezeTarget } from './freezer';
import { ownerInContainer, ownerOnHost } from './id-owner';

export interface ContainerArchiveDeps {
  containers: ContainerService;
  /** The overlay dirs of a container's rootfs (for `changes`). */
  layerDirs(containerId: string): Promise<LayerDirs>;
}

/** Files the runtime bind-mounts from the container's own dir, as Docker does. */
const ETC_FILES: Array<[string, string]> = [['/etc/hosts', 'hosts'], ['/etc/hostname', 'hostname'], ['/etc/resolv.conf', 'resolv.conf']];

const notFound = (path: string, ref: string) => new NotFound(`Could not find the file ${path} in container ${ref}`);

/**
 * `docker cp`, export and diff: the container's files read and written from the host,
 * on running and stopped containers alike, through the secure join in `container-view`.
 */
export class ContainerArchive {
  private holds = new Map<string, number>();
  private readonly freezer = new Freezer();

  constructor(private readonly deps: ContainerArchiveDeps) {}

  private get svc() { return this.deps.containers; }

  /**
   * Runs fn with the container's rootfs mounted: a stopped container's is mounted for the
   * call and unmounted after the last concurrent call, unless the container started meanwhile.
   * A running container is frozen meanwhile (see freezer.ts: its processes cannot swap a
   * path berthd resolved for a symlink to the host), and so are the running containers that
   * share a mount with it.
   */
  private async withView<T>(ref: string, fn: (view: ContainerView, rec: ContainerRecord) => Promise<T>): Promise<T> {
    const rec = this.svc.inspect(ref);
    this.holds.set(rec.id, (this.holds.get(rec.id) ?? 0) + 1);
    try {
      const rootfs = await this.svc.ctx.rootfs.mount(rec.id);
      const targets = [rec, ...this.sharingMounts(rec)].map((r) => this.freezeTarget(r));
      const run = targets.reduceRight<() => Promise<T>>((inner, t) => () => this.freezer.hold(t, inner), async () => fn(await this.viewOf(rec, rootfs), rec));
      return await run();
    } finally {
      const left = (this.holds.get(rec.id) ?? 1) - 1;
      if (left > 0) this.holds.set(rec.id, left);
      else {
        this.holds.delete(rec.id);
        const now = this.svc.store.find(rec.id);
        const live = now && ['running', 'paused', 'restarting'].includes(now.state.status);
        if (now && !live) await this.svc.ctx.rootfs.unmount(rec.id);
      }
    }
  }

  /**
   * The other running containers that mount a volume or host dir this one mounts (or one
   * inside or around it): their processes could swap a path in the shared tree as well.
   */
  private sharingMounts(rec: ContainerRecord): ContainerRecord[] {
    const sources = mountPointsOf(rec).filter((m) => m.type !== 'tmpfs' && m.source).map((m) => m.source);
    if (!sources.length) return [];
    const overlap = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`) || a === '/' || b === '/';
    return this.svc.list().filter((o) => o.id !== rec.id && o.state.status === 'running'
      && mountPointsOf(o).some((m) => m.type !== 'tmpfs' && m.source && sources.some((s) => overlap(s, m.source))));
  }

  private freezeTarget(rec: ContainerRecord): FreezeTarget {
    const running = () => this.svc.store.find(rec.id)?.state.status === 'running';
    return { id: rec.id, running, runtime: this.svc.ctx.runtimes.get(rec.runtime)! };
  }

  private async viewOf(rec: ContainerRecord, rootfs: string): Promise<ContainerView> {
    const mounts: ViewMount[] = [];
    const dir = this.svc.store.dir(rec.id);
    for (const [dest, file] of ETC_FILES) {
      if (await lstat(join(dir, file)).then(() => true, () => false)) mounts.push({ destination: dest, source: join(dir, file), readonly: false });
    }
    for (const m of mountPointsOf(rec)) {
      if (m.type === 'tmpfs') continue; // its content lives in the running container only
      const host = m.subpath ? join(m.source, m.subpath) : m.source;
      // the host side is the operator's: its own symlinks are followed on the host
      const source = await realpath(host).catch((err) => { if (hasErrno(err, 'ENOENT')) return host; throw err; });
      mounts.push({ destination: m.destination, source, readonly: !m.rw });
    }
    return { rootfs, mounts };
  }

  /**
   * Resolves a requested path as Docker does: a trailing `/` or `/.` follows a final
   * symlink, otherwise the link itself is the answer. NotFound in Docker's words.
   */
  private async locate(view: ContainerView, ref: string, path: string, followFinal = false) {
    if (!path) throw new InvalidArgument('path must not be empty');
    const abs = cleanContainerPath(path);
    const follow = followFinal || path.endsWith('/') || path.endsWith('/.') || path === '.';
    const r = await resolvePath(view, abs, { followFinal: follow });
    const st = await lstat(r.hostPath).catch((err) => {
      if (hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) throw notFound(path, ref);
      throw err;
    });
    let linkTarget = '';
    if (st.isSymbolicLink()) linkTarget = (await resolvePath(view, abs, { followFinal: true })).path;
    // `/etc/.` names its entries `.`: the client then copies the contents, not the directory
    const name = path.endsWith('/.') || path === '.' ? '.' : posix.basename(abs) || '/';
    return { resolved: r, stat: pathStat(name, st, linkTarget) };
  }

  /** `HEAD /containers/{id}/archive`. */
  async statPath(ref: string, path: string): Promise<PathStat> {
    return this.withView(ref, async (view) => (await this.locate(view, ref, path)).stat);
  }

  /**
   * Builds a tar stream over the mounted rootfs; the rootfs stays mounted until the stream
   * has been read to its end, failed or been closed.
   */
  private streamWithView<T extends { tar: Readable }>(ref: string, build: (view: ContainerView, rec: ContainerRecord) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.withView(ref, async (view, rec) => {
        const out = await build(view, rec);
        const done = new Promise<void>((r) => { out.tar.once('end', r).once('close', r).once('error', () => r()); });
        resolve(out);
        await done;
      }).catch(reject);
    });
  }

  /** `GET /containers/{id}/archive`: the stat and a tar of the path, with the IDs the container sees. */
  getArchive(ref: string, path: string, signal?: AbortSignal): Promise<{ stat: PathStat; tar: Readable }> {
    return this.streamWithView(ref, async (view, rec) => {
      const { resolved, stat } = await this.locate(view, ref, path);
      const owner = ownerInContainer(rec.idMap);
      return { stat, tar: tarTree(view, { path: resolved.path, name: stat.name === '/' ? '.' : stat.name, owner, signal }) };
    });
  }

  /**
   * `PUT /containers/{id}/archive`: extracts a tar into a directory of the container. A remapped
   * container's files get the host IDs its own IDs (the headers', or copyUIDGID's user) map to.
   */
  async putArchive(ref: string, path: string, input: Readable, opts: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    await this.withView(ref, async (view, rec) => {
      const { resolved } = await this.locate(view, ref, path, true);
      const st = await lstat(resolved.hostPath);
      if (!st.isDirectory()) throw new InvalidArgument('extraction point is not a directory');
      const owner = opts.copyUIDGID ? await resolveUser(view.rootfs, rec.config.User ?? '') : undefined;
      await extractInto(view, input, {
        dir: resolved.path, noOverwriteDirNonDir: opts.noOverwriteDirNonDir, readonlyRootfs: rec.hostConfig.ReadonlyRootfs,
        owner: owner && { uid: owner.uid, gid: owner.gid }, toHost: ownerOnHost(rec.idMap), signal: opts.signal,
      });
    });
  }

  /** `GET /containers/{id}/export`: a tar of the whole rootfs, without mounts, with the IDs the container sees. */
  async exportRootfs(ref: string, signal?: AbortSignal): Promise<Readable> {
    const out = await this.streamWithView(ref, async (view, rec) => ({ tar: tarTree(view, { path: '/', name: '', rootfsOnly: true, owner: ownerInContainer(rec.idMap), signal }) }));
    return out.tar;
  }

  /** `GET /containers/{id}/changes`. */
  async changes(ref: string): Promise<Change[]> {
    const rec = this.svc.inspect(ref);
    const hidden = new Set([...ETC_FILES.map(([d]) => d), ...mountPointsOf(rec).map((m) => m.destination)]);
    const dirs = await this.deps.layerDirs(rec.id);
    // the walk lstats, then reads a directory of the upper dir: frozen, nothing swaps it for a symlink in between
    return this.freezer.hold(this.freezeTarget(rec), () => containerChanges(dirs, hidden));
  }
}
