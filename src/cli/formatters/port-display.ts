/** How the docker CLI shows published ports: ps's PORTS column and `port`'s lines. */
import type { Port } from '../../client';

/** Go's net.JoinHostPort: an IPv6 address in brackets. */
export const joinHostPort = (ip: string, port: string | number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** docker's comparePorts: private port, then IP, public port, protocol. */
function comparePorts(a: Port, b: Port): number {
  if (a.PrivatePort !== b.PrivatePort) return a.PrivatePort - b.PrivatePort;
  const ia = a.IP ?? ''; const ib = b.IP ?? '';
  if (ia !== ib) return ia < ib ? -1 : 1;
  if ((a.PublicPort ?? 0) !== (b.PublicPort ?? 0)) return (a.PublicPort ?? 0) - (b.PublicPort ?? 0);
  return a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0;
}

/** A run of ports under one key (`tcp`, or `0.0.0.0/tcp` for ports published on the same number). */
function formGroup(key: string, first: number, last: number): string {
  const slash = key.lastIndexOf('/');
  const [ip, type] = slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
  const group = first === last ? String(first) : `${first}-${last}`;
  return `${ip ? `${joinHostPort(ip, group)}->${group}` : group}/${type}`;
}

/**
 * docker's DisplayablePorts: consecutive exposed ports, and ports published on their own
 * number, collapse into ranges (`7000-7002/tcp`, `0.0.0.0:8000-8002->8000-8002/tcp`); ports
 * published on another number follow one by one (`0.0.0.0:8080->80/tcp`).
 */
export function displayPorts(ports: Port[]): string {
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const mappings: string[] = [];
  for (const p of [...ports].sort(comparePorts)) {
    const current = p.PrivatePort;
    let key = p.Type;
    if (p.IP) {
      if (p.PublicPort !== current) {
        mappings.push(`${joinHostPort(p.IP, p.PublicPort ?? 0)}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = `${p.IP}/${p.Type}`;
    }
    const g = groups.get(key);
    if (!g) { groups.set(key, { first: current, last: current }); continue; }
    if (current === g.last + 1) { g.last = current; continue; }
    result.push(formGroup(key, g.first, g.last));
    // Go replaces the map entry: the key keeps its first place in the closing order.
    g.first = current; g.last = current;
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...mappings].join(', ');
}

/** Go's sortorder.NaturalLess: digit runs compare as numbers. */
export function naturalLess(a: string, b: string): boolean {
  const re = /(\d+|\D+)/g;
  const xa = a.match(re) ?? []; const xb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const [x, y] = [xa[i], xb[i]];
    if (x === y) continue;
    const dx = /^\d/.test(x); const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+/, ''); const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length < ny.length;
      if (nx !== ny) return nx < ny;
      return x.length < y.length;
    }
    return x < y;
  }
  return xa.length < xb.length;
}
