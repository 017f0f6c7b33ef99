/**
 * Legacy links on the default bridge (`--link name[:alias]`), as Docker keeps them: recorded in
 * HostConfig.Links as `/child:/parent/alias`, and at start turned into /etc/hosts entries, the
 * ALIAS_PORT_* / ALIAS_NAME / ALIAS_ENV_* variables, and (with icc=false) the only traffic the
 * bridge lets through between the two containers.
 */
import { Internal, InvalidArgument, isNotFound } from '../../errdefs';
import type { ContainerRecord, HostConfig } from './types';
import { effectiveNetworkMode } from './types';

/** The part of the container store links need. */
export interface LinkStore {
  /** NotFound `No such container: ref`. */
  get(ref: string): ContainerRecord;
  find(ref: string): ContainerRecord | undefined;
  all(): ContainerRecord[];
}

/** `name[:alias]`; Docker's error for anything with more parts. */
export function parseLink(spec: string): { name: string; alias: string } {
  const parts = spec.split(':');
  if (parts.length > 2 || !parts[0]) throw new Internal(`bad format for links: ${spec}`);
  const name = parts[0].replace(/^\//, '');
  return { name, alias: (parts[1] ?? name).replace(/^.*\//, '') };
}

/**
 * A create request's links as Docker records them (`/child:/parent/alias`), checked as Docker
 * checks them: not with host or container networking, and only to containers that exist.
 */
export function normalizeLinks(store: LinkStore, parentName: string, hc: Partial<HostConfig>): string[] | null {
  const links = (hc.Links as string[] | null | undefined) ?? [];
  if (!links.length) return (hc.Links as null | undefined) === undefined ? null : (hc.Links as string[] | null);
  const mode = effectiveNetworkMode({ NetworkMode: hc.NetworkMode ?? '' });
  if (mode === 'host') throw new InvalidArgument("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
  if (mode.startsWith('container:')) throw new InvalidArgument("conflicting options: container type network can't be used with links. This would result in undefined behavior");
  return links.map((spec) => {
    const { name, alias } = parseLink(spec);
    let child: ContainerRecord;
    try { child = store.get(name); } catch (e) {
      if (isNotFound(e)) throw new InvalidArgument(`could not get container for ${name}: No such container: ${name}`, { cause: e });
      throw e;
    }
    return `/${child.name}:/${parentName}/${alias}`;
  });
}

/** A link as a started container uses it. */
export interface ActiveLink {
  alias: string;
  child: ContainerRecord;
  /** The child's address on the default bridge. */
  ip: string;
}

/** The bridge endpoint of a running container, whichever record shape holds it. */
export function bridgeIp(rec: ContainerRecord): string | undefined {
  const s = rec.sandbox as (ContainerRecord['sandbox'] & { endpoints?: { networkName: string; ipAddress: string }[] }) | undefined;
  const eps = s?.endpoints ?? (s?.endpoint ? [s.endpoint] : []);
  return eps.find((e) => e.networkName === 'bridge' && e.ipAddress)?.ipAddress;
}

/**
 * The links of a container about to start on the default bridge. Children removed since are
 * skipped (Docker drops their links); a stopped child or one off the default bridge is
 * Docker's error.
 */
export function activeLinks(store: LinkStore, rec: ContainerRecord): ActiveLink[] {
  if (effectiveNetworkMode(rec.hostConfig) !== 'bridge') return [];
  const out: ActiveLink[] = [];
  for (const l of (rec.hostConfig.Links as string[] | null | undefined) ?? []) {
    const [childRef, path] = l.split(':');
    const child = store.find(childRef);
    if (!child) continue;
    const alias = path?.split('/').pop() || child.name;
    if (child.state.status !== 'running' && child.state.status !== 'paused') {
      throw new Internal(`Cannot link to a non running container: /${child.name} AS /${rec.name}/${alias}`);
    }
    const ip = bridgeIp(child);
    if (!ip) throw new Internal(`Cannot link to /${child.name}, as it does not belong to the default network`);
    out.push({ alias, child, ip });
  }
  return out;
}

/** The /etc/hosts line of a link: `<ip>\t<alias> <hostname> [<name>]`, as Docker writes it. */
export function linkHostsLine(l: ActiveLink): string {
  const names = [l.alias, l.child.config.Hostname];
  if (l.alias !== l.child.name) names.push(l.child.name);
  return `${l.ip}\t${names.join(' ')}`;
}

interface Port { port: number; proto: string }

/**
 * The variables Docker 20.10 sets for one link, in its order: ALIAS_PORT (the lowest port, TCP
 * first on a tie), ranges of consecutive ports as _START/_END, every port's URL, ADDR, PORT
 * and PROTO, ALIAS_NAME, and the child's own variables (but HOME and PATH) as ALIAS_ENV_*.
 * A name set twice keeps its first place, as the runtime's environment does.
 */
export function linkEnv(parentName: string, l: ActiveLink): string[] {
  const alias = l.alias.toUpperCase().replace(/-/g, '_');
  const ip = l.ip;
  const ports: Port[] = Object.keys(l.child.config.ExposedPorts ?? {}).map((k) => {
    const [p, proto = 'tcp'] = k.split('/');
    return { port: Number(p), proto: proto.toLowerCase() };
  }).sort((a, b) => a.port - b.port || (a.proto === 'tcp' ? -1 : b.proto === 'tcp' ? 1 : 0));
  const env: string[] = [];
  const prefix = (p: Port, proto = p.proto) => `${alias}_PORT_${p.port}_${proto.toUpperCase()}`;
  if (ports.length) env.push(`${alias}_PORT=${ports[0].proto}://${ip}:${ports[0].port}`);
  for (let i = 0; i < ports.length;) {
    const p = ports[i];
    const j = nextContiguous(ports, i);
    if (j > i + 1) {
      const q = ports[j];
      env.push(`${prefix(p)}_START=${p.proto}://${ip}:${p.port}`, `${prefix(p)}_ADDR=${ip}`, `${prefix(p)}_PROTO=${p.proto}`,
        `${prefix(p)}_PORT_START=${p.port}`, `${prefix(p, q.proto)}_END=${q.proto}://${ip}:${q.port}`, `${prefix(p, q.proto)}_PORT_END=${q.port}`);
      i = j + 1;
    } else i++;
  }
  for (const p of ports) {
    env.push(`${prefix(p)}=${p.proto}://${ip}:${p.port}`, `${prefix(p)}_ADDR=${ip}`, `${prefix(p)}_PORT=${p.port}`, `${prefix(p)}_PROTO=${p.proto}`);
  }
  env.push(`${alias}_NAME=/${parentName}/${l.alias}`);
  for (const e of l.child.config.Env ?? []) {
    const eq = e.indexOf('=');
    if (eq < 0) continue;
    const k = e.slice(0, eq);
    if (k !== 'HOME' && k !== 'PATH') env.push(`${alias}_ENV_${k}=${e.slice(eq + 1)}`);
  }
  return firstPlaceWins(env);
}

/**
 * Docker's range scan: the index of the last port in a run counting up by one from ports[i]
 * (ports of another protocol at the same number count too, as in Docker).
 */
function nextContiguous(ports: Port[], i: number): number {
  if (i + 1 === ports.length) return i;
  let value = ports[i].port;
  for (let k = i + 1; k < ports.length; k++) {
    if (ports[k].port > value + 1) return k - 1;
    value++;
  }
  return ports.length - 1;
}

/** Keeps each name's first position with its last value. */
function firstPlaceWins(env: string[]): string[] {
  const out = new Map<string, string>();
  for (const e of env) out.set(e.slice(0, e.indexOf('=')), e);
  return [...out.values()];
}

/** The container's own variables over its links' (a name the container sets wins). */
export function withLinkEnv(env: string[], links: string[]): string[] {
  const own = new Set(env.map((e) => e.split('=', 1)[0]));
  return [...env, ...links.filter((e) => !own.has(e.split('=', 1)[0]))];
}
