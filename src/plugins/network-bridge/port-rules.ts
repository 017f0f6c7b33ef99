/**
 * nftables scripts for published ports, as pure text. The chains are this module's own, in
 * berth's table beside the bridge's (`port-` names, never another module's chains):
 *
 *   port-prerouting, port-output  nat hooks: traffic to any host address jumps to port-dnat
 *   port-dnat                     one `jump port-dnat-<id>` per container
 *   port-postrouting              one `jump port-snat-<id>` per container
 *   port-dnat-<id>                the container's DNAT rules
 *   port-snat-<id>                masquerade for its loopback-sourced and hairpin flows
 *
 * A container's two jump rules are removed by handle (from nft's echo) and its chains by name,
 * so exactly its rules go.
 */
import type { PortMapping, PublishRequest } from '../../core/network/ports';

export const PORT_CHAIN_PREFIX = 'port-';
const DISPATCH = 'port-dnat';
const POSTROUTING = 'port-postrouting';
const BASE = ['port-prerouting', 'port-output', POSTROUTING, DISPATCH];

export const dnatChain = (id: string) => `port-dnat-${id}`;
export const snatChain = (id: string) => `port-snat-${id}`;

/** The handles nft gave a container's two jump rules. */
export interface JumpHandles { dnat: number; snat: number }

/** The base chains and their static rules. */
export function baseScript(table: string): string[] {
  const t = `ip ${table}`;
  return [
    `add table ${t}`,
    `add chain ${t} port-prerouting { type nat hook prerouting priority dstnat; policy accept; }`,
    // Output has no `dstnat` name in nft 1.0: -100 is its value.
    `add chain ${t} port-output { type nat hook output priority -100; policy accept; }`,
    `add chain ${t} ${POSTROUTING} { type nat hook postrouting priority srcnat; policy accept; }`,
    `add chain ${t} ${DISPATCH}`,
    // Their only rules are these two: a repeat never doubles them.
    `flush chain ${t} port-prerouting`,
    `flush chain ${t} port-output`,
    `add rule ${t} port-prerouting fib daddr type local jump ${DISPATCH}`,
    `add rule ${t} port-output fib daddr type local jump ${DISPATCH}`,
  ];
}

function dnatRule(m: PortMapping, ip: string): string {
  const to = m.hostIp === '0.0.0.0' ? '' : `ip daddr ${m.hostIp} `;
  return `${to}${m.proto} dport ${m.hostPort} dnat to ${ip}:${m.containerPort}`;
}

/**
 * A container's chains and the two jumps to them. Loopback-sourced flows (the host's own
 * `127.0.0.1:port`) and flows from the container's own subnet (hairpin, neighbours on its
 * bridge) leave with the bridge's address, so the replies come back through the host's NAT.
 */
export function containerScript(table: string, req: PublishRequest): string[] {
  const t = `ip ${table}`;
  const id = req.containerId;
  return [
    `add chain ${t} ${dnatChain(id)}`,
    ...req.mappings.map((m) => `add rule ${t} ${dnatChain(id)} ${dnatRule(m, req.containerIp)}`),
    `add chain ${t} ${snatChain(id)}`,
    `add rule ${t} ${snatChain(id)} ip saddr 127.0.0.0/8 masquerade`,
    `add rule ${t} ${snatChain(id)} ip saddr ${req.subnet} masquerade`,
    `add rule ${t} ${DISPATCH} jump ${dnatChain(id)}`,
    `add rule ${t} ${POSTROUTING} ip daddr ${req.containerIp} ct status dnat jump ${snatChain(id)}`,
  ];
}

/** Removes a container's jumps and chains; `last` removes the base chains too. */
export function removeScript(table: string, id: string, handles: JumpHandles, last: boolean): string[] {
  const t = `ip ${table}`;
  const lines = [
    `delete rule ${t} ${DISPATCH} handle ${handles.dnat}`,
    `delete rule ${t} ${POSTROUTING} handle ${handles.snat}`,
    ...[dnatChain(id), snatChain(id)].flatMap((c) => [`flush chain ${t} ${c}`, `delete chain ${t} ${c}`]),
  ];
  return last ? [...lines, ...dropChains(table, BASE)] : lines;
}

/** Flushes every chain named, then deletes them (jumps between them go with the flush). */
export function dropChains(table: string, chains: string[]): string[] {
  const t = `ip ${table}`;
  return [...chains.map((c) => `flush chain ${t} ${c}`), ...chains.map((c) => `delete chain ${t} ${c}`)];
}

/** This module's chains in an `nft -j list table` answer. */
export function portChains(listing: string): string[] {
  const doc = JSON.parse(listing) as { nftables?: { chain?: { name: string } }[] };
  return (doc.nftables ?? []).flatMap((o) => (o.chain?.name.startsWith(PORT_CHAIN_PREFIX) ? [o.chain.name] : []));
}

/** The handles of each container's jumps in nft's echo (`... jump port-dnat-<id> # handle 7`). */
export function jumpHandles(echo: string): Map<string, JumpHandles> {
  const out = new Map<string, Partial<JumpHandles>>();
  for (const line of echo.split('\n')) {
    const m = /jump port-(dnat|snat)-(\S+) # handle (\d+)\s*$/.exec(line);
    if (!m || !line.startsWith('add rule')) continue;
    const h = out.get(m[2]) ?? {};
    h[m[1] as 'dnat' | 'snat'] = Number(m[3]);
    out.set(m[2], h);
  }
  const done = new Map<string, JumpHandles>();
  for (const [id, h] of out) if (h.dnat !== undefined && h.snat !== undefined) done.set(id, h as JumpHandles);
  return done;
}
