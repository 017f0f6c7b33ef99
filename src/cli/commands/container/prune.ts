/** `berth container prune`: remove all stopped containers, after a confirmation unless -f. */
import type { Command } from 'commander';
import { collect, newCommand, UsageError } from '../../command-kit';
import type { CliContext } from '../../context';
import { encodeFilters } from '../../../client';
import { humanSize } from '../../../lib/go-units';
import { parseFilterFlags } from './ps';

interface PruneReport { ContainersDeleted: string[] | null; SpaceReclaimed: number }

/** docker's report: the deleted IDs (then a blank line), and the total. */
export function formatPruneReport(r: PruneReport): string {
  const ids = r.ContainersDeleted ?? [];
  const head = ids.length ? `Deleted Containers:\n${ids.map((id) => `${id}\n`).join('')}\n` : '';
  return `${head}Total reclaimed space: ${humanSize(ids.length ? r.SpaceReclaimed : 0)}\n`;
}

/** Reads one answer line; only `y`/`Y` (any case of "yes") confirms, as docker's prompt. */
export async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  ctx.out(question);
  const stdin = ctx.io.stdin;
  const line = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (b: Buffer) => { buf += b.toString(); if (buf.includes('\n')) done(); };
    const done = () => { stdin.off('data', onData); stdin.off('end', done); stdin.pause(); resolve(buf.split('\n')[0]); };
    stdin.on('data', onData);
    stdin.on('end', done);
    stdin.resume();
  });
  return /^y(es)?$/i.test(line.trim());
}

export function pruneCommand(ctx: CliContext): Command {
  const cmd = newCommand('prune', '[OPTIONS]', 'Remove all stopped containers')
    .option('--filter <filter>', 'Provide filter values (e.g. "until=<timestamp>")', collect)
    .option('-f, --force', 'Do not prompt for confirmation');
  return cmd.action(async (f: { filter?: string[]; force?: boolean }) => {
    if (cmd.args.length) throw new UsageError(`"${cmd.name()}" accepts no arguments.`, 'args');
    if (!f.force && !(await confirm(ctx, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] '))) return;
    const r = await ctx.client.transport.json<PruneReport>('POST', '/containers/prune', { query: { filters: encodeFilters(parseFilterFlags(f.filter)) } });
    ctx.out(formatPruneReport(r));
  });
}
