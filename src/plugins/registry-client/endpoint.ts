/**
 * Where a registry is reached and how: the API host for a reference's domain, TLS options
 * from certs.d, and whether it is insecure (daemon.json `insecure-registries`, or on
 * loopback as Docker treats `localhost` and 127.0.0.0/8): insecure registries are tried
 * over https without verification first, then over plain http.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { containsIp, isIPv4, parseCidr } from '../../lib/ipv4';

export interface Endpoint {
  /** The domain as a reference names it (`docker.io`, `127.0.0.1:5000`). */
  domain: string;
  /** host[:port] the API is served on. */
  host: string;
  insecure: boolean;
  tls: { ca?: Buffer[]; cert?: Buffer; key?: Buffer };
}

export interface EndpointOptions {
  /** `insecure-registries`: host[:port] names or CIDRs. */
  insecure?: string[];
  /** Docker's certs.d: `<dir>/<host:port>/{*.crt,*.cert,*.key}`. */
  certsDir?: string;
}

/** Whether ip lies in cidr (a bare address is itself); a malformed entry matches nothing. */
function inCidr(ip: string, cidr: string): boolean {
  if (!isIPv4(ip)) return false;
  try { return containsIp(parseCidr(cidr.includes('/') ? cidr : `${cidr}/32`), ip); } catch { return false; }
}

/** Docker's rule: listed by name, in a listed CIDR, or on loopback. */
export function isInsecure(domain: string, insecure: string[] = []): boolean {
  const hostname = domain.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (hostname === 'localhost' || hostname === '::1' || inCidr(hostname, '127.0.0.0/8')) return true;
  return insecure.some((e) => (e.includes('/') ? inCidr(hostname, e) : e === domain || e === hostname));
}

async function readCerts(dir: string): Promise<Endpoint['tls']> {
  let names: string[];
  try { names = await readdir(dir); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const tls: Endpoint['tls'] = {};
  for (const n of names) {
    if (n.endsWith('.crt')) (tls.ca ??= []).push(await readFile(join(dir, n)));
    else if (n.endsWith('.cert')) tls.cert = await readFile(join(dir, n));
    else if (n.endsWith('.key')) tls.key = await readFile(join(dir, n));
  }
  return tls;
}

export async function resolveEndpoint(domain: string, opts: EndpointOptions): Promise<Endpoint> {
  const host = domain === 'docker.io' || domain === 'index.docker.io' ? 'registry-1.docker.io' : domain;
  const tls = opts.certsDir ? await readCerts(join(opts.certsDir, domain)) : {};
  return { domain, host, insecure: isInsecure(domain, opts.insecure), tls };
}
