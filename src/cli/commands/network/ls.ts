/** `berth network ls`: list networks. */
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { renderRows } from '../../formatters/format';
import { NETWORKS_DEFAULT_FORMAT, NETWORKS_HEADERS, networkContext, sortNetworks } from '../../formatters/network-context';
import { parseFilterFlags } from '../container/ps';

interface LsFlags { filter?: string[]; format?: string; trunc?: boolean; quiet?: boolean }

export function networkLsCommand(ctx: CliContext): Command {
  const cmd = newCommand('ls', '[OPTIONS]', 'List networks')
    .option('-f, --filter <filter>', 'Provide filter values (e.g. "driver=bridge")', collect)
    .option('--format <string>', 'Format output using a custom template')
    .option('--no-trunc', 'Do not truncate the output')
    .option('-q, --quiet', 'Only display network IDs')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: LsFlags) => {
    checkArgs(cmd, args, 0, 0);
    const list = sortNetworks(await ctx.client.networks.list({ filters: parseFilterFlags(f.filter) }));
    const source = f.format || 'table';
    const format = f.quiet ? '{{.ID}}' : source === 'table' ? NETWORKS_DEFAULT_FORMAT : source;
    ctx.out(renderRows(format, list, { headers: NETWORKS_HEADERS, toContext: (n) => networkContext(n, { trunc: f.trunc !== false }) }));
  });
}
