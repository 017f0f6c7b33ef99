/** The `berth` entry point: parse, run one command, report errors, return the exit code. */
import { Command, CommanderError } from 'commander';
import { PROG, UsageError, fromCommanderError, usageErrorText } from './command-kit';
import { CliContext, type CliStreams } from './context';
import type { TlsFlags } from '../client';
import { ExitStatus, describeError, exitCodeOf } from './errors';
import { allCommands, buildProgram, normalizeBoolFlags } from './program';

export async function main(argv: string[], io: CliStreams, env: NodeJS.ProcessEnv): Promise<number> {
  let program: Command | undefined;
  const ctx = new CliContext(io, env, () => program?.opts().host as string | undefined, () => (program?.opts() ?? {}) as TlsFlags);
  program = buildProgram(ctx);
  let current: Command = program;
  for (const cmd of allCommands(program)) {
    cmd.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => undefined,
    });
    cmd.exitOverride((err) => { throw wrapCommanderError(cmd, err); });
    cmd.hook('preAction', (_self, action) => { current = action; });
  }
  try {
    if (argv.length === 0) { program.outputHelp(); return 0; }
    await program.parseAsync(normalizeBoolFlags(program, argv), { from: 'user' });
    return ctx.exitCode ?? 0;
  } catch (err) {
    return report(err, current, io);
  }
}

class CommandUsageError extends Error {
  constructor(readonly cmd: Command, readonly usage: UsageError) { super(usage.message); }
}

function wrapCommanderError(cmd: Command, err: CommanderError): Error {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return new ExitStatus(0);
  if (err.code === 'commander.unknownCommand') {
    const name = /'([^']+)'/.exec(err.message)?.[1] ?? '';
    return new ExitStatus(1, `${PROG}: unknown command: ${PROG} ${name}\n\nRun '${PROG} --help' for more information`);
  }
  const usage = fromCommanderError(cmd, err);
  return usage ? new CommandUsageError(cmd, usage) : err;
}

function report(err: unknown, current: Command, io: CliStreams): number {
  if (err instanceof CommandUsageError || err instanceof UsageError) {
    const { text, status } = err instanceof CommandUsageError ? usageErrorText(err.cmd, err.usage) : usageErrorText(current, err);
    io.stderr.write(text);
    return status;
  }
  if (err instanceof ExitStatus) {
    if (err.message) io.stderr.write(`${err.message}\n`);
    return err.status;
  }
  io.stderr.write(`${describeError(err)}\n`);
  return exitCodeOf(err);
}

if (require.main === module) void runAsProcess();

/** Runs `main` for this process and exits once stdout has drained. */
export async function runAsProcess(): Promise<void> {
  // A closed pipe on stdout (`berth logs x | head`) ends the CLI quietly, as SIGPIPE does a Go program.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(141); throw err; });
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, process.env);
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
