/** `system df` output, as docker's DiskUsageContext (CLI 28, API < 1.52) renders it. */
import type { ContainerSummary, DiskUsage, ImageSummary } from '../../client';
import { containerContext, PS_HEADERS } from './container-context';
import { renderRows } from './format';
import { GO_TYPE } from './go-template';
import { IMAGES_HEADERS, imageContext, isDangling, splitTag } from './image-context';
import { timeAgo } from './units';
import { humanSize, humanSize4 } from '../../lib/go-units';

export const DF_DEFAULT_FORMAT = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const DF_RAW_FORMAT = 'type: {{.Type}}\ntotal: {{.TotalCount}}\nactive: {{.Active}}\nsize: {{.Size}}\nreclaimable: {{.Reclaimable}}\n';
const DF_HEADERS = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

const IMAGES_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';
const CONTAINERS_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';
const VOLUMES_FORMAT = 'table {{.Name}}\t{{.Links}}\t{{.Size}}';
const BUILD_CACHE_FORMAT = 'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}';
const VOLUME_HEADERS = { Name: 'VOLUME NAME', Links: 'LINKS', Size: 'SIZE' };
const BUILD_CACHE_HEADERS = {
  ID: 'CACHE ID', CacheType: 'CACHE TYPE', Size: 'SIZE', CreatedSince: 'CREATED', LastUsedSince: 'LAST USED', UsageCount: 'USAGE', Shared: 'SHARED',
};

type Volume = NonNullable<DiskUsage['Volumes']>[number];
type CacheRecord = NonNullable<DiskUsage['BuildCache']>[number];

/** `12.3MB (45%)` as docker prints a reclaimable size against its total. */
function reclaimable(bytes: number, total: number): string {
  return total > 0 ? `${humanSize4(bytes)} (${Math.trunc((bytes * 100) / total)}%)` : humanSize4(bytes);
}

const ACTIVE_STATES = new Set(['running', 'paused', 'restarting']);

interface SummaryRow { Type: string; TotalCount: string; Active: string; Size: string; Reclaimable: string }

/** The four summary rows: Images, Containers, Local Volumes, Build Cache. */
export function diskUsageRows(du: DiskUsage): SummaryRow[] {
  const images = du.Images ?? [];
  const containers = du.Containers ?? [];
  const volumes = du.Volumes ?? [];
  const cache = du.BuildCache ?? [];
  const used = images.filter((i) => i.Containers !== 0 && i.Size !== -1 && i.SharedSize !== -1)
    .reduce((n, i) => n + i.Size - i.SharedSize, 0);
  const rw = (c: ContainerSummary) => c.SizeRw ?? 0;
  const ctrTotal = containers.reduce((n, c) => n + rw(c), 0);
  const sized = volumes.filter((v) => v.UsageData && v.UsageData.Size !== -1);
  const volTotal = sized.reduce((n, v) => n + v.UsageData!.Size, 0);
  const cacheTotal = cache.filter((b) => !b.Shared).reduce((n, b) => n + b.Size, 0);
  return [
    {
      Type: 'Images', TotalCount: String(images.length), Active: String(images.filter((i) => i.Containers > 0).length),
      Size: humanSize4(du.LayersSize), Reclaimable: reclaimable(du.LayersSize - used, du.LayersSize),
    },
    {
      Type: 'Containers', TotalCount: String(containers.length), Active: String(containers.filter((c) => ACTIVE_STATES.has(c.State)).length),
      Size: humanSize4(ctrTotal), Reclaimable: reclaimable(containers.filter((c) => !ACTIVE_STATES.has(c.State)).reduce((n, c) => n + rw(c), 0), ctrTotal),
    },
    {
      Type: 'Local Volumes', TotalCount: String(volumes.length), Active: String(volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length),
      Size: humanSize4(volTotal), Reclaimable: reclaimable(sized.filter((v) => v.UsageData!.RefCount === 0).reduce((n, v) => n + v.UsageData!.Size, 0), volTotal),
    },
    {
      Type: 'Build Cache', TotalCount: String(cache.length), Active: String(cache.filter((b) => b.InUse).length),
      Size: humanSize4(cacheTotal), Reclaimable: humanSize4(cacheTotal - cache.filter((b) => b.InUse && !b.Shared).reduce((n, b) => n + b.Size, 0)),
    },
  ];
}

