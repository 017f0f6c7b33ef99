import { randomBytes } from 'node:crypto';
import {
  endpointsOf, macForIp, parseCidr, HOST_SWITCH, PRIVATE_MODE, SHARED_NAMESPACE,
  type AddressPool, type AttachRequest, type Endpoint, type EndpointConfig, type LinkSpec, type NetworkAttacher,
  type SandboxInfo, type SandboxNetns, type SandboxRef,
} from '../../core/network';
import { Forbidden, InvalidArgument, Unavailable } from '../../errdefs';
import { log } from '../../lib/logger';
import { checkEndpoint, endpointSettings } from './endpoint-settings';
import type { NetworkRecord } from './network-record';
import type { NetworkService } from './network-service';

export interface EndpointAttacherOptions {
  hostResolvConf: string;
  events: (action: string, id: string, attributes: Record<string, string>) => void;
}

/** A namespace wired to the default bridge, with its address, ready for the next container. */
interface Prepared { netns: string; ip: string; mac: string }

const sandboxName = () => `sb-${randomBytes(6).toString('hex')}`;

/**
 * Gives containers their networks: none (only lo), host, container:<id>, and any set of bridge
 * networks, one veth and address each, the default route through the first that has a
 * gateway. One default-bridge namespace is kept prepared ahead, so a container start on the
 * default network does not wait for one.
 */
export class EndpointAttacher implements NetworkAttacher {
  private spare?: Promise<Prepared | undefined>;

  constructor(private readonly nets: NetworkService, private readonly sandboxes: SandboxNetns, private readonly o: EndpointAttacherOptions) {}

  resolve(mode: string, endpoints: Record<string, EndpointConfig> = {}): Record<string, EndpointConfig> {
    // The docker CLI keys the default network's settings as "default".
    if ('default' in endpoints) endpoints = Object.fromEntries(Object.entries(endpoints).map(([k, v]) => [k === 'default' ? 'bridge' : k, v]));
    const keys = Object.keys(endpoints);
    if (mode.startsWith('container:')) {
      if (keys.length) throw new InvalidArgument(SHARED_NAMESPACE);
      return {};
    }
    const main = this.nets.get(mode);
    const mainKey = keys.find((k) => this.nets.store.find(k)?.id === main.id);
    const out: Record<string, EndpointConfig> = {};
    const add = (n: NetworkRecord, cfg: EndpointConfig) => {
      checkEndpoint(n, cfg);
      out[n.name] = endpointSettings(n, cfg);
    };
    add(main, mainKey ? endpoints[mainKey] : {});
    for (const k of keys) {
      if (k === mainKey) continue;
      const n = this.nets.get(k);
      if (main.driver === 'host' || n.driver === 'host') throw new InvalidArgument(SHARED_NAMESPACE);
      if (main.driver === 'null' || n.driver === 'null') throw new InvalidArgument(PRIVATE_MODE);
      add(n, endpoints[k]);
    }
    return out;
  }

