/**
 * The distribution API v2 for one repository: manifests, blobs (verified against their
 * digest while they stream), uploads (cross-repository mount, monolithic PUT, streamed
 * PATCH + PUT) and the auth a registry asks for (Basic, or Bearer tokens for
 * `repository:<name>:<actions>`, reused until they expire and fetched again on a 401).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { sha256 } from '../../lib/digest';
import { InvalidArgument, Unavailable } from '../../errdefs';
import { MANIFEST_ACCEPT, MEDIA, type FetchedManifest, type ImageManifest, type ManifestIndex, type EndpointResolver, type Registry, type RegistryAuth, type RegistryRepository } from '../../core/remotes';
import { resolveEndpoint, type Endpoint, type EndpointOptions } from './endpoint';
import { readBody, send, type HttpRequest } from './http';
import { basicHeader, fetchToken, parseChallenge, type Token } from './challenge';
import { registryError } from './registry-errors';

export interface RegistryClientOptions extends EndpointOptions {
  auth: RegistryAuth;
  /** The daemon's endpoints (mirrors, insecure registries, certs.d); without it, endpoint.ts's rules. */
  endpoints?: EndpointResolver;
}

/** A failed connection in Go's words, as Docker reports it (`dial tcp h:p: connect: connection refused`). */
function dialError(host: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const hp = host.includes(':') ? host : `${host}:443`;
  if (code === 'ECONNREFUSED') return `dial tcp ${hp}: connect: connection refused`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
  if (code === 'ETIMEDOUT') return `dial tcp ${hp}: i/o timeout`;
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') {
    return 'x509: certificate signed by unknown authority';
  }
  return (err as Error).message;
}

interface Candidate { ep: Endpoint; base: string; mirror: boolean }

export class RegistryClient implements Registry {
  private readonly candidates = new Map<string, Promise<Candidate[]>>();
  private readonly chosen = new Map<string, Promise<Candidate>>();
  /** Mirrors given up on, per domain: they failed a request, so the next endpoint serves. */
  private readonly skipped = new Map<string, number>();
  private readonly tokens = new Map<string, Token>();

  constructor(private readonly opts: RegistryClientOptions) {}

  /** A session on `domain/path` asking for actions (`pull`, `push`); a push never goes to a mirror. */
  repository(domain: string, path: string, actions: string[]): Repository {
    return new Repository(this, domain, path, actions);
  }

  private list(domain: string): Promise<Candidate[]> {
    let p = this.candidates.get(domain);
    if (!p) {
      p = (async () => {
        if (this.opts.endpoints) {
          return (await this.opts.endpoints.endpoints(domain)).map((e) => ({
            base: e.url,
            mirror: e.mirror,
            ep: { domain, host: new URL(e.url).host, insecure: e.tls ? !e.tls.verify : true, tls: e.tls ? { ca: e.tls.ca.map((c) => Buffer.from(c)), cert: e.tls.cert ? Buffer.from(e.tls.cert) : undefined, key: e.tls.key ? Buffer.from(e.tls.key) : undefined } : {} },
          }));
        }
        const ep = await resolveEndpoint(domain, this.opts);
        return (ep.insecure ? ['https', 'http'] : ['https']).map((s) => ({ ep, base: `${s}://${ep.host}`, mirror: false }));
      })();
      this.candidates.set(domain, p);
      p.catch(() => this.candidates.delete(domain));
    }
    return p;
  }

  /**
   * The endpoint of domain in use: the first (past mirrors given up on, and past every
   * mirror for a push) whose `GET /v2/` answers; insecure registries are tried over https
   * without verification, then plain http.
   */
  base(domain: string, push = false): Promise<Candidate> {
    const key = `${domain}|${push}`;
    let p = this.chosen.get(key);
    if (!p) {
      p = this.probe(domain, push);
      this.chosen.set(key, p);
      p.catch(() => this.chosen.delete(key));
    }
    return p;
  }

  private async probe(domain: string, push: boolean): Promise<Candidate> {
    const skip = this.skipped.get(domain) ?? 0;
    const tries = (await this.list(domain)).filter((c, i) => !(c.mirror && (push || i < skip)));
    let last: unknown;
    let lastUrl = '';
    for (const t of tries) {
      lastUrl = `${t.base}/v2/`;
      try {
        const res = await send(t.ep, { method: 'GET', url: new URL(lastUrl) });
        res.resume();
        return t;
      } catch (err) {
        last = err;
      }
    }
    throw new Unavailable(`Get "${lastUrl}": ${dialError(new URL(lastUrl).host, last)}`, { cause: last });
  }

  /** Gives up on the mirror in use for domain: requests go to the next endpoint. */
  private async skipMirror(domain: string, c: Candidate): Promise<void> {
    const i = (await this.list(domain)).indexOf(c);
    this.skipped.set(domain, Math.max(this.skipped.get(domain) ?? 0, i + 1));
    this.chosen.delete(`${domain}|false`);
  }

