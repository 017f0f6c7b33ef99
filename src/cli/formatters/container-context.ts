/** The fields `ps --format` sees for a container, as docker's ContainerContext computes them. */
import type { ContainerSummary } from '../../client';
import { goTimeString, timeAgo } from './units';
import { humanSize } from '../../lib/go-units';
import { GO_TYPE } from './go-template';
import { displayPorts } from './port-display';

export const PS_DEFAULT_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
export const PS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED',
  Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS',
  Label: 'LABEL', Mounts: 'MOUNTS', Networks: 'NETWORKS', LocalVolumes: 'LOCAL VOLUMES', Platform: 'PLATFORM',
};

/** docker's Ellipsis: cut to `max` characters, the last one replaced by `…`. */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  return chars.slice(0, max - 1).join('') + '…';
}

/** Go's strconv.Quote for the common cases. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
}

export function truncateId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function containerContext(c: ContainerSummary, opts: { trunc: boolean; now?: number }): Record<string, unknown> {
  const now = opts.now ?? Date.now();
  const labels = c.Labels ?? {};
  return {
    ID: opts.trunc ? truncateId(c.Id) : c.Id,
    Names: () => displayNames(c.Names, opts.trunc),
    Image: () => displayImage(c, opts.trunc),
    Command: () => goQuote(opts.trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: () => goTimeString(c.Created),
    RunningFor: () => timeAgo(c.Created, now),
    Ports: () => displayPorts(c.Ports ?? []),
    State: c.State,
    Status: c.Status,
    Size: () => {
      if (c.SizeRw === undefined && c.SizeRootFs === undefined) return '0B';
      const srw = humanSize(c.SizeRw ?? 0);
      const sv = humanSize(c.SizeRootFs ?? 0);
      return sv !== '0B' ? `${srw} (virtual ${sv})` : srw;
    },
    Labels: () => Object.keys(labels).map((k) => `${k}=${labels[k]}`).join(','),
    Label: (name: string) => (Object.hasOwn(labels, name) ? labels[name] : ''), // not Object.prototype's members
    Mounts: () => (c.Mounts ?? []).map((m) => (m.Name ? (opts.trunc ? ellipsis(m.Name, 15) : m.Name) : m.Source ?? '')).join(','),
    LocalVolumes: () => String((c.Mounts ?? []).filter((m) => m.Type === 'volume').length),
    Networks: () => Object.keys(c.NetworkSettings?.Networks ?? {}).sort().join(','),
    Platform: null,
    [GO_TYPE]: '*formatter.ContainerContext',
  };
}

function displayNames(names: string[], trunc: boolean): string {
  const out: string[] = [];
  for (const n of names ?? []) {
    const bare = n.replace(/^\//, '');
    if (trunc && bare.includes('/')) continue; // a link name, shown only with --no-trunc
    out.push(bare);
  }
  return out.join(',');
}

function displayImage(c: ContainerSummary, trunc: boolean): string {
  if (!c.Image) return '<no image>';
  if (!trunc) return c.Image;
  if (c.ImageID && truncateId(c.ImageID) === truncateId(c.Image)) return truncateId(c.Image);
  return c.Image.replace(/@sha256:[0-9a-f]+$/, '');
}
