/** `berth exec`: run a command in a running container; exits with the command's status. */
import type { Command } from 'commander';
import { checkArgs, collect, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';
import { runAttachedExec } from './attach-session';

interface ExecFlags {
  detach?: boolean; interactive?: boolean; tty?: boolean; env?: string[]; envFile?: string[];
  workdir?: string; user?: string; privileged?: boolean; detachKeys?: string;
}

export function execCommand(ctx: CliContext): Command {
  const cmd = newCommand('exec', '[OPTIONS] CONTAINER COMMAND [ARG...]', 'Execute a command in a running container')
    .option('-d, --detach', 'Detached mode: run command in the background')
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .option('-e, --env <list>', 'Set environment variables', collect)
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('--privileged', 'Give extended privileges to the command')
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('-u, --user <string>', 'Username or UID (format: "<name|uid>[:<group|gid>]")')
    .option('-w, --workdir <string>', 'Working directory inside the container')
    .argument('[args...]')
    .passThroughOptions();
  return cmd.action(async (args: string[], f: ExecFlags) => {
    checkArgs(cmd, args, 2);
    const [container, ...command] = args;
    const tty = !!f.tty;
    if (tty && f.interactive && !ctx.io.stdin.isTTY) throw new ExitStatus(1, 'the input device is not a TTY');
    const env = (f.env ?? []).map((e) => (e.includes('=') || process.env[e] === undefined ? e : `${e}=${process.env[e]}`));
    const { Id } = await ctx.client.exec.create(container, {
      AttachStdin: !!f.interactive && !f.detach, AttachStdout: !f.detach, AttachStderr: !f.detach, Tty: tty,
      Cmd: command, Env: env, User: f.user, WorkingDir: f.workdir, Privileged: !!f.privileged, DetachKeys: f.detachKeys,
    });
    if (f.detach) { await ctx.client.exec.startDetached(Id, tty); return; }
    const { detached, exitCode } = await runAttachedExec(ctx.client, ctx.io, Id, { tty, stdin: !!f.interactive, detachKeys: f.detachKeys });
    // As docker exec: a detach is reported as the escape proxy's error.
    if (detached) throw new ExitStatus(1, 'read escape sequence');
    ctx.exitCode = exitCode;
  });
}
