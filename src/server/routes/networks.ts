/** The /networks routes: DTO -> networks (or the container operations for connect) -> DTO. */
import type { Router, RouteContext } from '../router';
import { readJsonBody } from '../router';
import { sendJson, sendStatus } from '../respond';
import { parseFilters } from '../../engine-api';
import { InvalidArgument, NotFound } from '../../errdefs';
import type { EndpointConfig } from '../../core/network';
import type { NetworkCreateRequest, NetworkService } from '../../services/networks';
import type { ContainerService } from '../../services/containers';
import { connectContainer, disconnectContainer } from '../../services/containers/ops';
import { networkResource } from '../dto/network-dto';
import { networkConnectShape, networkCreateShape } from '../dto/body-shapes';

const res = (ctx: RouteContext) => ctx.res!;

function filtersOf(ctx: RouteContext) {
  try { return parseFilters(ctx.query.get('filters')); } catch (e) { throw new InvalidArgument((e as Error).message, { cause: e }); }
}

export function networkRoutes(router: Router, nets: NetworkService, containers: ContainerService): void {
  // Docker answers the list with and without the trailing slash.
  for (const path of ['/networks', '/networks/']) {
    router.add('GET', path, async (ctx) => {
      sendJson(res(ctx), 200, nets.list(filtersOf(ctx)).map((n) => networkResource(n)));
    });
  }

  router.add('GET', '/networks/{id}', async (ctx) => {
    const n = nets.get(ctx.params.id);
    const scope = ctx.query.get('scope');
    if (scope && scope !== 'local') throw new NotFound(`network ${ctx.params.id} not found`);
    sendJson(res(ctx), 200, networkResource(n, nets));
  });

  router.add('POST', '/networks/create', async (ctx) => {
    const body = await readJsonBody<NetworkCreateRequest | null>(ctx.req, networkCreateShape) ?? {};
    const n = await nets.create(body);
    sendJson(res(ctx), 201, { Id: n.id, Warning: '' });
  });

  router.add('DELETE', '/networks/{id}', async (ctx) => {
    await nets.remove(ctx.params.id);
    sendStatus(res(ctx), 204);
  });

  router.add('POST', '/networks/{id}/connect', async (ctx) => {
    const body = await readJsonBody<{ Container?: string; EndpointConfig?: EndpointConfig | null } | null>(ctx.req, networkConnectShape) ?? {};
    if (!body.Container) throw new InvalidArgument('no container specified');
    await connectContainer(containers, body.Container, ctx.params.id, body.EndpointConfig ?? {});
    sendStatus(res(ctx), 200);
  });

  router.add('POST', '/networks/{id}/disconnect', async (ctx) => {
    const body = await readJsonBody<{ Container?: string; Force?: boolean } | null>(ctx.req, networkConnectShape) ?? {};
    if (!body.Container) throw new InvalidArgument('no container specified');
    await disconnectContainer(containers, body.Container, ctx.params.id, !!body.Force);
    sendStatus(res(ctx), 200);
  });

  router.add('POST', '/networks/prune', async (ctx) => {
    const names = await nets.prune(filtersOf(ctx));
    sendJson(res(ctx), 200, { NetworksDeleted: names.length ? names : null });
  });
}
