/** `berth run`: create, attach, wait, start, stream, exit with the container's status. */
import type { Command } from 'commander';
import { isNotModified } from '../../../errdefs';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus, describeError } from '../../errors';
import { openAttachSession } from './attach-session';
import { createContainer } from './create-container';
import { addCreateFlags, buildCreateRequest, type CreateFlags } from './create-flags';

export interface RunFlags extends CreateFlags { detach?: boolean; sigProxy?: boolean; detachKeys?: string }

export function runCommand(ctx: CliContext): Command {
  const cmd = newCommand('run', '[OPTIONS] IMAGE [COMMAND] [ARG...]', 'Create and run a new container from an image')
    .option('-d, --detach', 'Run container in background and print container ID')
    .option('--sig-proxy', 'Proxy received signals to the process (default true)')
    .option('--no-sig-proxy', 'Do not proxy received signals')
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .argument('[args...]')
    .passThroughOptions();
  addCreateFlags(cmd);
  return cmd.action(async (args: string[], flags: RunFlags) => {
    checkArgs(cmd, args, 1);
    ctx.exitCode = await run(ctx, flags, args);
  });
}

/** docker's mapping of a start failure to 125, 126 (cannot execute) or 127 (not found). */
export function startFailureStatus(message: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(message)) return 127;
  if (/permission denied|is a directory/.test(message)) return 126;
  return 125;
}

function runError(err: unknown, status = 125): ExitStatus {
  const text = describeError(err).replace(/\.$/, '');
  return new ExitStatus(status, `berth: ${text}\n\nRun 'berth run --help' for more information`);
}

export async function run(ctx: CliContext, flags: RunFlags, args: string[]): Promise<number> {
  const [image, ...cmdArgs] = args;
  const req = buildCreateRequest(flags, image, cmdArgs, { env: ctx.env, entrypointGiven: flags.entrypoint !== undefined, detach: flags.detach });
  const cfg = req.body;
  if (!flags.detach && cfg.AttachStdin && cfg.Tty && !ctx.io.stdin.isTTY) throw new ExitStatus(1, 'the input device is not a TTY');

  let id: string;
  try { id = (await createContainer(ctx, req)).Id; } catch (err) { throw runError(err); }
  const c = ctx.client.containers;

  if (flags.detach) {
    try { await c.start(id); } catch (err) { if (!isNotModified(err)) throw runError(err, startFailureStatus(describeError(err))); }
    ctx.out(`${id}\n`);
    return 0;
  }

  const attached = cfg.AttachStdin || cfg.AttachStdout || cfg.AttachStderr;
  const session = attached ? await openAttachSession(ctx.client, ctx.io, {
    id, tty: !!cfg.Tty, stdin: !!cfg.AttachStdin, stdout: !!cfg.AttachStdout, stderr: !!cfg.AttachStderr,
    detachKeys: flags.detachKeys, sigProxy: flags.sigProxy !== false,
  }).catch((err) => { throw runError(err); }) : undefined;

  const wait = await c.waitStarted(id, cfg.HostConfig.AutoRemove ? 'removed' : 'next-exit').catch((err) => { session?.close(); throw runError(err); });
  try {
    await c.start(id);
  } catch (err) {
    session?.close();
    wait.result.catch(() => undefined);
    throw runError(err, startFailureStatus(describeError(err)));
  }
  session?.startResizing();
  if (session && await session.done) return 0; // detached: the container keeps running
  const status = await wait.result;
  if (status.Error?.Message) throw runError(new Error(status.Error.Message));
  return status.StatusCode;
}
