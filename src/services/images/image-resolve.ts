import { isDigest, type Digest } from '../../lib/digest';
import { NotFound, InvalidArgument } from '../../errdefs';
import { familiar, formatFull, parseReference, DEFAULT_TAG } from '../../core/images';
import type { ImageStore, StoredImage } from './image-store';

const FULL_ID = /^(?:sha256:)?([a-f0-9]{64})$/;
const SHORT_ID = /^(?:sha256:)?([a-f0-9]{1,63})$/;

/** The full normalised name a ref string means, or undefined when it cannot be a name. */
function normalizedName(ref: string): string | undefined {
  const r = parseReference(ref);
  if (!r.tag && !r.digest) r.tag = DEFAULT_TAG;
  if (r.tag && r.digest) delete r.tag; // the digest wins, as in docker
  return formatFull(r);
}

/**
 * Finds the image ref means, in Docker's order: a full ID, a name (name[:tag], name@digest),
 * then a unique ID prefix. NotFound `No such image: <ref>` (a name with its default tag,
 * `nope:latest`); a malformed name is InvalidArgument.
 */
export function resolveImage(store: ImageStore, ref: string): StoredImage {
  const full = FULL_ID.exec(ref);
  if (full) {
    const img = store.images.get(`sha256:${full[1]}` as Digest);
    if (img) return img;
    if (!ref.startsWith('sha256:')) throw new NotFound(`No such image: sha256:${full[1]}`);
  }
  let name: string | undefined;
  if (!isDigest(ref) && !ref.startsWith('sha256:')) {
    try {
      name = normalizedName(ref);
    } catch (err) {
      if (!SHORT_ID.test(ref)) throw new InvalidArgument((err as Error).message, { cause: err });
    }
    const id = name ? store.refs.get(name) : undefined;
    const img = id ? store.images.get(id as Digest) : undefined;
    if (img) return img;
  }
  const short = SHORT_ID.exec(ref);
  if (short) {
    const matches = [...store.images.keys()].filter((id) => id.slice(7).startsWith(short[1]));
    if (matches.length === 1) return store.images.get(matches[0])!;
    if (matches.length > 1) throw new InvalidArgument(`ambiguous image reference ${ref}: it matches ${matches.length} images`);
  }
  // moby names what it looked for: the tag defaulted (`nope:latest`), a full ID with its algorithm
  throw new NotFound(`No such image: ${name ? familiar(name) : ref}`);
}
