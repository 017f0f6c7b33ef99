/** `docker import <URL>`: the download, with Go's redirect rule and moby's errors. */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { Forbidden, Internal, InvalidArgument, NotFound, Unauthorized, hasErrno } from '../../errdefs';

export interface Download {
  /** The URL as given (`http://` added when it has no scheme), as Docker reports it. */
  url: string;
  body: Readable;
}

const MAX_REDIRECTS = 10; // Go's http.Client default

/** Docker's rule: a source with no `://` is an http URL. */
export function normalizeSource(src: string): string {
  return src.includes('://') ? src : `http://${src}`;
}

/** OpenSSL's codes for a chain that ends in no trusted root. */
const UNKNOWN_AUTHORITY = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

/** How Go's net/http words a failed connection, as moby passes it on. */
function dialError(url: string, err: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }): Error {
  if (hasErrno(err, 'ENOTFOUND') || hasErrno(err, 'EAI_AGAIN')) {
    return new NotFound(`Get "${url}": dial tcp: lookup ${err.hostname ?? new URL(url).hostname}: no such host`, { cause: err });
  }
  if (hasErrno(err, 'ECONNREFUSED')) return new Internal(`Get "${url}": dial tcp ${err.address}:${err.port}: connect: connection refused`, { cause: err });
  if (UNKNOWN_AUTHORITY.has(err.code ?? '')) return new Internal(`Get "${url}": x509: certificate signed by unknown authority`, { cause: err });
  return new Internal(`Get "${url}": ${err.message}`, { cause: err });
}

/** moby's GetWithStatusError for a status >= 400: the status line and the trimmed body. */
async function statusError(url: string, res: http.IncomingMessage): Promise<Error> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const status = res.statusCode ?? 0;
  const message = `failed to GET ${url} with status ${status} ${res.statusMessage ?? ''}: ${Buffer.concat(chunks).toString('utf8').trim()}`;
  if (status === 404) return new NotFound(message);
  if (status === 400) return new InvalidArgument(message);
  if (status === 401) return new Unauthorized(message);
  if (status === 403) return new Forbidden(message);
  return new Internal(message);
}

function get(target: URL, signal?: AbortSignal): Promise<http.IncomingMessage> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(target, { signal }, resolve);
    req.on('error', reject);
  });
}

/**
 * GETs an http(s) URL, following up to 10 redirects. NotFound for a 404 or an unknown host,
 * InvalidArgument for a 400 or a malformed URL, Unauthorized/Forbidden for 401/403, Internal
 * for anything else; messages in Docker's words (`failed to GET <url> with status ...`).
 */
export async function download(src: string, signal?: AbortSignal): Promise<Download> {
  const url = normalizeSource(src);
  let target: URL;
  try { target = new URL(url); } catch (err) { throw new InvalidArgument(`parse "${url}": invalid URL`, { cause: err }); }
  for (let redirects = 0; ; redirects++) {
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new Internal(`Get "${url}": unsupported protocol scheme "${target.protocol.replace(/:$/, '')}"`);
    }
    let res: http.IncomingMessage;
    try { res = await get(target, signal); } catch (err) { throw dialError(target.href, err as NodeJS.ErrnoException); }
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location && status !== 304) {
      res.resume();
      if (redirects >= MAX_REDIRECTS) throw new Internal(`Get "${location}": stopped after ${MAX_REDIRECTS} redirects`);
      target = new URL(location, target);
      continue;
    }
    if (status >= 400) throw await statusError(url, res);
    return { url, body: res };
  }
}
