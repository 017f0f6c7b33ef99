/** `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: the container's published ports. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { joinHostPort, naturalLess } from '../../formatters/port-display';

type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

/**
 * docker's lines: `80/tcp -> 0.0.0.0:8080` for every published port, or `0.0.0.0:8080` for
 * the one asked (undefined when it is not published); in natural order either way.
 */
export function portLines(ports: PortMap, only?: string): string[] | undefined {
  let out: string[];
  if (only) {
    const frontends = ports[only];
    if (!frontends) return undefined;
    out = frontends.map((b) => joinHostPort(b.HostIp, b.HostPort));
  } else {
    out = Object.entries(ports).flatMap(([port, list]) => (list ?? []).map((b) => `${port} -> ${joinHostPort(b.HostIp, b.HostPort)}`));
  }
  return out.sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
}

/** Go's strconv.ParseUint(port, 10, 16) error, as `port` wraps it. */
function checkPort(port: string): void {
  if (/^\d+$/.test(port) && Number(port) <= 65535) return;
  const why = /^\d+$/.test(port) ? 'value out of range' : 'invalid syntax';
  throw new Error(`Error: invalid port (${port}): strconv.ParseUint: parsing ${JSON.stringify(port)}: ${why}`);
}

export function portCommand(ctx: CliContext): Command {
  const cmd = newCommand('port', 'CONTAINER [PRIVATE_PORT[/PROTO]]', 'List port mappings or a specific mapping for the container')
    .argument('[args...]');
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 1, 2);
    const [id, spec] = args;
    const c = await ctx.client.containers.inspect(id) as { NetworkSettings?: { Ports?: PortMap } };
    const ports = c.NetworkSettings?.Ports ?? {};
    let key: string | undefined;
    if (spec) {
      const i = spec.indexOf('/');
      const [port, proto] = i < 0 ? [spec, 'tcp'] : [spec.slice(0, i), spec.slice(i + 1) || 'tcp'];
      checkPort(port);
      key = `${port}/${proto}`;
    }
    const lines = portLines(ports, key);
    if (!lines) throw new Error(`Error: No public port '${spec}' published for ${id}`);
    if (lines.length) ctx.out(`${lines.join('\n')}\n`);
  });
}
