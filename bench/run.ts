/**
 * berth's side-by-side benchmark (`npm run bench [-- --n 20 --image-n 3 --only <regex>]`, as
 * root; not part of the tests).
 *
 * Measures, in one run and N iterations each (after one warm-up), the wall-clock time of:
 * the raw OCI runtime (`runc run` of a busybox bundle), `berth run --rm busybox true`, the
 * docker CLI against berthd and against a Docker engine when one answers, `berth ps` and
 * `berth inspect`, the engines' own API latency, image load and save (see image-cases.ts;
 * --image-n iterations, default 3, as each moves hundreds of MB), and `docker ps -a` over 100
 * created containers (last, so the other cases do not see them). Prints median, p90 and the
 * ratio to runc, then the image cases' berthd / Docker ratios.
 *
 * Uses the berthd on /run/berth/berth.sock, starting one (and stopping only that one) when
 * none answers. Removes everything it creates: bundles, runc state, containers, temp dirs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatComparison, formatTable, Row } from './stats';
import { runChecked, runTimed } from './timed';
import type { Case } from './case';
import { attempt, Target } from './target';
import { ImageCases, type ImageTarget } from './image-cases';
import { BuildCases, BUILD_TARGETS } from './build-cases';
import { makeBusyboxBundle } from './runc-bundle';
import { ping, startDaemon, stopDaemon, timedGet } from './daemon';
import { NetworkCases } from './network-cases';
import { RegistryCases } from './registry-cases';
import { NetworkScaleCases } from './network-scale-cases';
import { ComposeCases, COMPOSE_TARGET } from './compose-cases';

const BERTH_SOCK = '/run/berth/berth.sock';
const DOCKER_SOCK = '/var/run/docker.sock';
const REPO = resolve(__dirname, '../..');
const BERTH = join(REPO, 'bin/berth');
const BERTHD = join(REPO, 'bin/berthd');
const RUNC = 'runc';
const BASELINE = 'runc run (raw runtime)';
/** Containers created before timing `docker ps -a`. */
const PS_CONTAINERS = 100;
/** The target for image load and save: at most half of Docker's time. */
const IMAGE_TARGET = 0.5;

interface Args {
  n: number;
  /** Iterations of the image load/save cases. */
  imageN: number;
  /** Iterations of the build cases. */
  buildN: number;
  /** Only the cases whose name matches. */
  only?: RegExp;
}

const USAGE = `usage: npm run bench [-- --n <iterations>] [--image-n <iterations>] [--build-n <iterations>] [--only <regex>]   (as root)
  --n         iterations of each case (default 20)
  --image-n   iterations of the image load/save cases (default 3)
  --build-n   iterations of the build cases (default 5)
  --only      run only the cases whose name matches (e.g. 'load|save')
`;

