/**
 * `POST /build` and `POST /build/prune`. The build answers as Docker's legacy builder does: a
 * bad request (query, context, Dockerfile) is an HTTP error; once the build runs, a chunked
 * JSON stream of `{"stream": ...}`, `{"aux": {"ID": ...}}` and, on failure, `{"errorDetail":
 * {"code": N, "message": ...}, "error": ...}` (the code: a failed RUN's exit code). With `q`
 * the output is held back and only the image ID is sent, or everything when the build fails.
 */
import type { Router, RouteContext } from '../router';
import { sendJson, startJsonStream } from '../respond';
import { apiAtLeast, parseBool, parseFilters } from '../../engine-api';
import { findBerthError, InvalidArgument, NotImplemented } from '../../errdefs';
import { errorMessage } from '../errors';
import type { BuildOptions, BuildService } from '../../services/build';
import { safeRelPath } from '../../lib/tar';

function jsonParam<T>(ctx: RouteContext, name: string, what: string, check: (v: unknown) => boolean): T | undefined {
  const raw = ctx.query.get(name);
  if (!raw) return undefined;
  let v: unknown;
  try { v = JSON.parse(raw); } catch (err) {
    throw new InvalidArgument(`error reading ${what}: ${(err as Error).message}`, { cause: err });
  }
  if (!check(v)) throw new InvalidArgument(`error reading ${what}: invalid value ${raw}`);
  return v as T;
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** moby's words for a `dockerfile` that names a path outside the context: refused before the context is read. */
function dockerfileParam(name: string | null): string | undefined {
  if (!name) return undefined;
  try { safeRelPath(name); } catch (err) {
    throw new InvalidArgument(`forbidden path outside the build context: ${name} ()`, { cause: err });
  }
  return name;
}

/** The build options from the query, as moby's newImageBuildOptions reads them. */
export function buildOptionsOf(ctx: RouteContext): BuildOptions {
  const q = ctx.query;
  if (q.get('remote')) throw new NotImplemented('remote build contexts (git, URL) are not supported: send the context as the request body');
  const version = q.get('version');
  if (version && version !== '1') throw new InvalidArgument(version === '2' ? 'BuildKit is not supported by this daemon: use the legacy builder (DOCKER_BUILDKIT=0)' : `invalid version "${version}"`);
  if (parseBool(q.get('squash'))) throw new InvalidArgument('squash is only supported with experimental mode');
  const args = jsonParam<Record<string, string | null>>(ctx, 'buildargs', 'build args', (v) => isObject(v) && Object.values(v as object).every((x) => x === null || typeof x === 'string')) ?? {};
  const labels = jsonParam<Record<string, string>>(ctx, 'labels', 'labels', (v) => isObject(v) && Object.values(v as object).every((x) => typeof x === 'string')) ?? {};
  const cacheFrom = jsonParam<string[]>(ctx, 'cachefrom', 'cache from', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')) ?? [];
  const forceRm = parseBool(q.get('forcerm'));
  const rm = forceRm || (q.get('rm') === null || q.get('rm') === '' ? true : parseBool(q.get('rm')));
  const networkMode = q.get('networkmode') || undefined;
  return {
    tags: q.getAll('t').filter(Boolean),
    dockerfile: dockerfileParam(q.get('dockerfile')),
    buildArgs: new Map(Object.entries(args)),
    target: q.get('target') || undefined,
    noCache: parseBool(q.get('nocache')),
    pull: parseBool(q.get('pull')),
    labels,
    networkMode: networkMode === 'default' ? undefined : networkMode,
    extraHosts: q.getAll('extrahosts').flatMap((h) => h.split(',')).filter(Boolean),
    platform: apiAtLeast(ctx.apiVersion, '1.32') ? q.get('platform') || undefined : undefined,
    remove: rm,
    cacheFrom,
  };
}

export function buildRoutes(router: Router, builds: BuildService): void {
  router.add('POST', '/build', async (ctx) => {
    const res = ctx.res!;
    const options = buildOptionsOf(ctx);
    const quiet = parseBool(ctx.query.get('q'));
    const wantAux = apiAtLeast(ctx.apiVersion, '1.30');
    const prepared = await builds.prepare(ctx.req, options);
    const stream = startJsonStream(res);
    const held: unknown[] = [];
    const send = (msg: unknown) => (quiet ? held.push(msg) : stream.write(msg));
    const abort = new AbortController();
    res.once('close', () => { if (!res.writableFinished) abort.abort(); });
    try {
      const id = await builds.run(prepared, {
        stream: (text) => send({ stream: text }),
        stderr: (text) => send({ stream: `\u001b[91m${text}\u001b[0m` }),
        aux: (imageId) => { if (wantAux) send({ aux: { ID: imageId } }); },
      }, abort.signal);
      if (quiet) {
        for (const m of held) if ((m as { aux?: unknown }).aux) stream.write(m);
        stream.write({ stream: `${id}\n` });
      }
    } catch (err) {
      if (quiet) for (const m of held) stream.write(m);
      const message = errorMessage(err);
      const code = findBerthError(err)?.exitCode;
      stream.write({ errorDetail: { ...(code ? { code } : {}), message }, error: message });
    } finally {
      stream.end();
      await builds.dispose(prepared);
    }
  });

  router.add('POST', '/build/prune', async (ctx) => {
    let filters: Map<string, string[]>;
    try { filters = parseFilters(ctx.query.get('filters')); } catch (err) {
      throw new InvalidArgument(`could not parse filters: ${(err as Error).message}`, { cause: err });
    }
    const ks = ctx.query.get('keep-storage') || '0';
    if (!/^\d+$/.test(ks)) throw new InvalidArgument(`keep-storage is in bytes and expects an integer, got ${ks}`);
    sendJson(ctx.res!, 200, await builds.prune({ all: parseBool(ctx.query.get('all')), filters, keepStorage: Number(ks) }));
  });

  router.add('POST', '/build/cancel', async (ctx) => {
    if (!ctx.query.get('id')) throw new InvalidArgument('build ID not provided');
    throw new NotImplemented('cancelling a build by ID is not supported: close the /build request instead');
  });
}
