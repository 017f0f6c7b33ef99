/** IPv4 address and CIDR arithmetic, pure. */

export function ipToInt(ip: string): number {
  const p = ip.split('.').map((s) => (/^\d{1,3}$/.test(s) ? Number(s) : NaN));
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new TypeError(`invalid IP address: ${ip}`);
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(ip: string): boolean {
  try { ipToInt(ip); return true; } catch { return false; }
}

export interface Subnet { base: number; prefix: number }

const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** A CIDR with its host bits cleared; TypeError `invalid CIDR address: x` when malformed. */
export function parseCidr(cidr: string): Subnet {
  const [ip, len, extra] = cidr.split('/');
  const prefix = /^\d{1,2}$/.test(len ?? '') ? Number(len) : NaN;
  if (extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32 || !isIPv4(ip)) throw new TypeError(`invalid CIDR address: ${cidr}`);
  return { base: (ipToInt(ip) & maskOf(prefix)) >>> 0, prefix };
}

/** True when the CIDR's address has bits set past its prefix (`10.10.10.0/8`). */
export function hasHostBits(cidr: string): boolean {
  return intToIp(parseCidr(cidr).base) !== cidr.split('/')[0];
}

export function formatCidr(s: Subnet): string { return `${intToIp(s.base)}/${s.prefix}`; }

export function overlaps(a: Subnet, b: Subnet): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

/** True when the address lies in the subnet (network and broadcast addresses included). */
export function containsIp(s: Subnet, ip: string): boolean {
  return ((ipToInt(ip) & maskOf(s.prefix)) >>> 0) === s.base;
}

/** True when inner lies wholly inside outer. */
export function containsSubnet(outer: Subnet, inner: Subnet): boolean {
  return inner.prefix >= outer.prefix && overlaps(outer, inner);
}
