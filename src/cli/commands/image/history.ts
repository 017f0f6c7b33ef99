/** `berth history` / `berth image history`: the layers an image was built from, newest first. */
import type { Command } from 'commander';
import { checkArgs, hiddenOption, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { renderRows } from '../../formatters/format';
import { HISTORY_DEFAULT_FORMAT, HISTORY_HEADERS, HISTORY_NON_HUMAN_FORMAT, historyContext } from '../../formatters/history-context';

interface HistoryFlags { human?: boolean; quiet?: boolean; trunc?: boolean; format?: string }

export function historyCommand(ctx: CliContext): Command {
  const cmd = newCommand('history', '[OPTIONS] IMAGE', 'Show the history of an image')
    .option('--format <string>', 'Format output using a custom template')
    .option('-H, --human', 'Print sizes and dates in human readable format (default true)')
    .addOption(hiddenOption('--no-human'))
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only show image IDs')
    .argument('[image...]');
  return cmd.action(async (args: string[], f: HistoryFlags) => {
    checkArgs(cmd, args, 1, 1);
    const items = await ctx.client.images.history(args[0]);
    const opts = { trunc: f.trunc !== false, human: f.human !== false };
    // docker's NewHistoryFormat: -q and -H=false only change the default table
    const format = f.format && f.format !== 'table' ? f.format : f.quiet ? '{{.ID}}' : opts.human ? HISTORY_DEFAULT_FORMAT : HISTORY_NON_HUMAN_FORMAT;
    ctx.out(renderRows(format, items, { headers: HISTORY_HEADERS, toContext: (h) => historyContext(h, opts) }));
  });
}
