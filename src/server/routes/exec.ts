import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Router, RouteContext } from '../router';
import { MAX_JSON_BODY, bodyTooLarge, parseJsonBody, readJsonBody } from '../router';
import { sendJson, sendStatus } from '../respond';
import { apiAtLeast } from '../../engine-api';
import { execCreateShape, execStartShape } from '../dto/body-shapes';
import { frame, STDOUT, STDERR } from '../stream-framing';
import { commonHeaders } from '../http-server';
import type { ExecConfig, ExecService, AttachSink } from '../../services/containers';

/**
 * The JSON body of a hijacked request: its Content-Length bytes, from what came with the
 * headers and then from the socket. Returns the body and any bytes after it (early stdin).
 */
async function readUpgradeBody(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<{ body: Record<string, unknown>; rest: Buffer }> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_JSON_BODY) throw bodyTooLarge();
  let buf = head;
  while (buf.length < length) {
    const chunk = await new Promise<Buffer | null>((resolve) => {
      socket.once('data', resolve);
      socket.once('end', () => resolve(null));
    });
    if (!chunk) break;
    buf = Buffer.concat([buf, chunk]);
  }
  const body = parseJsonBody<Record<string, unknown> | null>(buf.subarray(0, length), execStartShape);
  return { body: body ?? {}, rest: buf.subarray(length) };
}

function execJson(s: ReturnType<ExecService['inspect']>) {
  const [entrypoint, ...args] = s.config.Cmd;
  return {
    CanRemove: false, ContainerID: s.containerId, DetachKeys: s.config.DetachKeys ?? '', ExitCode: s.exitCode, ID: s.id,
    OpenStderr: s.config.AttachStderr ?? false, OpenStdin: s.config.AttachStdin ?? false, OpenStdout: s.config.AttachStdout ?? false,
    ProcessConfig: { arguments: args, entrypoint, privileged: !!s.config.Privileged, tty: !!s.config.Tty, user: s.config.User ?? '' },
    Running: s.running, Pid: s.pid,
  };
}

export function execRoutes(router: Router, execs: ExecService): void {
  router.add('POST', '/containers/{id}/exec', async (ctx) => {
    const body = await readJsonBody<ExecConfig | null>(ctx.req, execCreateShape) ?? {};
    sendJson(ctx.res!, 201, { Id: execs.create(ctx.params.id, body).id });
  });

  router.add('GET', '/exec/{id}/json', async (ctx) => {
    sendJson(ctx.res!, 200, execJson(execs.inspect(ctx.params.id)));
  });

  router.add('POST', '/exec/{id}/resize', async (ctx) => {
    execs.resize(ctx.params.id, Number(ctx.query.get('h') ?? 0), Number(ctx.query.get('w') ?? 0));
    sendStatus(ctx.res!, 200);
  });

  router.add('POST', '/exec/{id}/start', async (ctx) => start(ctx, execs));
}

async function start(ctx: RouteContext, execs: ExecService): Promise<void> {
  const s = execs.inspect(ctx.params.id);
  let body: Record<string, unknown>;
  let early: Buffer = Buffer.alloc(0);
  if (ctx.socket) ({ body, rest: early } = await readUpgradeBody(ctx.req, ctx.socket, ctx.head ?? Buffer.alloc(0)));
  else body = await readJsonBody<Record<string, unknown> | null>(ctx.req, execStartShape, true) ?? {};
  const tty = body.Tty === undefined ? !!s.config.Tty : !!body.Tty;
  if (body.Detach) {
    await execs.start(s.id, { tty });
    if (ctx.socket) ctx.socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`);
    else sendStatus(ctx.res!, 200);
    return;
  }
  const multiplexed = !tty && apiAtLeast(ctx.apiVersion, '1.42');
  const contentType = multiplexed ? 'application/vnd.docker.multiplexed-stream' : 'application/vnd.docker.raw-stream';
  // As dockerd, what refuses the start is an error response, not a stream (a container gone).
  execs.startable(s.id);
  let closed = false;
  const write = (chunk: Buffer) => { if (closed) return; if (ctx.socket) ctx.socket.write(chunk); else ctx.res!.write(chunk); };
  const sink: AttachSink = {
    write: (stream, data) => write(tty ? data : frame(stream === 'stdout' ? STDOUT : STDERR, data)),
    end: () => { if (closed) return; closed = true; if (ctx.socket) ctx.socket.end(); else ctx.res!.end(); },
  };
  if (ctx.socket) {
    const headers = { ...commonHeaders(), 'Content-Type': contentType, Connection: 'Upgrade', Upgrade: 'tcp' };
    ctx.socket.write(`HTTP/1.1 101 UPGRADED\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
  } else {
    ctx.res!.writeHead(200, { 'Content-Type': contentType });
    ctx.res!.flushHeaders();
  }
  // Input that arrives before the session exists is kept for it.
  const pending: Buffer[] = early.length ? [early] : [];
  let ended = false;
  const input = ctx.socket ?? ctx.req;
  const onData = (b: Buffer) => { pending.push(b); };
  const onEnd = () => { ended = true; };
  input.on('data', onData);
  input.on('end', onEnd);
  let session: Awaited<ReturnType<ExecService['start']>>;
  try {
    session = await execs.start(s.id, { tty, sink });
  } catch (e) {
    // As dockerd: once the stream is up, a failure to start (the container stopped meanwhile)
    // is written to it and the stream ends.
    sink.write('stdout', Buffer.from(`${(e as Error).message}\r\n`));
    sink.end();
    return;
  } finally {
    input.off('data', onData);
    input.off('end', onEnd);
  }
  if (!session) return;
  for (const b of pending) session.writeStdin(b);
  if (ended) session.endStdin();
  input.on('data', (b: Buffer) => session.writeStdin(b));
  input.on('end', () => session.endStdin());
  (ctx.socket ?? ctx.res!).on('close', () => session.finish());
}
