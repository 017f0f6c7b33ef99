/** `berth system df`: disk usage of images, containers, volumes and the build cache. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';
import { renderDiskUsage, renderDiskUsageVerbose } from '../../formatters/disk-usage-context';

export function dfCommand(ctx: CliContext): Command {
  const cmd = newCommand('df', '[OPTIONS]', 'Show docker disk usage')
    .option('--format <string>', 'Format output using a custom template')
    .option('-v, --verbose', 'Show detailed information on space usage');
  return cmd.action(async (f: { format?: string; verbose?: boolean }) => {
    checkArgs(cmd, cmd.args, 0, 0);
    if (f.verbose && f.format) throw new ExitStatus(1, 'the verbose and the format options conflict');
    const du = await ctx.client.system.df();
    ctx.out(f.verbose ? renderDiskUsageVerbose(du) : renderDiskUsage(du, f.format || 'table'));
  });
}
