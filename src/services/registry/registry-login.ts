/**
 * POST /auth: checks credentials against a registry's `/v2/` as dockerd's loginV2 does,
 * trying each endpoint of the host (never a mirror) and falling back from https to http
 * only where the registry is insecure.
 */
import { InvalidArgument, Unauthorized } from '../../errdefs';
import type { RegistryCredentials } from '../../core/remotes';
import { canonicalHost, type EndpointResolver, type RegistryEndpoint } from './endpoint-config';
import { TokenError, TransportError, fetchToken, parseChallenge, rawGet, registryGet } from './registry-http';

export interface LoginRequest { username?: string; password?: string; identitytoken?: string; serveraddress?: string }
export interface LoginResult { Status: string; IdentityToken: string }

/** `https://index.docker.io/v1/` -> `docker.io`; `http://host:5000/path` -> `host:5000` (Docker's ConvertToHostname). */
export function registryHostname(serverAddress: string | undefined): string {
  const s = (serverAddress ?? '').trim();
  if (!s) return 'docker.io';
  const host = s.replace(/^https?:\/\//, '').split('/')[0];
  return canonicalHost(host);
}

export async function login(resolver: EndpointResolver, req: LoginRequest): Promise<LoginResult> {
  const host = registryHostname(req.serveraddress);
  if (!req.identitytoken && !req.username) throw new InvalidArgument('Username is required');
  const creds: RegistryCredentials = req.identitytoken ? { identitytoken: req.identitytoken } : { username: req.username ?? '', password: req.password ?? '' };
  const endpoints = (await resolver.endpoints(host)).filter((e) => !e.mirror);
  let last: unknown;
  for (const ep of endpoints) {
    try {
      return await loginAt(ep, creds);
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      last = e;
    }
  }
  throw last ?? new InvalidArgument(`no endpoint for ${host}`);
}

async function loginAt(ep: RegistryEndpoint, creds: RegistryCredentials): Promise<LoginResult> {
  const url = `${ep.url}/v2/`;
  const first = await rawGet(url, ep);
  const ch = first.status === 401 ? parseChallenge(first.headers['www-authenticate'] as string | undefined) : undefined;
  let identityToken = '';
  let res = first;
  if (ch?.scheme === 'bearer' && ch.params.realm) {
    try {
      const t = await fetchToken(ep, ch.params, creds);
      identityToken = t.refreshToken ?? '';
      res = await rawGet(url, ep, { Authorization: `Bearer ${t.token}` });
    } catch (e) {
      if (e instanceof TokenError) throw new Unauthorized(`Get "${url}": ${e.message}`, { cause: e });
      throw e;
    }
  } else if (ch) {
    res = await registryGet(ep, '/v2/', { creds });
  }
  if (res.status === 200) return { Status: 'Login Succeeded', IdentityToken: identityToken };
  const words = `login attempt to ${url} failed with status: ${res.status} ${res.statusText}`;
  if (res.status === 401) throw new Unauthorized(words);
  throw new InvalidArgument(words);
}
