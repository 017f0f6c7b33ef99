import { SeqpacketSocket } from 'node-unix-socket';
import { openSync, writeSync, closeSync, constants } from 'node:fs';
import { Unavailable } from '../errdefs';

/** Which stream a chunk from conmon's attach socket belongs to. */
export type StdStream = 'stdout' | 'stderr';

/**
 * One connection to conmon's attach socket (`SOCK_SEQPACKET`): every packet conmon sends starts
 * with one byte naming the stream (2 stdout, 3 stderr); what we write goes to the container's
 * stdin, and `endStdin` closes it (conmon sees EOF and closes the container's stdin).
 */
export interface AttachConnection {
  onOutput(cb: (stream: StdStream, data: Buffer) => void): void;
  /** Called once, when conmon closes the socket (the container ended) or on error. */
  onClose(cb: () => void): void;
  writeStdin(data: Buffer): void;
  endStdin(): void;
  close(): void;
}

export function connectAttach(socketPath: string): Promise<AttachConnection> {
  return new Promise((resolve, reject) => {
    const s = new SeqpacketSocket();
    let outputCb: (stream: StdStream, data: Buffer) => void = () => {};
    let closeCb: () => void = () => {};
    let closed = false;
    const fireClose = () => { if (!closed) { closed = true; closeCb(); } };
    s.on('error', (e: Error) => {
      if (!connected) reject(new Unavailable(`attach socket ${socketPath}: ${e.message}`, { cause: e }));
      fireClose();
    });
    let connected = false;
    s.connect(socketPath, () => {
      connected = true;
      s.on('data', (b: Buffer) => {
        if (b.length < 1) return;
        const kind = b[0];
        if (kind === 2 || kind === 3) outputCb(kind === 2 ? 'stdout' : 'stderr', Buffer.from(b.subarray(1)));
      });
      s.on('end', fireClose);
      s.on('close', fireClose);
      resolve({
        onOutput: (cb) => { outputCb = cb; },
        onClose: (cb) => { closeCb = cb; if (closed) cb(); },
        writeStdin: (data) => { if (!closed && data.length) s.write(data); },
        endStdin: () => { if (!closed) s.end(); },
        close: () => { s.destroy(); fireClose(); },
      });
    });
  });
}

/** Asks conmon to resize the container's terminal through the bundle's `ctl` fifo. */
export function resizeTerminal(ctlFifo: string, height: number, width: number): void {
  const fd = openSync(ctlFifo, constants.O_WRONLY | constants.O_NONBLOCK);
  try { writeSync(fd, `1 ${height} ${width}\n`); } finally { closeSync(fd); }
}
