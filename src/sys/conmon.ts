import { spawn } from 'node:child_process';
import { Internal, InvalidArgument } from '../errdefs';

export interface ConmonCreateOptions {
  id: string;
  name: string;
  bundle: string;
  runtime: { name: string; path: string; globalArgs: string[] };
  /** k8s-file log the container's output is written to. */
  logPath: string;
  /** conmon writes `<exitDir>/<id>` holding the exit code when the container ends. */
  exitDir: string;
  /** conmon makes `<socketDir>/<id>/attach` (SOCK_SEQPACKET) and `ctl`/`winsz` fifos in the bundle. */
  socketDir: string;
  stdin: boolean;
  /** Keep the container's stdin open when an attached client closes its side (not StdinOnce). */
  leaveStdinOpen: boolean;
  tty: boolean;
  conmonPath?: string;
}

/**
 * Starts conmon, which runs `<runtime> create` and then watches the container for its whole
 * life, detached from berthd (it double-forks). Resolves with the container's init PID once the
 * runtime has created it; the caller then runs `<runtime> start`. A runtime failure rejects with
 * the runtime's own message and the exit code Docker reports for it (127 not found, 126 denied).
 */
export function conmonCreate(o: ConmonCreateOptions): Promise<number> {
  const args = [
    '--api-version', '1', '-c', o.id, '-u', o.id, '-n', o.name,
    '-r', o.runtime.path, '-b', o.bundle, '-p', `${o.bundle}/pidfile`, '-P', `${o.bundle}/conmon.pid`,
    '-l', `k8s-file:${o.logPath}`, '--exit-dir', o.exitDir, '--socket-dir-path', o.socketDir,
    '--log-level', 'error',
    ...o.runtime.globalArgs.flatMap((a) => ['--runtime-arg', a]),
    ...(o.stdin ? ['-i'] : []), ...(o.stdin && o.leaveStdinOpen ? ['--leave-stdin-open'] : []), ...(o.tty ? ['-t'] : []),
  ];
  return new Promise((resolve, reject) => {
    const p = spawn(o.conmonPath ?? 'conmon', args, {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      env: { ...process.env, _OCI_SYNCPIPE: '3' },
      detached: true,
    });
    const sync = p.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
    let buf = '';
    let settled = false;
    const finish = (err: Error | null, pid?: number) => {
      if (settled) return;
      settled = true;
      sync.destroy();
      if (err) reject(err); else resolve(pid!);
    };
    p.on('error', (e) => finish(new Internal(`conmon: ${e.message}`, { cause: e })));
    sync.on('data', (b: Buffer) => {
      buf += b.toString();
      let msg: { data: number; message?: string };
      try { msg = JSON.parse(buf); } catch { return; }
      if (msg.data > 0) finish(null, msg.data);
      else finish(runtimeError(o.runtime.name, msg.message ?? 'unknown error'));
    });
    sync.on('end', () => finish(new Internal(`conmon for ${o.id} ended without reporting the container`)));
    p.unref();
  });
}

/** Turns the runtime's JSON log line into Docker's wording and exit code. */
export function runtimeError(runtime: string, raw: string): Error {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(raw);
  const text = (m ? JSON.parse(`"${m[1]}"`) as string : raw).trim();
  const msg = `failed to create task for container: OCI runtime create failed: ${text.startsWith(runtime) ? text : `${runtime} create failed: ${text}`}: unknown`;
  const exitCode = /executable file not found|no such file or directory/.test(text) ? 127 : /permission denied/.test(text) ? 126 : 128;
  return new InvalidArgument(msg, { exitCode });
}
