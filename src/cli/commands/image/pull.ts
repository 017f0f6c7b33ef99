/** `berth pull [-a] [-q] [--platform] NAME[:TAG|@DIGEST]`. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';
import { registryAuthHeader } from '../../credentials';
import { progressDisplay } from './progress-display';
import { formatRemoteRef, splitRemoteRef } from './remote-ref';

export function pullCommand(ctx: CliContext): Command {
  const cmd = newCommand('pull', '[OPTIONS] NAME[:TAG|@DIGEST]', 'Pull an image or a repository from a registry')
    .option('-a, --all-tags', 'Download all tagged images in the repository')
    .option('--disable-content-trust', 'Skip image verification', true)
    .option('--platform <string>', 'Set platform if server is multi-platform capable')
    .option('-q, --quiet', 'Suppress verbose output')
    .argument('[name]');
  return cmd.action(async (_n: string, f: { allTags?: boolean; platform?: string; quiet?: boolean }) => {
    checkArgs(cmd, cmd.args, 1, 1);
    const ref = splitRemoteRef(cmd.args[0]);
    if (f.allTags && (ref.tag || ref.digest)) throw new ExitStatus(1, 'tag can\'t be used with --all-tags/-a');
    if (!f.allTags && !ref.tag && !ref.digest) {
      ref.tag = 'latest';
      if (!f.quiet) ctx.out('Using default tag: latest\n');
    }
    const show = progressDisplay((s) => ctx.out(s), Boolean(ctx.io.stdout.isTTY));
    const registryAuth = await registryAuthHeader(ref.name);
    await ctx.client.images.pull({ fromImage: ref.name, tag: ref.digest ?? ref.tag, platform: f.platform, registryAuth }, (m) => { if (!f.quiet) show(m); });
    ctx.out(`${formatRemoteRef(ref)}\n`);
  });
}