function parseArgs(argv: string[]): Args {
  const args: Args = { n: 20, imageN: 3, buildN: 5 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--n' || flag === '-n') args.n = Number(value());
    else if (flag === '--image-n') args.imageN = Number(value());
    else if (flag === '--build-n') args.buildN = Number(value());
    else if (flag === '--only') args.only = new RegExp(value());
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument: ${argv[i]}`);
  }
  for (const [name, v] of [['--n', args.n], ['--image-n', args.imageN], ['--build-n', args.buildN]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  }
  return args;
}

let interrupted = false;

async function measure(c: Case, n: number): Promise<Row> {
  process.stderr.write(`bench: ${c.name} `);
  try {
    await c.iterate(-1); // warm-up: caches, first-start image creation, lazy init
    const samples: number[] = [];
    for (let i = 0; i < (c.iterations ?? n) && !interrupted; i++) {
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
  const { n, imageN, buildN, only } = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('the benchmark runs containers: run it as root');
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { interrupted = true; });

  const tmp = await mkdtemp(join(tmpdir(), 'berth-bench-'));
  const runcRoot = join(tmp, 'runc-state');
  const tag = `bench-${process.pid}`;
  const targets: Target[] = [];
  let startedDaemon: number | undefined;
  const berth = new Target(BERTH, BERTH_SOCK);
  const images = new ImageCases(tmp, tag, imageN);
  const builds = new BuildCases(tmp, tag, buildN);
  const imageTargets: ImageTarget[] = [];
  const imageNames = new Set<string>();
  const networks = new NetworkCases(BERTH_SOCK, tag);
  let registry: RegistryCases | undefined;
  let networkScale: NetworkScaleCases | undefined;
  let compose: ComposeCases | undefined;
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
      cases.push(...networks.cases());
    }
    if (dockerUp) {
      cases.push({ name: 'API GET /containers/json -> docker', iterate: () => timedGet(DOCKER_SOCK, '/containers/json') });
    }
    if (berthUp && cli) imageTargets.push({ target: new Target(cli, BERTH_SOCK), cliName: 'docker', engine: 'berthd' });
    if (berthUp && berthCli) imageTargets.push({ target: berth, cliName: 'berth', engine: 'berthd' });
    if (dockerUp && cli) imageTargets.push({ target: new Target(cli, DOCKER_SOCK), cliName: 'docker', engine: 'docker' });
    for (const c of [...images.cases(imageTargets), ...builds.cases(imageTargets)]) {
      imageNames.add(c.name);
      cases.push(c);
    }
    if (cli && berthCli) {
      registry = new RegistryCases(tmp, tag, imageN, cli, dockerUp ? DOCKER_SOCK : undefined);
      for (const c of registry.cases()) { imageNames.add(c.name); cases.push(c); }
    }
    compose = new ComposeCases(tmp, tag, berthCli ? BERTH : undefined, berthUp ? BERTH_SOCK : undefined, dockerUp ? DOCKER_SOCK : undefined);
    for (const c of compose.cases()) { imageNames.add(c.name); cases.push(c); }
    if (cli && berthUp) {
      const dockerBusybox = dockerUp && (await runTimed(cli, ['image', 'inspect', 'busybox'], { env: new Target(cli, DOCKER_SOCK).env })).code === 0;
      networkScale = new NetworkScaleCases(tag, cli, { berthd: BERTH_SOCK, ...(dockerBusybox ? { docker: DOCKER_SOCK } : {}) });
      cases.push(...networkScale.cases());
    }
    cases.push(...psCases);

    for (const c of cases) {
      if (only && !only.test(c.name)) continue;
      if (interrupted) break;
      rows.push(await measure(c, n));
    }
    rows.push(...skipped.filter((r) => !only || only.test(r.name)));
  } finally {
    for (const t of targets) await t.cleanup();
    await networks.cleanup();
    await networkScale?.cleanup();
    await images.cleanup();
    await registry?.cleanup();
    await compose?.cleanup();
    await builds.cleanup(imageTargets);
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

  const mainRows = rows.filter((r) => !imageNames.has(r.name));
  if (mainRows.length) {
    process.stdout.write(`\nberth bench: ${n} iterations each (after 1 warm-up), wall clock; ratio = median / median of "${BASELINE}"\n\n`);
    process.stdout.write(formatTable(mainRows, BASELINE) + '\n');
    const net = networks.summary(rows);
    if (net) process.stdout.write(`\n${net}`);
    const scale = networkScale?.summary(rows);
    if (scale) process.stdout.write(`\n${scale}`);
  }
  const pairs = images.pairs(imageTargets).filter((p) => rows.some((r) => r.name === p.subject));
  if (pairs.length) {
    process.stdout.write(`\nimage cases: ${imageN} iterations each (after 1 warm-up); ratio = berthd median / Docker engine median (docker CLI); target <= ${IMAGE_TARGET}\n\n`);
    process.stdout.write(formatComparison(rows, pairs, IMAGE_TARGET) + '\n');
  }
  const registryPairs = registry?.pairs().filter((p) => rows.some((r) => r.name === p.subject)) ?? [];
  if (registryPairs.length) {
    process.stdout.write(`\nregistry cases (a private berthd of this build and the Docker engine, one local docker-registry): ${imageN} iterations each (after 1 warm-up); ratio = berthd median / Docker engine median (docker CLI); target <= ${IMAGE_TARGET}\n\n`);
    process.stdout.write(formatComparison(rows, registryPairs, IMAGE_TARGET) + '\n');
  }
  const composePairs = compose?.pairs().filter((p) => rows.some((r) => r.name === p.subject)) ?? [];
  if (composePairs.length) {
    process.stdout.write(`\ncompose cases: ${n} iterations each (after 1 warm-up); ratio = median / median of docker-compose -> Docker engine; target for berth compose -> berthd <= ${COMPOSE_TARGET}\n\n`);
    process.stdout.write(formatTable(rows.filter((r) => compose!.names.includes(r.name)), composePairs[0].reference ?? '') + '\n\n');
    process.stdout.write(formatComparison(rows, composePairs, COMPOSE_TARGET) + '\n');
  }
  for (const op of builds.ops) {
    const buildPairs = builds.pairs(imageTargets, op).filter((p) => rows.some((r) => r.name === p.subject));
    if (!buildPairs.length) continue;
    process.stdout.write(`\nbuild cases, ${op}: ${buildN} iterations each (after 1 warm-up); ratio = berthd median / Docker engine median (docker CLI, legacy builder); target <= ${BUILD_TARGETS[op]}\n\n`);
    process.stdout.write(formatComparison(rows, buildPairs, BUILD_TARGETS[op]) + '\n');
  }
  // A case that could not run here (no Docker engine) is reported, not a failure; one that failed is.
  return interrupted || rows.some((r) => r.error && !skipped.includes(r)) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => { process.stderr.write(`bench: ${(err as Error).message}\n`); process.exit(1); },
);
