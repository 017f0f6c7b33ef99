import { randomBytes } from 'node:crypto';
import {
  AddressPool, endpointsOf, firstFreeSubnet, formatCidr, intToIp, ipToInt, parseCidr,
  type BridgeHost, type Endpoint, type PoolSpec, type SandboxRef,
} from '../../core/network';
import { Forbidden, InvalidArgument } from '../../errdefs';
import { log } from '../../lib/logger';
import { planNetwork, type NetworkCreateRequest } from './network-create';
import { networkListFilter, networkPruneFilter } from './network-filter';
import { bridgeRulesOf, isPredefined, type NetworkRecord } from './network-record';
import type { NetworkStore } from './network-store';

/** A container as the networks see it: its endpoints while it runs. */
export interface NetworkUser { id: string; name: string; sandbox?: SandboxRef }

export interface NetworkServiceOptions {
  store: NetworkStore;
  host: BridgeHost;
  /** The default network's Linux bridge (daemon `-b`, berth0). */
  defaultBridge: string;
  /** daemon `bip`: the default bridge's address with its prefix (`10.20.0.1/16`). */
  bip?: string;
  /** daemon `default-address-pools`. */
  pools: PoolSpec[];
  events: (action: string, id: string, attributes: Record<string, string>) => void;
  /** Containers with their sandboxes (the running ones have one). */
  users: () => NetworkUser[];
}

/** Docker's options of the default bridge network, as `network inspect bridge` shows them. */
const DEFAULT_BRIDGE_OPTIONS = (bridge: string) => ({
  'com.docker.network.bridge.default_bridge': 'true',
  'com.docker.network.bridge.enable_icc': 'true',
  'com.docker.network.bridge.enable_ip_masquerade': 'true',
  'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
  'com.docker.network.bridge.name': bridge,
  'com.docker.network.driver.mtu': '1500',
});

/**
 * The networks: records, their bridges and rules, and one address pool per bridge network.
 * Changes to the set of networks are serialized; each ends with berth's rules rewritten for
 * the networks that then exist.
 */
