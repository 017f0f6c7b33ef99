/** `berth builder prune`: remove build cache (dangling records, or all with -a), after a confirmation unless -f. */
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import type { BuildCachePruneReport } from '../../../client';
import { humanSize } from '../../../lib/go-units';
import { confirm } from '../container/prune';
import { parseFilterFlags } from '../container/ps';
import { ramInBytes } from '../container/resource-flags';

const DANGLING_WARNING = 'WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ';
const ALL_WARNING = 'WARNING! This will remove all build cache. Are you sure you want to continue? [y/N] ';

/** docker's report: the deleted records (then a blank line), and the total. */
export function formatBuildCachePruneReport(r: BuildCachePruneReport): string {
  const ids = r.CachesDeleted ?? [];
  const head = ids.length ? `Deleted build cache objects:\n${ids.map((id) => `${id}\n`).join('')}\n` : '';
  return `${head}Total reclaimed space: ${humanSize(r.SpaceReclaimed)}\n`;
}

export function builderPruneCommand(ctx: CliContext): Command {
  const cmd = newCommand('prune', '[OPTIONS]', 'Remove build cache')
    .option('-a, --all', 'Remove all unused build cache, not just dangling ones')
    .option('--filter <filter>', 'Provide filter values (e.g. "until=24h")', collect)
    .option('-f, --force', 'Do not prompt for confirmation')
    .option('--keep-storage <bytes>', 'Amount of disk space to keep for cache', ramInBytes('--keep-storage'));
  return cmd.action(async (f: { all?: boolean; filter?: string[]; force?: boolean; keepStorage?: string }) => {
    checkArgs(cmd, cmd.args, 0, 0);
    const filters = parseFilterFlags(f.filter);
    if (!f.force && !(await confirm(ctx, f.all ? ALL_WARNING : DANGLING_WARNING))) return;
    const report = await ctx.client.build.prune({ all: f.all, filters, keepStorage: f.keepStorage ? Number(f.keepStorage) : undefined });
    ctx.out(formatBuildCachePruneReport(report));
  });
}
