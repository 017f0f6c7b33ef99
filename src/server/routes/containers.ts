import type { Router, RouteContext } from '../router';
import { readJsonBody } from '../router';
import { sendJson, sendStatus } from '../respond';
import { parseBool, parseFilters, apiAtLeast } from '../../engine-api';
import { InvalidArgument, NotImplemented } from '../../errdefs';
import { dockerTimestamp } from '../../lib/k8s-log';
import { readLogs, logPath, containerFilter, createWarnings, type ContainerService, type ContainerRecord, type WaitCondition } from '../../services/containers';
import { containerInspect, containerSummary } from '../dto/container-dto';
import { frame, STDOUT, STDERR } from '../stream-framing';
import { commonHeaders } from '../http-server';
import type { CreateRequest } from '../../services/containers/create-container';
import { containerCreateShape } from '../dto/body-shapes';

const res = (ctx: RouteContext) => ctx.res!;

function filtersOf(ctx: RouteContext) {
  try { return parseFilters(ctx.query.get('filters')); } catch (e) { throw new InvalidArgument((e as Error).message); }
}

/** Unix seconds (with fraction) or RFC 3339 to milliseconds; empty is 0. */
function timeParam(v: string | null): number {
  if (!v) return 0;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.floor(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new InvalidArgument(`invalid value for time: ${v}`);
  return t;
}

/** What listing with `size=1` needs from outside the container service. */
export interface ContainerListDeps {
  /** SizeRw (the container's writable layer) and SizeRootFs (that plus its image). */
  sizes(rec: ContainerRecord): Promise<{ SizeRw: number; SizeRootFs: number }>;
}

export function containerRoutes(router: Router, svc: ContainerService, list?: ContainerListDeps): void {
  router.add('POST', '/containers/create', async (ctx) => {
    const body = await readJsonBody<CreateRequest['body'] | null>(ctx.req, containerCreateShape);
    // As dockerd: a `null` body decodes to no config at all.
    if (body === null) throw new InvalidArgument('Config cannot be empty in order to create a container');
    // API 1.44 made "default" (or no mode) read back as "bridge"; older clients keep "default".
    const hc = body.HostConfig;
    if (apiAtLeast(ctx.apiVersion, '1.44') && (!hc?.NetworkMode || hc.NetworkMode === 'default')) {
      body.HostConfig = { ...hc, NetworkMode: 'bridge' };
    }
    const rec = await svc.create({ name: ctx.query.get('name') ?? undefined, body });
    sendJson(res(ctx), 201, { Id: rec.id, Warnings: createWarnings.get(rec) ?? [] });
  });

  router.add('GET', '/containers/json', async (ctx) => {
    const all = parseBool(ctx.query.get('all'));
    const filters = filtersOf(ctx);
    const limit = Number(ctx.query.get('limit') ?? -1);
    const matches = await containerFilter(filters, {
      find: (ref) => svc.store.find(ref),
      imageId: (ref) => svc.ctx.images.resolveForContainer(ref).then((i) => i.id, () => undefined),
    });
    let recs = svc.list()
      .filter((r) => all || limit > 0 || r.state.status === 'running' || r.state.status === 'paused' || filters.has('status'))
      .filter(matches)
      .sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
    if (limit > 0) recs = recs.slice(0, limit);
    const size = parseBool(ctx.query.get('size')) && list;
    sendJson(res(ctx), 200, await Promise.all(recs.map(async (r) => (size ? { ...containerSummary(r), ...await size.sizes(r) } : containerSummary(r)))));
  });

  router.add('GET', '/containers/{id}/json', async (ctx) => {
    const rec = svc.inspect(ctx.params.id);
    sendJson(res(ctx), 200, containerInspect(rec, { dir: svc.store.dir(rec.id), logPath: logPath(svc.ctx, rec.id), apiVersion: ctx.apiVersion }));
  });

  router.add('POST', '/containers/{id}/start', async (ctx) => {
    await svc.start(ctx.params.id);
    sendStatus(res(ctx), 204);
  });

  router.add('POST', '/containers/{id}/stop', async (ctx) => {
    const t = ctx.query.get('t') ?? ctx.query.get('timeout');
    await svc.stop(ctx.params.id, { timeout: t === null ? undefined : Number(t), signal: ctx.query.get('signal') ?? undefined });
    sendStatus(res(ctx), 204);
  });

  router.add('POST', '/containers/{id}/restart', async (ctx) => {
    const t = ctx.query.get('t') ?? ctx.query.get('timeout');
    await svc.restart(ctx.params.id, { timeout: t === null ? undefined : Number(t), signal: ctx.query.get('signal') ?? undefined });
    sendStatus(res(ctx), 204);
  });

  router.add('POST', '/containers/{id}/kill', async (ctx) => {
    await svc.kill(ctx.params.id, ctx.query.get('signal') || 'SIGKILL');
    sendStatus(res(ctx), 204);
  });

  router.add('DELETE', '/containers/{id}', async (ctx) => {
    await svc.remove(ctx.params.id, { force: parseBool(ctx.query.get('force')), volumes: parseBool(ctx.query.get('v')) });
    sendStatus(res(ctx), 204);
  });

  router.add('POST', '/containers/{id}/rename', async (ctx) => {
    await svc.rename(ctx.params.id, ctx.query.get('name') ?? '');
    sendStatus(res(ctx), 204);
  });

  router.add('POST', '/containers/{id}/resize', async (ctx) => {
    svc.resize(ctx.params.id, Number(ctx.query.get('h') ?? 0), Number(ctx.query.get('w') ?? 0));
    sendStatus(res(ctx), 200);
  });

  router.add('POST', '/containers/{id}/wait', async (ctx) => {
    const condition = (ctx.query.get('condition') || 'not-running') as WaitCondition;
    if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw new InvalidArgument(`invalid condition: "${condition}"`);
    const done = svc.wait(ctx.params.id, condition);
    const r = res(ctx);
    r.writeHead(200, { 'Content-Type': 'application/json' });
    r.flushHeaders();
    const code = await done;
    r.end(JSON.stringify({ StatusCode: code, Error: null }) + '\n');
  });

  router.add('GET', '/containers/{id}/logs', async (ctx) => {
    const q = ctx.query;
    const rec = svc.inspect(ctx.params.id);
    const stdout = parseBool(q.get('stdout'));
    const stderr = parseBool(q.get('stderr'));
    if (!stdout && !stderr) throw new InvalidArgument('Bad parameters: you must choose at least one stream');
    if ((rec.hostConfig.LogConfig as { Type?: string } | undefined)?.Type === 'none') throw new NotImplemented('configured logging driver does not support reading');
    const tailRaw = q.get('tail');
    const tail = !tailRaw || tailRaw === 'all' ? undefined : Number(tailRaw);
    const timestamps = parseBool(q.get('timestamps'));
    const follow = parseBool(q.get('follow'));
    const tty = rec.config.Tty;
    const r = res(ctx);
    r.writeHead(200, { 'Content-Type': tty || !apiAtLeast(ctx.apiVersion, '1.42') ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream' });
    r.flushHeaders();
    const abort = new AbortController();
    r.on('close', () => abort.abort());
    const running = rec.state.status === 'running' || rec.state.status === 'paused';
    const stopped = running ? svc.wait(rec.id, 'not-running').catch(() => 0) : Promise.resolve(0);
    await readLogs(logPath(svc.ctx, rec.id), {
      stdout, stderr, follow: follow && running, tail: tail !== undefined && Number.isFinite(tail) ? tail : undefined,
      sinceMs: timeParam(q.get('since')), untilMs: timeParam(q.get('until')),
    }, (rec2) => {
      const data = timestamps ? Buffer.concat([Buffer.from(dockerTimestamp(rec2) + ' '), rec2.data]) : rec2.data;
      r.write(tty ? data : frame(rec2.stream === 'stdout' ? STDOUT : STDERR, data));
    }, stopped, abort.signal);
    r.end();
  });

  router.add('POST', '/containers/{id}/attach', async (ctx) => attach(ctx, svc));
}

/** Attach: hijacked (101) when the client asked to upgrade, else a plain streaming 200. */
async function attach(ctx: RouteContext, svc: ContainerService): Promise<void> {
  const q = ctx.query;
  const rec = svc.inspect(ctx.params.id);
  const multiplexed = !rec.config.Tty && apiAtLeast(ctx.apiVersion, '1.42');
  const contentType = multiplexed ? 'application/vnd.docker.multiplexed-stream' : 'application/vnd.docker.raw-stream';
  const write = (chunk: Buffer) => { if (ctx.socket) ctx.socket.write(chunk); else ctx.res!.write(chunk); };
  const end = () => { if (ctx.socket) ctx.socket.end(); else ctx.res!.end(); };
  const { session, tty } = await svc.attach(ctx.params.id, {
    stdin: parseBool(q.get('stdin')), stdout: parseBool(q.get('stdout')), stderr: parseBool(q.get('stderr')),
    detachKeys: q.get('detachKeys') ?? undefined,
  }, {
    write: (stream, data) => write(tty ? data : frame(stream === 'stdout' ? STDOUT : STDERR, data)),
    end,
  });
  if (ctx.socket) {
    const headers = { ...commonHeaders(), 'Content-Type': contentType, Connection: 'Upgrade', Upgrade: 'tcp' };
    ctx.socket.write(`HTTP/1.1 101 UPGRADED\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    if (ctx.head?.length) session.writeStdin(ctx.head);
    ctx.socket.on('data', (b: Buffer) => session.writeStdin(b));
    ctx.socket.on('end', () => session.endStdin());
    ctx.socket.on('close', () => session.finish());
  } else {
    ctx.res!.writeHead(200, { 'Content-Type': contentType });
    ctx.res!.flushHeaders();
    ctx.req.on('data', (b: Buffer) => session.writeStdin(b));
    ctx.res!.on('close', () => session.finish());
  }
}