export class NetworkService {
  private pools = new Map<string, AddressPool>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly o: NetworkServiceOptions) {}

  get store() { return this.o.store; }

  /**
   * Loads the records, finishes interrupted removals, makes the predefined networks, sets up
   * the default bridge and every user network's bridge, and rewrites the rules.
   */
  async init(): Promise<void> {
    await this.store.load();
    for (const n of this.store.all().filter((x) => x.removing)) {
      if (n.bridge) await this.o.host.removeBridge(n.bridge);
      await this.store.delete(n);
    }
    await this.ensurePredefined();
    await this.setupDefaultBridge();
    for (const n of this.bridgeNetworks()) {
      if (n.name === 'bridge') continue;
      const s = parseCidr(n.subnet!);
      await this.o.host.createBridge(n.bridge!, n.gateway!, s.prefix).catch((e) => log.error('network bridge not restored', { network: n.name, bridge: n.bridge, error: String(e) }));
      this.addPool(n);
    }
    await this.o.host.enableForwarding();
    await this.syncRules();
  }

  private bridgeNetworks(): NetworkRecord[] { return this.store.all().filter((n) => n.driver === 'bridge' && !n.removing); }

  private syncRules(): Promise<void> { return this.o.host.syncRules(this.bridgeNetworks().map(bridgeRulesOf)); }

  private addPool(n: NetworkRecord): void {
    this.pools.set(n.id, new AddressPool(parseCidr(n.subnet!), ipToInt(n.gateway!), n.ipRange ? parseCidr(n.ipRange) : undefined));
  }

  /** The address pool of a bridge network. */
  pool(id: string): AddressPool | undefined { return this.pools.get(id); }

  private async ensurePredefined(): Promise<void> {
    const base = { created: new Date().toISOString(), internal: false, attachable: false, enableIPv6: false, options: {}, labels: {} };
    for (const [name, driver] of [['host', 'host'], ['none', 'null']] as const) {
      if (this.store.find(name)?.name === name) continue;
      await this.store.save({ ...base, id: randomBytes(32).toString('hex'), name, driver, ipam: { driver: 'default', options: null, config: [] } });
    }
  }

  /**
   * The default network keeps the address its bridge already has; otherwise `bip`, otherwise
   * the first pool subnet that no route and no other network uses.
   */
  private async setupDefaultBridge(): Promise<void> {
    const name = this.o.defaultBridge;
    const has = await this.o.host.bridgeAddress(name);
    const bip = this.o.bip ? checkBip(this.o.bip) : undefined;
    let addr = has;
    if (bip && (!has || has.gateway !== bip.gateway || has.subnet !== bip.subnet)) addr = bip;
    if (!addr) {
      const others = this.store.all().filter((n) => n.subnet && n.name !== 'bridge').map((n) => parseCidr(n.subnet!));
      const routes = (await this.o.host.hostRoutes()).map((r) => parseCidr(r));
      const free = firstFreeSubnet(this.o.pools, [...others, ...routes]);
      if (!free) throw new InvalidArgument('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
      addr = { subnet: formatCidr(free), gateway: intToIp(free.base + 1) };
    }
    if (addr !== has) await this.o.host.createBridge(name, addr.gateway, parseCidr(addr.subnet).prefix);
    const old = this.store.find('bridge');
    const rec: NetworkRecord = {
      id: old?.name === 'bridge' ? old.id : randomBytes(32).toString('hex'), name: 'bridge',
      created: old?.name === 'bridge' ? old.created : new Date().toISOString(), driver: 'bridge',
      internal: false, attachable: false, enableIPv6: false,
      ipam: { driver: 'default', options: null, config: [{ Subnet: addr.subnet, Gateway: addr.gateway }] },
      options: DEFAULT_BRIDGE_OPTIONS(name), labels: {}, bridge: name, subnet: addr.subnet, gateway: addr.gateway,
    };
    if (JSON.stringify(old) !== JSON.stringify(rec)) await this.store.save(rec);
    this.addPool(rec);
  }

  /** Runs network changes one at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  get(ref: string): NetworkRecord { return this.store.get(ref); }

  /** The network's endpoints, from the containers' sandboxes. */
  endpoints(n: NetworkRecord): { container: NetworkUser; endpoint: Endpoint }[] {
    return this.o.users().flatMap((c) => endpointsOf(c.sandbox).filter((e) => e.networkId === n.id).map((endpoint) => ({ container: c, endpoint })));
  }

  /** True while any container (or a start under way) holds an endpoint on the network. */
  inUse(n: NetworkRecord): boolean {
    return (this.pools.get(n.id)?.size ?? 0) > 0 || this.endpoints(n).length > 0;
  }

  list(filters: Map<string, string[]> = new Map()): NetworkRecord[] {
    const match = networkListFilter(filters, (n) => this.inUse(n));
    return this.store.all().filter((n) => !n.removing).filter(match).sort((a, b) => a.name.localeCompare(b.name));
  }

  create(req: NetworkCreateRequest): Promise<NetworkRecord> {
    return this.serial(async () => {
      const rec = planNetwork(req, { existing: this.store.all(), routes: await this.o.host.hostRoutes(), pools: this.o.pools });
      if (req.Options?.['com.docker.network.bridge.name'] && await this.o.host.linkExists(rec.bridge!)) {
        throw new Forbidden(`bridge ${rec.bridge} already exists on the host and is not berth's`);
      }
      await this.store.save(rec);
      try {
        await this.o.host.createBridge(rec.bridge!, rec.gateway!, parseCidr(rec.subnet!).prefix);
        this.addPool(rec);
        await this.syncRules();
      } catch (e) {
        this.pools.delete(rec.id);
        await this.o.host.removeBridge(rec.bridge!).catch(() => {});
        await this.store.delete(rec);
        await this.syncRules().catch(() => {});
        throw e;
      }
      this.o.events('create', rec.id, { name: rec.name, type: rec.driver });
      return rec;
    });
  }

  /** Forbidden for predefined networks and networks with endpoints, in Docker's words. */
  remove(ref: string): Promise<void> {
    return this.serial(async () => {
      const n = this.store.get(ref);
      if (isPredefined(n.name)) throw new Forbidden(`${n.name} is a pre-defined network and cannot be removed`);
      if (this.inUse(n)) throw new Forbidden(`error while removing network: network ${n.name} id ${n.id} has active endpoints`);
      await this.destroy(n);
    });
  }

  /** Removes every unused user network the filters select; returns their names. */
  prune(filters: Map<string, string[]> = new Map()): Promise<string[]> {
    const select = networkPruneFilter(filters);
    return this.serial(async () => {
      const gone: string[] = [];
      for (const n of this.list().filter((x) => !isPredefined(x.name) && select(x) && !this.inUse(x))) {
        await this.destroy(n);
        gone.push(n.name);
      }
      this.o.events('prune', '', { reclaimed: '0' });
      return gone;
    });
  }

  /** Marks the record, removes the bridge and rules, then the record. */
  private async destroy(n: NetworkRecord): Promise<void> {
    n.removing = true;
    await this.store.save(n);
    this.pools.delete(n.id);
    await this.syncRules();
    if (n.bridge) await this.o.host.removeBridge(n.bridge);
    await this.store.delete(n);
    this.o.events('destroy', n.id, { name: n.name, type: n.driver });
  }
}

/** `bip` is the bridge's own address with a prefix (`192.168.1.5/24`); a network address means its first host. */
function checkBip(bip: string): { subnet: string; gateway: string } {
  let s;
  try { s = parseCidr(bip); } catch { throw new InvalidArgument(`invalid bip ${bip}: not an address with a prefix length`); }
  const given = bip.split('/')[0];
  return { subnet: formatCidr(s), gateway: given === intToIp(s.base) ? intToIp(s.base + 1) : given };
}
