/** The images part of `GET /system/df`, as moby's ImageDiskUsage and LayerDiskUsage compute it. */
import { chainIds } from '../../core/images';
import type { ImageSummary } from './image-dto';
import { fillSharedSizes, listImages, type ListDeps } from './image-list';

export interface ImagesDiskUsage {
  /** Bytes of every layer some image stands on, each layer once. */
  LayersSize: number;
  /** The top images (as `images` lists them) with Containers and SharedSize filled in. */
  Images: ImageSummary[];
}

export async function imagesDiskUsage(deps: ListDeps, opts: { virtualSize?: boolean } = {}): Promise<ImagesDiskUsage> {
  const { store } = deps;
  const images = listImages(deps, { containerCount: true, virtualSize: opts.virtualSize });
  await fillSharedSizes(store, images);
  const chains = new Set<string>();
  for (const img of store.images.values()) for (const c of chainIds(img.config.rootfs?.diff_ids ?? [])) chains.add(c);
  let layersSize = 0;
  for (const c of chains) if (await store.layers.has(c)) layersSize += (await store.layers.get(c)).size;
  return { LayersSize: layersSize, Images: images };
}
