import type { ExecService } from '../exec-service';
import type { ProbeRunner } from './monitor';
import { MAX_OUTPUT_BYTES } from './state';

type Execs = Pick<ExecService, 'create' | 'start' | 'inspect'>;

/** Kills a probe that outlived its timeout; a process already gone is not an error. */
function killProcess(pid: number): void {
  try { process.kill(pid, 'SIGKILL'); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e; }
}

/** Probes as exec sessions in the container (conmon in exec mode), their output collected. */
export class ExecProbeRunner implements ProbeRunner {
  constructor(private readonly execs: Execs, private readonly kill: (pid: number) => void = killProcess) {}

  async run(containerId: string, cmd: string[], opts: { timeoutMs: number; timeoutText: string }) {
    const session = this.execs.create(containerId, { Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let ended!: () => void;
    const done = new Promise<void>((r) => { ended = r; });
    const sink = {
      write: (_s: unknown, data: Buffer) => { if (size < MAX_OUTPUT_BYTES) { chunks.push(data); size += data.length; } },
      end: () => ended(),
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((r) => { timer = setTimeout(() => r(true), opts.timeoutMs); });
    try {
      const finished = this.execs.start(session.id, { tty: false, sink }).then(() => done).then(() => false as const);
      if (await Promise.race([finished, timedOut])) {
        const pid = this.execs.inspect(session.id).pid;
        if (pid > 0) this.kill(pid);
        return { exitCode: -1, output: opts.timeoutText };
      }
    } finally {
      clearTimeout(timer);
    }
    return { exitCode: this.execs.inspect(session.id).exitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
  }
}