const GO_TYPES: Record<string, string> = {
  Images: '*formatter.diskUsageImagesContext', Containers: '*formatter.diskUsageContainersContext',
  'Local Volumes': '*formatter.diskUsageVolumesContext', 'Build Cache': '*formatter.diskUsageBuilderContext',
};

/** `system df [--format]`: the summary table, or the format once per row. */
export function renderDiskUsage(du: DiskUsage, format = 'table'): string {
  const f = format === 'table' ? DF_DEFAULT_FORMAT : format === 'raw' ? DF_RAW_FORMAT : format;
  return renderRows(f, diskUsageRows(du), { headers: DF_HEADERS, toContext: (r) => ({ ...r, [GO_TYPE]: GO_TYPES[r.Type] }) });
}

/** df -v names an image by its first tag only. */
function firstTag(i: ImageSummary): { repo: string; tag: string } {
  const split = !isDangling(i) && i.RepoTags?.length ? splitTag(i.RepoTags[0]) : undefined;
  return split ?? { repo: '<none>', tag: '<none>' };
}

function volumeContext(v: Volume): Record<string, unknown> {
  const usage = v.UsageData;
  return {
    Name: v.Name,
    Links: () => (!usage || usage.RefCount === -1 ? 'N/A' : String(usage.RefCount)),
    Size: () => (!usage || usage.Size === -1 ? 'N/A' : humanSize4(usage.Size)),
  };
}

function buildCacheContext(b: CacheRecord, now: number): Record<string, unknown> {
  return {
    ID: b.InUse ? `${b.ID.slice(0, 12)}*` : b.ID.slice(0, 12),
    CacheType: b.Type,
    Size: () => humanSize(b.Size),
    CreatedSince: () => timeAgo(Date.parse(b.CreatedAt) / 1000, now),
    LastUsedSince: () => (b.LastUsedAt ? timeAgo(Date.parse(b.LastUsedAt) / 1000, now) : ''),
    UsageCount: () => String(b.UsageCount),
    Shared: () => String(b.Shared),
  };
}

/** `system df -v`: a table per kind, each under its heading. */
export function renderDiskUsageVerbose(du: DiskUsage, now = Date.now()): string {
  const images = (du.Images ?? []).map((image) => ({ image, ...firstTag(image), digest: '' }));
  // docker zeroes SizeRootFs here: the virtual size is not shown
  const containers = (du.Containers ?? []).map((c) => ({ ...c, SizeRootFs: 0 }));
  const cache = [...(du.BuildCache ?? [])].sort((a, b) => a.ID.localeCompare(b.ID));
  const cacheTotal = cache.filter((b) => !b.Shared).reduce((n, b) => n + b.Size, 0);
  return [
    'Images space usage:\n\n',
    renderRows(IMAGES_FORMAT, images, { headers: IMAGES_HEADERS, toContext: (r) => imageContext(r, { trunc: true, now }) }),
    '\nContainers space usage:\n\n',
    renderRows(CONTAINERS_FORMAT, containers, { headers: PS_HEADERS, toContext: (c) => containerContext(c, { trunc: true, now }) }),
    '\nLocal Volumes space usage:\n\n',
    renderRows(VOLUMES_FORMAT, du.Volumes ?? [], { headers: VOLUME_HEADERS, toContext: volumeContext }),
    `\nBuild cache usage: ${humanSize4(cacheTotal)}\n\n`,
    renderRows(BUILD_CACHE_FORMAT, cache, { headers: BUILD_CACHE_HEADERS, toContext: (b) => buildCacheContext(b, now) }),
  ].join('');
}
