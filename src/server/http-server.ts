import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { API_VERSION, MIN_API_VERSION, ENGINE_VERSION, compareApiVersions } from '../engine-api';
import { InvalidArgument, NotFound } from '../errdefs';
import { log } from '../lib/logger';
import { sendError, sendErrorRaw } from './errors';
import type { Router, RouteContext } from './router';

const VERSION_RE = /^\/v(\d+\.\d+)(\/.*)$/;

/** Headers dockerd puts on every response. */
export function commonHeaders(apiVersion = API_VERSION): Record<string, string> {
  return { 'Api-Version': apiVersion, 'Ostype': 'linux', 'Server': `Docker/${ENGINE_VERSION} (linux)`, 'Docker-Experimental': 'false' };
}

/** Splits `/v1.41/containers/json` into the version and the path; unversioned paths get the current version. */
export function negotiate(url: string): { apiVersion: string; path: string; query: URLSearchParams } {
  const u = new URL(url, 'http://berth');
  const m = VERSION_RE.exec(u.pathname);
  const apiVersion = m ? m[1] : API_VERSION;
  if (compareApiVersions(apiVersion, API_VERSION) > 0) {
    throw new InvalidArgument(`client version ${apiVersion} is too new. Maximum supported API version is ${API_VERSION}`);
  }
  if (compareApiVersions(apiVersion, MIN_API_VERSION) < 0) {
    throw new InvalidArgument(`client version ${apiVersion} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
  }
  return { apiVersion, path: m ? m[2] : u.pathname, query: u.searchParams };
}

/**
 * An HTTP server that routes plain requests and hijacked (Upgrade: tcp) ones through one Router;
 * with `tls`, an HTTPS server (for tcp:// hosts; see src/server/tls-options.ts).
 */
export function createApiServer(router: Router, tls?: https.ServerOptions): http.Server {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => { void handle(router, req, res); };
  const opts = { keepAliveTimeout: 30_000, maxHeaderSize: MAX_HEADER_BYTES };
  const server: http.Server = tls ? https.createServer({ ...tls, ...opts }, onRequest) : http.createServer(opts, onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => { void handleUpgrade(router, req, socket, head); });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket));
  return server;
}

/** Go's net/http limit on a request's line and headers (DefaultMaxHeaderBytes plus its 4096 slack). */
export const MAX_HEADER_BYTES = (1 << 20) + 4096;

/**
 * A request that could not be parsed is answered as Go's net/http answers it, in plain text,
 * and the connection closed: 431 when the request line and headers pass MAX_HEADER_BYTES,
 * 400 for anything else malformed.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${status}`);
  // What the client is still sending is read and dropped for a moment, as Go's server does
  // before closing: a close with unread input would reset the connection before the answer is read.
  socket.on('data', () => {});
  socket.resume();
  setTimeout(() => socket.destroy(), 2000).unref();
}

async function handle(router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  let apiVersion = API_VERSION;
  try {
    const n = negotiate(req.url ?? '/');
    apiVersion = n.apiVersion;
    for (const [k, v] of Object.entries(commonHeaders(API_VERSION))) res.setHeader(k, v);
    const m = router.match(req.method ?? 'GET', n.path);
    if (!m.handler) {
      throw new NotFound(m.pathMatched ? `method ${req.method} not allowed for ${n.path}` : `page not found`);
    }
    const ctx: RouteContext = { req, res, params: m.params, query: n.query, apiVersion };
    await m.handler(ctx);
  } catch (err) {
    for (const [k, v] of Object.entries(commonHeaders(API_VERSION))) if (!res.headersSent) res.setHeader(k, v);
    sendError(res, err);
  }
  log.debug('request', { method: req.method, url: req.url, status: res.statusCode, ms: Date.now() - started });
}

async function handleUpgrade(router: Router, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  socket.on('error', () => socket.destroy());
  try {
    const n = negotiate(req.url ?? '/');
    const m = router.match(req.method ?? 'POST', n.path);
    if (!m.handler) throw new NotFound('page not found');
    await m.handler({ req, socket, head, params: m.params, query: n.query, apiVersion: n.apiVersion });
  } catch (err) {
    sendErrorRaw(socket, commonHeaders(), err);
  }
}
