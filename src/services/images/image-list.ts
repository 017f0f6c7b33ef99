/** `GET /images/json` as moby's ImageService.Images computes it. */
import { chainIds, familiar, familiarName, parseNormalized } from '../../core/images';
import { parseUntil } from '../containers/ops';
import type { ImageStore, StoredImage } from './image-store';
import type { ImageUser } from './image-remove';
import { toSummary, type ImageSummary } from './image-dto';
import { childrenIndex, danglingFilter, heads, matchKVList, pathPattern, validateFilters, type Filters } from './image-filters';

export interface ListOptions {
  /** Include intermediate images (untagged, with children). */
  all?: boolean;
  filters?: Filters;
  /** Add VirtualSize (API < 1.44). */
  virtualSize?: boolean;
  /** Fill Containers (how many containers use the image); -1 otherwise. */
  containerCount?: boolean;
}

export interface ListDeps {
  store: ImageStore;
  /** NotFound `No such image: <ref>`. */
  resolve(ref: string): StoredImage;
  /** The containers whose image is imageId. */
  users(imageId: string): ImageUser[];
}

const ACCEPTED = new Set(['dangling', 'label', 'before', 'since', 'reference', 'until']);

/** moby's reference.FamiliarMatch: the pattern against the familiar string, then the familiar name. */
function familiarMatch(pattern: RegExp, ref: string): boolean {
  return pattern.test(familiar(ref)) || pattern.test(familiarName(parseNormalized(ref)));
}

/**
 * The images the filters select, newest first. Filters: dangling, label, before, since,
 * reference (only the matching names are listed), until. InvalidArgument for an unknown
 * filter or a bad value; NotFound for a before/since image that does not exist.
 */
export function listImages(deps: ListDeps, opts: ListOptions = {}): ImageSummary[] {
  const { store } = deps;
  const f = opts.filters ?? new Map<string, string[]>();
  validateFilters(f, ACCEPTED);
  const danglingOnly = danglingFilter(f, [['true', true], ['false', false]]) === true;
  const created = (img: StoredImage) => Date.parse(img.config.created ?? '') || 0;
  const before = f.get('before')?.map((r) => created(deps.resolve(r)));
  const since = f.get('since')?.map((r) => created(deps.resolve(r)));
  const until = f.get('until')?.map((v) => parseUntil(v));
  const patterns = f.get('reference')?.map(pathPattern);
  const children = childrenIndex(store);

  const out: ImageSummary[] = [];
  const selected = danglingOnly ? heads(store) : [...store.images.values()];
  for (const img of selected) {
    const t = created(img);
    if (before?.some((b) => t >= b) || since?.some((s) => t <= s) || until?.some((u) => t > u)) continue;
    if (f.has('label') && !matchKVList(f.get('label'), img.config.config?.Labels)) continue;
    const tags: string[] = [];
    const digests: string[] = [];
    let tagged = false;
    for (const r of store.refs.referencesOf(img.id)) {
      if (patterns && !patterns.some((p) => familiarMatch(p, r))) continue;
      if (r.includes('@')) digests.push(familiar(r));
      else { tagged = true; tags.push(familiar(r)); }
    }
    if (danglingOnly && tagged) continue;
    if (!tags.length && !digests.length
      && ((!opts.all && children.has(img.id)) || (f.has('dangling') && !danglingOnly) || patterns)) continue;
    const s = toSummary(img, { tags, digests }, opts.virtualSize ?? false);
    if (opts.containerCount) s.Containers = deps.users(img.id).length;
    out.push(s);
  }
  return out.sort((a, b) => b.Created - a.Created || a.Id.localeCompare(b.Id));
}

/**
 * Sets each summary's SharedSize: the sizes of its layers that at least one other image
 * (listed or not) also stands on. Size - SharedSize is what only that image holds.
 */
export async function fillSharedSizes(store: ImageStore, summaries: ImageSummary[]): Promise<void> {
  const users = new Map<string, number>();
  const chainsOf = (img: StoredImage | undefined) => chainIds(img?.config.rootfs?.diff_ids ?? []);
  for (const img of store.images.values()) for (const c of chainsOf(img)) users.set(c, (users.get(c) ?? 0) + 1);
  for (const s of summaries) {
    s.SharedSize = 0;
    for (const c of chainsOf(store.images.get(s.Id as StoredImage['id']))) {
      if ((users.get(c) ?? 0) > 1 && (await store.layers.has(c))) s.SharedSize += (await store.layers.get(c)).size;
    }
  }
}
