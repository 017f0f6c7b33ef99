/** `GET /system/df`: disk usage of images, containers, volumes and the build cache (API < 1.52 shape). */
import type { Router } from '../router';
import { sendJson } from '../respond';
import { apiAtLeast } from '../../engine-api';
import { InvalidArgument } from '../../errdefs';
import type { ImagesDiskUsage } from '../../services/images';
import type { ContainerRecord, ContainerService } from '../../services/containers';
import { containerSummary } from '../dto/container-dto';
import { imageSummaryDto } from '../dto/image-summary';
import { volumeUsageDto } from '../dto/volume-dto';
import type { VolumeService } from '../../services/volumes';

export interface DiskUsageDeps {
  images(opts: { virtualSize: boolean }): Promise<ImagesDiskUsage>;
  containers: ContainerService;
  /** SizeRw (the container's writable layer) and SizeRootFs (that plus its image). */
  containerSizes(rec: ContainerRecord): Promise<{ SizeRw: number; SizeRootFs: number }>;
  /** Volumes with their sizes and reference counts. */
  volumes?: Pick<VolumeService, 'usage'>;
  /** The build cache's records (`BuildCache`; their sizes make BuilderSize before API 1.42). */
  buildCache?: () => Promise<Array<{ Size: number }>>;
}

const TYPES = ['container', 'image', 'volume', 'build-cache'];

export function diskUsageRoutes(router: Router, d: DiskUsageDeps): void {
  router.add('GET', '/system/df', async (ctx) => {
    // `type` selects what to compute from API 1.42; unasked parts are null
    const types = apiAtLeast(ctx.apiVersion, '1.42') ? ctx.query.getAll('type') : [];
    for (const t of types) if (!TYPES.includes(t)) throw new InvalidArgument(`unknown object type: ${t}`);
    const want = (t: string) => !types.length || types.includes(t);
    const body: Record<string, unknown> = { LayersSize: 0, Images: null, Containers: null, Volumes: null, BuildCache: null };
    if (want('image')) {
      const usage = await d.images({ virtualSize: !apiAtLeast(ctx.apiVersion, '1.44') });
      body.LayersSize = usage.LayersSize;
      body.Images = usage.Images.map((s) => imageSummaryDto(ctx.apiVersion, s));
    }
    if (want('container')) {
      const recs = d.containers.list().sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
      body.Containers = await Promise.all(recs.map(async (r) => {
        const { SizeRw, SizeRootFs } = await d.containerSizes(r);
        // Docker's Container summary omits zero sizes
        return { ...containerSummary(r), ...(SizeRw ? { SizeRw } : {}), ...(SizeRootFs ? { SizeRootFs } : {}) };
      }));
    }
    if (want('volume')) body.Volumes = d.volumes ? (await d.volumes.usage()).map(volumeUsageDto) : [];
    const cache = want('build-cache') ? (await d.buildCache?.()) ?? [] : [];
    // null before API 1.42, as moby answered then; BuilderSize sums the records
    if (want('build-cache')) body.BuildCache = apiAtLeast(ctx.apiVersion, '1.42') ? cache : null;
    if (!apiAtLeast(ctx.apiVersion, '1.42')) body.BuilderSize = cache.reduce((n, c) => n + c.Size, 0);
    sendJson(ctx.res!, 200, body);
  });
}
