import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { InvalidArgument } from '../errdefs';
import { checkShape, type Shape } from './dto/json-shape';
import { goJsonError } from './dto/go-json-error';

/**
 * Everything a route handler sees of one request. Handlers either answer through the
 * helpers in `respond.ts` or, for hijacked streams, take over `socket` (set only when the
 * client sent `Upgrade: tcp`).
 */
export interface RouteContext {
  req: IncomingMessage;
  /** Undefined on a hijacked (upgrade) request: write raw bytes to `socket` instead. */
  res?: ServerResponse;
  socket?: Duplex;
  /** Bytes the client sent after the upgrade request's headers. */
  head?: Buffer;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The negotiated API version of this request ("1.47" for unversioned paths). */
  apiVersion: string;
}

export type Handler = (ctx: RouteContext) => Promise<void>;

interface Route { method: string; re: RegExp; keys: string[]; handler: Handler }

/**
 * Routes by method and path pattern. `{name}` matches one segment; `{name*}` matches greedily
 * across `/` (image names contain slashes: `/images/{name*}/json`).
 */
export class Router {
  private routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    const keys: string[] = [];
    const re = new RegExp('^' + pattern.replace(/[.]/g, '\\.').replace(/\{(\w+)(\*?)\}/g, (_m, key: string, greedy: string) => {
      keys.push(key);
      return greedy ? '(.+)' : '([^/]+)';
    }) + '$');
    this.routes.push({ method, re, keys, handler });
    return this;
  }

  /** The handler and decoded params for method+path; `methodAllowed` false if only the path matched. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | { handler?: undefined; pathMatched: boolean } {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        try { params[k] = decodeURIComponent(m[i + 1]); } catch (err) {
          throw new InvalidArgument(`invalid URL escape ${JSON.stringify(/%.{0,2}/.exec(m[i + 1].replace(/%[0-9a-fA-F]{2}/g, ''))?.[0] ?? m[i + 1])}`, { cause: err });
        }
      });
      return { handler: r.handler, params };
    }
    return { pathMatched };
  }
}

/** The most a JSON request body may hold (dockerd reads any size; a create body is a few KB). */
export const MAX_JSON_BODY = 16 << 20;

/**
 * dockerd's CheckForJSON: a request with a body must say `Content-Type: application/json`
 * (parameters allowed); one without a body may say nothing.
 */
export function checkForJson(req: IncomingMessage): void {
  const ct = req.headers['content-type'] ?? '';
  const length = req.headers['content-length'];
  if (!ct && (length === '0' || (length === undefined && !req.headers['transfer-encoding']))) return;
  if (ct.split(';')[0].trim().toLowerCase() !== 'application/json') {
    throw new InvalidArgument(`Content-Type specified (${ct}) must be 'application/json'`);
  }
}

/**
 * Reads the request body as JSON; an empty body is `{}`. Malformed JSON, a body past
 * MAX_JSON_BODY, and (with `shape`) a field of the wrong type are InvalidArgument in Go's
 * words (see dto/json-shape). With `shape`, the Content-Type is checked first as dockerd
 * checks it on the same endpoints (checkForJson), unless `anyContentType`.
 */
export async function readJsonBody<T = Record<string, unknown>>(req: IncomingMessage, shape?: Shape, anyContentType = false): Promise<T> {
  if (shape && !anyContentType) checkForJson(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_JSON_BODY) {
      req.resume();
      throw bodyTooLarge();
    }
    chunks.push(c as Buffer);
  }
  return parseJsonBody<T>(Buffer.concat(chunks), shape);
}

/** The InvalidArgument for a JSON body past MAX_JSON_BODY. */
export const bodyTooLarge = (): InvalidArgument => new InvalidArgument(`invalid JSON: request body exceeds ${MAX_JSON_BODY} bytes`);

/**
 * A JSON body already read (readJsonBody's rules without the reading): an empty body is `{}`,
 * malformed JSON and (with `shape`) a field of the wrong type are InvalidArgument in Go's words.
 */
export function parseJsonBody<T = Record<string, unknown>>(body: Buffer, shape?: Shape): T {
  const text = body.toString('utf8').trim();
  if (!text) return {} as T;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgument(`invalid JSON: ${goJsonError(body) ?? (err as Error).message}`, { cause: err });
  }
  if (shape) checkShape(value, shape);
  return value as T;
}
