/** `run`/`create` flags for the container's endpoint on its --network: --ip, --ip6, --network-alias. */
import { isIP } from 'node:net';
import { Option, type Command } from 'commander';
import { UsageError, collect } from '../../command-kit';

export interface NetworkFlags { ip?: string; ip6?: string; networkAlias?: string[]; netAlias?: string[] }

export function addNetworkFlags(cmd: Command): Command {
  return cmd
    .option('--ip <string>', 'IPv4 address (e.g., 172.30.100.104)')
    .option('--ip6 <string>', 'IPv6 address (e.g., 2001:db8::33)')
    .option('--network-alias <list>', 'Add network-scoped alias for the container', collect)
    .addOption(new Option('--net-alias <list>').hideHelp().argParser(collect));
}

/** The EndpointsConfig the docker CLI sends for these flags (its parseNetworkOpts). */
export function endpointsConfig(f: NetworkFlags, network: string, userNetwork: boolean): Record<string, Record<string, unknown>> {
  const aliases = [...(f.networkAlias ?? []), ...(f.netAlias ?? [])];
  if (aliases.length && !userNetwork) throw new UsageError('network-scoped aliases are only supported for user-defined networks');
  if (f.ip !== undefined && isIP(f.ip) !== 4) throw new UsageError(`invalid argument "${f.ip}" for "--ip" flag: invalid string being converted to IP address: ${f.ip}`);
  if (f.ip6 !== undefined && isIP(f.ip6) !== 6) throw new UsageError(`invalid argument "${f.ip6}" for "--ip6" flag: invalid string being converted to IP address: ${f.ip6}`);
  const ipam = { ...(f.ip ? { IPv4Address: f.ip } : {}), ...(f.ip6 ? { IPv6Address: f.ip6 } : {}) };
  const ep = { ...(Object.keys(ipam).length ? { IPAMConfig: ipam } : {}), ...(aliases.length ? { Aliases: aliases } : {}) };
  return userNetwork || Object.keys(ep).length ? { [network]: ep } : {};
}
