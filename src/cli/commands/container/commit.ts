/** `berth commit`: a new image from a container's changes; prints its ID. */
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { splitRepoTag } from '../image/tag';

interface CommitFlags { author?: string; change?: string[]; message?: string; pause: boolean }

export function commitCommand(ctx: CliContext): Command {
  const cmd = newCommand('commit', "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes")
    .option('-a, --author <string>', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")')
    .option('-c, --change <list>', 'Apply Dockerfile instruction to the created image', collect)
    .option('-m, --message <string>', 'Commit message')
    .option('-p, --pause', 'Pause container during commit', true)
    .option('--no-pause', 'Do not pause the container during commit')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: CommitFlags) => {
    checkArgs(cmd, args, 1, 2);
    const [container, ref] = args;
    const target = ref ? splitRepoTag(ref) : undefined;
    const id = await ctx.client.images.commit(container, {
      repo: target?.repo, tag: target?.tag, author: f.author, comment: f.message, changes: f.change, pause: f.pause,
    });
    ctx.out(`${id}\n`);
  });
}
