/** `berth rm`: remove containers, echoing each name removed. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';

export function rmCommand(ctx: CliContext): Command {
  const cmd = newCommand('rm', '[OPTIONS] CONTAINER [CONTAINER...]', 'Remove one or more containers')
    .option('-f, --force', 'Force the removal of a running container (uses SIGKILL)')
    .option('-v, --volumes', 'Remove anonymous volumes associated with the container')
    .option('-l, --link', 'Remove the specified link')
    .argument('[containers...]');
  return cmd.action(async (args: string[], f: { force?: boolean; volumes?: boolean; link?: boolean }) => {
    checkArgs(cmd, args, 1);
    const failures = await forEachArg(args, (s) => ctx.err(s), async (id) => {
      await ctx.client.containers.remove(id.replace(/^\//, ''), { force: f.force, volumes: f.volumes, link: f.link });
      ctx.out(`${id}\n`);
    });
    if (failures.length) throw new ExitStatus(1);
  });
}
