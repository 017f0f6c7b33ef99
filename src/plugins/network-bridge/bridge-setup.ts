import { writeFile } from 'node:fs/promises';
import { parseCidr, formatCidr, overlaps, intToIp } from '../../core/network/ipam';
import { InvalidArgument } from '../../errdefs';
import { runCommand } from '../../sys/run-command';
import { log } from '../../lib/logger';

const CANDIDATES = [
  ...Array.from({ length: 14 }, (_, i) => `172.${18 + i}.0.0/16`),
  ...Array.from({ length: 20 }, (_, i) => `192.168.${200 + i}.0/24`),
];

/**
 * Makes sure the bridge exists with an address (keeping the one it has), enables forwarding,
 * and (re)writes berth's nft table: masquerade for the subnet's outbound traffic and forward
 * accepts for the bridge. Returns the subnet and gateway in use.
 */
export async function setupBridge(o: { bridgeName: string; subnet?: string; nftTable: string }): Promise<{ cidr: string; gateway: string }> {
  const name = o.bridgeName;
  const existing = await runCommand('ip', ['-j', 'addr', 'show', 'dev', name], { allowFail: true });
  let cidr: string | undefined;
  let gateway: string | undefined;
  if (existing.code === 0) {
    const a = (JSON.parse(existing.stdout)[0]?.addr_info ?? []).find((x: { family: string }) => x.family === 'inet');
    if (a) { gateway = a.local as string; cidr = formatCidr(parseCidr(`${a.local}/${a.prefixlen}`)); }
  }
  if (!cidr) {
    cidr = o.subnet ?? await freeSubnet();
    const s = parseCidr(cidr);
    gateway = o.subnet ? o.subnet.split('/')[0] : intToIp(s.base + 1);
    if (gateway === intToIp(s.base)) gateway = intToIp(s.base + 1);
    if (existing.code !== 0) await runCommand('ip', ['link', 'add', name, 'type', 'bridge']);
    await runCommand('ip', ['addr', 'add', `${gateway}/${s.prefix}`, 'dev', name]);
  }
  await runCommand('ip', ['link', 'set', name, 'up']);
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1').catch((e) => log.warn('cannot enable ip_forward', { error: String(e) }));
  const t = o.nftTable;
  await runCommand('nft', ['-f', '-'], { input: [
    `table ip ${t}`, `delete table ip ${t}`, `table ip ${t} {`,
    '  chain postrouting { type nat hook postrouting priority srcnat; policy accept;',
    `    ip saddr ${cidr} oifname != "${name}" masquerade`, '  }',
    '  chain forward { type filter hook forward priority filter; policy accept;',
    `    iifname "${name}" accept`, `    oifname "${name}" ct state related,established accept`, '  }',
    '}',
  ].join('\n') + '\n' });
  return { cidr, gateway: gateway! };
}

/** The first candidate subnet that no route on the host overlaps. */
async function freeSubnet(): Promise<string> {
  const routes = JSON.parse((await runCommand('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])).stdout) as { dst: string }[];
  const used = routes.map((r) => r.dst).filter((d) => d && /^\d/.test(d)).map((d) => parseCidr(d.includes('/') ? d : `${d}/32`));
  const free = CANDIDATES.find((c) => !used.some((u) => overlaps(u, parseCidr(c))));
  if (!free) throw new InvalidArgument('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
  return free;
}
