/** `berth network rm`: remove networks, echoing each one removed. */
import type { Command } from 'commander';
import { isNotFound } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';

export function networkRmCommand(ctx: CliContext): Command {
  const cmd = newCommand('rm', 'NETWORK [NETWORK...]', 'Remove one or more networks')
    .option('-f, --force', 'Do not error if the network does not exist')
    .argument('[networks...]');
  return cmd.action(async (args: string[], f: { force?: boolean }) => {
    checkArgs(cmd, args, 1);
    const failures = await forEachArg(args, (s) => ctx.err(s), async (n) => {
      try {
        await ctx.client.networks.remove(n);
      } catch (e) {
        if (f.force && isNotFound(e)) return;
        throw e;
      }
      ctx.out(`${n}\n`);
    });
    // docker's network rm ends its errors with the status it exits with.
    if (failures.length) throw new ExitStatus(1, 'exit status 1');
  });
}
