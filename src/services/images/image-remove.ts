import { Conflict } from '../../errdefs';
import { shortId } from '../../lib/ids';
import type { Digest } from '../../lib/digest';
import { familiar, formatFull, parseNormalized, parseReference } from '../../core/images';
import type { ImageStore, StoredImage } from './image-store';
import { resolveImage } from './image-resolve';

export interface RemoveOptions { force?: boolean; noprune?: boolean }
export type DeleteItem = { Untagged: string } | { Deleted: string };
/** A container standing on an image; a running one (running, paused, restarting) is a hard conflict. */
export interface ImageUser { id: string; running: boolean }

export interface RemoveDeps {
  store: ImageStore;
  /** The containers whose image is imageId. */
  users(imageId: string): ImageUser[];
  /** Told as each name goes (`untag`) and as each image record goes (`delete`). */
  logEvent(action: 'untag' | 'delete', imageId: string): void;
}

const repoOf = (full: string) => full.replace(/@.*$/, '').replace(/:[^:/]+$/, '');
const isCanonical = (full: string) => full.includes('@');

/** Docker's isSingleReference: at most one tag, and any digests belong to that one repository. */
function isSingleReference(refs: string[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const canonicalRepos = new Set<string>();
  let single: string | undefined;
  for (const r of refs) {
    if (isCanonical(r)) canonicalRepos.add(repoOf(r));
    else if (single === undefined) single = r;
    else return false;
  }
  single ??= refs[0];
  return canonicalRepos.size === 1 && canonicalRepos.has(repoOf(single));
}

function isIdPrefix(id: string, ref: string): boolean {
  return id.startsWith(ref) || id.slice(7).startsWith(ref);
}

// moby's conflict kinds: hard ones cannot be forced, soft ones can
const CHILD = 1;
const RUNNING = 2;
const REFERENCE = 4;
const STOPPED = 8;
const HARD = CHILD | RUNNING;
const SOFT = REFERENCE | STOPPED;

interface DeleteConflict { hard: boolean; used: boolean; message: string }

const hasChildren = (store: ImageStore, id: string) => [...store.images.values()].some((i) => i.meta.parent === id);

/** moby's checkImageDeleteConflict, for the kinds in mask. */
function conflictOf(deps: RemoveDeps, id: string, mask: number): DeleteConflict | undefined {
  if (mask & CHILD && hasChildren(deps.store, id)) return { hard: true, used: false, message: 'image has dependent child images' };
  const users = deps.users(id);
  const running = users.find((u) => u.running);
  if (mask & RUNNING && running) return { hard: true, used: true, message: `image is being used by running container ${shortId(running.id)}` };
  if (mask & REFERENCE && deps.store.refs.referencesOf(id).length) return { hard: false, used: false, message: 'image is referenced in multiple repositories' };
  const stopped = users.find((u) => !u.running);
  if (mask & STOPPED && stopped) return { hard: false, used: true, message: `image is being used by stopped container ${shortId(stopped.id)}` };
  return undefined;
}

function conflictError(id: string, c: DeleteConflict): Conflict {
  return new Conflict(`conflict: unable to delete ${shortId(id)} (${c.hard ? 'cannot be forced' : 'must be forced'}) - ${c.message}`);
}

/**
 * Untags and/or deletes an image following moby's ImageDelete: removing a name untags it; the
 * image itself goes when no name is left, unless something holds it: a child image or a running
 * container (409 even with force), a stopped container or another name (409 without force).
 * Unless noprune, untagged parents nothing else holds go too.
 */
export async function removeImage(deps: RemoveDeps, ref: string, opts: RemoveOptions): Promise<DeleteItem[]> {
  const img = resolveImage(deps.store, ref);
  // recorded first: a crash between the names going and the record going is completed at start
  await deps.store.markRemoval(img.id);
  try {
    return await untagAndDelete(deps, img, ref, opts);
  } finally {
    await deps.store.clearRemoval(img.id);
  }
}

async function untagAndDelete(deps: RemoveDeps, img: StoredImage, ref: string, opts: RemoveOptions): Promise<DeleteItem[]> {
  const { store } = deps;
  const records: DeleteItem[] = [];
  let refs = store.refs.referencesOf(img.id);
  let untaggedByName = false;

  if (!isIdPrefix(img.id, ref)) {
    const user = deps.users(img.id)[0];
    if (!opts.force && isSingleReference(refs) && user) {
      throw new Conflict(`conflict: unable to remove repository reference "${ref}" (must force) - container ${shortId(user.id)} is using its referenced image ${shortId(img.id)}`);
    }
    const parsed = parseReference(ref);
    const name = formatFull(parseNormalized(ref));
    await store.refs.delete(name);
    deps.logEvent('untag', img.id);
    records.push({ Untagged: familiar(name) });
    refs = store.refs.referencesOf(img.id);
    if (!parsed.digest) {
      const repo = repoOf(name);
      const tagLeft = refs.some((r) => !isCanonical(r) && repoOf(r) === repo);
      if (!tagLeft) {
        for (const r of refs.filter((x) => isCanonical(x) && repoOf(x) === repo)) {
          await store.refs.delete(r);
          records.push({ Untagged: familiar(r) });
        }
        refs = store.refs.referencesOf(img.id);
      }
    }
    if (refs.length) return records;
    untaggedByName = true;
  } else if (isSingleReference(refs)) {
    const c = conflictOf(deps, img.id, HARD | (opts.force ? 0 : STOPPED));
    if (c) throw conflictError(img.id, c);
    for (const r of refs) {
      await store.refs.delete(r);
      deps.logEvent('untag', img.id);
      records.push({ Untagged: familiar(r) });
    }
  }
  await deleteImage(deps, img.id, records, { force: !!opts.force, prune: !opts.noprune, quiet: untaggedByName });
  return records;
}

/**
 * moby's imageDeleteHelper: deletes the image (its remaining names first) and the layers no
 * one needs any more, then, if prune, its parent quietly. quiet: a conflict leaves the image
 * in place without an error unless the image is dangling and unused.
 */
async function deleteImage(deps: RemoveDeps, id: string, records: DeleteItem[], o: { force: boolean; prune: boolean; quiet: boolean }): Promise<void> {
  const { store } = deps;
  const c = conflictOf(deps, id, HARD | (o.force ? 0 : SOFT));
  if (c) {
    const dangling = !store.refs.referencesOf(id).length && !hasChildren(store, id);
    if (o.quiet && (!dangling || c.used)) return;
    throw conflictError(id, c);
  }
  const parent = store.images.get(id as Digest)?.meta.parent;
  for (const r of store.refs.referencesOf(id)) {
    await store.refs.delete(r);
    deps.logEvent('untag', id);
    records.push({ Untagged: familiar(r) });
  }
  const freed = await store.delete(id as Digest);
  deps.logEvent('delete', id);
  records.push({ Deleted: id });
  for (const chain of freed) records.push({ Deleted: chain });
  if (o.prune && parent && store.images.has(parent as Digest)) await deleteImage(deps, parent, records, { force: false, prune: true, quiet: true });
}
