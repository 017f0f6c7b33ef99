/**
 * icc=false on the default bridge: containers on it cannot reach each other, but for the
 * exposed ports a link opens (parent to child, and the child's replies), as Docker's iptables
 * rules do. The rules live in an nftables table of the `bridge` family named like berth's own
 * table: the bridge family sees frames forwarded between the bridge's ports whether or not
 * br_netfilter passes them to the ip family. This kernel has no `meta ibrname`, so the bridge
 * is matched by its subnet (both ends in it). Traffic to the gateway or through published
 * ports is routed, not bridged, and stays open.
 */
import { runCommand } from '../../sys/run-command';

export interface LinkRule {
  parentIp: string;
  childIp: string;
  ports: { port: number; proto: string }[];
}

export const ICC_CHAIN = 'icc-forward';

/** The whole table's content for these links, as one nft transaction. */
export function iccRulesScript(table: string, subnet: string, links: LinkRule[]): string {
  const t = `bridge ${table}`;
  const lines = [
    `add table ${t}`,
    `add chain ${t} ${ICC_CHAIN} { type filter hook forward priority filter; policy accept; }`,
    `flush chain ${t} ${ICC_CHAIN}`,
  ];
  for (const l of links) {
    for (const p of l.ports) {
      const proto = p.proto.toLowerCase();
      lines.push(`add rule ${t} ${ICC_CHAIN} ip saddr ${l.parentIp} ip daddr ${l.childIp} ${proto} dport ${p.port} accept`);
      lines.push(`add rule ${t} ${ICC_CHAIN} ip saddr ${l.childIp} ip daddr ${l.parentIp} ${proto} sport ${p.port} accept`);
    }
  }
  lines.push(`add rule ${t} ${ICC_CHAIN} ip saddr ${subnet} ip daddr ${subnet} drop`);
  return lines.join('\n') + '\n';
}

/** Keeps the icc table in step with the running links; calls are applied in order. */
export class IccRules {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly o: { table: string; subnet: () => Promise<string> }) {}

  /** Rewrites the table for exactly these links (the drop rule always last). */
  sync(links: LinkRule[]): Promise<void> {
    const next = this.last.catch(() => {}).then(async () => {
      await runCommand('nft', ['-f', '-'], { input: iccRulesScript(this.o.table, await this.o.subnet(), links) });
    });
    this.last = next;
    return next;
  }

  /** Deletes the table (icc back on); a missing table is not an error. */
  remove(): Promise<void> {
    const next = this.last.catch(() => {}).then(async () => {
      await runCommand('nft', ['delete', 'table', 'bridge', this.o.table], { allowFail: true });
    });
    this.last = next;
    return next;
  }
}
