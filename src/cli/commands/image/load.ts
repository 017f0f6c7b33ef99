/** `berth load`: load images from a tar archive (file or stdin). */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';

export function loadCommand(ctx: CliContext): Command {
  const cmd = newCommand('load', '[OPTIONS]', 'Load an image from a tar archive or STDIN')
    .option('-i, --input <string>', 'Read from tar archive file, instead of STDIN')
    .option('-q, --quiet', 'Suppress the load output')
    .option('--platform <string>', 'Load only the given platform variant');
  return cmd.action(async (f: { input?: string; quiet?: boolean }) => {
    checkArgs(cmd, cmd.args, 0, 0);
    let input: Readable;
    if (f.input) input = await openFile(f.input);
    else {
      if (ctx.io.stdin.isTTY) throw new ExitStatus(1, 'requested load from stdin, but stdin is empty');
      input = ctx.io.stdin;
    }
    // Like docker: progress is only wanted on a terminal, so ask for quiet JSON otherwise.
    const quiet = f.quiet || !ctx.io.stdout.isTTY;
    await ctx.client.images.load(input, { quiet }, (m) => {
      if (m.stream) ctx.out(m.stream);
      else if (m.status && !f.quiet) ctx.out(`${m.id ? `${m.id}: ` : ''}${m.status}\n`);
    });
  });
}

export function openFile(file: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const s = fs.createReadStream(file, { highWaterMark: 1 << 20 }); // 64 KiB reads cost more than the upload
    s.once('open', () => resolve(s));
    s.once('error', (e: NodeJS.ErrnoException) => reject(new ExitStatus(1, `open ${file}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`)));
  });
}
