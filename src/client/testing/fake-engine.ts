/**
 * A recording fake Engine API server on a temp unix socket, for unit tests of the client
 * and the CLI. Routes are matched on `METHOD /path` with the `/v1.xx` prefix removed.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RecordedRequest { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: Buffer }
export type FakeHandler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;
export type UpgradeHandler = (req: RecordedRequest, socket: Socket) => void;

export class FakeEngine {
  readonly requests: RecordedRequest[] = [];
  readonly socketPath: string;
  private readonly routes = new Map<string, FakeHandler>();
  private readonly upgrades = new Map<string, UpgradeHandler>();
  private readonly server: http.Server;
  private readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-fake-'));
    this.socketPath = path.join(this.dir, 'engine.sock');
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Socket) => {
      const rec = record(req, Buffer.alloc(0));
      this.requests.push(rec);
      const h = this.upgrades.get(`${rec.method} ${rec.path}`);
      if (!h) { socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 28\r\n\r\n{"message":"no such route"}\n'); return; }
      h(rec, socket);
    });
    // Default ping answer so version negotiation works.
    this.on('HEAD /_ping', (_req, res) => { res.setHeader('Api-Version', '1.47'); res.end(); });
  }

  on(route: string, handler: FakeHandler): this { this.routes.set(route, handler); return this; }
  onUpgrade(route: string, handler: UpgradeHandler): this { this.upgrades.set(route, handler); return this; }
  /** Answers `route` with a JSON body and status. */
  json(route: string, status: number, body: unknown): this {
    return this.on(route, (_req, res) => sendJson(res, status, body));
  }

  listen(): Promise<this> {
    return new Promise((resolve) => this.server.listen(this.socketPath, () => resolve(this)));
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    // Upgraded sockets may outlive close(); the socket dir goes now either way.
    fs.rmSync(this.dir, { recursive: true, force: true });
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  /** Requests other than the version-negotiation ping. */
  calls(): RecordedRequest[] { return this.requests.filter((r) => r.path !== '/_ping'); }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec = record(req, Buffer.concat(chunks));
    this.requests.push(rec);
    const h = this.routes.get(`${rec.method} ${rec.path}`);
    if (!h) { sendJson(res, 404, { message: `page not found: ${rec.method} ${rec.path}` }); return; }
    await h(rec, res);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body) + '\n');
}

function record(req: http.IncomingMessage, body: Buffer): RecordedRequest {
  const url = new URL(req.url ?? '/', 'http://fake');
  return {
    method: req.method ?? 'GET', path: url.pathname.replace(/^\/v\d+\.\d+/, ''),
    query: url.searchParams, headers: req.headers, body,
  };
}

/** Writes the 101 answer a hijacking endpoint sends. */
export function upgradeResponse(socket: Socket, contentType = 'application/vnd.docker.multiplexed-stream'): void {
  socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
}
