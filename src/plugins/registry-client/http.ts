/** One HTTP(S) request to a registry, answered with its response (any status). */
import { createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { Endpoint } from './endpoint';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string | number>;
  body?: Buffer | Readable;
  signal?: AbortSignal;
}

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const httpsAgents = new Map<string, https.Agent>();

function agentFor(ep: Endpoint, verify: boolean): https.Agent {
  // keyed by the trust material too: certs.d may change between requests
  const h = createHash('sha256');
  for (const b of [...(ep.tls.ca ?? []), ep.tls.cert, ep.tls.key]) h.update(b ?? '-').update('\0');
  const key = `${ep.domain}|${verify}|${h.digest('hex')}`;
  let a = httpsAgents.get(key);
  if (!a) {
    a = new https.Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: verify, ca: ep.tls.ca, cert: ep.tls.cert, key: ep.tls.key });
    httpsAgents.set(key, a);
  }
  return a;
}

export function send(ep: Endpoint, req: HttpRequest): Promise<IncomingMessage> {
  const secure = req.url.protocol === 'https:';
  const mod = secure ? https : http;
  return new Promise((resolve, reject) => {
    const r = mod.request(req.url, {
      method: req.method,
      headers: { 'User-Agent': 'berth', ...req.headers },
      agent: secure ? agentFor(ep, !ep.insecure) : httpAgent,
      signal: req.signal,
    }, resolve);
    r.once('error', reject);
    const body = req.body;
    if (!body) r.end();
    else if (Buffer.isBuffer(body)) r.end(body);
    else {
      body.once('error', (err) => r.destroy(err));
      body.pipe(r);
    }
  });
}

/** Reads a (small) response body. */
export async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
