/** `berth import`: make an image from a rootfs tarball (file, URL, or `-` for stdin). */
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { openFile } from './load';
import { splitRepoTag } from './tag';

export function importCommand(ctx: CliContext): Command {
  const cmd = newCommand('import', '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]', 'Import the contents from a tarball to create a filesystem image')
    .option('-c, --change <list>', 'Apply Dockerfile instruction to the created image', collect)
    .option('-m, --message <string>', 'Set commit message for imported image')
    .option('--platform <string>', 'Set platform if server is multi-platform capable')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: { change?: string[]; message?: string }) => {
    checkArgs(cmd, args, 1, 2);
    const [source, ref] = args;
    // docker: an http(s) URL is fetched by the daemon; anything else but `-` is a local file
    const input: Readable | string = source === '-' ? ctx.io.stdin : /^https?:\/\//.test(source) ? source : await openFile(source);
    const target = ref ? splitRepoTag(ref) : undefined;
    await ctx.client.images.import(input, { repo: target?.repo, tag: ref ? target?.tag : undefined, message: f.message, changes: f.change }, (m) => {
      if (m.status) ctx.out(`${m.status}\n`);
      else if (m.stream) ctx.out(m.stream);
    });
  });
}
