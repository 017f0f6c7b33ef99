/**
 * A container's published ports as the Engine API gives them: `Config.ExposedPorts` keys
 * (`80/tcp`, a bare `80` meaning tcp) and `HostConfig.PortBindings` (host address and port per
 * exposed port; an empty or `0` HostPort picks one, `8000-8005` the first free of a range),
 * with `PublishAllPorts` giving every other exposed port a picked one. As Docker, only exposed
 * ports are published: a binding for a port that is not exposed is kept but not used.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { InvalidArgument, NotImplemented } from '../../errdefs';
import type { PortProto } from '../../core/network/ports';

const PROTOS: PortProto[] = ['tcp', 'udp', 'sctp'];

/** One port to publish: a container port and where on the host, before host ports are picked. */
export interface WantedPort {
  proto: PortProto;
  containerPort: number;
  /** 0.0.0.0 for every host address. */
  hostIp: string;
  /** The host ports to try in order; undefined: one from the ephemeral range. */
  hostPorts?: { start: number; end: number };
}

type Bindings = Record<string, { HostIp?: string; HostPort?: string }[] | null> | null | undefined;

/** `80/tcp` -> ['80', 'tcp']; a key without a protocol is tcp. */
function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return i < 0 ? [key, 'tcp'] : [key.slice(0, i), key.slice(i + 1) || 'tcp'];
}

const PORT = /^\d{1,5}$/;

/** A port number 1-65535 (0 only where `zero` allows), else undefined. */
function portNumber(s: string, zero = false): number | undefined {
  if (!PORT.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 && (n > 0 || zero) ? n : undefined;
}

/** A HostPort: '' or '0' (pick one), `8080`, or `8000-8005`. */
function hostPortRange(s: string): { start: number; end: number } | undefined | 'invalid' {
  const spec = s.split('/', 1)[0];
  if (spec === '' || spec === '0') return undefined;
  const [a, b, extra] = spec.split('-');
  const start = portNumber(a);
  const end = b === undefined ? start : portNumber(b);
  if (start === undefined || end === undefined || extra !== undefined || end < start) return 'invalid';
  return { start, end };
}

/** A container port key's number and protocol; InvalidArgument in Docker's words. */
function parseKey(key: string): { port: number; proto: PortProto } {
  const [port, proto] = splitKey(key);
  const n = portNumber(port);
  if (n === undefined) throw new InvalidArgument(`invalid port specification: "${port}"`);
  if (!PROTOS.includes(proto.toLowerCase() as PortProto)) throw new InvalidArgument(`invalid proto: ${proto}`);
  return { port: n, proto: proto.toLowerCase() as PortProto };
}

/** A binding's HostIp: '' is every address; berth's NAT is IPv4 only. */
function hostAddress(ip: string | undefined): string {
  if (!ip) return '0.0.0.0';
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip) || isIPv6(ip.replace(/^\[(.*)\]$/, '$1'))) throw new NotImplemented(`publishing on the IPv6 address ${ip} is not supported: berth publishes ports on IPv4 addresses`);
  throw new InvalidArgument(`invalid IP address: ${ip}`);
}

/**
 * Checks a create request's ports: what Docker refuses in words of its own (`invalid port
 * specification: "99999"`), and what berth cannot honour (IPv6 host addresses).
 */
export function validatePorts(exposed: Record<string, unknown> | null | undefined, bindings: Bindings): void {
  for (const key of Object.keys(exposed ?? {})) parseKey(key);
  for (const [key, list] of Object.entries(bindings ?? {})) {
    parseKey(key);
    for (const b of list ?? []) {
      if (hostPortRange(b?.HostPort ?? '') === 'invalid') throw new InvalidArgument(`invalid port specification: "${b.HostPort}"`);
      hostAddress(b?.HostIp);
    }
  }
}

/**
 * The ports a starting container publishes, ordered by container port then protocol: each
 * binding of an exposed port, and with publishAll every exposed port without one on a picked
 * host port. Expects validated input.
 */
export function wantedPorts(exposed: Record<string, unknown> | null | undefined, bindings: Bindings, publishAll: boolean): WantedPort[] {
  const byKey = new Map<string, { HostIp?: string; HostPort?: string }[]>();
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const { port, proto } = parseKey(key);
    const k = `${port}/${proto}`;
    byKey.set(k, [...(byKey.get(k) ?? []), ...(list ?? [])]);
  }
  const ports = [...new Map(Object.keys(exposed ?? {}).map((key) => { const p = parseKey(key); return [`${p.port}/${p.proto}`, p]; })).values()]
    .sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto));
  const out: WantedPort[] = [];
  for (const { port, proto } of ports) {
    const list = byKey.get(`${port}/${proto}`) ?? [];
    for (const b of list) {
      const range = hostPortRange(b?.HostPort ?? '');
      out.push({ proto, containerPort: port, hostIp: hostAddress(b?.HostIp), ...(range && range !== 'invalid' ? { hostPorts: range } : {}) });
    }
    if (publishAll && list.length === 0) out.push({ proto, containerPort: port, hostIp: '0.0.0.0' });
  }
  return out;
}

/** The normalised key (`80/tcp`) of an ExposedPorts or PortBindings key. */
export function portKey(key: string): string {
  const [port, proto] = splitKey(key);
  return `${port}/${proto.toLowerCase()}`;
}
