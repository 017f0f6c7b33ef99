/** `compose exec` and `compose run`: a command in a service's container, or in a one-off container of it. */
import type { Command } from 'commander';
import { createOneoff, serviceContainer } from '../../../compose';
import { checkArgs, collect, intArg, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { openAttachSession, runAttachedExec } from '../container/attach-session';
import { project, runtime } from './project-context';

export function execCommand(ctx: CliContext): Command {
  const cmd = newCommand('exec', '[OPTIONS] SERVICE COMMAND [ARGS...]', 'Execute a command in a running container')
    .option('-d, --detach', 'Detached mode: Run command in the background')
    .option('-e, --env <list>', 'Set environment variables', collect)
    .option('--index <int>', 'Index of the container if service has multiple replicas', intArg('--index'), 1)
    .option('-T, --no-tty', 'Disable pseudo-TTY allocation')
    .option('-u, --user <string>', 'Run the command as this user')
    .option('-w, --workdir <string>', 'Path to workdir directory for this command')
    .argument('[args...]')
    .passThroughOptions();
  return cmd.action(async (args: string[], f: { detach?: boolean; env?: string[]; index: number; tty?: boolean; user?: string; workdir?: string }) => {
    checkArgs(cmd, args, 2);
    const [service, ...command] = args;
    const c = await serviceContainer(runtime(ctx), project(ctx, cmd), service, f.index);
    const tty = f.tty !== false && !!ctx.io.stdin.isTTY;
    const { Id } = await ctx.client.exec.create(c.id, {
      AttachStdin: !f.detach, AttachStdout: !f.detach, AttachStderr: !f.detach, Tty: tty, Cmd: command, Env: f.env, User: f.user, WorkingDir: f.workdir,
    });
    if (f.detach) return ctx.client.exec.startDetached(Id, tty);
    ctx.exitCode = (await runAttachedExec(ctx.client, ctx.io, Id, { tty, stdin: true })).exitCode;
  });
}

export function runCommand(ctx: CliContext): Command {
  const cmd = newCommand('run', '[OPTIONS] SERVICE [COMMAND] [ARGS...]', 'Run a one-off command on a service')
    .option('-d, --detach', 'Run container in background and print container ID')
    .option('--rm', 'Automatically remove the container when it exits')
    .option('-e, --env <list>', 'Set environment variables', collect)
    .option('--entrypoint <string>', 'Override the entrypoint of the image')
    .option('--name <string>', 'Assign a name to the container')
    .option('--no-deps', "Don't start linked services")
    .option('-T, --no-tty', 'Disable pseudo-TTY allocation')
    .option('-u, --user <string>', 'Run as specified username or uid')
    .option('-w, --workdir <string>', 'Working directory inside the container')
    .argument('[args...]')
    .passThroughOptions();
  return cmd.action(async (args: string[], f: { detach?: boolean; rm?: boolean; env?: string[]; entrypoint?: string; name?: string; deps?: boolean; tty?: boolean; user?: string; workdir?: string }) => {
    checkArgs(cmd, args, 1);
    const [service, ...command] = args;
    const tty = f.tty !== false && !!ctx.io.stdin.isTTY;
    const p = project(ctx, cmd);
    const { id } = await createOneoff(runtime(ctx), p, service, {
      command, env: f.env, entrypoint: f.entrypoint === undefined ? undefined : [f.entrypoint], noDeps: f.deps === false, name: f.name, tty, user: f.user, workdir: f.workdir,
    });
    const c = ctx.client.containers;
    if (f.detach) { await c.start(id); ctx.out(`${id}\n`); return; }
    const session = await openAttachSession(ctx.client, ctx.io, { id, tty, stdin: true, stdout: true, stderr: true });
    const wait = await c.waitStarted(id, 'next-exit');
    try {
      await c.start(id);
      session.startResizing();
      await session.done;
      ctx.exitCode = (await wait.result).StatusCode;
    } finally {
      if (f.rm) await c.remove(id, { force: true });
    }
  });
}
