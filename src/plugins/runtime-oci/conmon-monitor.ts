import { InvalidArgument } from '../../errdefs';
import { spawnConmon } from '../../sys/conmon';
import type { ContainerMonitor, MonitorCreateOptions } from '../../core/runtime';

/** conmon's command line for one container. */
export function conmonArgs(o: MonitorCreateOptions): string[] {
  return [
    '--api-version', '1', '-c', o.id, '-u', o.id, '-n', o.name,
    '-r', o.runtime.path, '-b', o.bundle, '-p', `${o.bundle}/pidfile`, '-P', `${o.bundle}/conmon.pid`,
    '-l', o.logDriver === 'none' ? 'none:' : `k8s-file:${o.logPath}`,
    ...(o.logSizeMax && o.logDriver !== 'none' ? ['--log-size-max', String(o.logSizeMax)] : []), '--exit-dir', o.exitDir, '--socket-dir-path', o.socketDir,
    '--log-level', 'error',
    ...o.runtime.globalArgs.flatMap((a) => ['--runtime-arg', a]),
    ...(o.stdin ? ['-i'] : []), ...(o.stdin && o.leaveStdinOpen ? ['--leave-stdin-open'] : []), ...(o.tty ? ['-t'] : []),
  ];
}

/** Turns the runtime's JSON log line into Docker's wording and the exit code Docker reports. */
export function runtimeError(runtime: string, raw: string): Error {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(raw);
  const text = (m ? JSON.parse(`"${m[1]}"`) as string : raw).trim();
  const msg = `failed to create task for container: OCI runtime create failed: ${text.startsWith(runtime) ? text : `${runtime} create failed: ${text}`}: unknown`;
  const exitCode = /executable file not found|no such file or directory/.test(text) ? 127 : /permission denied/.test(text) ? 126 : 128;
  return new InvalidArgument(msg, { exitCode });
}

/** conmon as the per-container monitor. */
export const conmonMonitor: ContainerMonitor = {
  async create(o) {
    const report = await spawnConmon(conmonArgs(o));
    if ('pid' in report) return report.pid;
    throw runtimeError(o.runtime.name, report.failure);
  },
};
