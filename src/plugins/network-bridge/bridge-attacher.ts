import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { AddressPool, parseCidr, formatCidr, overlaps, ipToInt, intToIp, macForIp, type Subnet } from '../../core/network/ipam';
import type { AttachRequest, Endpoint, NetworkAttacher, SandboxInfo } from '../../core/network/types';
import { NotFound, InvalidArgument, Unavailable } from '../../errdefs';
import type { NetnsManager } from '../../sys/netns';
import { runCommand } from '../../sys/run-command';
import { log } from '../../lib/logger';

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

const CANDIDATES = [...Array.from({ length: 14 }, (_, i) => `172.${18 + i}.0.0/16`), ...Array.from({ length: 20 }, (_, i) => `192.168.${200 + i}.0/24`)];

/**
 * The network modes of this issue: none (only lo), host, container:<id>, and the default
 * bridge (`berth0`, one veth per container, outbound masquerade in berth's own nft table).
 */
export class BridgeAttacher implements NetworkAttacher {
  private pool?: AddressPool;
  private subnet?: Subnet;
  private ready?: Promise<void>;
  readonly networkId: string;

  constructor(private readonly o: BridgeOptions) {
    this.networkId = Buffer.from(`berth-bridge-${o.bridgeName}`).toString('hex').padEnd(64, '0').slice(0, 64);
  }

  validate(mode: string): void {
    if (['bridge', 'host', 'none'].includes(mode) || /^container:.+/.test(mode)) return;
    throw new NotFound(`network ${mode} not found`);
  }

  netnsPath(containerId: string): string { return join(this.o.execRoot, 'netns', containerId); }

  restore(endpoints: Endpoint[]): void {
    this.pendingRestore.push(...endpoints.filter((e) => e.networkName === 'bridge').map((e) => e.ipAddress));
  }
  private pendingRestore: string[] = [];

  /** The default bridge's subnet and gateway, creating the bridge on first use. */
  async info(): Promise<{ subnet: string; gateway: string }> {
    await this.ensureBridge();
    return { subnet: formatCidr(this.subnet!), gateway: intToIp(this.pool!.gateway) };
  }

  async attach(req: AttachRequest): Promise<SandboxInfo> {
    const base = { resolvConf: this.o.hostResolvConf, extraHosts: [] as string[] };
    if (req.mode === 'host') return { ...base, netns: 'host' };
    if (req.mode.startsWith('container:')) return { ...base, netns: req.peerNetns! };
    const path = this.netnsPath(req.containerId);
    if (req.mode === 'none') {
      await this.o.netns.create(path);
      return { ...base, netns: path };
    }
    if (req.mode !== 'bridge') throw new NotFound(`network ${req.mode} not found`);
    await this.ensureBridge();
    const ip = this.pool!.allocate();
    const gateway = intToIp(this.pool!.gateway);
    const veth = `veth${req.containerId.slice(0, 7)}`;
    const mac = macForIp(ip);
    try {
      await this.o.netns.create(path, [
        `link add eth0 address ${mac} type veth peer name ${veth} netns ${process.pid}`,
        `addr add ${ip}/${this.subnet!.prefix} dev eth0`,
        'link set eth0 up',
        `route add default via ${gateway}`,
      ]);
      await runCommand('ip', ['link', 'set', veth, 'master', this.o.bridgeName, 'up']);
    } catch (e) {
      this.pool!.release(ip);
      await this.o.netns.remove(path).catch(() => {});
      throw new Unavailable(`failed to set up the bridge endpoint for ${req.containerId}: ${(e as Error).message}`, { cause: e });
    }
    return {
      ...base, netns: path,
      endpoint: { networkName: 'bridge', networkId: this.networkId, endpointId: req.containerId, ipAddress: ip, prefixLen: this.subnet!.prefix, gateway, macAddress: mac },
    };
  }

  async detach(containerId: string, endpoint?: Endpoint): Promise<void> {
    await this.o.netns.remove(this.netnsPath(containerId));
    if (endpoint && this.pool && endpoint.networkName === 'bridge') this.pool.release(endpoint.ipAddress);
  }

  private ensureBridge(): Promise<void> {
    this.ready ??= this.setupBridge().catch((e) => { this.ready = undefined; throw e; });
    return this.ready;
  }

  private async setupBridge(): Promise<void> {
    const name = this.o.bridgeName;
    const existing = await runCommand('ip', ['-j', 'addr', 'show', 'dev', name], { allowFail: true });
    let cidr: string | undefined;
    let gw: string | undefined;
    if (existing.code === 0) {
      const a = (JSON.parse(existing.stdout)[0]?.addr_info ?? []).find((x: { family: string }) => x.family === 'inet');
      if (a) { gw = a.local; cidr = formatCidr(parseCidr(`${a.local}/${a.prefixlen}`)); }
    }
    if (!cidr) {
      cidr = this.o.subnet ?? await this.freeSubnet();
      const s = parseCidr(cidr);
      gw = intToIp(s.base + 1);
      if (existing.code !== 0) await runCommand('ip', ['link', 'add', name, 'type', 'bridge']);
      await runCommand('ip', ['addr', 'add', `${gw}/${s.prefix}`, 'dev', name]);
    }
    await runCommand('ip', ['link', 'set', name, 'up']);
    this.subnet = parseCidr(cidr);
    this.pool = new AddressPool(this.subnet, ipToInt(gw!));
    for (const ip of this.pendingRestore) this.pool.reserve(ip);
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1').catch((e) => log.warn('cannot enable ip_forward', { error: String(e) }));
    const t = this.o.nftTable;
    await runCommand('nft', ['-f', '-'], { input: [
      `table ip ${t}`, `delete table ip ${t}`, `table ip ${t} {`,
      '  chain postrouting { type nat hook postrouting priority srcnat; policy accept;',
      `    ip saddr ${cidr} oifname != "${name}" masquerade`, '  }',
      '  chain forward { type filter hook forward priority filter; policy accept;',
      `    iifname "${name}" accept`, `    oifname "${name}" ct state related,established accept`, '  }',
      '}',
    ].join('\n') + '\n' });
  }

  private async freeSubnet(): Promise<string> {
    const routes = JSON.parse((await runCommand('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])).stdout) as { dst: string }[];
    const used = routes.map((r) => r.dst).filter((d) => d && d !== 'default' && /^\d/.test(d))
      .map((d) => parseCidr(d.includes('/') ? d : `${d}/32`));
    const free = CANDIDATES.find((c) => !used.some((u) => overlaps(u, parseCidr(c))));
    if (!free) throw new InvalidArgument('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
    return free;
  }
}
