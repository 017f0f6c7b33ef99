import { InvalidArgument } from '../../errdefs';
import type { AttachChannel, AttachConnection, StdStream } from '../../core/runtime';

/** Where an attached client's output goes (the HTTP edge frames it). */
export interface AttachSink {
  write(stream: StdStream, data: Buffer): void;
  /** The stream is over: the container ended, the client detached, or the session was closed. */
  end(): void;
}

export interface AttachOptions { stdin: boolean; stdout: boolean; stderr: boolean; detachKeys?: string }

/** Docker's `--detach-keys` syntax (`ctrl-p,ctrl-q`, `a`, `ctrl-@`) as bytes. */
export function parseDetachKeys(spec: string): Buffer {
  const out: number[] = [];
  for (const key of spec.split(',')) {
    const k = key.trim().toLowerCase();
    if (k.length === 1) out.push(k.charCodeAt(0));
    else if (/^ctrl-[a-z@[\\\]^_]$/.test(k)) {
      const c = k[5];
      out.push(c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 96 : ({ '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, '_': 31 } as Record<string, number>)[c]);
    } else throw new InvalidArgument(`Invalid detach keys (${spec}) provided`);
  }
  return Buffer.from(out);
}

/**
 * One client attached to one container. It may be opened before the container starts: stdin
 * is buffered until `connect` reaches conmon's attach socket. Detach keys on stdin end the
 * session and leave the container running.
 */
export class AttachSession {
  private conn?: AttachConnection;
  private pending: Buffer[] = [];
  private stdinEnded = false;
  private ended = false;
  private matched = 0;
  private readonly detach: Buffer;

  constructor(private readonly opts: AttachOptions, private readonly sink: AttachSink, readonly onDone: () => void = () => {}) {
    this.detach = parseDetachKeys(opts.detachKeys || 'ctrl-p,ctrl-q');
  }

  get closed() { return this.ended; }

  async connect(channel: AttachChannel, socketPath: string): Promise<void> {
    if (this.ended) return;
    const conn = await channel.connect(socketPath);
    if (this.ended) { conn.close(); return; }
    this.conn = conn;
    conn.onOutput((stream, data) => {
      if ((stream === 'stdout' && this.opts.stdout) || (stream === 'stderr' && this.opts.stderr)) this.sink.write(stream, data);
    });
    conn.onClose(() => this.finish());
    if (this.opts.stdin) {
      for (const b of this.pending) conn.writeStdin(b);
      if (this.stdinEnded) conn.endStdin();
    }
    this.pending = [];
  }

  /** Data the client typed; detach keys are held back until they match or diverge. */
  writeStdin(data: Buffer): void {
    if (!this.opts.stdin || this.ended) return;
    const pass: number[] = [];
    for (const byte of data) {
      if (byte === this.detach[this.matched]) {
        this.matched++;
        if (this.matched === this.detach.length) { this.flushStdin(Buffer.from(pass)); this.finish(); return; }
        continue;
      }
      if (this.matched) { pass.push(...this.detach.subarray(0, this.matched)); this.matched = 0; }
      pass.push(byte);
    }
    this.flushStdin(Buffer.from(pass));
  }

  private flushStdin(b: Buffer) {
    if (!b.length) return;
    if (this.conn) this.conn.writeStdin(b); else this.pending.push(b);
  }

  /** The client half-closed its side: close the container's stdin once connected. */
  endStdin(): void {
    if (!this.opts.stdin) return;
    this.stdinEnded = true;
    this.conn?.endStdin();
  }

  /** Ends the session without touching the container. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.conn?.close();
    this.sink.end();
    this.onDone();
  }
}
