/** `berth volume rm`: remove volumes, printing each name removed. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';

export function volumeRmCommand(ctx: CliContext): Command {
  const cmd = newCommand('rm', '[OPTIONS] VOLUME [VOLUME...]', 'Remove one or more volumes. You cannot remove a volume that is in use by a container.')
    .option('-f, --force', 'Force the removal of one or more volumes')
    .argument('[volumes...]');
  return cmd.action(async (args: string[], f: { force?: boolean }) => {
    checkArgs(cmd, args, 1);
    const failures = await forEachArg(args, (s) => ctx.err(s), async (name) => {
      await ctx.client.volumes.remove(name, { force: f.force });
      ctx.out(`${name}\n`);
    });
    if (failures.length) throw new ExitStatus(1);
  });
}
