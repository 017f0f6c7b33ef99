import { connectSeqpacket, writeFifoLine } from '../../sys/attach-socket';
import type { AttachChannel, AttachConnection } from '../../core/runtime';

/** conmon's stream bytes at the start of each packet it sends on the attach socket. */
const STDOUT = 2;
const STDERR = 3;
/** conmon's ctl message type for a terminal resize: `1 <height> <width>`. */
const CTL_RESIZE = 1;

async function connect(socketPath: string): Promise<AttachConnection> {
  const s = await connectSeqpacket(socketPath);
  return {
    onOutput: (cb) => s.onPacket((p) => {
      if (p.length > 1 && (p[0] === STDOUT || p[0] === STDERR)) cb(p[0] === STDOUT ? 'stdout' : 'stderr', Buffer.from(p.subarray(1)));
    }),
    onClose: (cb) => s.onClose(cb),
    writeStdin: (data) => s.write(data),
    endStdin: () => s.end(),
    close: () => s.destroy(),
  };
}

/** conmon's attach socket and ctl fifo as the attach channel. */
export const conmonAttach: AttachChannel = {
  connect,
  resize: (ctlFifo, height, width) => writeFifoLine(ctlFifo, `${CTL_RESIZE} ${height} ${width}`),
};
