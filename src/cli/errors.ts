/**
 * How the CLI turns failures into stderr text and exit codes, as the docker CLI does:
 * daemon answers print `Error response from daemon: <message>`, everything else its
 * message; `ExitStatus` ends the process with a code after the command reported itself.
 */
import { findBerthError } from '../errdefs';
import { isDaemonError } from '../client';

/** Ends the CLI with `status`; `message`, when set, is printed to stderr first. */
export class ExitStatus extends Error {
  constructor(readonly status: number, message = '') { super(message); this.name = 'ExitStatus'; }
}

/** The line the docker CLI prints for an error. */
export function describeError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return isDaemonError(err) ? `Error response from daemon: ${msg}` : msg;
}

/** The exit code an error implies: its own, else 1. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof ExitStatus) return err.status;
  return findBerthError(err)?.exitCode ?? 1;
}

/**
 * Runs `fn` for each argument, printing each failure and continuing, as docker's
 * stop/kill/rm do; returns the failures' count.
 */
export async function forEachArg(args: string[], err: (s: string) => void, fn: (a: string) => Promise<void>): Promise<Error[]> {
  const failures: Error[] = [];
  for (const a of args) {
    try { await fn(a); } catch (e) {
      err(`${describeError(e)}\n`);
      failures.push(e as Error);
    }
  }
  return failures;
}