  async attach(req: AttachRequest): Promise<SandboxInfo> {
    const base = { resolvConf: this.o.hostResolvConf, extraHosts: [] as string[], containerId: req.containerId };
    if (req.mode.startsWith('container:')) return { ...base, netns: req.peerNetns!, owned: false, endpoints: [] };
    const main = this.nets.get(req.mode);
    if (main.driver === 'host' || main.driver === 'null') {
      const endpoints = [nullEndpoint(main)];
      const netns = main.driver === 'host' ? 'host' : await this.sandboxes.createSandbox(sandboxName(), [], undefined, { idMap: req.idMap });
      this.publish('connect', req.containerId, endpoints);
      return { ...base, netns, owned: main.driver === 'null', endpoints };
    }
    const joins = (req.networks ?? [{ name: main.name, config: {} }]).map((j) => ({ net: this.nets.get(j.config.NetworkID && this.nets.store.find(j.config.NetworkID) ? j.config.NetworkID : j.name), config: j.config }));
    const taken: { pool: AddressPool; ip: string }[] = [];
    let spare: Prepared | undefined;
    try {
      // a spare namespace is the host's user namespace's; a remapped container needs its own
      if (joins[0]?.net.name === 'bridge' && !req.idMap) spare = await this.takeSpare();
      const endpoints = joins.map((j, i) => {
        if (i === 0 && spare) return bridgeEndpoint(j.net, 'eth0', spare.ip);
        const ip = this.take(j.net, j.config);
        taken.push({ pool: this.nets.pool(j.net.id)!, ip });
        return bridgeEndpoint(j.net, `eth${i}`, ip);
      });
      let netns: string;
      if (spare) {
        netns = spare.netns;
        if (endpoints.length > 1) await this.sandboxes.addLinks(netns, endpoints.slice(1).map(linkOf));
      } else {
        netns = await this.sandboxes.createSandbox(sandboxName(), endpoints.map(linkOf), endpoints.find((e) => e.gateway)?.gateway, { idMap: req.idMap });
      }
      this.publish('connect', req.containerId, endpoints);
      return { ...base, netns, owned: true, endpoints };
    } catch (e) {
      for (const t of taken) t.pool.release(t.ip);
      if (spare) {
        await this.sandboxes.removeSandbox(spare.netns).catch(() => {});
        this.nets.pool(this.nets.get('bridge').id)?.release(spare.ip);
      }
      throw e;
    }
  }

  async connect(sandbox: SandboxRef, req: { containerId: string; containerName: string; network: string; config: EndpointConfig }): Promise<Endpoint> {
    const n = this.nets.get(req.network);
    if (n.driver === 'host' || sandbox.netns === 'host') throw new InvalidArgument(HOST_SWITCH);
    if (!sandbox.owned) throw new InvalidArgument(SHARED_NAMESPACE);
    const eps = endpointsOf(sandbox);
    if (n.driver === 'null' || eps.some((e) => !e.ifname)) throw new InvalidArgument(PRIVATE_MODE);
    if (eps.some((e) => e.networkId === n.id)) throw new Forbidden(`endpoint with name ${req.containerName} already exists in network ${n.name}`);
    checkEndpoint(n, req.config);
    const ip = this.take(n, req.config);
    let i = 0;
    while (eps.some((e) => e.ifname === `eth${i}`)) i++;
    const ep = bridgeEndpoint(n, `eth${i}`, ip);
    try {
      await this.sandboxes.addLinks(sandbox.netns, [linkOf(ep)], eps.some((e) => e.gateway) ? undefined : ep.gateway || undefined);
    } catch (e) {
      this.nets.pool(n.id)?.release(ip);
      throw e;
    }
    this.publish('connect', req.containerId, [ep]);
    return ep;
  }

  async disconnect(sandbox: SandboxRef, ep: Endpoint): Promise<void> {
    if (sandbox.netns === 'host') throw new InvalidArgument(HOST_SWITCH);
    const eps = endpointsOf(sandbox);
    if (ep.ifname) await this.sandboxes.removeLink(sandbox.netns, ep.ifname);
    if (ep.ipAddress) this.poolOf(ep)?.release(ep.ipAddress);
    // The default route went with the link: the next endpoint with a gateway takes it.
    if (ep.gateway && eps.find((e) => e.gateway)?.endpointId === ep.endpointId) {
      const next = eps.find((e) => e.gateway && e.endpointId !== ep.endpointId);
      if (next) await this.sandboxes.setDefaultRoute(sandbox.netns, next.gateway).catch((e) => log.warn('default route not moved', { netns: sandbox.netns, error: String(e) }));
    }
    this.publish('disconnect', sandbox.containerId ?? '', [ep]);
  }

  async detach(sandbox: SandboxRef): Promise<void> {
    if (sandbox.owned) await this.sandboxes.removeSandbox(sandbox.netns);
    const eps = endpointsOf(sandbox);
    for (const e of eps) if (e.ipAddress) this.poolOf(e)?.release(e.ipAddress);
    this.publish('disconnect', sandbox.containerId ?? '', eps);
  }

