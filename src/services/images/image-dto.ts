import { chainIds, familiar, type ContainerConfig, type HistoryEntry } from '../../core/images';
import type { ImageStore, StoredImage } from './image-store';
import { emptyContainerConfig } from './import-changes';

/** Docker's ImageSummary (GET /images/json). */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize?: number;
  Labels: Record<string, string> | null;
  Containers: number;
}

/** Docker's ImageInspect. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  /** Only in API < 1.45. */
  Container?: string;
  ContainerConfig?: ContainerConfig;
  DockerVersion: string;
  Author: string;
  Config: ContainerConfig | null;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  VirtualSize?: number;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime: string };
}

export interface HistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function unixSeconds(iso: string | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

/** Familiar tag names and digests of an image, as Docker lists them. */
export function namesOf(store: ImageStore, id: string): { tags: string[]; digests: string[] } {
  const tags: string[] = [];
  const digests: string[] = [];
  for (const r of store.refs.referencesOf(id)) (r.includes('@') ? digests : tags).push(familiar(r));
  return { tags, digests };
}

/** The summary of img listed under the given names; Containers and SharedSize -1 (not computed). */
export function toSummary(img: StoredImage, names: { tags: string[]; digests: string[] }, withVirtualSize: boolean): ImageSummary {
  const { tags, digests } = names;
  const s: ImageSummary = {
    Containers: -1,
    Created: unixSeconds(img.config.created),
    Id: img.id,
    Labels: img.config.config?.Labels ?? null,
    ParentId: img.meta.parent ?? '',
    RepoDigests: digests,
    RepoTags: tags,
    SharedSize: -1,
    Size: img.size,
  };
  if (withVirtualSize) s.VirtualSize = img.size;
  return s;
}

export interface InspectOptions {
  /** Add VirtualSize (API < 1.44). */
  virtualSize?: boolean;
  /** Add Container and ContainerConfig (API < 1.45). */
  containerFields?: boolean;
}

export async function toInspect(store: ImageStore, img: StoredImage, opts: InspectOptions): Promise<ImageInspect> {
  const { tags, digests } = namesOf(store, img.id);
  const c = img.config;
  const diffIds = c.rootfs?.diff_ids ?? [];
  const dirs = await store.layers.diffDirs(chainIds(diffIds).pop());
  let data: Record<string, string> | null = null;
  if (dirs.length) {
    const top = dirs[0].replace(/\/diff$/, '');
    data = { MergedDir: `${top}/merged`, UpperDir: dirs[0], WorkDir: `${top}/work` };
    if (dirs.length > 1) data = { LowerDir: dirs.slice(1).join(':'), ...data };
  }
  const out: ImageInspect = {
    Id: img.id,
    RepoTags: tags,
    RepoDigests: digests,
    Parent: img.meta.parent ?? '',
    Comment: c.comment ?? '',
    Created: c.created ?? ZERO_TIME,
    ...(opts.containerFields ? { Container: c.container ?? '', ContainerConfig: c.container_config ?? emptyContainerConfig() } : {}),
    DockerVersion: c.docker_version ?? '',
    Author: c.author ?? '',
    Config: c.config ?? null,
    Architecture: c.architecture ?? '',
    Os: c.os ?? '',
    Size: img.size,
    GraphDriver: { Data: data, Name: 'overlay2' },
    RootFS: { Type: c.rootfs?.type ?? 'layers', Layers: diffIds },
    Metadata: { LastTagTime: img.meta.lastTagTime ?? ZERO_TIME },
  };
  if (c.variant) out.Variant = c.variant;
  if (opts.virtualSize) out.VirtualSize = img.size;
  return out;
}

/**
 * Docker's history: newest first. The top entry carries the image ID and tags, the next ones
 * those of its parent images (commit, build) while they exist; the rest are `<missing>`.
 */
export async function toHistory(store: ImageStore, img: StoredImage): Promise<HistoryItem[]> {
  const diffIds = img.config.rootfs?.diff_ids ?? [];
  const chains = chainIds(diffIds);
  const history = img.config.history?.length ? img.config.history : diffIds.map((): HistoryEntry => ({}));
  const items: HistoryItem[] = [];
  let layer = 0;
  for (const h of history) {
    let size = 0;
    if (!h.empty_layer && layer < chains.length) {
      if (await store.layers.has(chains[layer])) size = (await store.layers.get(chains[layer])).size;
      layer++;
    }
    items.push({ Comment: h.comment ?? '', Created: unixSeconds(h.created), CreatedBy: h.created_by ?? '', Id: '<missing>', Size: size, Tags: null });
  }
  items.reverse();
  let owner: StoredImage | undefined = img;
  for (const item of items) {
    if (!owner) break;
    item.Id = owner.id;
    const { tags } = namesOf(store, owner.id);
    item.Tags = tags.length ? tags : null;
    owner = owner.meta.parent ? store.images.get(owner.meta.parent as StoredImage['id']) : undefined;
  }
  return items;
}
