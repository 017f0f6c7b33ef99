/** `berth push [-a] [-q] NAME[:TAG]`. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';
import { registryAuthHeader } from '../../credentials';
import { progressDisplay } from './progress-display';
import { splitRemoteRef } from './remote-ref';

export function pushCommand(ctx: CliContext): Command {
  const cmd = newCommand('push', '[OPTIONS] NAME[:TAG]', 'Push an image or a repository to a registry')
    .option('-a, --all-tags', 'Push all tagged images in the repository')
    .option('--disable-content-trust', 'Skip image signing', true)
    .option('-q, --quiet', 'Suppress verbose output')
    .argument('[name]');
  return cmd.action(async (_n: string, f: { allTags?: boolean; quiet?: boolean }) => {
    checkArgs(cmd, cmd.args, 1, 1);
    const given = cmd.args[0];
    const ref = splitRemoteRef(given);
    if (ref.digest) throw new ExitStatus(1, `invalid reference format: push takes a tag, not a digest (${given})`);
    if (f.allTags && ref.tag) throw new ExitStatus(1, 'tag can\'t be used with --all-tags/-a');
    if (!f.allTags && !ref.tag) {
      ref.tag = 'latest';
      if (!f.quiet) ctx.out('Using default tag: latest\n');
    }
    const show = progressDisplay((s) => ctx.out(s), Boolean(ctx.io.stdout.isTTY));
    const registryAuth = await registryAuthHeader(ref.name);
    await ctx.client.images.push(ref.name, { tag: ref.tag, registryAuth }, (m) => { if (!f.quiet) show(m); });
    if (f.quiet) ctx.out(`${ref.name}${ref.tag ? `:${ref.tag}` : ''}\n`);
  });
}
