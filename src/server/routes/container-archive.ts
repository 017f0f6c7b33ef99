import type { Router, RouteContext } from '../router';
import { sendJson } from '../respond';
import { sendError } from '../errors';
import { parseBool } from '../../engine-api';
import { InvalidArgument } from '../../errdefs';
import { encodePathStat, type ContainerArchive } from '../../services/containers/archive';

const STAT_HEADER = 'X-Docker-Container-Path-Stat';

function pathParam(ctx: RouteContext): string {
  const path = ctx.query.get('path');
  if (!path) throw new InvalidArgument('path must not be empty');
  return path;
}

/** An AbortSignal that fires when the client goes away before the answer is complete. */
function clientGone(ctx: RouteContext): AbortSignal {
  const ac = new AbortController();
  ctx.res!.once('close', () => { if (!ctx.res!.writableFinished) ac.abort(new Error('client closed the connection')); });
  return ac.signal;
}

/** `docker cp` (archive), `docker export` and `docker diff`. */
export function containerArchiveRoutes(router: Router, archive: ContainerArchive): void {
  router.add('HEAD', '/containers/{id}/archive', async (ctx) => {
    const stat = await archive.statPath(ctx.params.id, pathParam(ctx));
    ctx.res!.writeHead(200, { [STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/x-tar' });
    ctx.res!.end();
  });

  router.add('GET', '/containers/{id}/archive', async (ctx) => {
    const { stat, tar } = await archive.getArchive(ctx.params.id, pathParam(ctx), clientGone(ctx));
    const res = ctx.res!;
    res.writeHead(200, { [STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/x-tar' });
    tar.on('error', (err) => sendError(res, err));
    tar.pipe(res);
  });

  router.add('PUT', '/containers/{id}/archive', async (ctx) => {
    await archive.putArchive(ctx.params.id, pathParam(ctx), ctx.req, {
      noOverwriteDirNonDir: parseBool(ctx.query.get('noOverwriteDirNonDir')),
      copyUIDGID: parseBool(ctx.query.get('copyUIDGID')),
    });
    ctx.res!.writeHead(200);
    ctx.res!.end();
  });

  router.add('GET', '/containers/{id}/export', async (ctx) => {
    const tar = await archive.exportRootfs(ctx.params.id, clientGone(ctx));
    const res = ctx.res!;
    res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    tar.on('error', (err) => sendError(res, err));
    tar.pipe(res);
  });

  router.add('GET', '/containers/{id}/changes', async (ctx) => {
    sendJson(ctx.res!, 200, await archive.changes(ctx.params.id));
  });
}
