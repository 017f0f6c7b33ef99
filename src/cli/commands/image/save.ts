/** `berth save`: write images as a tar archive to a file or stdout (never a terminal). */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { writeTar } from '../../formatters/tar-output';

export function saveCommand(ctx: CliContext): Command {
  const cmd = newCommand('save', '[OPTIONS] IMAGE [IMAGE...]', 'Save one or more images to a tar archive (streamed to STDOUT by default)')
    .option('-o, --output <string>', 'Write to a file, instead of STDOUT')
    .option('--platform <string>', 'Save only the given platform variant')
    .argument('[images...]');
  return cmd.action(async (args: string[], f: { output?: string }) => {
    checkArgs(cmd, args, 1);
    await writeTar(ctx, () => ctx.client.images.save(args), f.output,
      'failed to save image: cowardly refusing to save to a terminal. Use the -o flag or redirect');
  });
}
