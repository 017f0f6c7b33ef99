/** `berth start`: start containers; with -a, attach and exit with the container's status. */
import type { Command } from 'commander';
import { isNotModified } from '../../../errdefs';
import { UsageError, checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, describeError } from '../../errors';
import { openAttachSession } from './attach-session';

interface StartFlags { attach?: boolean; interactive?: boolean; detachKeys?: string }

export function startCommand(ctx: CliContext): Command {
  const cmd = newCommand('start', '[OPTIONS] CONTAINER [CONTAINER...]', 'Start one or more stopped containers')
    .option('-a, --attach', 'Attach STDOUT/STDERR and forward signals')
    .option('-i, --interactive', "Attach container's STDIN")
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .argument('[containers...]');
  return cmd.action(async (args: string[], f: StartFlags) => {
    checkArgs(cmd, args, 1);
    if (f.attach || f.interactive) {
      if (args.length > 1) throw new UsageError('you cannot start and attach multiple containers at once');
      ctx.exitCode = await startAttached(ctx, args[0], f);
      return;
    }
    const failed: string[] = [];
    for (const name of args) {
      try {
        await ctx.client.containers.start(name);
        ctx.out(`${name}\n`);
      } catch (err) {
        if (isNotModified(err)) { ctx.out(`${name}\n`); continue; }
        ctx.err(`${describeError(err)}\n`);
        failed.push(name);
      }
    }
    if (failed.length) throw new ExitStatus(1, `Error: failed to start containers: ${failed.join(', ')}`);
  });
}

async function startAttached(ctx: CliContext, name: string, f: StartFlags): Promise<number> {
  const c = ctx.client.containers;
  const info = await c.inspect(name);
  const tty = !!info.Config.Tty;
  const session = await openAttachSession(ctx.client, ctx.io, {
    id: info.Id, tty, stdin: !!f.interactive && !!info.Config.OpenStdin, stdout: true, stderr: true,
    detachKeys: f.detachKeys, sigProxy: true,
  });
  const autoRemove = (info.HostConfig as { AutoRemove?: boolean } | undefined)?.AutoRemove;
  const wait = await c.waitStarted(info.Id, autoRemove ? 'removed' : 'next-exit');
  try {
    await c.start(info.Id);
  } catch (err) {
    session.close();
    wait.result.catch(() => undefined);
    if (!isNotModified(err)) throw err;
  }
  session.startResizing();
  if (await session.done) return 0;
  return (await wait.result).StatusCode;
}
