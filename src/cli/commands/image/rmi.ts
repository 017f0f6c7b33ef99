/** `berth rmi` / `berth image rm`: remove images, printing what was untagged and deleted. */
import type { Command } from 'commander';
import { isNotFound } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, describeError } from '../../errors';

export function rmiCommand(ctx: CliContext, name = 'rmi'): Command {
  const cmd = newCommand(name, '[OPTIONS] IMAGE [IMAGE...]', 'Remove one or more images')
    .option('-f, --force', 'Force removal of the image')
    .option('--no-prune', 'Do not delete untagged parents')
    .argument('[images...]');
  return cmd.action(async (args: string[], f: { force?: boolean; prune?: boolean }) => {
    checkArgs(cmd, args, 1);
    // docker: errors come after every removal; with -f, images already gone do not fail the command
    const errors: unknown[] = [];
    for (const image of args) {
      try {
        const items = await ctx.client.images.remove(image, { force: f.force, noprune: f.prune === false });
        for (const it of items ?? []) ctx.out(it.Deleted ? `Deleted: ${it.Deleted}\n` : `Untagged: ${it.Untagged}\n`);
      } catch (err) {
        errors.push(err);
      }
    }
    if (!errors.length) return;
    const message = errors.map(describeError).join('\n');
    if (f.force && errors.every(isNotFound)) ctx.err(`${message}\n`);
    else throw new ExitStatus(1, message);
  });
}
