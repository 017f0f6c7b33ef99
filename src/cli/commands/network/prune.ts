/** `berth network prune`: remove every custom network no container uses, after a confirmation unless -f. */
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { confirm } from '../container/prune';
import { parseFilterFlags } from '../container/ps';

const WARNING = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ';

/** docker's report: nothing at all when nothing went. */
export function formatNetworkPrune(names: string[] | null): string {
  return names?.length ? `Deleted Networks:\n${names.map((n) => `${n}\n`).join('')}\n` : '';
}

export function networkPruneCommand(ctx: CliContext): Command {
  const cmd = newCommand('prune', '[OPTIONS]', 'Remove all unused networks')
    .option('--filter <filter>', 'Provide filter values (e.g. "until=<timestamp>")', collect)
    .option('-f, --force', 'Do not prompt for confirmation')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: { filter?: string[]; force?: boolean }) => {
    checkArgs(cmd, args, 0, 0);
    if (!f.force && !(await confirm(ctx, WARNING))) return;
    const r = await ctx.client.networks.prune({ filters: parseFilterFlags(f.filter) });
    ctx.out(formatNetworkPrune(r.NetworksDeleted));
  });
}