  async restore(live: SandboxRef[]): Promise<void> {
    const keep = new Set(live.filter((s) => s.owned).map((s) => s.netns));
    for (const s of live) for (const e of endpointsOf(s)) if (e.ipAddress) this.poolOf(e)?.keep(e.ipAddress);
    for (const path of await this.sandboxes.listSandboxes()) {
      if (!keep.has(path)) await this.sandboxes.removeSandbox(path).catch((e) => log.warn('stale namespace removal failed', { path, error: String(e) }));
    }
    this.spare ??= this.prepare().catch((e) => { log.warn('preparing a bridge namespace failed', { error: String(e) }); return undefined; });
  }

  async close(): Promise<void> {
    const spare = await this.spare?.catch(() => undefined);
    this.spare = undefined;
    if (!spare) return;
    await this.sandboxes.removeSandbox(spare.netns).catch(() => {});
    this.nets.pool(this.nets.get('bridge').id)?.release(spare.ip);
  }

  /** The pool of an endpoint's network; records of older versions name the default one only. */
  private poolOf(e: Endpoint): AddressPool | undefined {
    return this.nets.pool(e.networkId) ?? this.nets.pool(this.nets.store.find(e.networkName)?.id ?? '');
  }

  /** The address asked for, or the next free one: Docker's errors when it cannot be had. */
  private take(n: NetworkRecord, cfg: EndpointConfig): string {
    const pool = this.nets.pool(n.id);
    if (!pool) throw new Unavailable(`network ${n.name} has no address pool`);
    const want = cfg.IPAMConfig?.IPv4Address;
    try {
      if (!want) return pool.allocate();
      pool.reserve(want);
      return want;
    } catch (e) {
      if (e instanceof RangeError) throw new InvalidArgument(e.message);
      if (want) throw new Forbidden((e as Error).message);
      throw new Unavailable(`no available IPv4 addresses on this network's address pools: ${n.name} (${n.id})`, { cause: e });
    }
  }

  /** The prepared namespace, if one is ready, and starts preparing the next. */
  private takeSpare(): Promise<Prepared | undefined> {
    const spare = this.spare ?? Promise.resolve(undefined);
    this.spare = this.prepare().catch((e) => { log.warn('preparing a bridge namespace failed', { error: String(e) }); return undefined; });
    return spare;
  }

  private async prepare(): Promise<Prepared> {
    const n = this.nets.get('bridge');
    const pool = this.nets.pool(n.id)!;
    const ip = pool.allocate();
    const mac = macForIp(ip);
    try {
      const netns = await this.sandboxes.createSandbox(sandboxName(), [linkOf(bridgeEndpoint(n, 'eth0', ip))], n.gateway);
      return { netns, ip, mac };
    } catch (e) {
      pool.release(ip);
      throw e;
    }
  }

  private publish(action: string, containerId: string, eps: Endpoint[]): void {
    for (const e of eps) {
      const n = this.nets.store.find(e.networkId);
      this.o.events(action, e.networkId, { container: containerId, name: e.networkName, type: n?.driver ?? 'bridge' });
    }
  }
}

function bridgeEndpoint(n: NetworkRecord, ifname: string, ip: string): Endpoint {
  return {
    networkName: n.name, networkId: n.id, endpointId: randomBytes(32).toString('hex'), ifname, bridge: n.bridge!,
    ipAddress: ip, prefixLen: parseCidr(n.subnet!).prefix, gateway: n.internal ? '' : n.gateway!, macAddress: macForIp(ip),
  };
}

/** The endpoint of a container on host or none: an ID, no interface of its own. */
function nullEndpoint(n: NetworkRecord): Endpoint {
  return { networkName: n.name, networkId: n.id, endpointId: randomBytes(32).toString('hex'), ifname: '', bridge: '', ipAddress: '', prefixLen: 0, gateway: '', macAddress: '' };
}

function linkOf(e: Endpoint): LinkSpec {
  return { ifname: e.ifname, mac: e.macAddress, ip: e.ipAddress, prefixLen: e.prefixLen, bridge: e.bridge };
}
