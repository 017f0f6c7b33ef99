/** The filter vocabulary `GET /images/json` and `POST /images/prune` share, with moby's errors. */
import { InvalidArgument } from '../../errdefs';
import type { Digest } from '../../lib/digest';
import type { ImageStore, StoredImage } from './image-store';

export type Filters = Map<string, string[]>;

/** moby's filters.Validate: InvalidArgument `Invalid filter '<key>'` for a key not in accepted. */
export function validateFilters(filters: Filters, accepted: ReadonlySet<string>): void {
  for (const key of filters.keys()) if (!accepted.has(key)) throw new InvalidArgument(`Invalid filter '${key}'`);
}

/**
 * The `dangling` filter: undefined when absent, else whether only dangling images are wanted.
 * `accepted` maps each allowed value to its meaning, the first present one winning (list and
 * prune differ in precedence); no accepted value present is moby's invalidFilter.
 */
export function danglingFilter(filters: Filters, accepted: Array<[string, boolean]>): boolean | undefined {
  const values = filters.get('dangling');
  if (!values?.length) return undefined;
  const hit = accepted.find(([value]) => values.includes(value));
  if (!hit) throw new InvalidArgument(`Invalid filter 'dangling=[${values.join(' ')}]'`);
  return hit[1];
}

/**
 * moby's Args.MatchKVList: every `key` or `key=value` in values is among labels; true when
 * there is no such filter, false for an image without labels.
 */
export function matchKVList(values: string[] | undefined, labels: Record<string, string> | null | undefined): boolean {
  if (!values?.length) return true;
  if (!labels || !Object.keys(labels).length) return false;
  return values.every((v) => {
    const i = v.indexOf('=');
    const key = i < 0 ? v : v.slice(0, i);
    if (!Object.prototype.hasOwnProperty.call(labels, key)) return false;
    return i < 0 || labels[key] === v.slice(i + 1);
  });
}

/** Images whose parent (commit/build) is each image: the IDs of their children. */
export function childrenIndex(store: ImageStore): Map<string, Digest[]> {
  const children = new Map<string, Digest[]>();
  for (const img of store.images.values()) {
    const p = img.meta.parent;
    if (p) children.set(p, [...(children.get(p) ?? []), img.id]);
  }
  return children;
}

/** moby's imageStore.Heads(): the images no other image names as its parent. */
export function heads(store: ImageStore): StoredImage[] {
  const children = childrenIndex(store);
  return [...store.images.values()].filter((img) => !children.has(img.id));
}

/** Go's path.Match pattern as a RegExp: `*` and `?` never cross `/`, `[...]` classes, `\` escapes. */
export function pathPattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new InvalidArgument('syntax error in pattern');
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^') || body.startsWith('!');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\]\\^]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
