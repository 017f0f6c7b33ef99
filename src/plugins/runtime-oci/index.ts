import type { AttachChannel, ContainerMonitor, OciRuntime } from '../../core/runtime';
import { CliOciRuntime } from '../../sys/oci-runtime';
import { conmonCreate } from '../../sys/conmon';
import { connectAttach, resizeTerminal } from '../../sys/attach-socket';

/** runc or crun driven through its command line, with its state under stateRoot. */
export function cliRuntime(name: string, path: string, stateRoot: string): OciRuntime {
  return new CliOciRuntime(name, path, stateRoot);
}

/** conmon as the per-container monitor. */
export const conmonMonitor: ContainerMonitor = { create: conmonCreate };

/** conmon's SOCK_SEQPACKET attach socket and ctl fifo. */
export const conmonAttach: AttachChannel = { connect: connectAttach, resize: resizeTerminal };
