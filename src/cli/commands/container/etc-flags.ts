/**
 * The name-resolution flags of `run` and `create` (--link, --add-host, --dns, --dns-search,
 * --dns-option, --domainname), checked and mapped to the create body as the docker CLI does.
 */
import { isIP } from 'node:net';
import type { Command } from 'commander';
import { UsageError, collect } from '../../command-kit';

export interface EtcFlags {
  link?: string[]; addHost?: string[]; dns?: string[]; dnsSearch?: string[]; dnsOption?: string[]; domainname?: string;
}

export function addEtcFlags(cmd: Command): Command {
  return cmd
    .option('--link <list>', 'Add link to another container', collect)
    .option('--add-host <list>', 'Add a custom host-to-IP mapping (host:ip)', collect)
    .option('--dns <list>', 'Set custom DNS servers', collect)
    .option('--dns-search <list>', 'Set custom DNS search domains', collect)
    .option('--dns-option <list>', 'Set DNS options', collect)
    .option('--domainname <string>', 'Container NIS domain name');
}

const invalid = (value: string, flag: string, why: string) => new UsageError(`invalid argument "${value}" for "${flag}" flag: ${why}`);

/** `host:ip` or `host=ip`, sent as `host:ip` with an IPv6 address's brackets dropped. */
export function parseAddHost(h: string): string {
  const i = h.includes('=') ? h.indexOf('=') : h.indexOf(':');
  if (i <= 0) throw invalid(h, '--add-host', `bad format for add-host: "${h}"`);
  const ip = h.slice(i + 1).replace(/^\[(.*)\]$/, '$1');
  if (ip !== 'host-gateway' && !isIP(ip)) throw invalid(h, '--add-host', `invalid IP address in add-host: "${h.slice(i + 1)}"`);
  return `${h.slice(0, i)}:${ip}`;
}

const DOMAIN = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*\.?\s*$/;

/**
 * The create body's fields for these flags. Links go to HostConfig on the default bridge and
 * to the network's endpoint settings on a user-defined network, as the docker CLI sends them.
 */
export function buildEtcSettings(f: EtcFlags, userNetwork: boolean): { hostConfig: Record<string, unknown>; domainname: string; endpointLinks?: string[] } {
  for (const l of f.link ?? []) if (l.split(':').length > 2) throw invalid(l, '--link', `bad format for links: ${l}`);
  for (const d of f.dns ?? []) if (!isIP(d)) throw invalid(d, '--dns', `IP address is not correctly formatted: ${d}`);
  for (const s of f.dnsSearch ?? []) {
    if (s !== '.' && (s.length > 255 || !DOMAIN.test(s))) throw invalid(s, '--dns-search', `${s} is not a valid domain`);
  }
  const links = f.link?.length ? f.link : undefined;
  return {
    hostConfig: {
      Dns: f.dns ?? [], DnsOptions: f.dnsOption ?? [], DnsSearch: f.dnsSearch ?? [],
      ExtraHosts: f.addHost?.length ? f.addHost.map(parseAddHost) : null,
      ...(links && !userNetwork ? { Links: links } : {}),
    },
    domainname: f.domainname ?? '',
    ...(links && userNetwork ? { endpointLinks: links } : {}),
  };
}
