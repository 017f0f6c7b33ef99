/** `berth pause`: freeze every process of the containers, names echoed. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';

/** pause and unpause differ only in the route they call. */
export function pauseLike(ctx: CliContext, verb: 'pause' | 'unpause', description: string): Command {
  const cmd = newCommand(verb, 'CONTAINER [CONTAINER...]', description).argument('[containers...]');
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 1);
    const failures = await forEachArg(args, (s) => ctx.err(s), async (id) => {
      await ctx.client.transport.send('POST', `/containers/${encodeURIComponent(id)}/${verb}`);
      ctx.out(`${id}\n`);
    });
    if (failures.length) throw new ExitStatus(1);
  });
}

export function pauseCommand(ctx: CliContext): Command {
  return pauseLike(ctx, 'pause', 'Pause all processes within one or more containers');
}
