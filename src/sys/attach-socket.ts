import { SeqpacketSocket } from 'node-unix-socket';
import { openSync, writeSync, closeSync, constants } from 'node:fs';
import { Unavailable } from '../errdefs';

/**
 * A connected `SOCK_SEQPACKET` unix socket (conmon's attach socket), which Node's net cannot
 * open. `onClose` fires once, when the peer closes or on error.
 */
export function connectSeqpacket(socketPath: string) {
  return new Promise<{
    onPacket(cb: (packet: Buffer) => void): void;
    onClose(cb: () => void): void;
    write(data: Buffer): void;
    /** Shuts down our sending side; the peer reads EOF. */
    end(): void;
    destroy(): void;
  }>((resolve, reject) => {
    const s = new SeqpacketSocket();
    let packetCb: (packet: Buffer) => void = () => {};
    let closeCb: () => void = () => {};
    let connected = false;
    let closed = false;
    const fireClose = () => { if (!closed) { closed = true; closeCb(); } };
    s.on('error', (e: Error) => {
      if (!connected) reject(new Unavailable(`attach socket ${socketPath}: ${e.message}`, { cause: e }));
      fireClose();
    });
    s.connect(socketPath, () => {
      connected = true;
      s.on('data', (b: Buffer) => packetCb(b));
      s.on('end', fireClose);
      s.on('close', fireClose);
      resolve({
        onPacket: (cb) => { packetCb = cb; },
        onClose: (cb) => { closeCb = cb; if (closed) cb(); },
        write: (data) => { if (!closed && data.length) s.write(data); },
        end: () => { if (!closed) s.end(); },
        destroy: () => { s.destroy(); fireClose(); },
      });
    });
  });
}

/** Writes one line to a fifo that a reader holds open (conmon's `ctl`); never blocks. */
export function writeFifoLine(fifo: string, line: string): void {
  const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  try { writeSync(fd, `${line}\n`); } finally { closeSync(fd); }
}
