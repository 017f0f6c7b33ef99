import { spawn } from 'node:child_process';
import { Internal } from '../errdefs';

export interface CommandResult { code: number; stdout: string; stderr: string }

/**
 * Runs a binary to completion and collects its output. Rejects with Internal naming the command
 * and its stderr when it exits non-zero, unless `allowFail` is set.
 */
export function runCommand(cmd: string, args: string[], opts: { input?: string; allowFail?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout!.on('data', (b: Buffer) => out.push(b));
    p.stderr!.on('data', (b: Buffer) => err.push(b));
    p.on('error', (e) => reject(new Internal(`${cmd}: ${e.message}`, { cause: e })));
    p.on('close', (code) => {
      const r = { code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if (r.code !== 0 && !opts.allowFail) reject(new Internal(`${cmd} ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`));
      else resolve(r);
    });
    if (p.stdin) {
      // A command may exit without reading its input; its exit status tells what happened.
      p.stdin.on('error', () => {});
      p.stdin.end(opts.input);
    }
  });
}
