/**
 * berth's side-by-side benchmark (`npm run bench [-- --n 20]`, as root; not part of the tests).
 *
 * Measures, in one run and N iterations each (after one warm-up), the wall-clock time of:
 * the raw OCI runtime (`runc run` of a busybox bundle), `berth run --rm busybox true`, the
 * docker CLI against berthd and against a Docker engine when one answers, `berth ps` and
 * `berth inspect`, the engines' own API latency, and `docker ps -a` over 100 created
 * containers (last, so the other cases do not see them). Prints median, p90 and the ratio to runc.
 *
 * Uses the berthd on /run/berth/berth.sock, starting one (and stopping only that one) when
 * none answers. Removes everything it creates: bundles, runc state, containers, temp dirs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatTable, Row } from './stats';
import { runChecked, runTimed } from './timed';
import { makeBusyboxBundle } from './runc-bundle';
import { ping, startDaemon, stopDaemon, timedGet } from './daemon';

const BERTH_SOCK = '/run/berth/berth.sock';
const DOCKER_SOCK = '/var/run/docker.sock';
const REPO = resolve(__dirname, '../..');
const BERTH = join(REPO, 'bin/berth');
const BERTHD = join(REPO, 'bin/berthd');
const RUNC = 'runc';
const BASELINE = 'runc run (raw runtime)';
/** Containers created before timing `docker ps -a`. */
const PS_CONTAINERS = 100;

interface Case {
  name: string;
  /** One measured iteration; returns milliseconds. */
  iterate(i: number): Promise<number>;
}

/** A container CLI (berth or docker) pointed at one engine; remembers names it may leave behind. */
class Target {
  readonly pending = new Set<string>();
  constructor(readonly cli: string, readonly socketPath: string) {}

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, DOCKER_HOST: `unix://${this.socketPath}`, BERTH_HOST: `unix://${this.socketPath}` };
  }

  /** `<cli> run --rm --name <name> busybox true`; the name lets cleanup find it if --rm did not. */
  async runTrue(name: string): Promise<number> {
    this.pending.add(name);
    const res = await runChecked(this.cli, ['run', '--rm', '--name', name, 'busybox', 'true'], { env: this.env });
    this.pending.delete(name);
    return res.ms;
  }

  /** `<cli> exec <name> true` into a running container made on the warm-up iteration. */
  async execTrue(name: string, warmup: boolean): Promise<number> {
    if (warmup) {
      this.pending.add(name);
      await runChecked(this.cli, ['run', '-d', '--name', name, 'busybox', 'sleep', '1000'], { env: this.env });
    }
    return this.cmd(['exec', name, 'true']);
  }

  /** `<cli> start <name>` of a container created (untimed) just before. */
  async startCreated(name: string): Promise<number> {
    this.pending.add(name);
    await runChecked(this.cli, ['create', '--name', name, 'busybox', 'true'], { env: this.env });
    const ms = await this.cmd(['start', name]);
    await runChecked(this.cli, ['rm', '-f', name], { env: this.env });
    this.pending.delete(name);
    return ms;
  }

  /**
   * `<cli> ps -a` over `count` containers created (untimed, `<prefix>-<n>`, busybox true) on
   * the warm-up iteration; they stay registered in `pending` for cleanup.
   */
  async psAll(prefix: string, count: number, warmup: boolean): Promise<number> {
    if (warmup) {
      for (let n = 0; n < count; n++) {
        const name = `${prefix}-${n}`;
        this.pending.add(name);
        await runChecked(this.cli, ['create', '--name', name, 'busybox', 'true'], { env: this.env });
      }
    }
    return this.cmd(['ps', '-a']);
  }

  async cmd(args: string[]): Promise<number> {
    return (await runChecked(this.cli, args, { env: this.env })).ms;
  }

  async cleanup(): Promise<void> {
    for (const name of this.pending) await attempt(`remove container ${name}`, () => this.cmd(['rm', '-f', name]));
    this.pending.clear();
  }
}

