/** `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: the container's published ports. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';

type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

/** `80/tcp -> 0.0.0.0:8080` lines, for one port or every published one. */
export function portLines(ports: PortMap, only?: string): string[] {
  const out: string[] = [];
  for (const [port, bindings] of Object.entries(ports)) {
    if (only && port !== only) continue;
    for (const b of bindings ?? []) {
      const ip = b.HostIp || '0.0.0.0';
      const host = ip.includes(':') ? `[${ip}]` : ip;
      out.push(only ? `${host}:${b.HostPort}` : `${port} -> ${host}:${b.HostPort}`);
    }
  }
  return out;
}

export function portCommand(ctx: CliContext): Command {
  const cmd = newCommand('port', 'CONTAINER [PRIVATE_PORT[/PROTO]]', 'List port mappings or a specific mapping for the container')
    .argument('[args...]');
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 1, 2);
    const [id, spec] = args;
    const c = await ctx.client.containers.inspect(id) as { NetworkSettings?: { Ports?: PortMap } };
    const ports = c.NetworkSettings?.Ports ?? {};
    if (spec) {
      const [port, proto = 'tcp'] = spec.split('/', 2);
      const key = `${port}/${proto}`;
      const lines = portLines(ports, key);
      if (!lines.length) throw new Error(`Error: No public port '${spec}' published for ${id}`);
      ctx.out(lines.map((l) => `${l}\n`).join(''));
      return;
    }
    ctx.out(portLines(ports).map((l) => `${l}\n`).join(''));
  });
}
