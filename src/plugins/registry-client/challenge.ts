/** The `WWW-Authenticate` challenge of a 401, and the token fetch it asks for. */
import { Unauthorized } from '../../errdefs';
import type { RegistryCredentials } from '../../core/remotes';
import type { Endpoint } from './endpoint';
import { readBody, send } from './http';

export interface Challenge { scheme: string; params: Record<string, string> }

/** `Bearer realm="https://x/token",service="reg",scope="repository:a:pull"` -> Challenge. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2].matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return { scheme: m[1].toLowerCase(), params };
}

export function basicHeader(creds: RegistryCredentials | undefined): string | undefined {
  if (!creds || !('username' in creds)) return undefined;
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

export interface Token { token: string; expiresAt: number }

/**
 * Fetches a bearer token for scopes from the challenge's realm: GET with basic auth (or
 * anonymous), or POST grant_type=refresh_token for an identity token, as Docker does.
 */
export async function fetchToken(ep: Endpoint, ch: Challenge, scopes: string[], creds: RegistryCredentials | undefined): Promise<Token> {
  const realm = ch.params.realm;
  if (!realm) throw new Unauthorized(`${ep.domain}: bearer challenge without a realm`);
  const url = new URL(realm);
  let res;
  if (creds && 'identitytoken' in creds) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identitytoken, client_id: 'berth', access_type: 'offline' });
    if (ch.params.service) form.set('service', ch.params.service);
    for (const s of scopes) form.append('scope', s);
    res = await send(ep, { method: 'POST', url, body: Buffer.from(form.toString()), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  } else {
    if (ch.params.service) url.searchParams.set('service', ch.params.service);
    for (const s of scopes) url.searchParams.append('scope', s);
    if (creds) url.searchParams.set('account', (creds as { username: string }).username);
    const auth = basicHeader(creds);
    res = await send(ep, { method: 'GET', url, headers: auth ? { Authorization: auth } : {} });
  }
  const body = await readBody(res);
  if (res.statusCode !== 200) {
    const text = body.toString('utf8').trim();
    throw new Unauthorized(`Get "${realm}": ${res.statusCode === 401 ? 'unauthorized: incorrect username or password' : `unexpected status ${res.statusCode}: ${text}`}`);
  }
  const j = JSON.parse(body.toString('utf8')) as { token?: string; access_token?: string; expires_in?: number };
  const token = j.token ?? j.access_token;
  if (!token) throw new Unauthorized(`${realm}: the token server answered no token`);
  return { token, expiresAt: Date.now() + Math.max(60, j.expires_in ?? 60) * 1000 - 10_000 };
}
