/** Where a container's published ports meet its start, its exit and a daemon restart. */
import { endpointsOf, formatCidr, parseCidr, type SandboxRef } from '../../core/network';
import type { PortMapping } from '../../core/network/ports';
import type { ContainerContext } from './deps';
import type { ContainerRecord } from './types';
import { wantedPorts } from './ports';
import type { PublishTarget } from './ports-publisher';

/** Where the ports go: as Docker, the first endpoint on a network with a way out. */
function portTarget(rec: ContainerRecord): PublishTarget | undefined {
  const s: SandboxRef | undefined = rec.sandbox;
  const e = endpointsOf(s).find((x) => x.bridge && x.gateway && x.ipAddress);
  if (!s || !e) return undefined;
  return {
    containerId: rec.id, containerName: rec.name, endpointId: e.endpointId, ip: e.ipAddress, bridge: e.bridge,
    subnet: formatCidr(parseCidr(`${e.ipAddress}/${e.prefixLen}`)), ...(s.owned && e.ifname ? { link: { netns: s.netns, ifname: e.ifname } } : {}),
  };
}

/**
 * Publishes a starting container's ports once its network is attached; undefined when it
 * publishes none (host, none and container: modes have no endpoint of their own).
 */
export async function publishPorts(ctx: ContainerContext, rec: ContainerRecord): Promise<PortMapping[] | undefined> {
  const target = portTarget(rec);
  if (!ctx.ports || !target) return undefined;
  const wanted = wantedPorts(rec.config.ExposedPorts, rec.hostConfig.PortBindings, !!rec.hostConfig.PublishAllPorts);
  if (!wanted.length) return undefined;
  return ctx.ports.publish(target, wanted);
}

/** Removes the rules and frees the host ports of a container that stopped or failed to start. */
export async function releasePorts(ctx: ContainerContext, rec: ContainerRecord): Promise<void> {
  rec.ports = undefined;
  await ctx.ports?.unpublish(rec.id);
}

/** At daemon start: the ports of the containers recorded as running, held and mapped again. */
export async function restorePorts(ctx: ContainerContext, live: ContainerRecord[]): Promise<void> {
  if (!ctx.ports) return;
  await ctx.ports.restore(live.flatMap((rec) => {
    const target = portTarget(rec);
    return target && rec.ports?.length ? [{ ...target, mappings: rec.ports }] : [];
  }));
}
