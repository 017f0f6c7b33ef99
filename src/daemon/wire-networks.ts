import { join } from 'node:path';
import type { EventBus } from '../services/events';
import type { ContainerStore } from '../services/containers/container-store';
import { EndpointAttacher, NetworkService, NetworkStore } from '../services/networks';
import { IpBridgeHost, NetnsSandboxes } from '../plugins/network-bridge';
import { IpNetns } from '../sys/netns';
import type { DaemonConfig } from './config';

/** berth's own nftables table: `berth`, or one per bridge for daemons with another `-b`. */
export const nftTableFor = (bridge: string) => (bridge === 'berth0' ? 'berth' : `berth-${bridge}`);

/**
 * The networks (records, bridges, rules) and the attacher that gives containers their
 * endpoints. `init()` of the service must run before the containers restore their sandboxes.
 */
export function wireNetworks(cfg: DaemonConfig, o: { events: EventBus; store: ContainerStore }): { networks: NetworkService; attacher: EndpointAttacher } {
  const publish = (action: string, id: string, attributes: Record<string, string>) => o.events.publish('network', action, id, attributes);
  const networks = new NetworkService({
    store: new NetworkStore(join(cfg.dataRoot, 'network', 'networks')),
    host: new IpBridgeHost({ nftTable: nftTableFor(cfg.bridge), rules: cfg.iptables, ipForward: cfg.ipForward }),
    defaultBridge: cfg.bridge, bip: cfg.bip, pools: cfg.defaultAddressPools, events: publish,
    users: () => o.store.all().map((c) => ({ id: c.id, name: c.name, sandbox: c.sandbox })),
  });
  const attacher = new EndpointAttacher(networks, new NetnsSandboxes({ dir: join(cfg.execRoot, 'netns'), netns: new IpNetns() }), {
    hostResolvConf: '/etc/resolv.conf', events: publish,
  });
  return { networks, attacher };
}
