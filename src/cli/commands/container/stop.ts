/** `berth stop`, `berth restart` and `berth kill`: one call per container, names echoed. */
import type { Command } from 'commander';
import { isNotModified } from '../../../errdefs';
import { checkArgs, intArg, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, forEachArg } from '../../errors';

interface StopFlags { time?: number; timeout?: number; signal?: string }

function stopLike(ctx: CliContext, name: 'stop' | 'restart', description: string, call: (id: string, f: StopFlags) => Promise<void>): Command {
  const cmd = newCommand(name, '[OPTIONS] CONTAINER [CONTAINER...]', description)
    .option('-s, --signal <string>', 'Signal to send to the container')
    .option('-t, --timeout <int>', 'Seconds to wait before killing the container', intArg('-t, --timeout'))
    .option('--time <int>', 'Seconds to wait before killing the container (deprecated: use --timeout)', intArg('--time'))
    .argument('[containers...]');
  return cmd.action(async (args: string[], f: StopFlags) => {
    checkArgs(cmd, args, 1);
    const failures = await forEachArg(args, (s) => ctx.err(s), async (id) => {
      try { await call(id, f); } catch (err) { if (!isNotModified(err)) throw err; }
      ctx.out(`${id}\n`);
    });
    if (failures.length) throw new ExitStatus(1);
  });
}

export function stopCommand(ctx: CliContext): Command {
  return stopLike(ctx, 'stop', 'Stop one or more running containers',
    (id, f) => ctx.client.containers.stop(id, { timeout: f.timeout ?? f.time, signal: f.signal }));
}

export function restartCommand(ctx: CliContext): Command {
  return stopLike(ctx, 'restart', 'Restart one or more containers',
    (id, f) => ctx.client.containers.restart(id, { timeout: f.timeout ?? f.time, signal: f.signal }));
}

export function killCommand(ctx: CliContext): Command {
  const cmd = newCommand('kill', '[OPTIONS] CONTAINER [CONTAINER...]', 'Kill one or more running containers')
    .option('-s, --signal <string>', 'Signal to send to the container')
    .argument('[containers...]');
  return cmd.action(async (args: string[], f: { signal?: string }) => {
    checkArgs(cmd, args, 1);
    const failures = await forEachArg(args, (s) => ctx.err(s), async (id) => {
      await ctx.client.containers.kill(id, { signal: f.signal });
      ctx.out(`${id}\n`);
    });
    if (failures.length) throw new ExitStatus(1);
  });
}
