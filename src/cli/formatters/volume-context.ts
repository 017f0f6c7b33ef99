/** The rows and fields `volume ls --format` sees, as docker's volumeContext computes them. */
import type { VolumeInfo } from '../../client';
import { humanSize4 } from '../../lib/go-units';

export const VOLUMES_DEFAULT_FORMAT = 'table {{.Driver}}\t{{.Name}}';
export const VOLUMES_HEADERS: Record<string, string> = {
  Name: 'VOLUME NAME', Driver: 'DRIVER', Scope: 'SCOPE', Mountpoint: 'MOUNTPOINT', Labels: 'LABELS',
  Links: 'LINKS', Size: 'SIZE', Group: 'GROUP', Availability: 'AVAILABILITY', Status: 'STATUS',
};

/** docker's NewVolumeFormat: `table` and `raw`, each with its -q form. */
export function volumeFormat(source: string, quiet: boolean): string {
  if (source === 'table') return quiet ? '{{.Name}}' : VOLUMES_DEFAULT_FORMAT;
  if (source === 'raw') return quiet ? 'name: {{.Name}}' : 'name: {{.Name}}\ndriver: {{.Driver}}\n';
  return source;
}

/** Go's sortorder.NaturalLess: digit runs compare by value. */
export function naturalLess(a: string, b: string): boolean {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [x, y] = [pa[i], pb[i]];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return Number(x) !== Number(y) ? Number(x) < Number(y) : x.length < y.length;
    return x < y;
  }
  return pa.length < pb.length;
}

export function volumeContext(v: VolumeInfo): Record<string, unknown> {
  const labels = v.Labels ?? {};
  return {
    Name: v.Name,
    Driver: v.Driver,
    Scope: v.Scope,
    Mountpoint: v.Mountpoint,
    Labels: () => Object.entries(labels).map(([k, val]) => `${k}=${val}`).join(','),
    Label: (name: string) => (Object.hasOwn(labels, name) ? labels[name] : ''), // not Object.prototype's members
    Links: () => (v.UsageData ? String(v.UsageData.RefCount) : 'N/A'),
    Size: () => (v.UsageData ? humanSize4(v.UsageData.Size) : 'N/A'),
    Group: () => 'N/A',
    Availability: () => 'N/A',
    Status: () => 'N/A',
  };
}
