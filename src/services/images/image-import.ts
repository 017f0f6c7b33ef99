import type { Readable } from 'node:stream';
import type { Digest } from '../../lib/digest';
import type { ImageConfig } from '../../core/images';
import type { ImageStore, StoredImage } from './image-store';
import { applyChanges, emptyContainerConfig } from './import-changes';
import { addTag, tagName } from './image-tag';

export interface ImportOptions {
  repo?: string;
  tag?: string;
  message?: string;
  changes?: string[];
  /** Where the tar came from (a URL), for the default comment; `-` (the request body) if absent. */
  source?: string;
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
export const hostArch = (): string => GOARCH[process.arch] ?? process.arch;

/**
 * Stores one layer tar (gzip or not) on top of parent: unpacked into the layer store and kept
 * as a blob; expectedDiffId (if given) must match the tar's digest.
 */
export async function storeLayer(store: ImageStore, input: Readable, parent?: string, expectedDiffId?: string) {
  const writer = store.blobs.writer();
  try {
    const applied = await store.layers.apply({ input, parent, expectedDiffId, tap: (c) => writer.write(c) });
    await writer.commit(applied.diffId);
    return applied;
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/** `docker import`: a rootfs tar becomes a one-layer image; history comment `Imported from <source>`. */
export async function importImage(store: ImageStore, input: Readable, opts: ImportOptions): Promise<StoredImage> {
  const name = opts.repo ? tagName(opts.repo, opts.tag) : undefined; // validate before the work
  const layer = await storeLayer(store, input);
  const created = new Date().toISOString();
  const comment = opts.message || `Imported from ${opts.source ?? '-'}`;
  const config: ImageConfig = {
    architecture: hostArch(),
    comment,
    config: applyChanges(emptyContainerConfig(), opts.changes ?? []),
    created,
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [layer.diffId as Digest] },
    history: [{ created, comment }],
  };
  const img = await store.add(Buffer.from(JSON.stringify(config)), {}, [name]);
  if (name) await addTag(store, img, name);
  return img;
}
