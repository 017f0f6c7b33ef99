/** `berth images` / `berth image ls`: list images. */
import type { Command } from 'commander';
import { PROG, checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { renderRows } from '../../formatters/format';
import { IMAGES_HEADERS, imageContext, imageFormat, imageRows } from '../../formatters/image-context';
import { parseFilterFlags } from '../container/ps';

interface ImagesFlags { all?: boolean; quiet?: boolean; trunc?: boolean; digests?: boolean; filter?: string[]; format?: string }

// docker's printAmbiguousHint: `images ls` lists images named "ls"; an empty answer gets a hint
const IMAGE_VERBS = new Set(['build', 'history', 'import', 'inspect', 'list', 'load', 'ls', 'prune', 'pull', 'push', 'rm', 'save', 'tag']);

export function imagesCommand(ctx: CliContext, name = 'images'): Command {
  const cmd = newCommand(name, '[OPTIONS] [REPOSITORY[:TAG]]', 'List images')
    .option('-a, --all', 'Show all images (default hides intermediate images)')
    .option('--digests', 'Show digests')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Format output using a custom template')
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only show image IDs')
    .argument('[repository...]');
  return cmd.action(async (args: string[], f: ImagesFlags) => {
    checkArgs(cmd, args, 0, 1);
    const filters = parseFilterFlags(f.filter);
    if (args[0]) (filters.reference ??= []).push(args[0]);
    const images = await ctx.client.images.list({ all: f.all, filters });
    const format = imageFormat(f.format || 'table', !!f.quiet, !!f.digests);
    const rows = imageRows(images, { digest: f.digests, needDigest: f.digests || format.includes('{{.Digest}}') });
    ctx.out(renderRows(format, rows, { headers: IMAGES_HEADERS, toContext: (r) => imageContext(r, { trunc: f.trunc !== false }) }));
    if (args[0] && !images.length && name === 'images' && IMAGE_VERBS.has(args[0])) {
      ctx.err(`\nNo images found matching "${args[0]}": did you mean "${PROG} image ${args[0]}"?\n`);
    }
  });
}
