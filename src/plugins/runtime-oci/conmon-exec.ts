import { InvalidArgument, findBerthError } from '../../errdefs';
import { spawnConmonExec } from '../../sys/conmon';
import type { ExecHandle, ExecMonitor, ExecMonitorOptions } from '../../core/runtime';

/** conmon's command line for one exec session. */
export function conmonExecArgs(o: ExecMonitorOptions): string[] {
  return [
    '--api-version', '1', '-c', o.containerId, '-u', o.execId,
    '-r', o.runtime.path, '-b', o.dir, '-p', `${o.dir}/pidfile`,
    '-l', `k8s-file:${o.dir}/exec.log`, '--exit-dir', o.exitDir, '--socket-dir-path', o.socketDir,
    '--log-level', 'error', '--exec', '--exec-process-spec', o.processSpec,
    ...(o.attach ? ['--exec-attach'] : []),
    ...o.runtime.globalArgs.flatMap((a) => ['--runtime-arg', a]),
    ...(o.stdin ? ['-i'] : []), ...(o.tty ? ['-t'] : []),
  ];
}

/** The runtime's exec failure in Docker's words, with the exit code Docker gives it. */
export function execError(raw: string): Error {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(raw);
  const text = (m ? JSON.parse(`"${m[1]}"`) as string : raw).trim();
  const exitCode = /executable file not found|no such file or directory/.test(text) ? 127 : 126;
  return new InvalidArgument(`OCI runtime exec failed: ${text}: unknown`, { exitCode });
}

/** conmon in exec mode as the exec monitor: it runs `<runtime> exec` and reports pid and exit. */
export const conmonExec: ExecMonitor = {
  exec(o: ExecMonitorOptions): ExecHandle {
    const pipes = spawnConmonExec(conmonExecArgs(o));
    pipes.start(); // the first start message lets conmon set itself up
    let resolvePid!: (pid: number) => void;
    let rejectPid!: (e: Error) => void;
    let resolveExit!: (code: number) => void;
    const pid = new Promise<number>((res, rej) => { resolvePid = res; rejectPid = rej; });
    const exitCode = new Promise<number>((res) => { resolveExit = res; });
    pid.catch(() => {});
    let seenPid = false;
    pipes.onSync((data, message) => {
      if (!seenPid) {
        seenPid = true;
        if (data > 0) { resolvePid(data); return; }
        const err = execError(message ?? 'unknown error');
        rejectPid(err);
        resolveExit(findBerthError(err)?.exitCode ?? 126);
        return;
      }
      resolveExit(Number.isFinite(data) && data >= 0 ? data : 126);
    });
    return { attachReady: pipes.attachReady, release: () => pipes.start(), pid, exitCode };
  },
};
