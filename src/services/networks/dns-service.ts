import { readFile, stat } from 'node:fs/promises';
import { log } from '../../lib/logger';
import { matchName, reverseName, type DnsNames, type DnsNetworkView } from './dns-names';
import { DnsServer } from './dns-server';
import { parseResolvConf } from './dns-resolv-conf';

/** A network as the embedded DNS needs it. */
export interface DnsNetwork {
  id: string;
  name: string;
  /** The bridge's own address, where the server listens. */
  gateway: string;
  internal: boolean;
  /** Docker resolves names on user-defined networks only. */
  userDefined: boolean;
}

/** A running container as the embedded DNS sees it. */
export interface DnsContainer {
  id: string;
  name: string;
  hostname: string;
  /** Its --dns servers; empty: the host's. */
  dns: string[];
  /** Its endpoints in attach order, with the aliases and links (`name:alias`) given for each network. */
  endpoints: { networkId: string; ip: string; aliases: string[]; links: string[] }[];
}

export interface EmbeddedDnsOptions {
  /** A network by ID, or undefined when it is gone. */
  network(id: string): DnsNetwork | undefined;
  /** The running containers. */
  containers(): DnsContainer[];
  /** The host's resolv.conf: its nameservers are the default upstreams. */
  hostResolvConf: string;
  /** 53 unless a test asks otherwise. */
  port?: number;
}

/**
 * berth's embedded DNS for user-defined networks: one DnsServer listening on each such
 * network's gateway while containers use it. A query is answered from every network the
 * querying container is on (the listener's first), as Docker's resolver does; other names
 * go to the container's --dns servers, else the host's resolvers (none for internal networks).
 */
export class EmbeddedDns {
  readonly server: DnsServer;
  private hostServers: { key?: string; servers: string[] } = { servers: [] };
  /** Served gateway -> network ID. */
  private readonly served = new Map<string, string>();

  constructor(private readonly o: EmbeddedDnsOptions) {
    this.server = new DnsServer({ names: this.names(), upstreams: (id, client) => this.upstreams(id, client), port: o.port });
  }

  /**
   * Serves the user-defined networks among these and returns the address a container on them
   * names in its resolv.conf (the first such network's gateway), or undefined.
   */
  async serverFor(networkIds: string[]): Promise<string | undefined> {
    let first: string | undefined;
    for (const id of networkIds) {
      const n = this.o.network(id);
      if (!n?.userDefined || !n.gateway) continue;
      try {
        await this.server.serve(n.gateway, n.id);
        this.served.set(n.gateway, n.id);
        first ??= n.gateway;
      } catch (e) {
        log.warn('embedded DNS cannot listen on the network gateway', { network: n.name, address: n.gateway, error: String(e) });
      }
    }
    return first;
  }

  /** At daemon start: serves every user network a running container is on. */
  async restore(): Promise<void> {
    await this.serverFor([...new Set(this.o.containers().flatMap((c) => c.endpoints.map((e) => e.networkId)))]);
  }

  /** Stops serving the addresses of networks that are gone (after a network is removed). */
  async sweep(): Promise<void> {
    for (const [gateway, id] of [...this.served]) {
      if (this.o.network(id)?.gateway === gateway) continue;
      this.served.delete(gateway);
      await this.server.stop(gateway);
    }
  }

  close(): Promise<void> { return this.server.close(); }

  private view(networkId: string): DnsNetworkView | undefined {
    const n = this.o.network(networkId);
    if (!n?.userDefined) return undefined;
    const endpoints = this.o.containers().flatMap((c) => c.endpoints.filter((e) => e.networkId === networkId && e.ip).map((e) => ({
      containerId: c.id, name: c.name, ip: e.ip, aliases: e.aliases, hostname: c.hostname,
      links: Object.fromEntries(e.links.map((l) => { const [target, alias] = l.split(':'); return [alias ?? target, target.replace(/^\//, '')]; })),
    })));
    return { networkName: n.name, endpoints };
  }

  /** The querying container and the networks it is on, the listener's first. */
  private clientNetworks(networkId: string, client: string): { networkId: string; ip: string }[] {
    const c = this.o.containers().find((x) => x.endpoints.some((e) => e.networkId === networkId && e.ip === client));
    const own = (c?.endpoints ?? []).filter((e) => e.networkId !== networkId).map((e) => ({ networkId: e.networkId, ip: e.ip }));
    return [{ networkId, ip: client }, ...own];
  }

  private names(): DnsNames {
    return {
      lookup: (networkId, name, client) => {
        for (const n of this.clientNetworks(networkId, client)) {
          const v = this.view(n.networkId);
          const ips = v ? matchName(v, name, n.ip) : [];
          if (ips.length) return ips;
        }
        return [];
      },
      reverse: (networkId, ip) => {
        const v = this.view(networkId);
        return v && reverseName(v, ip);
      },
    };
  }

  private async upstreams(networkId: string, client: string): Promise<string[]> {
    if (this.o.network(networkId)?.internal) return [];
    const c = this.o.containers().find((x) => x.endpoints.some((e) => e.networkId === networkId && e.ip === client));
    if (c?.dns.length) return c.dns;
    return this.hostResolvers();
  }

  /** The host's nameservers, re-read when the file changes. */
  private async hostResolvers(): Promise<string[]> {
    const st = await stat(this.o.hostResolvConf).catch(() => undefined);
    const key = st ? `${st.mtimeMs}/${st.size}/${st.ino}` : '';
    if (key === this.hostServers.key) return this.hostServers.servers;
    const text = st ? await readFile(this.o.hostResolvConf, 'utf8').catch(() => '') : '';
    // Loopback servers are kept: berthd runs in the host's namespace.
    this.hostServers = { key, servers: parseResolvConf(text).nameservers };
    return this.hostServers.servers;
  }
}
