/** `berth top CONTAINER [ps OPTIONS]`: the container's processes as the host's ps shows them. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { tabwrite } from '../../formatters/tabwriter';

interface TopResult { Titles: string[]; Processes: string[][] | null }

/** docker prints the titles and rows through a tabwriter (minwidth 20, padding 3). */
export function formatTop(r: TopResult): string {
  const lines = [r.Titles, ...(r.Processes ?? [])].map((cells) => cells.join('\t') + '\t');
  return tabwrite(lines.join('\n'), { minWidth: 20, padding: 3 }).split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}

export function topCommand(ctx: CliContext): Command {
  const cmd = newCommand('top', 'CONTAINER [ps OPTIONS]', 'Display the running processes of a container')
    .argument('[args...]')
    .passThroughOptions()
    .allowUnknownOption();
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 1);
    const [id, ...psArgs] = args;
    const r = await ctx.client.transport.json<TopResult>('GET', `/containers/${encodeURIComponent(id)}/top`, {
      query: { ps_args: psArgs.length ? psArgs.join(' ') : undefined },
    });
    ctx.out(formatTop(r));
  });
}
