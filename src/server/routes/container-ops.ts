/** Routes for pause, unpause, top, prune, update and stats: DTO -> ops -> DTO. */
import type { Router, RouteContext } from '../router';
import { readJsonBody } from '../router';
import { sendJson, sendStatus } from '../respond';
import { parseBool, parseFilters } from '../../engine-api';
import { InvalidArgument } from '../../errdefs';
import { containerUpdateShape } from '../dto/body-shapes';
import type { ContainerService } from '../../services/containers';
import {
  pauseContainer, unpauseContainer, topContainer, pruneContainers, updateContainer, collectStats, type UpdateBody,
} from '../../services/containers/ops';

const res = (ctx: RouteContext) => ctx.res!;

export function containerOpsRoutes(router: Router, svc: ContainerService): void {
  router.add('POST', '/containers/prune', async (ctx) => {
    let filters;
    try { filters = parseFilters(ctx.query.get('filters')); } catch (e) { throw new InvalidArgument((e as Error).message, { cause: e }); }
    sendJson(res(ctx), 200, await pruneContainers(svc, filters));
  });

  router.add('POST', '/containers/{id}/pause', async (ctx) => {
    await pauseContainer(svc, ctx.params.id);
    sendStatus(res(ctx), 204);
  });

  router.add('POST', '/containers/{id}/unpause', async (ctx) => {
    await unpauseContainer(svc, ctx.params.id);
    sendStatus(res(ctx), 204);
  });

  router.add('GET', '/containers/{id}/top', async (ctx) => {
    sendJson(res(ctx), 200, await topContainer(svc, ctx.params.id, ctx.query.get('ps_args') ?? ''));
  });

  router.add('POST', '/containers/{id}/update', async (ctx) => {
    const body = await readJsonBody<UpdateBody | null>(ctx.req, containerUpdateShape);
    sendJson(res(ctx), 200, await updateContainer(svc, ctx.params.id, body ?? {}));
  });

  router.add('GET', '/containers/{id}/stats', async (ctx) => {
    const stream = parseBool(ctx.query.get('stream'), true);
    const oneShot = parseBool(ctx.query.get('one-shot'));
    if (oneShot && stream) throw new InvalidArgument('cannot have stream=true and one-shot=true');
    svc.inspect(ctx.params.id);
    const r = res(ctx);
    const abort = new AbortController();
    r.on('close', () => abort.abort());
    r.writeHead(200, { 'Content-Type': 'application/json' });
    r.flushHeaders();
    await collectStats(svc, ctx.params.id, { stream, oneShot, signal: abort.signal }, (s) => { r.write(JSON.stringify(s) + '\n'); });
    r.end();
  });
}
