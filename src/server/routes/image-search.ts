/** GET /images/search: Docker Hub's search or a private registry's catalog. */
import type { Router } from '../router';
import { sendJson } from '../respond';
import { parseFilters } from '../../engine-api';
import { InvalidArgument } from '../../errdefs';
import { searchImages, type SearchDeps } from '../../services/registry';
import { registryAuthFromHeader } from '../dto/registry-auth';

export function imageSearchRoutes(router: Router, deps: SearchDeps): void {
  router.add('GET', '/images/search', async (ctx) => {
    const term = ctx.query.get('term') ?? '';
    if (!term) throw new InvalidArgument('term is required');
    const rawLimit = ctx.query.get('limit');
    const limit = rawLimit ? Number(rawLimit) : undefined;
    if (rawLimit && !Number.isInteger(limit)) throw new InvalidArgument(`invalid limit: ${JSON.stringify(rawLimit)}`);
    let filters: Map<string, string[]>;
    try { filters = parseFilters(ctx.query.get('filters')); } catch (e) { throw new InvalidArgument((e as Error).message, { cause: e }); }
    sendJson(ctx.res!, 200, await searchImages(deps, { term, limit, filters, auth: registryAuthFromHeader(ctx.req.headers['x-registry-auth']) }));
  });
}
