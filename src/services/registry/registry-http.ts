/**
 * One authenticated GET against a registry endpoint, with the distribution spec's challenge
 * flow: an anonymous try, then on 401 the `WWW-Authenticate` challenge answered with Basic
 * credentials or a bearer token fetched from the challenge's realm (password grant over
 * Basic, or an identity token as an OAuth2 refresh token). Used by login and search; pulls
 * and pushes go through the registry client.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { getServers } from 'node:dns';
import type { RegistryCredentials } from '../../core/remotes';
import type { RegistryEndpoint } from './endpoint-config';

export interface RegistryResponse { status: number; statusText: string; headers: IncomingMessage['headers']; body: Buffer; url: string }

/** A failed token request: the registry's `unauthorized: ...` words. */
export class TokenError extends Error {}

/** Docker's transport error words: `Get "url": <cause>`. */
export class TransportError extends Error {}

export async function rawGet(url: string, ep: RegistryEndpoint, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<RegistryResponse> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  const tls = u.protocol === 'https:' && ep.tls ? { ca: ep.tls.ca, cert: ep.tls.cert, key: ep.tls.key, rejectUnauthorized: ep.tls.verify } : {};
  const verb = method[0] + method.slice(1).toLowerCase();
  return new Promise((resolve, reject) => {
    const req = send(u, { method, headers: { 'User-Agent': 'berth/0.1', ...headers }, timeout: 15_000, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks), url }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('net/http: request canceled (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', (e) => reject(new TransportError(`${verb} "${url}": ${describeNetError(e)}`, { cause: e })));
    req.end(body);
  });
}

function describeNetError(e: Error & { code?: string; hostname?: string; address?: string; port?: number }): string {
  if (e.code === 'ECONNREFUSED') return `dial tcp ${e.address}:${e.port}: connect: connection refused`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    const server = getServers()[0];
    const via = server ? ` on ${server.includes(':') && !server.includes('.') ? `[${server}]:53` : server.includes(':') ? server : `${server}:53`}` : '';
    return `dial tcp: lookup ${e.hostname}${via}: ${e.code === 'ENOTFOUND' ? 'no such host' : 'server misbehaving'}`;
  }
  if (e.code === 'EPROTO' || /wrong version number/.test(e.message)) return 'http: server gave HTTP response to HTTPS client';
  if (['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'].includes(e.code ?? '')) return 'x509: certificate signed by unknown authority';
  if (e.code === 'CERT_HAS_EXPIRED') return 'x509: certificate has expired or is not yet valid';
  if (e.code?.startsWith('ERR_TLS') || /certificate/i.test(e.message)) return `x509: ${e.message}`;
  return e.message;
}

interface Challenge { scheme: string; params: Record<string, string> }

export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^(\w+)\s*(.*)$/.exec(header.trim());
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2].matchAll(/(\w+)="([^"]*)"|(\w+)=([^,\s]*)/g)) params[(p[1] ?? p[3]).toLowerCase()] = p[2] ?? p[4];
  return { scheme: m[1].toLowerCase(), params };
}

/** GET `path` on the endpoint, answering one challenge with `creds`; the final response is returned whatever its status. */
export async function registryGet(ep: RegistryEndpoint, path: string, opts: { creds?: RegistryCredentials; scope?: string } = {}): Promise<RegistryResponse> {
  const url = ep.url + path;
  const first = await rawGet(url, ep);
  if (first.status !== 401) return first;
  const ch = parseChallenge(first.headers['www-authenticate'] as string | undefined);
  if (!ch) return first;
  if (ch.scheme === 'basic') {
    if (!opts.creds || !('username' in opts.creds)) return first;
    return rawGet(url, ep, { Authorization: `Basic ${basic(opts.creds.username, opts.creds.password)}` });
  }
  if (ch.scheme !== 'bearer' || !ch.params.realm) return first;
  const token = await fetchToken(ep, ch.params, opts.creds, opts.scope);
  return rawGet(url, ep, { Authorization: `Bearer ${token.token}` });
}

/** A bearer token from the challenge's realm; an identity token is returned as `refreshToken`. */
export async function fetchToken(ep: RegistryEndpoint, params: Record<string, string>, creds: RegistryCredentials | undefined, scope?: string): Promise<{ token: string; refreshToken?: string }> {
  const realm = new URL(params.realm);
  let res: RegistryResponse;
  if (creds && 'identitytoken' in creds) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identitytoken, service: params.service ?? '', client_id: 'docker' });
    if (scope) form.set('scope', scope);
    res = await rawGet(realm.href, ep, { 'Content-Type': 'application/x-www-form-urlencoded' }, 'POST', form.toString());
  } else {
    if (params.service) realm.searchParams.set('service', params.service);
    if (scope) realm.searchParams.set('scope', scope);
    if (creds) {
      realm.searchParams.set('account', creds.username);
      realm.searchParams.set('client_id', 'docker');
      realm.searchParams.set('offline_token', 'true');
    }
    res = await rawGet(realm.href, ep, creds ? { Authorization: `Basic ${basic(creds.username, creds.password)}` } : {});
  }
  if (res.status < 200 || res.status >= 300) throw new TokenError(tokenErrorWords(res));
  const body = JSON.parse(res.body.toString('utf8')) as { token?: string; access_token?: string; refresh_token?: string };
  const token = body.access_token ?? body.token;
  if (!token) throw new TokenError(`authorization server did not include a token in the response`);
  return { token, refreshToken: body.refresh_token };
}

/** distribution's HandleErrorResponse: the first error's `code: message`, or the status's words. */
function tokenErrorWords(res: RegistryResponse): string {
  try {
    const b = JSON.parse(res.body.toString('utf8')) as { errors?: Array<{ code?: string; message?: string }>; details?: string };
    const e = b.errors?.[0];
    if (e?.message) return `${(e.code ?? 'unknown').toLowerCase()}: ${e.message}`;
    if (b.details) return `${res.status === 401 ? 'unauthorized' : 'denied'}: ${b.details}`;
  } catch { /* not JSON: the status words below */ }
  if (res.status === 401) return 'unauthorized: authentication required';
  return `token request to ${res.url} failed with status: ${res.status} ${res.statusText}`;
}

function basic(user: string, pass: string): string {
  return Buffer.from(`${user}:${pass}`).toString('base64');
}
