/**
 * nftables scripts for bridge networks, as pure text. berth's table holds two chains of this
 * module's own (other modules add chains of theirs to the same table, never rules to these):
 * `net-postrouting` (masquerade) and `net-forward` (internal networks closed, isolation between
 * bridges). Docker's iptables FORWARD chain (policy drop) gets accepts for the bridges, each
 * tagged with a comment naming berth's table, so exactly those are removed.
 */
import type { BridgeRules } from '../../core/network';

export const NAT_CHAIN = 'net-postrouting';
export const FORWARD_CHAIN = 'net-forward';

const q = (s: string) => JSON.stringify(s);

/** Rewrites berth's two chains for exactly these networks, in one transaction. */
export function bridgeRulesScript(table: string, nets: BridgeRules[]): string {
  const t = `ip ${table}`;
  const lines = [
    `add table ${t}`,
    `add chain ${t} ${NAT_CHAIN} { type nat hook postrouting priority srcnat; policy accept; }`,
    `add chain ${t} ${FORWARD_CHAIN} { type filter hook forward priority filter; policy accept; }`,
    `flush chain ${t} ${NAT_CHAIN}`,
    `flush chain ${t} ${FORWARD_CHAIN}`,
  ];
  for (const n of nets) {
    if (n.masquerade && !n.internal) lines.push(`add rule ${t} ${NAT_CHAIN} ip saddr ${n.subnet} oifname != ${q(n.bridge)} masquerade`);
  }
  for (const n of nets.filter((x) => x.internal)) {
    lines.push(`add rule ${t} ${FORWARD_CHAIN} iifname ${q(n.bridge)} oifname != ${q(n.bridge)} drop`);
    lines.push(`add rule ${t} ${FORWARD_CHAIN} oifname ${q(n.bridge)} iifname != ${q(n.bridge)} drop`);
  }
  if (nets.length > 1) {
    // Published ports (DNAT) are reachable from every network; anything else between two
    // bridges is dropped.
    lines.push(`add rule ${t} ${FORWARD_CHAIN} ct status dnat accept`);
    for (const n of nets) {
      const others = nets.filter((o) => o.bridge !== n.bridge).map((o) => q(o.bridge));
      lines.push(`add rule ${t} ${FORWARD_CHAIN} iifname ${q(n.bridge)} oifname { ${others.join(', ')} } drop`);
    }
  }
  return lines.join('\n') + '\n';
}

const LEGACY_CHAINS = ['postrouting', 'forward'];

/** Removes the chains older versions kept the default bridge's rules in, found in an `nft -j list table` answer. */
export function legacyChainsScript(table: string, listing: string): string {
  const doc = JSON.parse(listing) as { nftables?: { chain?: { name: string } }[] };
  const names = (doc.nftables ?? []).flatMap((x) => (x.chain && LEGACY_CHAINS.includes(x.chain.name) ? [x.chain.name] : []));
  return names.flatMap((c) => [`flush chain ip ${table} ${c}`, `delete chain ip ${table} ${c}`]).map((l) => `${l}\n`).join('');
}

/** The comment that marks berth's rules (of this table) in the iptables FORWARD chain. */
export const foreignTag = (table: string) => `berth:${table}`;

/**
 * An `iptables-restore --noflush` script that replaces berth's accepts in the iptables FORWARD
 * chain (given as `iptables -S FORWARD` prints it): when its policy drops, traffic from each
 * bridge, and replies and published-port traffic to it, are accepted. Undefined when nothing
 * changes. The rules use iptables' own matches, so iptables-nft (Docker's) can still read the
 * chain.
 */
export function foreignAcceptScript(tag: string, listing: string, bridges: string[]): string | undefined {
  const lines = listing.split('\n');
  const drops = lines.some((l) => l.trim() === '-P FORWARD DROP');
  const ours = lines.filter((l) => l.startsWith('-A FORWARD ') && (l.includes(`--comment "${tag}"`) || l.includes(`--comment ${tag} `) || l.endsWith(`--comment ${tag}`)));
  const c = `-m comment --comment "${tag}"`;
  const adds = drops ? bridges.flatMap((b) => [
    `-A FORWARD -i ${b} ${c} -j ACCEPT`,
    `-A FORWARD -o ${b} -m conntrack --ctstate RELATED,ESTABLISHED,DNAT ${c} -j ACCEPT`,
  ]) : [];
  if (!ours.length && !adds.length) return undefined;
  return ['*filter', ...ours.map((l) => l.replace(/^-A /, '-D ')), ...adds, 'COMMIT', ''].join('\n');
}
