/**
 * What the build cache holds, for `system df` and `builder prune`: the step images only the
 * cache keeps (intermediate images no tagged image stands on, no container uses; a failed
 * build's steps among them), the step images that also belong to images (`Shared`: pruning
 * forgets them as cache but frees nothing), and the RUN --mount=type=cache directories.
 */
import { InvalidArgument } from '../../errdefs';
import { parseGoDuration } from '../../lib/go-duration';
import type { ImageService } from '../images';
import type { BuildCacheStore, CacheEntry } from './cache-store';
import type { CacheMounts } from './cache-mounts';

/** Docker's BuildCache (GET /system/df). */
export interface BuildCacheItem {
  ID: string;
  Parents: string[] | null;
  Type: string;
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string | null;
  UsageCount: number;
}

export interface BuildCachePruneOptions {
  all: boolean;
  filters: Map<string, string[]>;
  /** Bytes of cache to keep (the most recently used). */
  keepStorage: number;
}

export interface BuildCachePruneReport { CachesDeleted: string[] | null; SpaceReclaimed: number }

export interface UsageDeps {
  cache: BuildCacheStore;
  mounts: CacheMounts;
  images: ImageService;
  /** Images containers are made from. */
  containerImages(): string[];
}

const FILTERS = new Set(['until', 'unused-for', 'id', 'type', 'description', 'inuse', 'shared', 'private']);

/** Images a tag or a container holds, with every parent they stand on. */
function heldImages(deps: UsageDeps): Set<string> {
  const store = deps.images.store;
  const held = new Set<string>();
  const hold = (id: string | undefined) => {
    for (let cur = id; cur && !held.has(cur); cur = store.images.get(cur as never)?.meta.parent) held.add(cur);
  };
  for (const img of store.images.values()) if (store.refs.referencesOf(img.id).length) hold(img.id);
  for (const id of deps.containerImages()) hold(id);
  return held;
}

interface Record_ { item: BuildCacheItem; entry?: CacheEntry; mountDir?: string; depth: number }

async function records(deps: UsageDeps): Promise<Record_[]> {
  const held = heldImages(deps);
  const store = deps.images.store;
  const out: Record_[] = deps.cache.list().map((e) => ({
    entry: e,
    depth: store.images.get(e.image as never)?.config.history?.length ?? 0,
    item: {
      ID: e.key.slice(0, 25), Parents: null, Type: 'regular', Description: e.description, InUse: false,
      Shared: held.has(e.image), Size: e.size, CreatedAt: e.created, LastUsedAt: e.lastUsed, UsageCount: e.usageCount,
    },
  }));
  for (const m of await deps.mounts.list()) {
    out.push({
      mountDir: m.dir, depth: 0,
      item: {
        ID: m.dir.split('/').pop()!.slice(0, 25), Parents: null, Type: 'exec.cachemount', Description: `cached mount ${m.id}`,
        InUse: m.inUse, Shared: false, Size: m.size, CreatedAt: m.lastUsed, LastUsedAt: m.lastUsed, UsageCount: 1,
      },
    });
  }
  return out;
}

export async function buildCacheUsage(deps: UsageDeps): Promise<BuildCacheItem[]> {
  return (await records(deps)).map((r) => r.item);
}

function matches(item: BuildCacheItem, filters: Map<string, string[]>, now: number): boolean {
  for (const [k, values] of filters) {
    if (!FILTERS.has(k)) throw new InvalidArgument(`invalid filter '${k}'`);
    const ok = values.some((v) => {
      switch (k) {
        case 'until':
        case 'unused-for': {
          let ns: number;
          try { ns = parseGoDuration(v); } catch (err) { throw new InvalidArgument(`${k}: ${(err as Error).message}`, { cause: err }); }
          return Date.parse(item.LastUsedAt ?? item.CreatedAt) <= now - ns / 1e6;
        }
        case 'id': return item.ID.startsWith(v);
        case 'type': return item.Type === v;
        case 'description': return item.Description.includes(v);
        case 'inuse': return item.InUse;
        case 'shared': return item.Shared;
        case 'private': return !item.Shared;
        default: return false;
      }
    });
    if (!ok) return false;
  }
  return true;
}

/**
 * Removes cache records: those only the cache keeps (all of them with `all`), matching the
 * filters, oldest first beyond keepStorage; never one in use. Step images are removed
 * deepest first (a child before its parent); shared ones stay as images.
 */
export async function pruneBuildCache(deps: UsageDeps, opts: BuildCachePruneOptions): Promise<BuildCachePruneReport> {
  const now = Date.now();
  const all = await records(deps);
  let candidates = all.filter((r) => !r.item.InUse && (opts.all || !r.item.Shared) && matches(r.item, opts.filters, now));
  if (opts.keepStorage > 0) {
    let kept = 0;
    const byRecent = [...candidates].sort((a, b) => Date.parse(b.item.LastUsedAt ?? '') - Date.parse(a.item.LastUsedAt ?? ''));
    const keep = new Set<Record_>();
    for (const r of byRecent) if (kept + r.item.Size <= opts.keepStorage) { kept += r.item.Size; keep.add(r); }
    candidates = candidates.filter((r) => !keep.has(r));
  }
  const deleted: string[] = [];
  let reclaimed = 0;
  const images = deps.images.store.images;
  for (const r of candidates.sort((a, b) => b.depth - a.depth)) {
    if (r.mountDir) {
      if (!(await deps.mounts.remove(r.mountDir))) continue;
      reclaimed += r.item.Size;
    } else if (r.entry) {
      const id = r.entry.image;
      deps.cache.delete(r.entry.key);
      const hasChild = [...images.values()].some((i) => i.meta.parent === id);
      if (!r.item.Shared && images.has(id as never) && !hasChild) {
        await deps.images.remove(id, { noprune: true });
        reclaimed += r.item.Size;
      }
    }
    deleted.push(r.item.ID);
  }
  return { CachesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}
