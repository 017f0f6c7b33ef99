/**
 * `GET /volumes` and `POST /volumes/prune` filters as dockerd applies them: unknown keys and bad
 * values are InvalidArgument in Docker's words; label filters must all match.
 */
import { InvalidArgument } from '../../errdefs';
import type { Volume } from '../../core/volumes';

const LIST_KEYS = ['dangling', 'name', 'driver', 'label'];
const PRUNE_KEYS = ['label', 'label!', 'all'];

/** Docker's MatchKVList: every `key` or `key=value` in wanted holds in labels. */
export function matchLabels(wanted: string[], labels: Record<string, string> | null): boolean {
  const l = labels ?? {};
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return w in l;
    const k = w.slice(0, eq);
    return k in l && l[k] === w.slice(eq + 1);
  });
}

function checkKeys(filters: Map<string, string[]>, keys: string[]): void {
  for (const k of filters.keys()) if (!keys.includes(k)) throw new InvalidArgument(`Invalid filter '${k}'`);
}

/** A bool filter value: `true`/`1` or `false`/`0`. */
function boolValue(key: string, values: string[]): boolean {
  const v = values[values.length - 1].toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidArgument(`Invalid filter '${key}=[${values.join(' ')}]'`);
}

function nameMatches(pattern: string, name: string): boolean {
  try { return new RegExp(pattern).test(name); } catch { return false; }
}

/** The list filter; `inUse` tells whether a container references the volume. */
export function listFilter(filters: Map<string, string[]>, inUse: (name: string) => boolean): (v: Volume) => boolean {
  checkKeys(filters, LIST_KEYS);
  const dangling = filters.has('dangling') ? boolValue('dangling', filters.get('dangling')!) : undefined;
  const names = filters.get('name') ?? [];
  const drivers = filters.get('driver') ?? [];
  const labels = filters.get('label') ?? [];
  return (v) => (dangling === undefined || dangling !== inUse(v.name))
    && (!names.length || names.some((n) => nameMatches(n, v.name)))
    && (!drivers.length || drivers.includes(v.driver))
    && matchLabels(labels, v.labels);
}

/**
 * The prune filter (unused volumes only is the caller's part). `all` (API 1.42+) takes named
 * volumes too; without it only anonymous ones go. Older API versions prune all, as before 1.42.
 */
export function pruneFilter(filters: Map<string, string[]>, opts: { allByDefault: boolean; isAnonymous: (v: Volume) => boolean }): (v: Volume) => boolean {
  checkKeys(filters, PRUNE_KEYS);
  let all = opts.allByDefault;
  if (filters.has('all')) {
    if (opts.allByDefault) throw new InvalidArgument(`Invalid filter 'all'`);
    const values = filters.get('all')!;
    if (values.length > 1) throw new InvalidArgument(`invalid filter 'all': only one value is expected`);
    all = boolValue('all', values);
  }
  const labels = filters.get('label') ?? [];
  const notLabels = filters.get('label!') ?? [];
  return (v) => (all || opts.isAnonymous(v)) && matchLabels(labels, v.labels) && (!notLabels.length || !matchLabels(notLabels, v.labels));
}
