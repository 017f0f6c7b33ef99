/** `berth logs`: fetch a container's logs, demultiplexed unless it has a TTY. */
import type { Command } from 'commander';
import { copyStream } from '../../../client';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';

interface LogsFlags { follow?: boolean; timestamps?: boolean; tail?: string; since?: string; until?: string; details?: boolean }

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * docker's GetTimestamp: a Go duration ("10m", "1h30m") is that long before now; an
 * RFC 3339 date becomes Unix seconds; anything else (Unix seconds) is sent as is.
 */
export function toTimestamp(value: string | undefined, now = Date.now()): string | undefined {
  if (!value) return undefined;
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    let ms = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
    return ((now - ms) / 1000).toFixed(9).replace(/\.?0+$/, '');
  }
  if (/^\d{4}-\d\d-\d\d/.test(value)) {
    const t = Date.parse(value.includes('T') || value.length === 10 ? value : value.replace(' ', 'T'));
    if (!Number.isNaN(t)) return String(t / 1000);
  }
  return value;
}

export function logsCommand(ctx: CliContext): Command {
  const cmd = newCommand('logs', '[OPTIONS] CONTAINER', 'Fetch the logs of a container')
    .option('--details', 'Show extra details provided to logs')
    .option('-f, --follow', 'Follow log output')
    .option('--since <string>', 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)')
    .option('-n, --tail <string>', 'Number of lines to show from the end of the logs', 'all')
    .option('-t, --timestamps', 'Show timestamps')
    .option('--until <string>', 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)')
    .argument('[container...]');
  return cmd.action(async (args: string[], f: LogsFlags) => {
    checkArgs(cmd, args, 1, 1);
    const info = await ctx.client.containers.inspect(args[0]);
    const body = await ctx.client.containers.logs(info.Id, {
      follow: f.follow, timestamps: f.timestamps, tail: f.tail, details: f.details,
      since: toTimestamp(f.since), until: toTimestamp(f.until),
    });
    await copyStream(body, { stdout: ctx.io.stdout, stderr: ctx.io.stderr }, { tty: !!info.Config.Tty });
  });
}
