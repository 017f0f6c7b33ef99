import { readFile } from 'node:fs/promises';
import type { ContainerRecord } from './types';
import type { SandboxInfo as Sandbox } from '../../core/network';

/** /etc/hosts as Docker writes it for a container. */
export function hostsFile(rec: ContainerRecord, sandbox: Sandbox): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::\tip6-localnet',
    'ff00::\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const h of [...sandbox.extraHosts, ...(rec.hostConfig.ExtraHosts ?? [])]) {
    const i = h.includes('=') ? h.indexOf('=') : h.indexOf(':');
    if (i > 0) lines.push(`${h.slice(i + 1)}\t${h.slice(0, i)}`);
  }
  if (sandbox.endpoint) lines.push(`${sandbox.endpoint.ipAddress}\t${rec.config.Hostname}`);
  return lines.join('\n') + '\n';
}

/**
 * resolv.conf for a container: the host's (as the sandbox says where to read it), with
 * --dns/--dns-search/--dns-option replacing its parts; loopback nameservers, which a container
 * in its own namespace cannot reach, are dropped, and Docker's public fallback used if none remain.
 */
export async function resolvConfFile(rec: ContainerRecord, sandbox: Sandbox): Promise<string> {
  let host = '';
  try { host = await readFile(sandbox.resolvConf, 'utf8'); } catch { host = ''; }
  const lines = host.split('\n');
  const own = sandbox.netns !== 'host';
  let ns = lines.filter((l) => /^\s*nameserver\s/.test(l)).map((l) => l.trim().split(/\s+/)[1]);
  if (own) ns = ns.filter((a) => !/^127\.|^::1$/.test(a));
  const hc = rec.hostConfig;
  if (hc.Dns?.length) ns = hc.Dns;
  if (ns.length === 0 && own) ns = ['8.8.8.8', '8.8.4.4'];
  const search = hc.DnsSearch?.length ? hc.DnsSearch : lines.filter((l) => /^\s*search\s/.test(l)).flatMap((l) => l.trim().split(/\s+/).slice(1));
  const options = hc.DnsOptions?.length ? hc.DnsOptions : lines.filter((l) => /^\s*options\s/.test(l)).flatMap((l) => l.trim().split(/\s+/).slice(1));
  const out = [
    ...(search.length ? [`search ${search.join(' ')}`] : []),
    ...ns.map((n) => `nameserver ${n}`),
    ...(options.length ? [`options ${options.join(' ')}`] : []),
  ];
  return out.join('\n') + '\n';
}