  /**
   * Sends req with the auth this endpoint wants; on a 401 answers the challenge once and
   * retries (Buffer bodies only). A mirror that fails a GET or HEAD (unreachable, 404, 5xx)
   * is given up on and the request goes to the next endpoint, as Docker falls back.
   */
  async request(domain: string, scopes: string[], build: (base: string) => HttpRequest, push = false): Promise<IncomingMessage> {
    for (;;) {
      const c = await this.base(domain, push);
      const req = build(c.base);
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      let res: IncomingMessage;
      try {
        res = await this.authorized(c, scopes, req);
      } catch (err) {
        if (c.mirror && idempotent) { await this.skipMirror(domain, c); continue; }
        throw err;
      }
      const status = res.statusCode ?? 0;
      if (c.mirror && idempotent && (status === 404 || status >= 500)) { res.resume(); await this.skipMirror(domain, c); continue; }
      return res;
    }
  }

  private async authorized(c: Candidate, scopes: string[], req: HttpRequest): Promise<IncomingMessage> {
    const { ep } = c;
    const key = `${c.base} ${scopes.join(' ')}`;
    const cached = this.tokens.get(key);
    const authHeader = (t: Token | undefined): Record<string, string> => (t ? { Authorization: t.token.startsWith('Basic ') ? t.token : `Bearer ${t.token}` } : {});
    const first = cached && cached.expiresAt > Date.now() ? cached : undefined;
    let res = await send(ep, { ...req, headers: { ...req.headers, ...authHeader(first) } });
    if (res.statusCode !== 401) return res;
    const ch = parseChallenge(res.headers['www-authenticate'] as string | undefined);
    if (!ch || (req.body && !Buffer.isBuffer(req.body))) return res;
    res.resume();
    const creds = await this.opts.auth.credentialsFor(ep.domain);
    let token: Token;
    if (ch.scheme === 'basic') {
      const h = basicHeader(creds);
      if (!h) return send(ep, req);
      token = { token: h, expiresAt: Number.MAX_SAFE_INTEGER };
    } else if (ch.scheme === 'bearer') {
      token = await fetchToken(ep, ch, scopes, creds);
    } else return send(ep, req);
    this.tokens.set(key, token);
    res = await send(ep, { ...req, headers: { ...req.headers, ...authHeader(token) } });
    return res;
  }
}

/** A Transform passing bytes through and failing at their end unless they hash to digest. */
function verifying(digest: string, what: string): Transform & { verified: Promise<void> } {
  const hash = createHash('sha256');
  let settle!: (err?: Error) => void;
  const verified = new Promise<void>((resolve, reject) => { settle = (e) => (e ? reject(e) : resolve()); });
  verified.catch(() => undefined);
  const t = new Transform({
    transform(chunk: Buffer, _e, cb) { hash.update(chunk); cb(null, chunk); },
    flush(cb) {
      const got = `sha256:${hash.digest('hex')}`;
      if (got === digest) { settle(); cb(); return; }
      const err = new InvalidArgument(`${what} verification failed for digest ${digest}`);
      settle(err);
      cb(err);
    },
    destroy(err, cb) { settle(err ?? new Error(`${what} ${digest}: stream closed before its end`)); cb(err); },
  });
  return Object.assign(t, { verified });
}

export class Repository implements RegistryRepository {
  private readonly scopes: string[];
  private readonly push: boolean;

  constructor(private readonly client: RegistryClient, readonly domain: string, readonly path: string, actions: string[]) {
    this.scopes = [`repository:${path}:${actions.join(',')}`];
    this.push = actions.includes('push');
  }

  private url(base: string, rest: string): URL { return new URL(`${base}/v2/${this.path}/${rest}`); }

  private req(method: string, rest: string | ((base: string) => URL), extra: Omit<HttpRequest, 'method' | 'url'> = {}, scopes = this.scopes): Promise<IncomingMessage> {
    return this.client.request(this.domain, scopes, (base) => ({ method, url: typeof rest === 'string' ? this.url(base, rest) : rest(base), ...extra }), this.push);
  }

