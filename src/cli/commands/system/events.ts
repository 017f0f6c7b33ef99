/** `berth events`: the daemon's events, one line each, as the docker CLI prints them. */
import type { Command } from 'commander';
import { collect, newCommand, UsageError } from '../../command-kit';
import type { CliContext } from '../../context';
import { encodeFilters } from '../../../client';
import { GoTemplate } from '../../formatters/go-template';
import { goJson } from '../../formatters/go-values';
import { unescapeFormat } from '../../formatters/format';
import { parseFilterFlags } from '../container/ps';

export interface EventMessage {
  Type: string; Action: string; Actor: { ID: string; Attributes?: Record<string, string> };
  scope?: string; time: number; timeNano: number; status?: string; id?: string; from?: string;
}

/** RFC 3339 with nanoseconds, fixed width, in UTC: `2026-11-22T16:00:00.000000000Z`. */
export function eventTime(timeNano: number): string {
  const ns = BigInt(Math.round(timeNano));
  const secs = ns / 1_000_000_000n;
  const frac = String(ns % 1_000_000_000n).padStart(9, '0');
  return `${new Date(Number(secs) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
}

/** docker's default line: time, type, action, actor ID, then the attributes sorted by key. */
export function formatEvent(e: EventMessage): string {
  const attrs = Object.entries(e.Actor.Attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const tail = attrs.length ? ` (${attrs.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
  return `${eventTime(e.timeNano || e.time * 1e9)} ${e.Type} ${e.Action} ${e.Actor.ID}${tail}`;
}

const DURATION_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/**
 * docker's timetypes.GetTimestamp: a Go duration (`10m`, `1h30m`) means that long before now,
 * unix seconds pass through, a date or RFC 3339 time becomes unix seconds.
 */
export function toTimestamp(v: string, now = Date.now()): string {
  if (/^\d+(\.\d+)?$/.test(v)) return v;
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v)) {
    let ms = 0;
    for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * DURATION_MS[m[2]];
    return ((now - ms) / 1000).toFixed(9);
  }
  const t = Date.parse(/^\d{4}-\d\d-\d\d$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) throw new UsageError(`failed to parse value as time or duration: "${v}"`);
  return (t / 1000).toFixed(9);
}

/** The message as the docker CLI marshals it: legacy fields first (omitted when empty). */
export function eventJson(e: EventMessage): Record<string, unknown> {
  const { status, id, from, Type, Action, Actor, scope, time, timeNano } = e;
  return { ...(status ? { status } : {}), ...(id ? { id } : {}), ...(from ? { from } : {}), Type, Action, Actor, scope, time, timeNano };
}

interface EventsFlags { since?: string; until?: string; filter?: string[]; format?: string }

export function eventsCommand(ctx: CliContext): Command {
  const cmd = newCommand('events', '[OPTIONS]', 'Get real time events from the server')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Format output using a custom template')
    .option('--since <string>', 'Show all events created since timestamp')
    .option('--until <string>', 'Stream events until this timestamp');
  return cmd.action(async (f: EventsFlags) => {
    if (cmd.args.length) throw new UsageError(`"${cmd.name()}" accepts no arguments.`, 'args');
    const tpl = f.format && f.format !== 'json' ? new GoTemplate(unescapeFormat(f.format)) : undefined;
    const print = (e: EventMessage) => {
      if (f.format === 'json') ctx.out(`${goJson(eventJson(e))}\n`);
      else ctx.out(`${tpl ? tpl.execute(e as unknown as Record<string, unknown>) : formatEvent(e)}\n`);
    };
    await ctx.client.transport.jsonLines<EventMessage>('GET', '/events', {
      query: {
        since: f.since ? toTimestamp(f.since) : undefined, until: f.until ? toTimestamp(f.until) : undefined,
        filters: encodeFilters(parseFilterFlags(f.filter)),
      },
    }, print);
  });
}
