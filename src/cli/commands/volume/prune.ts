/** `berth volume prune`: remove unused volumes (anonymous ones unless -a), after a confirmation unless -f. */
import type { Command } from 'commander';
import { UsageError, checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import type { VolumesPruneReport } from '../../../client';
import { humanSize4 } from '../../../lib/go-units';
import { confirm } from '../container/prune';
import { parseFilterFlags } from '../container/ps';

const ANONYMOUS_WARNING = 'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';
const ALL_WARNING = 'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';

/** docker's report: the deleted names (then a blank line), and the total. */
export function formatVolumePruneReport(r: VolumesPruneReport): string {
  const names = r.VolumesDeleted ?? [];
  const head = names.length ? `Deleted Volumes:\n${names.map((n) => `${n}\n`).join('')}\n` : '';
  return `${head}Total reclaimed space: ${humanSize4(r.SpaceReclaimed)}\n`;
}

export function volumePruneCommand(ctx: CliContext): Command {
  const cmd = newCommand('prune', '[OPTIONS]', 'Remove unused local volumes')
    .option('-a, --all', 'Remove all unused volumes, not just anonymous ones')
    .option('--filter <filter>', 'Provide filter values (e.g. "label=<label>")', collect)
    .option('-f, --force', 'Do not prompt for confirmation');
  return cmd.action(async (f: { all?: boolean; filter?: string[]; force?: boolean }) => {
    checkArgs(cmd, cmd.args, 0, 0);
    const filters = parseFilterFlags(f.filter);
    if (f.all) {
      if (filters.all) throw new UsageError('conflicting options: cannot specify both --all and --filter all=1', 'args');
      filters.all = ['true'];
    }
    if (!f.force && !(await confirm(ctx, f.all ? ALL_WARNING : ANONYMOUS_WARNING))) return;
    ctx.out(formatVolumePruneReport(await ctx.client.volumes.prune({ filters })));
  });
}
