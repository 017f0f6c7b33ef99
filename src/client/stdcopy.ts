/**
 * The Engine API's multiplexed stream framing (non-TTY attach and logs): each frame is an
 * 8-byte header `[stream, 0, 0, 0, size uint32 BE]` then `size` bytes of payload.
 * Stream 0 = stdin, 1 = stdout, 2 = stderr, 3 = systemerr (an error from the daemon).
 */
import type { Readable, Writable } from 'node:stream';
import { InvalidArgument } from '../errdefs';

export type StreamId = 0 | 1 | 2 | 3;
const HEADER = 8;

/**
 * Incremental demuxer: feed it chunks as they arrive, frames may span chunks. A header
 * with a stream byte above 3 throws InvalidArgument (Docker's stdcopy: `Unrecognized input
 * header: N`); the stream cannot be read past it.
 */
export class Demuxer {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly onFrame: (stream: StreamId, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= HEADER) {
      const stream = this.buf[0];
      if (stream > 3) throw new InvalidArgument(`Unrecognized input header: ${stream}`);
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < HEADER + size) break;
      const payload = this.buf.subarray(HEADER, HEADER + size);
      this.buf = this.buf.subarray(HEADER + size);
      if (size > 0) this.onFrame(stream as StreamId, payload);
    }
  }

  /** Bytes of an unfinished frame still held. */
  get pending(): number { return this.buf.length; }
}

/** Encodes one frame (used by fakes and tests). */
export function encodeFrame(stream: StreamId, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(HEADER);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

export interface CopyTargets { stdout: Writable; stderr: Writable }

/**
 * Copies `src` to the targets until it ends: demultiplexed, or raw to stdout when the
 * container has a TTY. Rejects with the daemon's message on a systemerr frame, or with the
 * demuxer's error on a malformed stream (which is then destroyed).
 */
export function copyStream(src: Readable, to: CopyTargets, opts: { tty: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: Error | undefined;
    const demux = new Demuxer((stream, payload) => {
      if (stream === 2) to.stderr.write(payload);
      else if (stream === 3) failed = new Error(payload.toString().trim());
      else to.stdout.write(payload);
    });
    src.on('data', (chunk: Buffer) => {
      if (opts.tty) return void to.stdout.write(chunk);
      try {
        demux.push(chunk);
      } catch (err) {
        reject(err);
        src.destroy();
      }
    });
    src.on('error', (err: NodeJS.ErrnoException) => {
      // A reset after the output has been read is how some servers close a hijacked stream.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') resolve();
      else reject(err);
    });
    const done = () => (failed ? reject(failed) : resolve());
    src.on('end', done);
    src.on('close', done);
  });
}
