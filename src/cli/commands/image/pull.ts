/** `berth pull [-a] [-q] [--platform] NAME[:TAG|@DIGEST]`. */
import type { Command } from 'commander';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { InvalidArgument } from '../../../errdefs';
import { parseReference, formatFull } from '../../../core/images';
import { progressDisplay } from './progress-display';

export function pullCommand(ctx: CliContext): Command {
  const cmd = newCommand('pull', '[OPTIONS] NAME[:TAG|@DIGEST]', 'Pull an image or a repository from a registry')
    .option('-a, --all-tags', 'Download all tagged images in the repository')
    .option('--disable-content-trust', 'Skip image verification', true)
    .option('--platform <string>', 'Set platform if server is multi-platform capable')
    .option('-q, --quiet', 'Suppress verbose output')
    .argument('[name]');
  return cmd.action(async (_n: string, f: { allTags?: boolean; platform?: string; quiet?: boolean }) => {
    checkArgs(cmd, cmd.args, 1, 1);
    const given = cmd.args[0];
    const ref = parseReference(given);
    if (f.allTags && (ref.tag || ref.digest)) throw new InvalidArgument('tag can\'t be used with --all-tags/-a');
    if (!f.allTags && !ref.tag && !ref.digest) {
      ref.tag = 'latest';
      if (!f.quiet) ctx.out('Using default tag: latest\n');
    }
    const at = given.indexOf('@');
    const name = at >= 0 ? given.slice(0, at) : ref.tag && given.endsWith(`:${ref.tag}`) ? given.slice(0, -ref.tag.length - 1) : given;
    const show = progressDisplay((s) => ctx.out(s), Boolean(ctx.io.stdout.isTTY));
    await ctx.client.images.pull({ fromImage: name, tag: ref.digest ?? ref.tag, platform: f.platform }, (m) => { if (!f.quiet) show(m); });
    ctx.out(`${formatFull(ref)}\n`);
  });
}
