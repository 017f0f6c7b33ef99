/** `berth save`: write images as a tar archive to a file or stdout (never a terminal). */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';

export function saveCommand(ctx: CliContext): Command {
  const cmd = newCommand('save', '[OPTIONS] IMAGE [IMAGE...]', 'Save one or more images to a tar archive (streamed to STDOUT by default)')
    .option('-o, --output <string>', 'Write to a file, instead of STDOUT')
    .option('--platform <string>', 'Save only the given platform variant')
    .argument('[images...]');
  return cmd.action(async (args: string[], f: { output?: string }) => {
    checkArgs(cmd, args, 1);
    if (!f.output && ctx.io.stdout.isTTY) {
      throw new ExitStatus(1, 'failed to save image: cowardly refusing to save to a terminal. Use the -o flag or redirect');
    }
    const body = await ctx.client.images.save(args);
    if (f.output) {
      const tmp = `${f.output}.berth-tmp-${process.pid}`;
      await pipeline(body, fs.createWriteStream(tmp));
      fs.renameSync(tmp, f.output);
    } else {
      await pipeline(body, ctx.io.stdout, { end: false });
    }
  });
}
