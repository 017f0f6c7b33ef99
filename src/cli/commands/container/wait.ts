/** `berth wait`: block until containers stop, printing each exit code. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';

export function waitCommand(ctx: CliContext): Command {
  const cmd = newCommand('wait', 'CONTAINER [CONTAINER...]', 'Block until one or more containers stop, then print their exit codes')
    .argument('[containers...]');
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 1);
    const failures = await forEachArg(args, (s) => ctx.err(s), async (id) => {
      const r = await ctx.client.containers.wait(id);
      if (r.Error?.Message) throw new Error(r.Error.Message);
      ctx.out(`${r.StatusCode}\n`);
    });
    if (failures.length) throw new ExitStatus(1);
  });
}
