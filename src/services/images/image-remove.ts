import { Conflict } from '../../errdefs';
import { shortId } from '../../lib/ids';
import { familiar, formatFull, parseNormalized, parseReference } from '../../core/images';
import type { ImageStore, StoredImage } from './image-store';
import { resolveImage } from './image-resolve';

export interface RemoveOptions { force?: boolean; noprune?: boolean }
export type DeleteItem = { Untagged: string } | { Deleted: string };

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

function conflict(img: StoredImage, hard: boolean, message: string): Conflict {
  return new Conflict(`conflict: unable to delete ${shortId(img.id)} (${hard ? 'cannot be forced' : 'must be forced'}) - ${message}`);
}

/**
 * Untags and/or deletes an image following moby's ImageDelete: removing a name untags it;
 * the image itself goes when no name is left, unless a container uses it (409 without force).
 * `users` lists the containers using the image (all treated as stopped: a soft conflict).
 */
export async function removeImage(store: ImageStore, ref: string, opts: RemoveOptions, users: string[]): Promise<DeleteItem[]> {
  const img = resolveImage(store, ref);
  const records: DeleteItem[] = [];
  let refs = store.refs.referencesOf(img.id);

  if (!isIdPrefix(img.id, ref)) {
    if (!opts.force && isSingleReference(refs) && users.length) {
      throw new Conflict(`conflict: unable to remove repository reference "${ref}" (must force) - container ${shortId(users[0])} is using its referenced image ${shortId(img.id)}`);
    }
    const parsed = parseReference(ref);
    const name = formatFull(parseNormalized(ref));
    await store.refs.delete(name);
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
  } else if (isSingleReference(refs)) {
    if (!opts.force && users.length) throw conflict(img, false, `image is being used by stopped container ${shortId(users[0])}`);
    for (const r of refs) {
      await store.refs.delete(r);
      records.push({ Untagged: familiar(r) });
    }
  }

  // imageDeleteHelper
  if (!opts.force) {
    if (store.refs.referencesOf(img.id).length) throw conflict(img, false, 'image is referenced in multiple repositories');
    if (users.length) throw conflict(img, false, `image is being used by stopped container ${shortId(users[0])}`);
  }
  for (const r of store.refs.referencesOf(img.id)) {
    await store.refs.delete(r);
    records.push({ Untagged: familiar(r) });
  }
  const freed = await store.delete(img.id);
  records.push({ Deleted: img.id });
  for (const c of freed) records.push({ Deleted: c });
  return records;
}
