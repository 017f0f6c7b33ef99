import type { Readable } from 'node:stream';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../../lib/atomic-file';
import { NotFound, isNotFound } from '../../errdefs';
import { isMounted, mountOverlay, unmount } from '../../sys/mount';
import type { OverlayLayerStore } from './layer-store';
import { tarUpperDir, type UpperTarOptions } from './upper-tar';

export interface ContainerLayerRecord { imageId: string; chainId?: string }

/**
 * A container's writable layer over its image's layers, under `<root>/containers/<id>/`
 * (`diff/` = upperdir, `work/`, `merged/`, `layer.json`).
 */
export class OverlayContainerLayers {
  constructor(private readonly layers: OverlayLayerStore) {}

  private dir(id: string): string { return join(this.layers.root, 'containers', id); }

  async list(): Promise<string[]> {
    try { return await readdir(join(this.layers.root, 'containers')); } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async create(id: string, imageId: string, chainId: string | undefined): Promise<void> {
    const dir = this.dir(id);
    for (const d of ['diff', 'work', 'merged']) await mkdir(join(dir, d), { recursive: true });
    await writeJsonAtomic(join(dir, 'layer.json'), { imageId, chainId } satisfies ContainerLayerRecord);
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
    await mountOverlay({
      lowerdirs: await this.layers.lowerOf(rec.chainId),
      upperdir: join(dir, 'diff'),
      workdir: join(dir, 'work'),
      target: merged,
      cwd: this.layers.root,
    });
    return merged;
  }

  async unmount(id: string): Promise<void> {
    await unmount(join(this.dir(id), 'merged'));
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
    return tarUpperDir(this.paths(id).upper, opts);
  }

  paths(id: string): { upper: string; work: string; merged: string } {
    const dir = this.dir(id);
    return { upper: join(dir, 'diff'), work: join(dir, 'work'), merged: join(dir, 'merged') };
  }
}
