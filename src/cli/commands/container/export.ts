/** `berth export`: a container's filesystem as a tar archive, to a file or stdout (never a terminal). */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ArchiveApi } from '../../../client';
import { writeTar } from '../../formatters/tar-output';

export function exportCommand(ctx: CliContext): Command {
  const cmd = newCommand('export', '[OPTIONS] CONTAINER', "Export a container's filesystem as a tar archive")
    .option('-o, --output <string>', 'Write to a file, instead of STDOUT')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: { output?: string }) => {
    checkArgs(cmd, args, 1, 1);
    await writeTar(ctx, () => new ArchiveApi(ctx.client.transport).export(args[0]), f.output,
      'cowardly refusing to save to a terminal. Use the -o flag or redirect');
  });
}
