/**
 * HTTP over the daemon's unix socket or TCP (with TLS as the host says): versioned paths, errors mapped to errdefs, and the
 * three stream shapes of the Engine API (raw bodies, JSON lines, hijacked connections).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { API_VERSION, compareApiVersions } from '../engine-api';
import { Internal } from '../errdefs';
import { connectError, errorFromStatus, errorMessage } from './errors';
import type { DaemonHost } from './host';

export type QueryValue = string | number | boolean | undefined | null | string[];
export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** A JSON-serialisable value, or raw bytes / a stream sent as given. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HijackedStream {
  socket: Socket;
  /** `application/vnd.docker.raw-stream` or `...multiplexed-stream`. */
  contentType: string;
}

export interface TransportOptions {
  host: DaemonHost;
  /** The API version to speak; with `negotiate`, lowered to the server's on first use. */
  apiVersion?: string;
  negotiate?: boolean;
}

/**
 * Builds `?a=1&b=x` from the defined entries; `true` is sent as `1`, `false` left out,
 * a list as the key repeated.
 */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (Array.isArray(v)) v.forEach((item) => params.append(k, item));
    else params.append(k, v === true ? '1' : String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export class Transport {
  readonly host: DaemonHost;
  private version: string;
  private negotiated: Promise<void> | undefined;

  constructor(opts: TransportOptions) {
    this.host = opts.host;
    this.version = opts.apiVersion ?? API_VERSION;
    if (opts.negotiate === false) this.negotiated = Promise.resolve();
  }

  /** The API version requests use (after negotiation, when enabled). */
  async apiVersion(): Promise<string> {
    await this.negotiate();
    return this.version;
  }

  private negotiate(): Promise<void> {
    this.negotiated ??= this.raw('HEAD', '/_ping', {}, false).then((res) => {
      res.resume();
      const server = res.headers['api-version'];
      if (typeof server === 'string' && /^\d+\.\d+$/.test(server) && compareApiVersions(server, this.version) < 0) {
        this.version = server;
      }
    }, (err) => { this.negotiated = undefined; throw err; });
    return this.negotiated;
  }

  /** Sends a request; resolves on the response headers. Non-2xx statuses reject. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    await this.negotiate();
    const res = await this.raw(method, path, opts, true);
    if (res.statusCode! >= 200 && res.statusCode! < 300) return res;
    const body = await readAll(res);
    throw errorFromStatus(res.statusCode!, errorMessage(res.statusCode!, contentTypeOf(res), body.toString()));
  }

  /** A request whose JSON answer is returned (undefined for an empty body). */
  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    const body = (await readAll(res)).toString();
    return (body.trim() ? JSON.parse(body) : undefined) as T;
  }

  /** A request whose answer is drained and ignored. */
  async send(method: string, path: string, opts: RequestOptions = {}): Promise<void> {
    const res = await this.request(method, path, opts);
    await readAll(res);
  }

  /**
   * A chunked JSON-lines answer: each message goes to onMessage; one carrying `error`
   * (sent after the 200) rejects with its message.
   */
  async jsonLines<T = Record<string, unknown>>(
    method: string, path: string, opts: RequestOptions, onMessage: (msg: T) => void,
  ): Promise<void> {
    const res = await this.request(method, path, opts);
    await readJsonLines(res, (msg: T) => {
      const m = msg as { error?: string; errorDetail?: { message?: string } };
      if (m.errorDetail || m.error) throw new Internal(m.errorDetail?.message ?? m.error ?? 'unknown error');
      onMessage(msg);
    });
  }

  /** Upgrades `POST path` to a raw bidirectional stream (attach, exec start). */
  async hijack(path: string, opts: RequestOptions = {}): Promise<HijackedStream> {
    await this.negotiate();
    return new Promise((resolve, reject) => {
      const req = this.open({
        method: 'POST',
        path: `/v${this.version}${path}${encodeQuery(opts.query)}`,
        headers: { ...opts.headers, Connection: 'Upgrade', Upgrade: 'tcp', 'Content-Type': 'text/plain' },
        agent: false,
        signal: opts.signal,
      });
      req.on('upgrade', (res, socket, head) => {
        if (head.length) socket.unshift(head);
        resolve({ socket, contentType: contentTypeOf(res) ?? '' });
      });
      req.on('response', (res) => {
        void readAll(res).then((body) => {
          const status = res.statusCode!;
          if (status >= 200 && status < 300) reject(new Internal(`unable to upgrade to tcp, received ${status}`));
          else reject(errorFromStatus(status, errorMessage(status, contentTypeOf(res), body.toString())));
        }, reject);
      });
      req.on('error', (err) => reject(this.wrapConnectError(err)));
      req.end();
    });
  }

  private raw(method: string, path: string, opts: RequestOptions, versioned: boolean): Promise<http.IncomingMessage> {
    const prefix = versioned ? `/v${this.version}` : '';
    const headers: Record<string, string> = { ...opts.headers };
    let payload: Buffer | Readable | undefined;
    if (opts.body instanceof Readable) payload = opts.body;
    else if (Buffer.isBuffer(opts.body)) payload = opts.body;
    else if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers['Content-Type'] ??= 'application/json';
    }
    if (Buffer.isBuffer(payload)) headers['Content-Length'] = String(payload.length);
    return new Promise((resolve, reject) => {
      const req = this.open({
        method, path: `${prefix}${path}${encodeQuery(opts.query)}`,
        headers, signal: opts.signal,
      });
      req.on('response', resolve);
      req.on('error', (err) => reject(this.wrapConnectError(err)));
      if (payload instanceof Readable) payload.pipe(req);
      else req.end(payload);
    });
  }

  /**
   * A request to the daemon: over its unix socket, or TCP, or TLS with the host's CA (checked
   * when verifying) and client certificate.
   */
  private open(opts: http.RequestOptions): http.ClientRequest {
    const { socketPath, tcp, tls } = this.host;
    if (!tcp) return http.request({ ...opts, socketPath });
    if (!tls) return http.request({ ...opts, host: tcp.host, port: tcp.port });
    return https.request({
      ...opts, host: tcp.host, port: tcp.port, ca: tls.ca, cert: tls.cert, key: tls.key,
      rejectUnauthorized: tls.verify,
      // Without verification (--tls alone) the name is not checked either, as the docker CLI.
      ...(tls.verify ? {} : { checkServerIdentity: () => undefined }),
    });
  }

  private wrapConnectError(err: NodeJS.ErrnoException): Error {
    if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'EACCES' || err.code === 'EHOSTUNREACH') {
      return connectError(this.host.url, err);
    }
    return err;
  }
}

function contentTypeOf(res: http.IncomingMessage): string | undefined {
  const ct = res.headers['content-type'];
  return Array.isArray(ct) ? ct[0] : ct;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a stream of concatenated/newline-separated JSON objects. */
export async function readJsonLines<T>(stream: Readable, onMessage: (msg: T) => void): Promise<void> {
  let buf = '';
  for await (const chunk of stream) {
    buf += (chunk as Buffer).toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) onMessage(JSON.parse(line) as T);
    }
  }
  if (buf.trim()) onMessage(JSON.parse(buf) as T);
}
