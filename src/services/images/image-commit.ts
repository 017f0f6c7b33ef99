import type { Readable } from 'node:stream';
import type { Digest } from '../../lib/digest';
import type { ContainerConfig, ImageConfig } from '../../core/images';
import type { ImageStore, StoredImage } from './image-store';
import { applyChanges } from './import-changes';
import { addTag, tagName } from './image-tag';
import { hostArch, storeLayer } from './image-import';

export interface CommitOptions {
  containerId: string;
  /** The image the container was created from. */
  parent: StoredImage;
  /** Chain ID of the container's image (undefined for an image without layers). */
  parentChainId?: string;
  /** The container's layer tar (its upperdir with `.wh.` whiteouts). */
  layer: Readable;
  /** The container's Config: the base of the new image's config and its `container_config`. */
  containerConfig: ContainerConfig;
  /** Config fields from the request that override the container's. */
  config?: ContainerConfig;
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  /** Dockerfile instructions applied last (`-c 'CMD ["sh"]'`). */
  changes?: string[];
}

/** Copies the set fields of over onto base (Docker's merge of a request config into the container's). */
/**
 * The request's config over the container's, as Docker merges them: scalar and list fields
 * given replace the container's; Env is merged by variable name, Labels, ExposedPorts and
 * Volumes by key, the request winning.
 */
function overlay(base: ContainerConfig, over: ContainerConfig = {}): ContainerConfig {
  const out: ContainerConfig = structuredClone(base);
  const merged = new Set(['Env', 'Labels', 'ExposedPorts', 'Volumes']);
  for (const [k, v] of Object.entries(over) as Array<[keyof ContainerConfig, unknown]>) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || merged.has(k)) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  if (over.Env?.length) {
    const env = new Map((out.Env ?? []).map((e) => [e.split('=', 1)[0], e]));
    for (const e of over.Env) env.set(e.split('=', 1)[0], e);
    out.Env = [...env.values()];
  }
  for (const k of ['Labels', 'ExposedPorts', 'Volumes'] as const) {
    const add = over[k] as Record<string, unknown> | null | undefined;
    if (add && Object.keys(add).length) (out as Record<string, unknown>)[k] = { ...((out[k] as Record<string, unknown> | null | undefined) ?? {}), ...add };
  }
  return out;
}

/**
 * `docker commit`: the container's layer stored on top of its image's chain and a config
 * that is the container's Config, then the request's fields, then the changes. The parent
 * image is recorded in the image's metadata; history gets one entry for the new layer.
 */
export async function commitImage(store: ImageStore, opts: CommitOptions): Promise<StoredImage> {
  const name = opts.repo ? tagName(opts.repo, opts.tag) : undefined; // validate before the work
  const config = applyChanges(overlay(opts.containerConfig, opts.config), opts.changes ?? []);
  const layer = await storeLayer(store, opts.layer, opts.parentChainId);
  const created = new Date().toISOString();
  const p = opts.parent.config;
  const image: ImageConfig = {
    architecture: p.architecture ?? hostArch(),
    ...(opts.author ? { author: opts.author } : {}),
    ...(opts.comment ? { comment: opts.comment } : {}),
    config,
    container: opts.containerId,
    container_config: opts.containerConfig,
    created,
    os: p.os ?? 'linux',
    ...(p.variant ? { variant: p.variant } : {}),
    rootfs: { type: 'layers', diff_ids: [...(p.rootfs?.diff_ids ?? []), layer.diffId as Digest] },
    history: [...(p.history ?? []), {
      created,
      created_by: (opts.containerConfig.Cmd ?? []).join(' '),
      ...(opts.author ? { author: opts.author } : {}),
      ...(opts.comment ? { comment: opts.comment } : {}),
    }],
  };
  const img = await store.add(Buffer.from(JSON.stringify(image)), { parent: opts.parent.id }, [name]);
  if (name) await addTag(store, img, name);
  return img;
}
