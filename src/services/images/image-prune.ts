/** `POST /images/prune` as moby's ImagesPrune: dangling images, or with dangling=false every unused one. */
import { lstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgument, hasErrno, isConflict } from '../../errdefs';
import { log } from '../../lib/logger';
import { chainIds } from '../../core/images';
import { parseUntil } from '../containers/ops';
import type { ImageStore, StoredImage } from './image-store';
import type { DeleteItem } from './image-remove';
import { childrenIndex, danglingFilter, heads, matchKVList, validateFilters, type Filters } from './image-filters';
import { diskBytes } from './disk-bytes';

export interface PruneReport {
  ImagesDeleted: DeleteItem[] | null;
  /** Bytes freed on disk: the layer directories and blobs (layer tars, configs) that went. */
  SpaceReclaimed: number;
}

export interface PruneDeps {
  store: ImageStore;
  /** Removes a name or ID as `rmi` without force does (a Conflict leaves the image in place). */
  remove(ref: string): Promise<DeleteItem[]>;
}

const ACCEPTED = new Set(['dangling', 'label', 'label!', 'until']);

/** The `until` filter as a time in ms; at most one. */
function untilOf(filters: Filters): number | undefined {
  const values = filters.get('until');
  if (!values?.length) return undefined;
  if (values.length > 1) throw new InvalidArgument('more than one until filter specified');
  return parseUntil(values[0]);
}

/** moby's matchLabels: every `label` matches, and not every `label!` does. */
function labelsSelect(filters: Filters, labels: Record<string, string> | null | undefined): boolean {
  if (!matchKVList(filters.get('label'), labels)) return false;
  return !(filters.get('label!')?.length && matchKVList(filters.get('label!'), labels));
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, (e) => { if (hasErrno(e, 'ENOENT')) return false; throw e; });
}

/** What each candidate's files take on disk now, keyed by path. */
async function measure(store: ImageStore, images: StoredImage[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const seen = new Set<string>();
  for (const img of images) {
    const diffIds = img.config.rootfs?.diff_ids ?? [];
    const paths = [img.id, ...diffIds].map((d) => store.blobs.path(d));
    for (const c of chainIds(diffIds)) if (await store.layers.has(c)) paths.push(dirname((await store.layers.get(c)).diffDir));
    for (const p of paths) if (!sizes.has(p)) sizes.set(p, await diskBytes(p, seen));
  }
  return sizes;
}

/**
 * Removes the images the filters select (dangling, label, label!, until), as `docker image
 * prune`. Images held by a container or a child image stay; with dangling=false a tagged
 * image is untagged name by name, so one a container uses may lose all names but its last.
 */
export async function pruneImages(deps: PruneDeps, filters: Filters): Promise<PruneReport> {
  const { store } = deps;
  validateFilters(filters, ACCEPTED);
  const danglingOnly = danglingFilter(filters, [['false', false], ['0', false], ['true', true], ['1', true]]) ?? true;
  const until = untilOf(filters);
  const children = childrenIndex(store);
  const candidates = (danglingOnly ? heads(store) : [...store.images.values()]).filter((img) => {
    const refs = store.refs.referencesOf(img.id);
    if (!refs.length && children.has(img.id)) return false;
    if (danglingOnly && refs.some((r) => !r.includes('@'))) return false; // a tag: not dangling
    if (until !== undefined && Date.parse(img.config.created ?? '') > until) return false;
    return !img.config.config || labelsSelect(filters, img.config.config.Labels);
  });
  // children before parents, so a parent is not held by a child pruned after it
  candidates.sort((a, b) => (Date.parse(b.config.created ?? '') || 0) - (Date.parse(a.config.created ?? '') || 0));

  const before = await measure(store, candidates);
  const deleted: DeleteItem[] = [];
  for (const img of candidates) {
    if (!store.images.has(img.id)) continue; // went with a child pruned before it
    const refs = store.refs.referencesOf(img.id);
    // by name, one at a time (a used image keeps its last); an image without names by its ID
    for (const ref of refs.length ? refs : [img.id.slice(7)]) {
      try {
        deleted.push(...(await deps.remove(ref)));
      } catch (err) {
        if (!isConflict(err)) log.warn('failed to prune image', { ref, error: String(err) });
      }
    }
  }
  let reclaimed = 0;
  for (const [path, bytes] of before) if (!(await exists(path))) reclaimed += bytes;
  return { ImagesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}
