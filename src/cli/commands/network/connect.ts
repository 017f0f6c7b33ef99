/** `berth network connect` and `disconnect`: a container joins or leaves a network. */
import type { Command } from 'commander';
import { isIP } from 'node:net';
import { checkArgs, collect, newCommand, UsageError } from '../../command-kit';
import type { CliContext } from '../../context';

interface ConnectFlags { ip?: string; ip6?: string; alias?: string[]; link?: string[]; driverOpt?: string[]; linkLocalIp?: string[] }

export function networkConnectCommand(ctx: CliContext): Command {
  const cmd = newCommand('connect', '[OPTIONS] NETWORK CONTAINER', 'Connect a container to a network')
    .option('--alias <strings>', 'Add network-scoped alias for the container', collect)
    .option('--driver-opt <strings>', 'driver options for the network', collect)
    .option('--ip <string>', 'IPv4 address (e.g., "172.30.100.104")')
    .option('--ip6 <string>', 'IPv6 address (e.g., "2001:db8::33")')
    .option('--link <list>', 'Add link to another container', collect)
    .option('--link-local-ip <strings>', 'Add a link-local address for the container', collect)
    .argument('[args...]');
  return cmd.action(async (args: string[], f: ConnectFlags) => {
    checkArgs(cmd, args, 2, 2);
    if (f.ip && isIP(f.ip) !== 4) throw new UsageError(`invalid argument "${f.ip}" for "--ip" flag: invalid string being converted to IP address: ${f.ip}`);
    const ipam = { ...(f.ip ? { IPv4Address: f.ip } : {}), ...(f.ip6 ? { IPv6Address: f.ip6 } : {}) };
    const driverOpts = Object.fromEntries((f.driverOpt ?? []).map((o) => { const i = o.indexOf('='); return i < 0 ? [o, ''] : [o.slice(0, i), o.slice(i + 1)]; }));
    await ctx.client.networks.connect(args[0], args[1], {
      IPAMConfig: Object.keys(ipam).length ? ipam : null,
      Aliases: f.alias ?? [],
      Links: f.link ?? [],
      DriverOpts: Object.keys(driverOpts).length ? driverOpts : null,
    });
  });
}

export function networkDisconnectCommand(ctx: CliContext): Command {
  const cmd = newCommand('disconnect', '[OPTIONS] NETWORK CONTAINER', 'Disconnect a container from a network')
    .option('-f, --force', 'Force the container to disconnect from a network')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: { force?: boolean }) => {
    checkArgs(cmd, args, 2, 2);
    await ctx.client.networks.disconnect(args[0], args[1], !!f.force);
  });
}
