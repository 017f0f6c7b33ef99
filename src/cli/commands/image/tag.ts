/** `berth tag SOURCE TARGET`. */
import type { Command } from 'commander';
import { InvalidArgument } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';

const REF_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?$/;

/** Splits `repo[:tag]` (a registry port is not a tag); the tag defaults to `latest`. */
export function splitRepoTag(ref: string): { repo: string; tag: string } {
  const hostLike = /^[^/]*[.:][^/]*\//.test(ref) || ref.startsWith('localhost/');
  const check = hostLike ? ref.replace(/^[^/]+\//, 'x/') : ref;
  if (!REF_RE.test(check)) throw new InvalidArgument(`Error parsing reference: "${ref}" is not a valid repository/tag: invalid reference format`);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref, tag: 'latest' };
}

export function tagCommand(ctx: CliContext): Command {
  const cmd = newCommand('tag', 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE')
    .argument('[images...]');
  return cmd.action(async (args: string[]) => {
    checkArgs(cmd, args, 2, 2);
    await ctx.client.images.tag(args[0], splitRepoTag(args[1]));
  });
}
