/** IPv4 address management for one subnet: pure arithmetic, no I/O. */

import { containsIp, formatCidr, intToIp, ipToInt, overlaps, parseCidr, type Subnet } from '../../lib/ipv4';

export { containsIp, containsSubnet, formatCidr, hasHostBits, intToIp, ipToInt, isIPv4, overlaps, parseCidr, type Subnet } from '../../lib/ipv4';

/** Docker's MAC for an IPv4 endpoint: 02:42 followed by the address bytes. */
export function macForIp(ip: string): string {
  return ['02', '42', ...ip.split('.').map((n) => Number(n).toString(16).padStart(2, '0'))].join(':');
}

/**
 * Hands out host addresses of a subnet, skipping network, gateway and broadcast; with a
 * range, dynamic addresses come from the range only, while `reserve` takes any host address
 * of the subnet.
 */
export class AddressPool {
  private used = new Set<number>();
  constructor(readonly subnet: Subnet, readonly gateway: number, readonly range: Subnet = subnet) {}

  /** How many addresses are handed out or reserved. */
  get size(): number { return this.used.size; }

  has(ip: string): boolean { return this.used.has(ipToInt(ip)); }

  /**
   * Takes a given address. RangeError when it is not a host address of the subnet (or is the
   * gateway); Error `Address already in use` when taken.
   */
  reserve(ip: string): void {
    const n = ipToInt(ip);
    const size = 2 ** (32 - this.subnet.prefix);
    if (!containsIp(this.subnet, ip) || n === this.gateway || (size > 2 && (n === this.subnet.base || n === this.subnet.base + size - 1))) {
      throw new RangeError(`Invalid address ${ip}: It does not belong to any of this network's subnets`);
    }
    if (this.used.has(n)) throw new Error('Address already in use');
    this.used.add(n);
  }

  /** Takes an address a live endpoint holds (at daemon start), whatever it is. */
  keep(ip: string): void { this.used.add(ipToInt(ip)); }

  release(ip: string): void { this.used.delete(ipToInt(ip)); }

  /** The lowest free address of the range; throws when it is full. */
  allocate(): string {
    const subnetSize = 2 ** (32 - this.subnet.prefix);
    const first = this.range.base;
    const last = this.range.base + 2 ** (32 - this.range.prefix) - 1;
    for (let n = first; n <= last; n++) {
      if (n === this.subnet.base || n === this.subnet.base + subnetSize - 1) continue;
      if (n === this.gateway || this.used.has(n)) continue;
      this.used.add(n);
      return intToIp(n);
    }
    throw new Error(`no available IPv4 addresses on subnet ${formatCidr(this.range)}`);
  }
}

/** One entry of daemon.json's `default-address-pools`: a base split into subnets of a size. */
export interface PoolSpec { base: string; size: number }

/** Docker's defaults: 172.17-31.0.0/16, then 192.168.0-240.0/20. */
export const DEFAULT_POOLS: PoolSpec[] = [
  ...Array.from({ length: 15 }, (_, i) => ({ base: `172.${17 + i}.0.0/16`, size: 16 })),
  { base: '192.168.0.0/16', size: 20 },
];

/** Every subnet the pools offer, in order. */
export function* poolSubnets(pools: PoolSpec[]): Generator<Subnet> {
  for (const p of pools) {
    const base = parseCidr(p.base);
    if (p.size < base.prefix || p.size > 32) continue;
    const step = 2 ** (32 - p.size);
    const count = 2 ** (p.size - base.prefix);
    for (let i = 0; i < count; i++) yield { base: base.base + i * step, prefix: p.size };
  }
}

/** The first subnet of the pools that overlaps none of `used`, if any. */
export function firstFreeSubnet(pools: PoolSpec[], used: Subnet[]): Subnet | undefined {
  for (const s of poolSubnets(pools)) if (!used.some((u) => overlaps(u, s))) return s;
  return undefined;
}
