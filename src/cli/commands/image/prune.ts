/** `berth image prune`: remove dangling images (with -a every unused one), after a confirmation unless -f. */
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import type { ImagesPruneReport } from '../../../client';
import { humanSize4 } from '../../../lib/go-units';
import { confirm } from '../container/prune';
import { parseFilterFlags } from '../container/ps';

const DANGLING_WARNING = 'WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ';
const ALL_WARNING = 'WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ';

/** docker's report: `untagged:`/`deleted:` lines (then a blank line), and the total. */
export function formatImagePruneReport(r: ImagesPruneReport): string {
  const items = r.ImagesDeleted ?? [];
  if (!items.length) return 'Total reclaimed space: 0B\n';
  const lines = items.map((it) => (it.Untagged ? `untagged: ${it.Untagged}\n` : `deleted: ${it.Deleted}\n`)).join('');
  return `Deleted Images:\n${lines}\nTotal reclaimed space: ${humanSize4(r.SpaceReclaimed)}\n`;
}

export function imagePruneCommand(ctx: CliContext): Command {
  const cmd = newCommand('prune', '[OPTIONS]', 'Remove unused images')
    .option('-a, --all', 'Remove all unused images, not just dangling ones')
    .option('--filter <filter>', 'Provide filter values (e.g. "until=<timestamp>")', collect)
    .option('-f, --force', 'Do not prompt for confirmation');
  return cmd.action(async (f: { all?: boolean; filter?: string[]; force?: boolean }) => {
    checkArgs(cmd, cmd.args, 0, 0);
    if (!f.force && !(await confirm(ctx, f.all ? ALL_WARNING : DANGLING_WARNING))) return;
    const filters = parseFilterFlags(f.filter);
    (filters.dangling ??= []).push(String(!f.all));
    ctx.out(formatImagePruneReport(await ctx.client.images.prune(filters)));
  });
}
