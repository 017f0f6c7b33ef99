/** The rows and fields `network ls --format` sees, as docker's networkContext computes them. */
import type { NetworkResource } from '../../client';
import { truncateId } from './container-context';
import { GO_TYPE } from './go-template';

export const NETWORKS_DEFAULT_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
export const NETWORKS_HEADERS: Record<string, string> = {
  ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv4: 'IPV4', IPv6: 'IPV6',
  Internal: 'INTERNAL', Labels: 'LABELS', Label: 'LABEL', CreatedAt: 'CREATED AT',
};

/** Go's time.Time String() of an RFC 3339 time, keeping its fraction: "2026-11-22 18:04:35.862231942 +0000 UTC". */
export function goTimeOfRfc3339(t: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(t);
  if (!m) return t;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return `${m[1]} ${m[2]}${frac ? `.${frac}` : ''} +0000 UTC`;
}

export function networkContext(n: NetworkResource & { EnableIPv4?: boolean }, opts: { trunc: boolean }): Record<string, unknown> {
  const labels = n.Labels ?? {};
  return {
    ID: opts.trunc ? truncateId(n.Id) : n.Id,
    Name: n.Name,
    Driver: n.Driver,
    Scope: n.Scope,
    IPv4: () => String(!!n.EnableIPv4),
    IPv6: () => String(n.EnableIPv6),
    Internal: () => String(n.Internal),
    Labels: () => Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
    Label: (name: string) => (Object.hasOwn(labels, name) ? labels[name] : ''), // not Object.prototype's members
    CreatedAt: () => goTimeOfRfc3339(n.Created),
    [GO_TYPE]: '*formatter.networkContext',
  };
}

/** docker sorts networks by name, with digits compared as numbers. */
export function sortNetworks(list: NetworkResource[]): NetworkResource[] {
  return [...list].sort((a, b) => a.Name.localeCompare(b.Name, 'en', { numeric: true }));
}
