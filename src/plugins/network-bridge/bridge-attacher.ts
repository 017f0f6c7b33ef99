import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { AddressPool, parseCidr, ipToInt, intToIp, macForIp, type Subnet } from '../../core/network/ipam';
import type { AttachRequest, NetworkAttacher, SandboxInfo, SandboxRef } from '../../core/network/types';
import { NotFound, Unavailable } from '../../errdefs';
import type { NetnsManager } from '../../sys/netns';
import { runCommand } from '../../sys/run-command';
import { log } from '../../lib/logger';
import { setupBridge } from './bridge-setup';

export interface BridgeOptions {
  execRoot: string;
  netns: NetnsManager;
  /** The Linux bridge of the default network. */
  bridgeName: string;
  /** Daemon's `bip`-like subnet; when absent the first free one of the candidates is used. */
  subnet?: string;
  hostResolvConf: string;
  /** An nftables table of berth's own, so its rules coexist with Docker's. */
  nftTable: string;
}

/** A namespace wired to the bridge, with its address, ready for the next container. */
interface Prepared { netns: string; ip: string; mac: string }

/**
 * The network modes of this issue: none (only lo), host, container:<id>, and the default
 * bridge (`berth0`, one veth per container, outbound masquerade in berth's own nft table).
 * One bridge namespace is kept prepared ahead, so a container start does not wait for it.
 */
export class BridgeAttacher implements NetworkAttacher {
  private pool?: AddressPool;
  private subnet?: Subnet;
  private ready?: Promise<void>;
  private spare?: Promise<Prepared | undefined>;
  private kept: string[] = [];
  readonly networkId: string;

  constructor(private readonly o: BridgeOptions) {
    this.networkId = Buffer.from(`berth-bridge-${o.bridgeName}`).toString('hex').padEnd(64, '0').slice(0, 64);
  }

  private get nsDir() { return join(this.o.execRoot, 'netns'); }

  validate(mode: string): void {
    if (['bridge', 'host', 'none'].includes(mode) || /^container:.+/.test(mode)) return;
    throw new NotFound(`network ${mode} not found`);
  }

  async restore(live: SandboxRef[]): Promise<void> {
    const keep = new Set(live.filter((s) => s.owned).map((s) => s.netns));
    this.kept = live.flatMap((s) => (s.endpoint?.networkName === 'bridge' ? [s.endpoint.ipAddress] : []));
    for (const f of await readdir(this.nsDir).catch(() => [] as string[])) {
      const path = join(this.nsDir, f);
      if (!keep.has(path)) await this.o.netns.remove(path).catch((e) => log.warn('stale namespace removal failed', { path, error: String(e) }));
    }
  }

  async close(): Promise<void> {
    const spare = await this.spare?.catch(() => undefined);
    this.spare = undefined;
    if (spare) await this.o.netns.remove(spare.netns).catch(() => {});
  }

  async attach(req: AttachRequest): Promise<SandboxInfo> {
    const base = { resolvConf: this.o.hostResolvConf, extraHosts: [] as string[] };
    if (req.mode === 'host') return { ...base, netns: 'host', owned: false };
    if (req.mode.startsWith('container:')) return { ...base, netns: req.peerNetns!, owned: false };
    if (req.mode === 'none') {
      const path = join(this.nsDir, `none-${req.containerId.slice(0, 12)}-${randomBytes(3).toString('hex')}`);
      await this.o.netns.create(path);
      return { ...base, netns: path, owned: true };
    }
    if (req.mode !== 'bridge') throw new NotFound(`network ${req.mode} not found`);
    const p = (await this.takeSpare()) ?? await this.prepare();
    return {
      ...base, netns: p.netns, owned: true,
      endpoint: {
        networkName: 'bridge', networkId: this.networkId, endpointId: req.containerId, ipAddress: p.ip,
        prefixLen: this.subnet!.prefix, gateway: intToIp(this.pool!.gateway), macAddress: p.mac,
      },
    };
  }

  async detach(sandbox: SandboxRef): Promise<void> {
    if (sandbox.owned) await this.o.netns.remove(sandbox.netns);
    const e = sandbox.endpoint;
    if (e && this.pool && e.networkName === 'bridge') this.pool.release(e.ipAddress);
  }

  /** The prepared namespace, if one is ready, and starts preparing the next. */
  private async takeSpare(): Promise<Prepared | undefined> {
    const spare = this.spare;
    this.spare = this.prepare().catch((e) => { log.warn('preparing a bridge namespace failed', { error: String(e) }); return undefined; });
    return spare;
  }

  /** A new namespace with a veth on the bridge, an address and a default route. */
  private async prepare(): Promise<Prepared> {
    await this.ensureBridge();
    const token = randomBytes(4).toString('hex');
    const netns = join(this.nsDir, `br-${token}`);
    const ip = this.pool!.allocate();
    const mac = macForIp(ip);
    const veth = `veth${token.slice(0, 7)}`;
    try {
      await this.o.netns.create(netns, [
        `link add eth0 address ${mac} type veth peer name ${veth} netns ${process.pid}`,
        `addr add ${ip}/${this.subnet!.prefix} dev eth0`,
        'link set eth0 up',
        `route add default via ${intToIp(this.pool!.gateway)}`,
      ]);
      await runCommand('ip', ['link', 'set', veth, 'master', this.o.bridgeName, 'up']);
    } catch (e) {
      this.pool!.release(ip);
      await this.o.netns.remove(netns).catch(() => {});
      throw new Unavailable(`failed to set up a bridge endpoint on ${this.o.bridgeName}: ${(e as Error).message}`, { cause: e });
    }
    return { netns, ip, mac };
  }

  private ensureBridge(): Promise<void> {
    this.ready ??= (async () => {
      const { cidr, gateway } = await setupBridge(this.o);
      this.subnet = parseCidr(cidr);
      this.pool = new AddressPool(this.subnet, ipToInt(gateway));
      for (const ip of this.kept) this.pool.reserve(ip);
    })().catch((e) => { this.ready = undefined; throw e; });
    return this.ready;
  }
}
