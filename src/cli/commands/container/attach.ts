/** `berth attach`: attach the terminal to a running container. */
import type { Command } from 'commander';
import { FailedPrecondition } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';
import { openAttachSession } from './attach-session';

interface AttachFlags { stdin?: boolean; sigProxy?: boolean; detachKeys?: string }

export function attachCommand(ctx: CliContext): Command {
  const cmd = newCommand('attach', '[OPTIONS] CONTAINER', 'Attach local standard input, output, and error streams to a running container')
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .option('--no-stdin', 'Do not attach STDIN')
    .option('--sig-proxy', 'Proxy all received signals to the process (default true)')
    .option('--no-sig-proxy', 'Do not proxy signals')
    .argument('[container...]');
  return cmd.action(async (args: string[], f: AttachFlags) => {
    checkArgs(cmd, args, 1, 1);
    const c = ctx.client.containers;
    const info = await c.inspect(args[0]);
    if (!info.State.Running) throw new FailedPrecondition('You cannot attach to a stopped container, start it first');
    // Registered before the stream, as docker does: the exit status is known once it ends.
    const wait = await c.waitStarted(info.Id, 'not-running');
    wait.result.catch(() => undefined);
    const session = await openAttachSession(ctx.client, ctx.io, {
      id: info.Id, tty: !!info.Config.Tty, stdin: f.stdin !== false && !!info.Config.OpenStdin, stdout: true, stderr: true,
      detachKeys: f.detachKeys, sigProxy: f.sigProxy !== false,
    });
    session.startResizing();
    // docker's attach reports a detach as the error its escape proxy returns.
    if (await session.done) throw new ExitStatus(1, 'read escape sequence');
    ctx.exitCode = (await wait.result).StatusCode;
  });
}
