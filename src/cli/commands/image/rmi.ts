/** `berth rmi` / `berth image rm`: remove images, printing what was untagged and deleted. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';

export function rmiCommand(ctx: CliContext, name = 'rmi'): Command {
  const cmd = newCommand(name, '[OPTIONS] IMAGE [IMAGE...]', 'Remove one or more images')
    .option('-f, --force', 'Force removal of the image')
    .option('--no-prune', 'Do not delete untagged parents')
    .argument('[images...]');
  return cmd.action(async (args: string[], f: { force?: boolean; prune?: boolean }) => {
    checkArgs(cmd, args, 1);
    const failures = await forEachArg(args, (s) => ctx.err(s), async (image) => {
      const items = await ctx.client.images.remove(image, { force: f.force, noprune: f.prune === false });
      for (const it of items ?? []) {
        if (it.Untagged) ctx.out(`Untagged: ${it.Untagged}\n`);
        if (it.Deleted) ctx.out(`Deleted: ${it.Deleted}\n`);
      }
    });
    if (failures.length) throw new ExitStatus(1);
  });
}
