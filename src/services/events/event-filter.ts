import type { EngineEvent } from './event-bus';

/**
 * Docker's event filters: type, event, container, image, volume, label (`k` or `k=v`); each key
 * matches when any of its values does, and every key must match. Unknown keys match all.
 */
export function matchesEventFilters(e: EngineEvent, filters: Map<string, string[]>): boolean {
  const attrs = e.Actor.Attributes;
  return [...filters].every(([k, vs]) => vs.some((v) => {
    switch (k) {
      case 'type': return e.Type === v;
      case 'event': return e.Action === v;
      case 'container': return e.Type === 'container' && (e.Actor.ID.startsWith(v) || attrs.name === v);
      case 'image': return e.Type === 'image' ? e.Actor.ID.replace(/^sha256:/, '').startsWith(v.replace(/^sha256:/, '')) || attrs.name === v : attrs.image === v;
      case 'volume': return e.Type === 'volume' && (e.Actor.ID.startsWith(v) || attrs.name === v);
      case 'label': { const [a, b] = v.split('=', 2); return b === undefined ? a in attrs : attrs[a] === b; }
      default: return true;
    }
  }));
}

/** Seconds (with a fraction) as the nanosecond timestamps events carry. */
export const secondsToNanos = (s: number) => s * 1e9;
