/**
 * A build step's writable layer becomes an image layer without being unpacked a second time:
 * its upperdir is streamed once as a layer tar (the blob and its digest, the diffID) and then
 * moved into the layer store as the layer's diff, which already is in the store's form
 * (overlay whiteouts, opaque directories). DESIGN.md: "its upperdir becomes the next layer".
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256, type Digest } from '../../lib/digest';
import { dirSize } from '../../lib/dir-size';
import type { CommittedLayer } from '../../builder/executor';
import type { ImageService } from '../images';

/** The diffID of a layer with no changes (an empty tar: two zero blocks). */
export const EMPTY_LAYER = sha256(Buffer.alloc(1024));

type Store = ImageService['store'];

/**
 * Stores the upperdir of rootfs `id` (a container's or a build layer's, unmounted) as a layer
 * over parentChain; `exclude` are mount points the runtime made, dropped first. Undefined
 * when nothing changed. The caller holds an ingest (store.ingest) so GC keeps the new layer
 * until an image names it; the upperdir is gone from the rootfs afterwards.
 */
export async function commitUpper(store: Store, id: string, parentChain: string | undefined, exclude: readonly string[] = []): Promise<CommittedLayer | undefined> {
  const upper = store.containers.paths(id).upper;
  await store.containers.unmapUpper(id);
  for (const p of exclude) await rm(join(upper, p), { recursive: true, force: true });
  const writer = store.blobs.writer();
  let diffId: Digest;
  try {
    for await (const chunk of store.containers.diffTar(id)) writer.write(chunk as Buffer);
    diffId = (await writer.commit()).digest;
  } catch (err) {
    await writer.abort();
    throw err;
  }
  if (diffId === EMPTY_LAYER) return undefined;
  const size = await dirSize(upper);
  const staged = join(store.layers.root, 'tmp', `build-${randomBytes(8).toString('hex')}`);
  await mkdir(staged);
  await rename(upper, join(staged, 'diff'));
  const layer = await store.layers.commitStaged({ diffId, size, dir: staged }, parentChain);
  return { diffId: layer.diffId, chainId: layer.chainId, size: layer.size };
}
