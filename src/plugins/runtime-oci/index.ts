import type { OciRuntime } from '../../core/runtime';
import { CliOciRuntime } from '../../sys/oci-runtime';

/** runc or crun driven through its command line, with its state under stateRoot. */
export function cliRuntime(name: string, path: string, stateRoot: string): OciRuntime {
  return new CliOciRuntime(name, path, stateRoot);
}

export { conmonMonitor } from './conmon-monitor';
export { conmonAttach } from './conmon-attach';
export { conmonExec } from './conmon-exec';
