/**
 * A container's /etc/hosts and /etc/resolv.conf, byte for byte as Docker 20.10 writes them.
 *
 * hosts: Docker's six default lines, then --add-host entries, then links, then one line per
 * network the container is on (`<ip>\t<hostname>`, or `<host>.<domain> <host>` with a
 * domainname, `a.b.c a` for a dotted hostname). `--network none` has no own line; `host` copies
 * the host's file unless --add-host asks for entries.
 *
 * resolv.conf: on a user-defined network, the embedded DNS server (berth's, on the network's
 * gateway) with `options ndots:0` unless an ndots is given; elsewhere the host's file with its
 * loopback nameservers dropped (Google's resolvers when none remain), or rebuilt from
 * --dns/--dns-search/--dns-option over the host's values. In host mode loopback is kept.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { InvalidArgument } from '../../errdefs';
import type { ContainerRecord, HostConfig } from './types';
import type { SandboxInfo as Sandbox } from '../../core/network';
import { parseResolvConf } from '../networks/dns-resolv-conf';

const DEFAULT_HOSTS = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];
const FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

/** What the /etc files need beyond the record and the sandbox. */
export interface EtcInputs {
  /** Link lines (`<ip>\t<alias> <hostname> <name>`), for the default bridge. */
  linkHosts?: string[];
  /** The address `host-gateway` in --add-host stands for. */
  hostGateway?: string;
  /** The embedded DNS server's address, for a container on a user-defined network. */
  dnsServer?: string;
  /** The host's hosts file, copied in host mode (default /etc/hosts). */
  hostHosts?: string;
}

/** `name:ip` or `name=ip` split at the first separator; undefined when neither is there. */
export function splitExtraHost(h: string): { name: string; ip: string } | undefined {
  const i = h.includes('=') ? h.indexOf('=') : h.indexOf(':');
  return i > 0 ? { name: h.slice(0, i), ip: h.slice(i + 1) } : undefined;
}

/** Docker's create-time checks of HostConfig.ExtraHosts (400 with its words). */
export function validateExtraHosts(hosts: string[] | null | undefined): void {
  for (const h of hosts ?? []) {
    const e = splitExtraHost(h);
    if (!e) throw new InvalidArgument(`bad format for add-host: "${h}"`);
    if (e.ip !== 'host-gateway' && !isIP(e.ip.replace(/^\[(.*)\]$/, '$1'))) throw new InvalidArgument(`invalid IP address in add-host: "${e.ip}"`);
  }
}

/** Docker's refusals for settings a container:<id> network takes from the other container. */
export function validateEtcForMode(hc: Partial<HostConfig>, hostname: string | undefined): void {
  if (!hc.NetworkMode?.startsWith('container:')) return;
  if (hostname) throw new InvalidArgument('conflicting options: hostname and the network mode');
  if (hc.Dns?.length) throw new InvalidArgument('conflicting options: dns and the network mode');
  if (hc.ExtraHosts?.length) throw new InvalidArgument('conflicting options: custom host-to-IP mapping and the network mode');
}

/** `myhost.example.com myhost`, `a.b.c a`, or the bare hostname. */
function hostNames(hostname: string, domainname: string): string {
  if (domainname) return `${hostname}.${domainname} ${hostname}`;
  const dot = hostname.indexOf('.');
  return dot > 0 ? `${hostname} ${hostname.slice(0, dot)}` : hostname;
}

/** The sandbox's endpoints, whichever shape holds them. */
export const sandboxEndpoints = (s: Sandbox): NonNullable<Sandbox['endpoint']>[] =>
  (s as Sandbox & { endpoints?: NonNullable<Sandbox['endpoint']>[] }).endpoints ?? (s.endpoint ? [s.endpoint] : []);

export async function hostsFile(rec: ContainerRecord, sandbox: Sandbox, inputs: EtcInputs = {}): Promise<string> {
  const extra = [...sandbox.extraHosts, ...(rec.hostConfig.ExtraHosts ?? [])];
  if (sandbox.netns === 'host' && extra.length === 0) return readFile(inputs.hostHosts ?? '/etc/hosts', 'utf8');
  const lines = [...DEFAULT_HOSTS];
  for (const h of extra) {
    const e = splitExtraHost(h);
    if (!e) continue;
    const ip = e.ip === 'host-gateway' ? inputs.hostGateway : e.ip.replace(/^\[(.*)\]$/, '$1');
    if (ip) lines.push(`${ip}\t${e.name}`);
  }
  lines.push(...(inputs.linkHosts ?? []));
  if (sandbox.netns !== 'host') {
    const names = hostNames(rec.config.Hostname, rec.config.Domainname);
    for (const ep of sandboxEndpoints(sandbox)) if (ep.ipAddress) lines.push(`${ep.ipAddress}\t${names}`);
  }
  return lines.join('\n') + '\n';
}

const isLoopback = (a: string) => /^127\./.test(a) || a === '::1';

/** Docker's Build: search (unless only `.`), nameservers, options. */
function build(ns: string[], search: string[], options: string[]): string {
  const s = search.join(' ');
  return [
    ...(search.length && s.trim() !== '.' ? [`search ${s}`] : []),
    ...ns.map((n) => `nameserver ${n}`),
    ...(options.length ? [`options ${options.join(' ')}`] : []),
  ].map((l) => `${l}\n`).join('');
}

export async function resolvConfFile(rec: ContainerRecord, sandbox: Sandbox, inputs: EtcInputs = {}): Promise<string> {
  let text = '';
  try { text = await readFile(sandbox.resolvConf, 'utf8'); } catch { text = ''; }
  const host = parseResolvConf(text);
  const hc = rec.hostConfig;
  const own = sandbox.netns !== 'host';
  const search = hc.DnsSearch?.length ? hc.DnsSearch : host.search;
  const options = hc.DnsOptions?.length ? hc.DnsOptions : host.options;
  if (own && inputs.dnsServer) {
    const ndots = options.some((o) => /^ndots:/.test(o));
    return build([inputs.dnsServer], search, ndots ? options : [...options, 'ndots:0']);
  }
  if (hc.Dns?.length || hc.DnsSearch?.length || hc.DnsOptions?.length) {
    let ns = hc.Dns?.length ? hc.Dns : host.nameservers;
    if (own && !hc.Dns?.length) ns = ns.filter((a) => !isLoopback(a));
    return build(ns.length || !own ? ns : FALLBACK_NAMESERVERS, search, options);
  }
  if (!own) return text;
  // The host's file as it is, but for nameservers the container's namespace cannot reach.
  const kept = text.split('\n').filter((l) => { const m = /^\s*nameserver\s+(\S+)/.exec(l); return !m || !isLoopback(m[1]); });
  let out = kept.join('\n');
  if (!parseResolvConf(out).nameservers.length) out = `${out.replace(/\n*$/, '')}\n\n${FALLBACK_NAMESERVERS.map((n) => `nameserver ${n}`).join('\n')}\n`.replace(/^\n+/, '');
  return out;
}
