/** `POST /containers/prune`: removes every stopped container the filters select. */
import { InvalidArgument } from '../../../errdefs';
import type { ContainerService } from '../container-service';
import type { ContainerRecord } from '../types';

export interface PruneReport { ContainersDeleted: string[] | null; SpaceReclaimed: number }

/** Docker's `until` value: unix seconds (with fraction), RFC 3339, or a duration before now (`10m`). */
export function parseUntil(v: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const d = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(v);
  if (d) return now - Number(d[1]) * { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 }[d[2]]!;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new InvalidArgument(`failed to parse value as time or duration: "${v}"`);
  return t;
}

function labelMatches(rec: ContainerRecord, spec: string): boolean {
  const labels = rec.config.Labels ?? {};
  const i = spec.indexOf('=');
  return i < 0 ? spec in labels : labels[spec.slice(0, i)] === spec.slice(i + 1);
}

/** The selection the prune filters make: `until`, `label`, `label!`. */
export function pruneSelects(rec: ContainerRecord, filters: Map<string, string[]>, now = Date.now()): boolean {
  for (const [key, values] of filters) {
    switch (key) {
      case 'until':
        if (!values.every((v) => Date.parse(rec.created) < parseUntil(v, now))) return false;
        break;
      case 'label':
        if (!values.every((v) => labelMatches(rec, v))) return false;
        break;
      case 'label!':
        if (values.some((v) => labelMatches(rec, v))) return false;
        break;
      default:
        throw new InvalidArgument(`invalid filter '${key}'`);
    }
  }
  return true;
}

const STOPPED = new Set(['created', 'exited', 'dead']);

const FILTERS = new Set(['until', 'label', 'label!']);

export async function pruneContainers(svc: ContainerService, filters: Map<string, string[]>): Promise<PruneReport> {
  for (const key of filters.keys()) if (!FILTERS.has(key)) throw new InvalidArgument(`invalid filter '${key}'`);
  const chosen = svc.list().filter((r) => STOPPED.has(r.state.status) && pruneSelects(r, filters));
  const deleted: string[] = [];
  for (const rec of chosen) {
    await svc.remove(rec.id);
    deleted.push(rec.id);
  }
  return { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: 0 };
}
