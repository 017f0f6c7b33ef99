import { InvalidArgument } from '../../errdefs';
import { formatFull, isValidTag, parseReference, DEFAULT_TAG } from '../../core/images';
import type { ImageStore, StoredImage } from './image-store';

/** The full name `repo[:tag]` should be tagged as (Docker's rules for POST /images/{name}/tag). */
export function tagName(repo: string, tag?: string): string {
  const r = parseReference(repo);
  if (r.digest) throw new InvalidArgument('refusing to create a tag with a digest reference');
  if (tag) {
    if (r.tag) throw new InvalidArgument(`invalid reference format: tag given twice (${repo} and ${tag})`);
    if (!isValidTag(tag)) throw new InvalidArgument(`invalid tag format`);
    r.tag = tag;
  }
  r.tag ??= DEFAULT_TAG;
  return formatFull(r);
}

/** Points name at img (moving it from any other image) and records LastTagTime. */
export async function addTag(store: ImageStore, img: StoredImage, name: string): Promise<void> {
  await store.refs.set(name, img.id);
  img.meta.lastTagTime = new Date().toISOString();
  const pending = img.meta.pendingNames?.filter((n) => n !== name);
  if (pending?.length) img.meta.pendingNames = pending;
  else { delete img.meta.pendingNames; delete img.meta.pendingSince; }
  await store.saveMeta(img);
}
