/** The volume endpoints: list, create, inspect, remove, prune (Docker's JSON and errors). */
import type { Router, RouteContext } from '../router';
import { readJsonBody } from '../router';
import { sendJson, sendStatus } from '../respond';
import { apiAtLeast, parseBool, parseFilters } from '../../engine-api';
import { InvalidArgument } from '../../errdefs';
import type { VolumeService } from '../../services/volumes';
import { volumeDto } from '../dto/volume-dto';
import { volumeCreateShape } from '../dto/body-shapes';

interface CreateBody { Name?: string; Driver?: string; DriverOpts?: Record<string, string> | null; Labels?: Record<string, string> | null }

function filtersOf(ctx: RouteContext) {
  try { return parseFilters(ctx.query.get('filters')); } catch (e) { throw new InvalidArgument((e as Error).message, { cause: e }); }
}

function stringMap(field: string, v: unknown): Record<string, string> | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw new InvalidArgument(`invalid JSON: ${field} must be an object of strings`);
  }
  return v as Record<string, string>;
}

export function volumeRoutes(router: Router, svc: VolumeService): void {
  router.add('GET', '/volumes', async (ctx) => {
    const volumes = svc.list(filtersOf(ctx)).map(volumeDto);
    sendJson(ctx.res!, 200, { Volumes: volumes, Warnings: null });
  });

  router.add('POST', '/volumes/create', async (ctx) => {
    const body = await readJsonBody<CreateBody | null>(ctx.req, volumeCreateShape) ?? {};
    const { volume } = await svc.create({
      name: body.Name || undefined, driver: body.Driver || undefined,
      options: stringMap('DriverOpts', body.DriverOpts), labels: stringMap('Labels', body.Labels),
    });
    sendJson(ctx.res!, 201, volumeDto(volume));
  });

  router.add('POST', '/volumes/prune', async (ctx) => {
    // API 1.42 made prune take anonymous volumes only, unless the `all` filter asks for all.
    const report = await svc.prune(filtersOf(ctx), { allByDefault: !apiAtLeast(ctx.apiVersion, '1.42') });
    sendJson(ctx.res!, 200, report);
  });

  router.add('GET', '/volumes/{name}', async (ctx) => {
    sendJson(ctx.res!, 200, volumeDto(svc.inspect(ctx.params.name)));
  });

  router.add('DELETE', '/volumes/{name}', async (ctx) => {
    await svc.remove(ctx.params.name, { force: parseBool(ctx.query.get('force')) });
    sendStatus(ctx.res!, 204);
  });
}
