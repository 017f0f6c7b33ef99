/** `berth export`: a container's filesystem as a tar archive, to a file or stdout (never a terminal). */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ArchiveApi } from '../../../client';
import { ExitStatus } from '../../errors';

export function exportCommand(ctx: CliContext): Command {
  const cmd = newCommand('export', '[OPTIONS] CONTAINER', "Export a container's filesystem as a tar archive")
    .option('-o, --output <string>', 'Write to a file, instead of STDOUT')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: { output?: string }) => {
    checkArgs(cmd, args, 1, 1);
    if (!f.output && ctx.io.stdout.isTTY) {
      throw new ExitStatus(1, 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
    }
    const body = await new ArchiveApi(ctx.client.transport).export(args[0]);
    if (f.output) {
      const tmp = `${f.output}.berth-tmp-${process.pid}`;
      await pipeline(body, fs.createWriteStream(tmp));
      fs.renameSync(tmp, f.output);
    } else {
      await pipeline(body, ctx.io.stdout, { end: false });
    }
  });
}
