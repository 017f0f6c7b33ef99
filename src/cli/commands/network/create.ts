/** `berth network create`: a network from flags, the IPAM entries checked as the docker CLI does. */
import type { Command } from 'commander';
import { containsIp, containsSubnet, parseCidr, type Subnet } from '../../../lib/ipv4';
import type { IpamConfig, NetworkCreateBody } from '../../../client/networks';
import { checkArgs, collect, newCommand, UsageError } from '../../command-kit';
import { ExitStatus } from '../../errors';
import type { CliContext } from '../../context';

interface CreateFlags {
  driver?: string; subnet?: string[]; ipRange?: string[]; gateway?: string[]; internal?: boolean; attachable?: boolean;
  label?: string[]; opt?: string[]; ipamDriver?: string; ipamOpt?: string[]; ipv6?: boolean; ingress?: boolean;
  configOnly?: boolean; configFrom?: string; scope?: string;
}

/** `k=v` entries as a map; a bare `k` is an empty value. */
export function keyValues(list: string[] = []): Record<string, string> {
  return Object.fromEntries(list.map((o) => { const i = o.indexOf('='); return i < 0 ? [o, ''] : [o.slice(0, i), o.slice(i + 1)]; }));
}

function cidr(s: string): Subnet {
  try { return parseCidr(s); } catch { throw new ExitStatus(1, `invalid CIDR address: ${s}`); }
}

/** docker's consolidateIpam: every range and gateway belongs to exactly one of the subnets (its errors exit 1). */
export function consolidateIpam(subnets: string[], ranges: string[], gateways: string[]): IpamConfig[] {
  if (subnets.length < ranges.length || subnets.length < gateways.length) throw new ExitStatus(1, 'every ip-range or gateway must have a corresponding subnet');
  const data = new Map<string, IpamConfig>();
  for (const s of subnets) {
    for (const k of data.keys()) {
      if (containsSubnet(cidr(k), cidr(s)) || containsSubnet(cidr(s), cidr(k))) throw new ExitStatus(1, 'multiple overlapping subnet configuration is not supported');
    }
    data.set(s, { Subnet: s });
  }
  for (const r of ranges) {
    const s = subnets.find((x) => containsSubnet(cidr(x), cidr(r)));
    if (!s) throw new ExitStatus(1, `no matching subnet for range ${r}`);
    const d = data.get(s)!;
    if (d.IPRange) throw new ExitStatus(1, `cannot configure multiple ranges (${r}, ${d.IPRange}) on the same subnet (${s})`);
    d.IPRange = r;
  }
  for (const g of gateways) {
    let s: string | undefined;
    try { s = subnets.find((x) => containsIp(cidr(x), g)); } catch { throw new UsageError(`invalid argument "${g}" for "--gateway" flag: invalid string being converted to IP address: ${g}`); }
    if (!s) throw new ExitStatus(1, `no matching subnet for gateway ${g}`);
    const d = data.get(s)!;
    if (d.Gateway) throw new ExitStatus(1, `cannot configure multiple gateways (${g}, ${d.Gateway}) for the same subnet (${s})`);
    d.Gateway = g;
  }
  return [...data.values()];
}

export function networkCreateCommand(ctx: CliContext): Command {
  const cmd = newCommand('create', '[OPTIONS] NETWORK', 'Create a network')
    .option('--attachable', 'Enable manual container attachment')
    .option('--config-from <string>', 'The network from which to copy the configuration')
    .option('--config-only', 'Create a configuration only network')
    .option('-d, --driver <string>', 'Driver to manage the Network', 'bridge')
    .option('--gateway <strings>', 'IPv4 or IPv6 Gateway for the master subnet', collect)
    .option('--ingress', 'Create swarm routing-mesh network')
    .option('--internal', 'Restrict external access to the network')
    .option('--ip-range <strings>', 'Allocate container ip from a sub-range', collect)
    .option('--ipam-driver <string>', 'IP Address Management Driver', 'default')
    .option('--ipam-opt <map>', 'Set IPAM driver specific options', collect)
    .option('--ipv6', 'Enable or disable IPv6 address assignment')
    .option('--label <list>', 'Set metadata on a network', collect)
    .option('-o, --opt <map>', 'Set driver specific options', collect)
    .option('--scope <string>', "Control the network's scope")
    .option('--subnet <strings>', 'Subnet in CIDR format that represents a network segment', collect)
    .argument('[args...]');
  return cmd.action(async (args: string[], f: CreateFlags) => {
    checkArgs(cmd, args, 1, 1);
    const body: NetworkCreateBody & Record<string, unknown> = {
      Name: args[0],
      CheckDuplicate: true,
      Driver: f.driver ?? 'bridge',
      Scope: f.scope ?? '',
      EnableIPv6: !!f.ipv6,
      IPAM: { Driver: f.ipamDriver ?? 'default', Config: consolidateIpam(f.subnet ?? [], f.ipRange ?? [], f.gateway ?? []), Options: keyValues(f.ipamOpt) },
      Internal: !!f.internal,
      Attachable: !!f.attachable,
      Ingress: !!f.ingress,
      ConfigOnly: !!f.configOnly,
      ...(f.configFrom ? { ConfigFrom: { Network: f.configFrom } } : {}),
      Options: keyValues(f.opt),
      Labels: keyValues(f.label),
    };
    const r = await ctx.client.networks.create(body);
    ctx.out(`${r.Id}\n`);
  });
}
