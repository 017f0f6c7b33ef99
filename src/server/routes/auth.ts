/** POST /auth: Docker's login check of a registry's credentials. */
import type { Router } from '../router';
import { readJsonBody } from '../router';
import { sendJson } from '../respond';
import { InvalidArgument } from '../../errdefs';
import { login, type EndpointResolver, type LoginRequest } from '../../services/registry';

export function authRoutes(router: Router, endpoints: EndpointResolver): void {
  router.add('POST', '/auth', async (ctx) => {
    const body = await readJsonBody<LoginRequest>(ctx.req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidArgument('invalid JSON: auth config must be an object');
    sendJson(ctx.res!, 200, await login(endpoints, body));
  });
}
