import { endpointsOf } from '../core/network';
import type { EventBus } from '../services/events';
import type { ContainerStore } from '../services/containers/container-store';
import { containerNetworks, syncLinkFirewall, type ContainerContext, type ContainerRecord, type EtcHooks } from '../services/containers';
import { EmbeddedDns, isPredefined, type NetworkService } from '../services/networks';
import { IccRules } from '../plugins/network-bridge';
import { log } from '../lib/logger';
import type { DaemonConfig } from './config';
import { nftTableFor } from './wire-networks';

const isRunning = (c: ContainerRecord) => c.state.status === 'running' || c.state.status === 'paused';

/**
 * What the containers' /etc files and links need from the daemon: the embedded DNS on user
 * networks, `host-gateway`, and (icc=false) the link firewall of the default bridge.
 * `init()` runs after the containers are restored; `close()` at shutdown.
 */
export function wireEtc(cfg: DaemonConfig, o: { networks: NetworkService; store: ContainerStore; events: EventBus }) {
  const dns = new EmbeddedDns({
    network: (id) => {
      const n = o.networks.store.find(id);
      return n && { id: n.id, name: n.name, gateway: n.gateway ?? '', internal: n.internal, userDefined: n.driver === 'bridge' && !isPredefined(n.name) };
    },
    containers: () => o.store.all().filter(isRunning).map((c) => {
      const settings = Object.entries(containerNetworks(c));
      return {
        id: c.id, name: c.name, hostname: c.config.Hostname, dns: c.hostConfig.Dns ?? [],
        endpoints: endpointsOf(c.sandbox).map((e) => {
          const cfg = settings.find(([name, s]) => s.NetworkID === e.networkId || name === e.networkName)?.[1];
          return { networkId: e.networkId, ip: e.ipAddress, aliases: cfg?.Aliases ?? [], links: cfg?.Links ?? [] };
        }),
      };
    }),
    hostResolvConf: '/etc/resolv.conf',
  });
  const icc = cfg.iptables ? new IccRules({ table: nftTableFor(cfg.bridge), subnet: async () => o.networks.get('bridge').subnet! }) : undefined;
  const hooks: EtcHooks = {
    dns: { serverFor: (_rec, sandbox) => dns.serverFor(endpointsOf(sandbox).map((e) => e.networkId)) },
    hostGateway: () => cfg.hostGatewayIp ?? o.networks.store.find('bridge')?.gateway,
    linkFirewall: cfg.icc ? undefined : icc,
  };
  let unsubscribe = () => {};
  return {
    hooks,
    async init(ctx: ContainerContext): Promise<void> {
      unsubscribe = o.events.subscribe((e) => { if (e.Type === 'network' && e.Action === 'destroy') void dns.sweep(); });
      await dns.restore();
      // icc=true leaves no table behind from a run with icc=false; icc=false rebuilds it.
      if (cfg.icc) await icc?.remove().catch((e) => log.warn('removing the icc table failed', { error: String(e) }));
      else await syncLinkFirewall(ctx);
    },
    async close(): Promise<void> {
      unsubscribe();
      await dns.close();
    },
  };
}
