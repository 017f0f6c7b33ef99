/**
 * A hijacked attach wired to the terminal: stdin in (half-closing on EOF), output demuxed
 * (raw with a TTY), raw mode and resizes for a TTY, signal proxying, detach keys.
 */
import { spawnSync } from 'node:child_process';
import type { Socket } from 'node:net';
import type { EngineClient } from '../../../client';
import { copyStream } from '../../../client';
import type { CliStreams } from '../../context';

export interface AttachSessionOptions {
  id: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean;
  detachKeys?: string; sigProxy?: boolean; logs?: boolean;
  /** Another stream than the container's attach (an exec session), with its own resize. */
  stream?: { open(): Promise<{ socket: Socket }>; resize(size: { height: number; width: number }): Promise<void> };
}

export interface AttachSession {
  /** Settles when the output stream ends; true when the user detached. */
  done: Promise<boolean>;
  /** Sends the terminal size now and on every SIGWINCH. */
  startResizing(): void;
  close(): void;
}

const PROXIED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** `ctrl-p,ctrl-q` as bytes. */
export function parseDetachKeys(spec: string): Buffer {
  return Buffer.from(spec.split(',').map((k) => {
    const m = /^ctrl-(.)$/i.exec(k.trim());
    if (m) {
      const c = m[1].toLowerCase();
      if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 96;
      return ({ '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 } as Record<string, number>)[c] ?? c.charCodeAt(0);
    }
    return k.trim().charCodeAt(0);
  }));
}

export async function openAttachSession(client: EngineClient, io: CliStreams, o: AttachSessionOptions): Promise<AttachSession> {
  const { socket } = o.stream ? await o.stream.open() : await client.containers.attach(o.id, {
    stdin: o.stdin, stdout: o.stdout, stderr: o.stderr, logs: o.logs, detachKeys: o.detachKeys,
  });
  const resizeTo = o.stream?.resize ?? ((size: { height: number; width: number }) => client.containers.resize(o.id, size));
  const cleanups: (() => void)[] = [];
  let detached = false;
  const rawMode = o.tty && o.stdin && io.stdin.isTTY && io.stdin.setRawMode;
  if (rawMode) {
    io.stdin.setRawMode!(true);
    // libuv's raw mode keeps output post-processing (\n -> \r\n); the container's TTY already
    // did that, so turn it off as docker's raw mode does. setRawMode(false) restores it.
    if (io.stdin === process.stdin) spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
    cleanups.push(() => io.stdin.setRawMode!(false));
  }
  if (o.stdin) pipeStdin(io, socket, o.tty ? parseDetachKeys(o.detachKeys ?? 'ctrl-p,ctrl-q') : undefined, () => { detached = true; socket.destroy(); }, cleanups);
  if (o.sigProxy && !o.tty) {
    for (const sig of PROXIED_SIGNALS) {
      const h = () => { void client.containers.kill(o.id, { signal: sig }).catch(() => undefined); };
      process.on(sig, h);
      cleanups.push(() => process.off(sig, h));
    }
  }
  const output = o.stdout || o.stderr
    ? copyStream(socket, { stdout: io.stdout, stderr: io.stderr }, { tty: o.tty })
    : new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const close = () => { cleanups.splice(0).forEach((f) => f()); socket.destroy(); };
  const done = output.then(() => detached, (err) => { if (detached) return true; throw err; }).finally(close);
  return {
    done,
    close,
    startResizing() {
      if (!o.tty || !io.stdout.isTTY) return;
      // The first resize can come before the daemon's terminal is ready: retry it, as docker does.
      const resizeRetrying = (retries: number) => {
        const { rows, columns } = io.stdout;
        if (!rows || !columns) return;
        void resizeTo({ height: rows, width: columns }).catch(() => {
          if (retries > 0) setTimeout(() => resizeRetrying(retries - 1), 50).unref();
        });
      };
      const resize = () => resizeRetrying(0);
      resizeRetrying(10);
      process.on('SIGWINCH', resize);
      cleanups.push(() => process.off('SIGWINCH', resize));
    },
  };
}

function pipeStdin(io: CliStreams, socket: Socket, keys: Buffer | undefined, onDetach: () => void, cleanups: (() => void)[]): void {
  let matched = 0;
  const onData = (chunk: Buffer) => {
    if (keys) {
      for (const byte of chunk) {
        matched = byte === keys[matched] ? matched + 1 : byte === keys[0] ? 1 : 0;
        if (matched === keys.length) { onDetach(); return; }
      }
    }
    if (!socket.destroyed) socket.write(chunk);
  };
  // Half-close: the container sees EOF on stdin while its output keeps coming.
  const onEnd = () => { if (!socket.destroyed) socket.end(); };
  io.stdin.on('data', onData);
  io.stdin.on('end', onEnd);
  io.stdin.resume();
  cleanups.push(() => { io.stdin.off('data', onData); io.stdin.off('end', onEnd); io.stdin.pause(); });
}

/**
 * Starts exec id attached (stdout and stderr, stdin when asked), follows the terminal's size
 * and waits for the end: `detached` when the detach keys ended it, else the exec's exit code.
 */
export async function runAttachedExec(client: EngineClient, io: CliStreams, id: string, o: { tty: boolean; stdin: boolean; detachKeys?: string }): Promise<{ detached: boolean; exitCode: number }> {
  const session = await openAttachSession(client, io, {
    id, tty: o.tty, stdin: o.stdin, stdout: true, stderr: true, detachKeys: o.detachKeys,
    stream: { open: () => client.exec.startAttached(id), resize: (size) => client.exec.resize(id, size) },
  });
  session.startResizing();
  if (await session.done) return { detached: true, exitCode: 0 };
  return { detached: false, exitCode: (await client.exec.inspect(id)).ExitCode ?? 0 };
}
