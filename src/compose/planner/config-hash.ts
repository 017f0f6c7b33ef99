/**
 * A service's config hash (the `com.docker.compose.config-hash` label): the digest of its
 * model with the keys that do not change a container left out (replicas, build, profiles,
 * depends_on), so a changed service is recreated and an unchanged one left alone.
 */
import { createHash } from 'node:crypto';
import type { ServiceConfig } from '../types';

/** JSON with object keys sorted, so equal configs give equal text. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function configHash(svc: ServiceConfig): string {
  const { replicas: _r, build: _b, profiles: _p, depends_on: _d, ...rest } = svc;
  return createHash('sha256').update(stableJson(rest)).digest('hex');
}
