import { Writable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import type { Router, RouteContext } from '../router';
import { sendJson, sendStatus, startJsonStream } from '../respond';
import { parseBool, parseFilters } from '../../engine-api/query';
import { apiAtLeast } from '../../engine-api/version';
import { InvalidArgument, NotImplemented } from '../../errdefs';
import { errorMessage } from '../errors';
import { ImageDistribution, type ImageService, type ImportOptions } from '../../services/images';
import { pullRoute, pushRoute } from './image-distribution';
import { imageSummaryDto } from '../dto/image-summary';

const res = (ctx: RouteContext): ServerResponse => ctx.res!;
const withVirtualSize = (ctx: RouteContext) => !apiAtLeast(ctx.apiVersion, '1.44');

function filtersOf(ctx: RouteContext): Map<string, string[]> {
  try {
    return parseFilters(ctx.query.get('filters'));
  } catch (err) {
    throw new InvalidArgument((err as Error).message, { cause: err });
  }
}

/** A tar body whose 200 goes out with the first byte, so errors before it still get a status. */
function tarResponse(r: ServerResponse): Writable {
  const head = () => { if (!r.headersSent) r.writeHead(200, { 'Content-Type': 'application/x-tar' }); };
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      head();
      if (r.write(chunk)) cb();
      else r.once('drain', () => cb());
    },
    final(cb) { head(); r.end(); cb(); },
  });
}

/**
 * The `/images/*` routes of the Engine API. distribution: pull and push, made by the daemon
 * with its registry settings (the default has none).
 */
export function imageRoutes(router: Router, images: ImageService, distribution = new ImageDistribution(images.store)): void {
  router.add('GET', '/images/json', async (ctx) => {
    const filters = filtersOf(ctx);
    const legacyFilter = ctx.query.get('filter'); // API < 1.41: a reference glob
    if (legacyFilter && !apiAtLeast(ctx.apiVersion, '1.41')) filters.set('reference', [...(filters.get('reference') ?? []), legacyFilter]);
    const list = images.list({ all: parseBool(ctx.query.get('all')), filters, virtualSize: withVirtualSize(ctx) });
    if (apiAtLeast(ctx.apiVersion, '1.42') && parseBool(ctx.query.get('shared-size'))) await images.fillSharedSizes(list);
    sendJson(res(ctx), 200, list.map((s) => imageSummaryDto(ctx.apiVersion, s)));
  });

  router.add('POST', '/images/prune', async (ctx) => {
    const report = await images.prune(filtersOf(ctx));
    sendJson(res(ctx), 200, report);
  });

  router.add('POST', '/images/create', async (ctx) => {
    const q = ctx.query;
    if (q.get('fromImage')) { await pullRoute(ctx, distribution); return; }
    const src = q.get('fromSrc');
    if (!src) throw new NotImplemented('one of fromImage or fromSrc is required');
    const opts: ImportOptions = {
      repo: q.get('repo') || undefined,
      tag: q.get('tag') || undefined,
      message: q.get('message') || undefined,
      changes: q.getAll('changes').filter(Boolean),
    };
    if (src === '-') {
      const id = await images.importTar(ctx.req, opts);
      const stream = startJsonStream(res(ctx));
      stream.write({ status: id });
      stream.end();
      return;
    }
    // moby: a failed GET is the request's error; once "Downloading from" is out, errors are stream messages
    const abort = new AbortController();
    res(ctx).once('close', () => { if (!res(ctx).writableFinished) abort.abort(); });
    const source = await images.download(src, abort.signal);
    const stream = startJsonStream(res(ctx));
    stream.write({ status: `Downloading from ${source.url}` });
    try {
      stream.write({ status: await images.importTar(source.body, { ...opts, source: source.url }) });
    } catch (err) {
      stream.fail(errorMessage(err));
    }
    stream.end();
  });

  router.add('POST', '/images/{name*}/push', async (ctx) => {
    await pushRoute(ctx, distribution);
  });

  router.add('POST', '/images/load', async (ctx) => {
    const messages = await images.load(ctx.req);
    const stream = startJsonStream(res(ctx));
    for (const m of messages) stream.write({ stream: `${m}\n` });
    stream.end();
  });

  router.add('GET', '/images/get', async (ctx) => {
    const names = ctx.query.getAll('names').filter(Boolean);
    if (!names.length) throw new InvalidArgument('no image names given');
    await images.save(names, tarResponse(res(ctx)));
  });

  router.add('GET', '/images/{name*}/get', async (ctx) => {
    await images.save([ctx.params.name], tarResponse(res(ctx)));
  });

  router.add('GET', '/images/{name*}/json', async (ctx) => {
    sendJson(res(ctx), 200, await images.inspect(ctx.params.name, { virtualSize: withVirtualSize(ctx), containerFields: !apiAtLeast(ctx.apiVersion, '1.45') }));
  });

  router.add('GET', '/images/{name*}/history', async (ctx) => {
    sendJson(res(ctx), 200, await images.history(ctx.params.name));
  });

  router.add('POST', '/images/{name*}/tag', async (ctx) => {
    const repo = ctx.query.get('repo');
    if (!repo) throw new InvalidArgument('repository name must have at least one component');
    await images.tag(ctx.params.name, repo, ctx.query.get('tag') || undefined);
    sendStatus(res(ctx), 201);
  });

  router.add('DELETE', '/images/{name*}', async (ctx) => {
    const items = await images.remove(ctx.params.name, {
      force: parseBool(ctx.query.get('force')),
      noprune: parseBool(ctx.query.get('noprune')),
    });
    sendJson(res(ctx), 200, items);
  });
}