/** Runs one cleanup step; a failure is reported and the remaining steps still run. */
async function attempt(what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (err) {
    process.stderr.write(`bench: cleanup: could not ${what}: ${(err as Error).message}\n`);
  }
}

function parseArgs(argv: string[]): { n: number } {
  let n = 20;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--n' || a === '-n') n = Number(argv[++i]);
    else if (a.startsWith('--n=')) n = Number(a.slice(4));
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run bench [-- --n <iterations>]   (default 20, as root)\n');
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive integer, got ${n}`);
  return { n };
}

let interrupted = false;

async function measure(c: Case, n: number): Promise<Row> {
  process.stderr.write(`bench: ${c.name} `);
  try {
    await c.iterate(-1); // warm-up: caches, first-start image creation, lazy init
    const samples: number[] = [];
    for (let i = 0; i < n && !interrupted; i++) {
      samples.push(await c.iterate(i));
      process.stderr.write('.');
    }
    process.stderr.write('\n');
    return { name: c.name, samples };
  } catch (err) {
    process.stderr.write(' failed\n');
    return { name: c.name, samples: [], error: (err as Error).message.split('\n')[0] };
  }
}

function dockerClis(): string[] {
  const seen = new Set<string>();
  return ['/usr/local/bin/docker', '/usr/bin/docker'].filter((p) => {
    if (!existsSync(p)) return false;
    const real = realpathSync(p);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

async function main(): Promise<number> {
  const { n } = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('the benchmark runs containers: run it as root');
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { interrupted = true; });

  const tmp = await mkdtemp(join(tmpdir(), 'berth-bench-'));
  const runcRoot = join(tmp, 'runc-state');
  const tag = `bench-${process.pid}`;
  const targets: Target[] = [];
  let startedDaemon: number | undefined;
  const berth = new Target(BERTH, BERTH_SOCK);
  const rows: Row[] = [];
  const skipped: Row[] = [];
  const skip = (name: string, error: string) => skipped.push({ name, samples: [], error });

  try {
    const bundle = await makeBusyboxBundle(tmp);
    const cases: Case[] = [{
      name: BASELINE,
      iterate: async (i) =>
        (await runChecked(RUNC, ['--root', runcRoot, 'run', '--bundle', bundle, `${tag}-${i < 0 ? 'w' : i}`])).ms,
    }];

    let berthUp = await ping(BERTH_SOCK);
    if (!berthUp) {
      try {
        process.stderr.write(`bench: starting ${BERTHD}\n`);
        startedDaemon = await startDaemon({ berthd: BERTHD, socketPath: BERTH_SOCK, logPath: '/var/log/berthd.log' });
        berthUp = true;
      } catch (err) {
        process.stderr.write(`bench: ${(err as Error).message}\n`);
      }
    }
    const dockerUp = await ping(DOCKER_SOCK);
    const clis = dockerClis();

    const berthCli = existsSync(BERTH);
    if (berthUp && berthCli) {
      targets.push(berth);
      cases.push({ name: 'berth run --rm busybox true', iterate: (i) => berth.runTrue(`${tag}-berth-${i < 0 ? 'w' : i}`) });
    }
    for (const [k, cli] of clis.entries()) {
      const label = `docker run (${cli})`;
      if (berthUp) {
        const t = new Target(cli, BERTH_SOCK);
        targets.push(t);
        cases.push({ name: `${label} -> berthd`, iterate: (i) => t.runTrue(`${tag}-d${k}-${i < 0 ? 'w' : i}`) });
      }
      if (dockerUp) {
        const t = new Target(cli, DOCKER_SOCK);
        const hasImage = (await runTimed(cli, ['image', 'inspect', 'busybox'], { env: t.env })).code === 0;
        if (!hasImage) { skip(`${label} -> docker`, 'busybox image not present in Docker (no pull)'); continue; }
        targets.push(t);
        cases.push({ name: `${label} -> docker`, iterate: (i) => t.runTrue(`${tag}-dd${k}-${i < 0 ? 'w' : i}`) });
      }
    }
    const cli = clis[0];
    const psCases: Case[] = [];
    if (cli) {
      const engines: [string, string, boolean][] = [['berthd', BERTH_SOCK, berthUp], ['docker', DOCKER_SOCK, dockerUp]];
      for (const [engine, sock, up] of engines) {
        if (!up) continue;
        const t = new Target(cli, sock);
        if (engine === 'docker' && (await runTimed(cli, ['image', 'inspect', 'busybox'], { env: t.env })).code !== 0) continue;
        targets.push(t);
        cases.push({ name: `docker exec c true -> ${engine}`, iterate: (i) => t.execTrue(`${tag}-exec-${engine}`, i < 0) });
        cases.push({ name: `docker start (created) -> ${engine}`, iterate: (i) => t.startCreated(`${tag}-start-${engine}-${i < 0 ? 'w' : i}`) });
        psCases.push({ name: `docker ps -a (${PS_CONTAINERS} containers) -> ${engine}`, iterate: (i) => t.psAll(`${tag}-ps`, PS_CONTAINERS, i < 0) });
      }
    }
    if (!dockerUp) skip('docker run -> docker', `no Docker engine answering on ${DOCKER_SOCK}`);
    if (clis.length === 0) skip('docker run -> berthd', 'no docker CLI installed');

    if (berthUp && berthCli) {
      const inspectName = `${tag}-inspect`;
      cases.push({ name: 'berth ps', iterate: () => berth.cmd(['ps']) });
      cases.push({
        name: 'berth inspect',
        iterate: async (i) => {
          if (i < 0) {
            berth.pending.add(inspectName);
            await berth.cmd(['create', '--name', inspectName, 'busybox', 'true']);
          }
          return berth.cmd(['inspect', inspectName]);
        },
      });
    } else if (berthUp) {
      skip('berth (run, ps, inspect)', `no berth CLI at ${BERTH}`);
    } else {
      skip('berth (run, ps, inspect)', `berthd not answering on ${BERTH_SOCK}`);
    }
    if (berthUp) {
      cases.push({ name: 'API GET /containers/json -> berthd', iterate: () => timedGet(BERTH_SOCK, '/containers/json') });
    }
    if (dockerUp) {
      cases.push({ name: 'API GET /containers/json -> docker', iterate: () => timedGet(DOCKER_SOCK, '/containers/json') });
    }
    cases.push(...psCases);

    for (const c of cases) {
      if (interrupted) break;
      rows.push(await measure(c, n));
    }
    rows.push(...skipped);
  } finally {
    for (const t of targets) await t.cleanup();
    await attempt(`delete runc containers under ${runcRoot}`, async () => {
      if (!existsSync(runcRoot)) return;
      const { stdout } = await runChecked(RUNC, ['--root', runcRoot, 'list', '-q']);
      for (const id of stdout.split('\n').filter(Boolean)) await runChecked(RUNC, ['--root', runcRoot, 'delete', '-f', id]);
    });
    await attempt(`remove ${tmp}`, () => rm(tmp, { recursive: true, force: true }));
    if (startedDaemon !== undefined) {
      const pid = startedDaemon;
      await attempt(`stop berthd (pid ${pid})`, () => stopDaemon(pid));
    }
  }

  process.stdout.write(`\nberth bench: ${n} iterations each (after 1 warm-up), wall clock; ratio = median / median of "${BASELINE}"\n\n`);
  process.stdout.write(formatTable(rows, BASELINE) + '\n');
  // A case that could not run here (no Docker engine) is reported, not a failure; one that failed is.
  return interrupted || rows.some((r) => r.error && !skipped.includes(r)) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => { process.stderr.write(`bench: ${(err as Error).message}\n`); process.exit(1); },
);
