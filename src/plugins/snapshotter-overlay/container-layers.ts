import { PassThrough, pipeline, type Readable } from 'node:stream';
import { chown, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../../lib/atomic-file';
import { FailedPrecondition, NotFound, isNotFound } from '../../errdefs';
import { isMounted, mountOverlay, unmount } from '../../sys/mount';
import type { OverlayLayerStore } from './layer-store';
import { tarUpperDir, type UpperTarOptions } from './upper-tar';
import { invertMap, remappedRoot, toHostId, type IdMap } from '../../lib/id-map';
import { shiftOwners } from '../../sys/shift-owners';
import { releaseIdmappedLowers, type LowerRemapper } from './remapped-lowers';

export interface ContainerLayerRecord {
  imageId: string;
  chainId?: string;
  /** The user namespace mapping the container runs in (`--userns-remap`); absent: none. */
  idMap?: IdMap;
}

/**
 * A container's writable layer over its image's layers, under `<root>/containers/<id>/`
 * (`diff/` = upperdir, `work/`, `merged/`, `layer.json`).
 */
export class OverlayContainerLayers {
  /** How remapped containers see the layers (set by the daemon when `--userns-remap` is on). */
  remapper?: LowerRemapper;

  constructor(private readonly layers: OverlayLayerStore) {}

  private dir(id: string): string { return join(this.layers.root, 'containers', id); }

  async list(): Promise<string[]> {
    try { return await readdir(join(this.layers.root, 'containers')); } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** With idMap, the writable layer belongs to the remapped root (its `diff/` is the rootfs's `/`). */
  async create(id: string, imageId: string, chainId: string | undefined, idMap?: IdMap): Promise<void> {
    const dir = this.dir(id);
    for (const d of ['diff', 'work', 'merged']) await mkdir(join(dir, d), { recursive: true });
    if (idMap) {
      const root = remappedRoot(idMap);
      for (const d of ['diff', 'merged']) await chown(join(dir, d), root.uid, root.gid);
    }
    await writeJsonAtomic(join(dir, 'layer.json'), { imageId, chainId, ...(idMap ? { idMap } : {}) } satisfies ContainerLayerRecord);
  }

  /** The image a container's layer was made over; NotFound if there is none. */
  async record(id: string): Promise<ContainerLayerRecord> {
    try { return await readJson<ContainerLayerRecord>(join(this.dir(id), 'layer.json')); } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFound(`no rootfs for container ${id}`, { cause: err });
      throw err;
    }
  }

  async mount(id: string): Promise<string> {
    const rec = await this.record(id);
    const dir = this.dir(id);
    const merged = join(dir, 'merged');
    if (await isMounted(merged)) return merged;
    let lowers = { lowerdirs: await this.layers.lowerOf(rec.chainId), cwd: this.layers.root };
    if (rec.idMap) {
      if (!this.remapper) throw new FailedPrecondition(`container ${id} runs in a user namespace, but berthd runs without --userns-remap`);
      lowers = await this.remapper.prepare(dir, lowers.lowerdirs, rec.idMap);
    }
    try {
      await mountOverlay({ ...lowers, upperdir: join(dir, 'diff'), workdir: join(dir, 'work'), target: merged });
    } catch (err) {
      await releaseIdmappedLowers(dir);
      throw err;
    }
    return merged;
  }

  /** Unmounts the overlay, then its idmapped lowers if it had any (whatever the daemon's settings now). */
  async unmount(id: string): Promise<void> {
    await unmount(join(this.dir(id), 'merged'));
    await releaseIdmappedLowers(this.dir(id));
  }

  async remove(id: string): Promise<void> {
    await this.unmount(id);
    await rm(this.dir(id), { recursive: true, force: true });
  }

  /** Chain IDs that containers' rootfs stand on (layers that must not be freed). */
  async chainsInUse(): Promise<Set<string>> {
    const out = new Set<string>();
    let ids: string[] = [];
    try { ids = await readdir(join(this.layers.root, 'containers')); } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const id of ids) {
      try {
        const rec = await this.record(id);
        if (rec.chainId) out.add(rec.chainId);
      } catch (err) {
        if (!isNotFound(err)) throw err; // a half-created dir holds no layer
      }
    }
    return out;
  }

  /** The container's changes as a layer tar, read from its upperdir (see tarUpperDir). */
  diffTar(id: string, opts: UpperTarOptions = {}): Readable {
    const out = new PassThrough();
    this.record(id).catch((err) => { if (isNotFound(err)) return undefined; throw err; }).then((rec) => {
      const unmap = rec?.idMap && invertMap(rec.idMap);
      // a remapped container's files are stored with host IDs; the layer gets the container's
      const owner = unmap && ((uid: number, gid: number) => ({ uid: toHostId(unmap.uids, uid) ?? uid, gid: toHostId(unmap.gids, gid) ?? gid }));
      pipeline(tarUpperDir(this.paths(id).upper, { ...opts, owner }), out, () => { /* errors reach out */ });
    }, (err) => out.destroy(err as Error));
    return out;
  }

  /**
   * Gives a remapped container's upperdir its container IDs back on disk, before the upperdir
   * becomes a layer (a build step's); the record then no longer says it is remapped.
   */
  async unmapUpper(id: string): Promise<void> {
    const rec = await this.record(id).catch((err) => { if (isNotFound(err)) return undefined; throw err; });
    if (!rec?.idMap) return;
    await shiftOwners(this.paths(id).upper, invertMap(rec.idMap));
    const { idMap: _mapped, ...unmapped } = rec;
    await writeJsonAtomic(join(this.dir(id), 'layer.json'), unmapped satisfies ContainerLayerRecord);
  }

  paths(id: string): { upper: string; work: string; merged: string } {
    const dir = this.dir(id);
    return { upper: join(dir, 'diff'), work: join(dir, 'work'), merged: join(dir, 'merged') };
  }
}
