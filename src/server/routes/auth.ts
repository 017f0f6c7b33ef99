/** POST /auth (Docker's login check) and the X-Registry-Auth header's decoding. */
import type { IncomingMessage } from 'node:http';
import type { Router } from '../router';
import { readJsonBody } from '../router';
import { sendJson } from '../respond';
import { InvalidArgument } from '../../errdefs';
import type { RegistryCredentials } from '../../core/remotes';
import { login, type EndpointResolver, type LoginRequest } from '../../services/registry';

/**
 * The credentials in a request's X-Registry-Auth header (base64url JSON AuthConfig, padded or
 * not, as docker and docker-py send it); undefined when absent or empty (`{}`).
 */
export function registryAuthOf(req: IncomingMessage): RegistryCredentials | undefined {
  const header = req.headers['x-registry-auth'];
  if (typeof header !== 'string' || !header.trim()) return undefined;
  let cfg: { username?: string; password?: string; identitytoken?: string };
  try {
    cfg = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as typeof cfg;
  } catch (e) {
    throw new InvalidArgument(`invalid X-Registry-Auth header: ${(e as Error).message}`, { cause: e });
  }
  if (cfg?.identitytoken) return { identitytoken: cfg.identitytoken };
  if (cfg?.username) return { username: cfg.username, password: cfg.password ?? '' };
  return undefined;
}

export function authRoutes(router: Router, endpoints: EndpointResolver): void {
  router.add('POST', '/auth', async (ctx) => {
    const body = await readJsonBody<LoginRequest>(ctx.req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidArgument('invalid JSON: auth config must be an object');
    sendJson(ctx.res!, 200, await login(endpoints, body));
  });
}
