/**
 * `GET /networks` and `POST /networks/prune` filters as dockerd applies them: values of one
 * key are alternatives, keys all have to match; `name` and `id` are regular expressions
 * matched anywhere (Docker's filters.Match), `driver` and `scope` exact.
 */
import { InvalidArgument } from '../../errdefs';
import { parseUntil } from '../containers/ops';
import { isPredefined, type NetworkRecord } from './network-record';

const LIST_KEYS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'];
const PRUNE_KEYS = ['until', 'label', 'label!'];

/** A record and whether any container has an endpoint on it. */
export type InUse = (n: NetworkRecord) => boolean;

function matchAny(patterns: string[], value: string): boolean {
  return patterns.some((p) => { try { return new RegExp(p).test(value); } catch { return value.includes(p); } });
}

/** `label=k` or `label=k=v` against a record's labels. */
export function labelMatches(labels: Record<string, string>, spec: string): boolean {
  const i = spec.indexOf('=');
  if (i < 0) return spec in labels;
  return labels[spec.slice(0, i)] === spec.slice(i + 1);
}

export function networkListFilter(filters: Map<string, string[]>, inUse: InUse): (n: NetworkRecord) => boolean {
  for (const [key, values] of filters) {
    if (!LIST_KEYS.includes(key)) throw new InvalidArgument(`Invalid filter '${key}'`);
    for (const v of values) {
      if (key === 'type' && v !== 'custom' && v !== 'builtin') throw new InvalidArgument(`invalid filter: 'type'='${v}'`);
      if (key === 'dangling' && !/^(true|false|1|0)$/i.test(v)) throw new InvalidArgument('invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")');
    }
  }
  const has = (k: string) => (filters.get(k) ?? []).length > 0;
  const get = (k: string) => filters.get(k) ?? [];
  return (n) => {
    if (has('name') && !matchAny(get('name'), n.name)) return false;
    if (has('id') && !matchAny(get('id'), n.id)) return false;
    if (has('driver') && !get('driver').includes(n.driver)) return false;
    if (has('scope') && !get('scope').includes('local')) return false;
    if (has('label') && !get('label').every((l) => labelMatches(n.labels, l))) return false;
    if (has('type') && !get('type').includes(isPredefined(n.name) ? 'builtin' : 'custom')) return false;
    if (has('dangling')) {
      const want = /^(true|1)$/i.test(get('dangling')[0]);
      const dangling = !isPredefined(n.name) && !inUse(n);
      if (dangling !== want) return false;
    }
    return true;
  };
}

/** Which networks a prune may remove: `until` (a timestamp or a Go duration ago) and labels. */
export function networkPruneFilter(filters: Map<string, string[]>, now = Date.now()): (n: NetworkRecord) => boolean {
  for (const key of filters.keys()) if (!PRUNE_KEYS.includes(key)) throw new InvalidArgument(`Invalid filter '${key}'`);
  const until = (filters.get('until') ?? []).map((v) => parseUntil(v, now));
  return (n) => {
    const created = Date.parse(n.created);
    if (until.length && !until.every((u) => created < u)) return false;
    if (!(filters.get('label') ?? []).every((l) => labelMatches(n.labels, l))) return false;
    if ((filters.get('label!') ?? []).some((l) => labelMatches(n.labels, l))) return false;
    return true;
  };
}

