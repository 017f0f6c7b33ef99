/** `berth images` / `berth image ls`: list images. */
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { renderRows } from '../../formatters/format';
import { IMAGES_DEFAULT_FORMAT, IMAGES_DIGESTS_FORMAT, IMAGES_HEADERS, imageContext, imageRows } from '../../formatters/image-context';
import { parseFilterFlags } from '../container/ps';

interface ImagesFlags { all?: boolean; quiet?: boolean; trunc?: boolean; digests?: boolean; filter?: string[]; format?: string }

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
    const trunc = f.trunc !== false;
    let rows = imageRows(images);
    let format = f.format || (f.digests ? IMAGES_DIGESTS_FORMAT : IMAGES_DEFAULT_FORMAT);
    if (f.quiet) {
      format = '{{.ID}}';
      const seen = new Set<string>();
      rows = rows.filter((r) => !seen.has(r.image.Id) && !!seen.add(r.image.Id));
    }
    ctx.out(renderRows(format, rows, { headers: IMAGES_HEADERS, toContext: (r) => imageContext(r, { trunc }) }));
  });
}
