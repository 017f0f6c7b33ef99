import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Resolves true when the engine on `socketPath` answers GET /_ping with 200. */
export function ping(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Times one GET on an engine's socket, spawn-free: the daemon's own latency. */
export function timedGet(socketPath: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = request({ socketPath, path, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path} on ${socketPath}: HTTP ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - start) / 1e6);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on ${socketPath}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts berthd detached, logging to `logPath`, and waits up to `waitMs` for it to answer on
 * `socketPath`. Returns its PID; throws (after stopping it) when it does not come up.
 */
export async function startDaemon(opts: { berthd: string; socketPath: string; logPath: string; waitMs?: number }): Promise<number> {
  mkdirSync(dirname(opts.logPath), { recursive: true });
  const log = openSync(opts.logPath, 'a');
  const child = spawn(opts.berthd, [], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${opts.berthd}`);
  let exited = false;
  child.on('exit', () => { exited = true; });
  const deadline = Date.now() + (opts.waitMs ?? 20_000);
  while (Date.now() < deadline && !exited) {
    if (await ping(opts.socketPath)) return pid;
    await sleep(250);
  }
  if (!exited) await stopDaemon(pid);
  throw new Error(`berthd did not answer on ${opts.socketPath}; see ${opts.logPath}`);
}

/** SIGTERM, then SIGKILL after `graceMs`, to the one process we started. */
export async function stopDaemon(pid: number, graceMs = 15_000): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw err;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) process.kill(pid, 'SIGKILL');
}
