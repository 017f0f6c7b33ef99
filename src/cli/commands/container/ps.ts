/** `berth ps`: list containers. */
import type { Command } from 'commander';
import { UsageError, collect, intArg, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { PS_DEFAULT_FORMAT, PS_HEADERS, containerContext } from '../../formatters/container-context';
import { renderRows } from '../../formatters/format';

interface PsFlags { all?: boolean; quiet?: boolean; last: number; latest?: boolean; trunc?: boolean; filter?: string[]; format?: string; size?: boolean }

/** `-f key=value` flags as a filters map. */
export function parseFilterFlags(specs: string[] = []): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of specs) {
    const i = s.indexOf('=');
    if (i < 0) throw new UsageError(`invalid argument "${s}" for "-f, --filter" flag: bad format of filter (expected name=value)`);
    (out[s.slice(0, i).trim().toLowerCase()] ??= []).push(s.slice(i + 1));
  }
  return out;
}

export function psCommand(ctx: CliContext, name = 'ps'): Command {
  const cmd = newCommand(name, '[OPTIONS]', 'List containers')
    .option('-a, --all', 'Show all containers (default shows just running)')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Format output using a custom template')
    .option('-n, --last <int>', 'Show n last created containers (includes all states)', intArg('-n, --last'), -1)
    .option('-l, --latest', 'Show the latest created container (includes all states)')
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only display container IDs')
    .option('-s, --size', 'Display total file sizes');
  return cmd.action(async (f: PsFlags) => {
    if (cmd.args.length) throw new UsageError(`"${cmd.name()}" accepts no arguments.`, 'args');
    const last = f.latest && f.last === -1 ? 1 : f.last;
    let format = f.format || PS_DEFAULT_FORMAT;
    if (f.quiet && !f.format) format = '{{.ID}}';
    const size = f.size || /\.Size/.test(format);
    if (f.size && !f.format && !f.quiet) format += '\t{{.Size}}';
    const list = await ctx.client.containers.list({ all: f.all, limit: last > 0 ? last : undefined, size, filters: parseFilterFlags(f.filter) });
    const trunc = f.trunc !== false;
    ctx.out(renderRows(format, list, { headers: PS_HEADERS, toContext: (c) => containerContext(c, { trunc }) }));
  });
}
