/** `berth volume ls`: list volumes. */
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { renderRows } from '../../formatters/format';
import { VOLUMES_HEADERS, naturalLess, volumeContext, volumeFormat } from '../../formatters/volume-context';
import { parseFilterFlags } from '../container/ps';

interface LsFlags { quiet?: boolean; filter?: string[]; format?: string }

export function volumeLsCommand(ctx: CliContext): Command {
  const cmd = newCommand('ls', '[OPTIONS]', 'List volumes')
    .option('-f, --filter <filter>', 'Provide filter values (e.g. "dangling=true")', collect)
    .option('--format <string>', 'Format output using a custom template')
    .option('-q, --quiet', 'Only display volume names')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: LsFlags) => {
    checkArgs(cmd, args, 0, 0);
    const { Volumes } = await ctx.client.volumes.list({ filters: parseFilterFlags(f.filter) });
    const volumes = [...(Volumes ?? [])].sort((a, b) => (naturalLess(a.Name, b.Name) ? -1 : naturalLess(b.Name, a.Name) ? 1 : 0));
    const format = volumeFormat(f.format || 'table', !!f.quiet);
    ctx.out(renderRows(format, volumes, { headers: VOLUMES_HEADERS, toContext: volumeContext }));
  });
}
