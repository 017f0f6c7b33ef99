import { writeFile } from 'node:fs/promises';
import type { BridgeHost, BridgeRules } from '../../core/network';
import { formatCidr, parseCidr } from '../../core/network';
import { runCommand } from '../../sys/run-command';
import { log } from '../../lib/logger';
import { bridgeRulesScript, foreignAcceptScript, foreignTag, legacyChainsScript } from './nft-rules';

export interface BridgeHostOptions {
  /** berth's own nftables table (`berth`, or one per test daemon). */
  nftTable: string;
  /** daemon.json `iptables`: false means berth adds no rules at all. */
  rules: boolean;
  /** daemon.json `ip-forward`: false means /proc/sys/net/ipv4/ip_forward is left alone. */
  ipForward: boolean;
}

/** Bridges with `ip`, rules with `nft`. */
export class IpBridgeHost implements BridgeHost {
  private legacyChecked = false;

  constructor(private readonly o: BridgeHostOptions) {}

  async bridgeAddress(name: string): Promise<{ subnet: string; gateway: string } | undefined> {
    const r = await runCommand('ip', ['-j', 'addr', 'show', 'dev', name], { allowFail: true });
    if (r.code !== 0) return undefined;
    const a = (JSON.parse(r.stdout)[0]?.addr_info ?? []).find((x: { family: string }) => x.family === 'inet');
    return a ? { subnet: formatCidr(parseCidr(`${a.local}/${a.prefixlen}`)), gateway: a.local as string } : undefined;
  }

  async linkExists(name: string): Promise<boolean> {
    return (await runCommand('ip', ['link', 'show', 'dev', name], { allowFail: true })).code === 0;
  }

  async createBridge(name: string, gateway: string, prefixLen: number): Promise<void> {
    const r = await runCommand('ip', ['-j', 'addr', 'show', 'dev', name], { allowFail: true });
    const lines = [`addr replace ${gateway}/${prefixLen} dev ${name}`, `link set ${name} up`];
    if (r.code !== 0) lines.unshift(`link add ${name} type bridge`);
    else {
      // Another address (a changed bip) goes: the bridge is berth's and has one.
      const others = (JSON.parse(r.stdout)[0]?.addr_info ?? []).filter((a: { family: string; local: string; prefixlen: number }) => a.family === 'inet' && (a.local !== gateway || a.prefixlen !== prefixLen));
      for (const a of others as { local: string; prefixlen: number }[]) lines.unshift(`addr del ${a.local}/${a.prefixlen} dev ${name}`);
    }
    await runCommand('ip', ['-batch', '-'], { input: lines.join('\n') + '\n' });
  }

  async removeBridge(name: string): Promise<void> {
    const r = await runCommand('ip', ['link', 'del', name], { allowFail: true });
    if (r.code !== 0 && !/Cannot find device|does not exist/.test(r.stderr)) throw new Error(`ip link del ${name}: ${r.stderr.trim()}`);
  }

  async hostRoutes(): Promise<string[]> {
    const routes = JSON.parse((await runCommand('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])).stdout) as { dst: string }[];
    return routes.map((r) => r.dst).filter((d) => d && /^\d/.test(d)).map((d) => (d.includes('/') ? d : `${d}/32`));
  }

  async enableForwarding(): Promise<void> {
    if (!this.o.ipForward) return;
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1').catch((e) => log.warn('cannot enable ip_forward', { error: String(e) }));
  }

  async syncRules(nets: BridgeRules[]): Promise<void> {
    if (!this.o.rules) return;
    let rules = bridgeRulesScript(this.o.nftTable, nets);
    if (!this.legacyChecked) {
      // Versions before named networks kept the default bridge's rules in chains `postrouting`
      // and `forward` of the same table.
      const listing = await runCommand('nft', ['-j', 'list', 'table', 'ip', this.o.nftTable], { allowFail: true });
      if (listing.code === 0) rules += legacyChainsScript(this.o.nftTable, listing.stdout);
      this.legacyChecked = true;
    }
    await runCommand('nft', ['-f', '-'], { input: rules });
    // Docker's FORWARD chain (policy drop, and br_netfilter sends bridged frames through it)
    // would drop berth's traffic: accept it there, as netavark and libvirt do, with iptables
    // itself, as Docker manages that chain with it.
    const listing = await runCommand('iptables', ['-w', '-S', 'FORWARD'], { allowFail: true });
    if (listing.code !== 0) return;
    const script = foreignAcceptScript(foreignTag(this.o.nftTable), listing.stdout, nets.map((n) => n.bridge));
    if (script) await runCommand('iptables-restore', ['-w', '--noflush'], { input: script });
  }
}
