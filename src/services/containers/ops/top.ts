/** `GET /containers/{id}/top`: the host's `ps`, kept to the rows of the container's processes. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Conflict, InvalidArgument, Internal } from '../../../errdefs';
import type { ContainerService } from '../container-service';
import { cgroupDir } from './cgroup-paths';

export interface TopResult { Titles: string[]; Processes: string[][] }

/** How top reaches the host; swapped for a fake in unit tests. */
export interface TopHost {
  /** PIDs in the container's cgroup. */
  pids(id: string): Promise<number[]>;
  /** `ps` run with args; resolves with its stdout. */
  ps(args: string[]): Promise<string>;
}

export const hostTop: TopHost = {
  async pids(id) {
    const text = await readFile(join(cgroupDir('pids', id), 'cgroup.procs'), 'utf8');
    return text.split('\n').filter(Boolean).map(Number);
  },
  ps: (args) => new Promise((resolve, reject) => {
    execFile('ps', args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Internal(`ps: ${err.message}: output: ${stderr || stdout}`, { cause: err }));
      else resolve(stdout);
    });
  }),
};

/** Refuses `-o pid=PID`-style args that rename the PID column, as Docker does. */
export function validatePsArgs(psArgs: string): void {
  for (const m of psArgs.matchAll(/\s+(\S*)=\s*(PID\S*)/g)) {
    throw new InvalidArgument(`specifying "${m[1]}=${m[2]}" is not allowed`);
  }
}

/** Moby's parsePSOutput: the header gives the titles; the last column keeps its spaces. */
export function parsePsOutput(output: string, pids: number[]): TopResult {
  const lines = output.split('\n');
  const titles = (lines[0] ?? '').trim().split(/\s+/).filter(Boolean);
  const pidIndex = titles.indexOf('PID');
  if (pidIndex < 0) throw new Internal("Couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const fields = line.trim().split(/\s+/);
    const pid = Number(fields[pidIndex]);
    if (!Number.isInteger(pid)) throw new Internal(`Unexpected pid '${fields[pidIndex]}': invalid syntax`);
    if (!wanted.has(pid)) continue;
    processes.push(fields.length > titles.length
      ? [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]
      : fields);
  }
  return { Titles: titles, Processes: processes };
}

export async function topContainer(svc: ContainerService, ref: string, psArgs = '', host: TopHost = hostTop): Promise<TopResult> {
  const args = psArgs.trim() || '-ef';
  validatePsArgs(` ${args}`);
  const rec = svc.store.get(ref);
  if (rec.state.status === 'restarting') throw new Conflict(`Container ${rec.id} is restarting, wait until the container is running`);
  if (rec.state.status !== 'running' && rec.state.status !== 'paused') throw new Conflict(`Container ${rec.id} is not running`);
  const pids = await host.pids(rec.id);
  return parsePsOutput(await host.ps(args.split(/\s+/)), pids);
}
