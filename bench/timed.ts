import { spawn } from 'node:child_process';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this many milliseconds (default 60 s). */
  timeoutMs?: number;
}

export interface RunResult {
  ms: number;
  code: number | null;
  /** The signal that ended the command (SIGKILL after the timeout), if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and measures its wall-clock time, spawn to exit. */
export function runTimed(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => { clearTimeout(timer); reject(new Error(`${cmd}: ${err.message}`, { cause: err })); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code, signal, stdout, stderr });
    });
  });
}

/** Like runTimed, but rejects with the first line of the command's stderr when it fails. */
export async function runChecked(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const res = await runTimed(cmd, args, opts);
  if (res.code !== 0) {
    const why = res.signal
      ? `killed by ${res.signal}${res.signal === 'SIGKILL' ? ' (timed out)' : ''}`
      : res.stderr.trim().split('\n')[0] || `exit status ${res.code}`;
    throw new Error(`${[cmd, ...args].join(' ')}: ${why}`);
  }
  return res;
}
