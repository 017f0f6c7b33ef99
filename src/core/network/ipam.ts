/** IPv4 address management for one subnet: pure arithmetic, no I/O. */

export function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new TypeError(`invalid IP address: ${ip}`);
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Subnet { base: number; prefix: number }

export function parseCidr(cidr: string): Subnet {
  const [ip, len] = cidr.split('/');
  const prefix = Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new TypeError(`invalid CIDR address: ${cidr}`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ipToInt(ip) & mask) >>> 0, prefix };
}

export function formatCidr(s: Subnet): string { return `${intToIp(s.base)}/${s.prefix}`; }

export function overlaps(a: Subnet, b: Subnet): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

/** Docker's MAC for an IPv4 endpoint: 02:42 followed by the address bytes. */
export function macForIp(ip: string): string {
  return ['02', '42', ...ip.split('.').map((n) => Number(n).toString(16).padStart(2, '0'))].join(':');
}

/** Hands out host addresses of a subnet, skipping network, gateway and broadcast. */
export class AddressPool {
  private used = new Set<number>();
  constructor(readonly subnet: Subnet, readonly gateway: number) {}

  reserve(ip: string): void { this.used.add(ipToInt(ip)); }
  release(ip: string): void { this.used.delete(ipToInt(ip)); }

  /** The lowest free address; throws when the subnet is full. */
  allocate(): string {
    const size = 2 ** (32 - this.subnet.prefix);
    for (let i = 1; i < size - 1; i++) {
      const n = this.subnet.base + i;
      if (n === this.gateway || this.used.has(n)) continue;
      this.used.add(n);
      return intToIp(n);
    }
    throw new Error(`no available IPv4 addresses on subnet ${formatCidr(this.subnet)}`);
  }
}