  /** GET a manifest by tag or digest; NotFound (`manifest unknown: ...`) when the registry has none. */
  async getManifest(reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const res = await this.req('GET', `manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT }, signal });
    if (res.statusCode !== 200) throw await registryError(res, `manifests/${reference}`);
    const bytes = await readBody(res);
    const digest = sha256(bytes);
    if (reference.startsWith('sha256:') && reference !== digest) throw new InvalidArgument(`manifest verification failed for digest ${reference}`);
    const json = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: unknown; layers?: unknown; schemaVersion?: number };
    const mediaType = json.mediaType ?? String(res.headers['content-type'] ?? '').split(';')[0];
    if (json.manifests) return { kind: 'index', mediaType, digest, bytes, index: json as ManifestIndex };
    if (json.schemaVersion !== 2 || !json.layers) throw new InvalidArgument(`unsupported manifest format (${mediaType || 'schema ' + String(json.schemaVersion)}) for ${this.domain}/${this.path}:${reference}`);
    return { kind: 'image', mediaType: mediaType || MEDIA.dockerManifest, digest, bytes, manifest: json as ImageManifest };
  }

  /** A blob's bytes as they stream, with its size; the stream fails at its end on a digest mismatch. */
  async getBlob(digest: string, signal?: AbortSignal, onData?: (received: number) => void): Promise<{ size: number; stream: Readable; verified: Promise<void> }> {
    const res = await this.req('GET', `blobs/${digest}`, { signal });
    if (res.statusCode !== 200) throw await registryError(res, `blobs/${digest}`);
    const size = Number(res.headers['content-length'] ?? -1);
    const v = verifying(digest, 'filesystem layer');
    let received = 0;
    res.on('data', (c: Buffer) => { received += c.length; onData?.(received); });
    res.once('aborted', () => v.destroy(Object.assign(new Error(`unexpected EOF reading blob ${digest}`), { retryable: true })));
    res.once('end', () => {
      if (size >= 0 && received < size) v.destroy(Object.assign(new Error(`unexpected EOF reading blob ${digest}`), { retryable: true }));
    });
    res.once('error', (err) => v.destroy(Object.assign(err, { retryable: true })));
    res.pipe(v);
    return { size, stream: v, verified: v.verified };
  }

  async getBlobBytes(digest: string, signal?: AbortSignal): Promise<Buffer> {
    const { stream, verified } = await this.getBlob(digest, signal);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    await verified;
    return Buffer.concat(chunks);
  }

  /** The blob's size if the repository has it (HEAD), else undefined. */
  async hasBlob(digest: string): Promise<number | undefined> {
    const res = await this.req('HEAD', `blobs/${digest}`);
    res.resume();
    if (res.statusCode === 200) return Number(res.headers['content-length'] ?? 0);
    if (res.statusCode === 404) return undefined;
    throw await registryError(res, `HEAD blobs/${digest}`);
  }

  /** Starts an upload, or mounts digest from another repository of this registry (true when mounted). */
  private async startUpload(mount?: { digest: string; from: string }): Promise<{ mounted: true } | { mounted: false; location: URL }> {
    const scopes = mount ? [...this.scopes, `repository:${mount.from}:pull`] : this.scopes;
    const res = await this.req('POST', (base) => {
      const u = this.url(base, 'blobs/uploads/');
      if (mount) { u.searchParams.set('mount', mount.digest); u.searchParams.set('from', mount.from); }
      return u;
    }, { headers: { 'Content-Length': 0 }, body: Buffer.alloc(0) }, scopes);
    if (res.statusCode === 201 && mount) { res.resume(); return { mounted: true }; }
    if (res.statusCode !== 202 && res.statusCode !== 201) throw await registryError(res, 'blobs/uploads/');
    res.resume();
    const { base } = await this.client.base(this.domain, this.push);
    return { mounted: false, location: new URL(String(res.headers.location), base) };
  }

  /** Cross-repository mount; false when the registry started an upload instead (cancelled). */
  async mountBlob(digest: string, from: string): Promise<boolean> {
    const r = await this.startUpload({ digest, from });
    if (r.mounted) return true;
    (await this.req('DELETE', () => r.location)).resume();
    return false;
  }

  /** Monolithic upload: POST then PUT ?digest= with the bytes. */
  async putBlob(digest: string, bytes: Buffer): Promise<void> {
    const r = await this.startUpload();
    if (r.mounted) return;
    const u = new URL(r.location);
    u.searchParams.set('digest', digest);
    const res = await this.req('PUT', () => u, { body: bytes, headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length } });
    if (res.statusCode !== 201) throw await registryError(res, `PUT blob ${digest}`);
    res.resume();
  }

  /**
   * Streamed upload: POST, one PATCH with the body as it comes (chunked), then PUT
   * ?digest= with the digest the caller learnt once body ended.
   */
  async pushBlobStream(body: Readable, digestOf: () => string): Promise<void> {
    const r = await this.startUpload();
    if (r.mounted) return;
    const patch = await this.req('PATCH', () => r.location, { body, headers: { 'Content-Type': 'application/octet-stream' } });
    if (patch.statusCode !== 202) throw await registryError(patch, 'PATCH blob upload');
    patch.resume();
    const { base } = await this.client.base(this.domain, this.push);
    const u = new URL(String(patch.headers.location ?? r.location), base);
    u.searchParams.set('digest', digestOf());
    const res = await this.req('PUT', () => u, { body: Buffer.alloc(0), headers: { 'Content-Length': 0 } });
    if (res.statusCode !== 201) throw await registryError(res, `PUT blob ${digestOf()}`);
    res.resume();
  }

  /** PUT a manifest under a tag (or digest); returns the digest the registry gives it. */
  async putManifest(reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const res = await this.req('PUT', `manifests/${reference}`, { body: bytes, headers: { 'Content-Type': mediaType, 'Content-Length': bytes.length } });
    if (res.statusCode !== 201) throw await registryError(res, `PUT manifest ${reference}`);
    res.resume();
    return String(res.headers['docker-content-digest'] ?? sha256(bytes));
  }

  /** Tags of the repository (`GET tags/list`). */
  async tags(): Promise<string[]> {
    const res = await this.req('GET', 'tags/list');
    if (res.statusCode !== 200) throw await registryError(res, 'tags/list');
    return ((JSON.parse((await readBody(res)).toString('utf8')) as { tags?: string[] }).tags ?? []);
  }
}
