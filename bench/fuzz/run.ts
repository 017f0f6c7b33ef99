/**
 * berth's fuzzers (`npm run fuzz [-- --seconds 30] [--only <regex>] [--seed N]`): each target
 * (Dockerfile parser, Go templates, compose loader, image references, stream demuxer) runs
 * its fast-check properties for a fixed budget, one property at a time in a worker thread.
 * A property fails on an undeclared error (TypeError, RangeError, a stack overflow), a
 * broken round trip, an input slower than --slow-ms, or an input that does not return
 * within --hang-seconds or kills its worker (out of memory): the input is then regenerated
 * from seed and path.
 * Prints executions, time and failures (shrunk counter-example, seed, path) per target;
 * exits 1 when any property failed. Not part of `npm test`.
 *
 * Replay a failure: `npm run fuzz -- --only <target>/<property> --seed S --path P`.
 */
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGETS } from './targets';
import type { WorkerJob, WorkerMessage, WorkerResult } from './worker';
import type { FuzzProperty, FuzzTarget } from './property';

interface Args {
  seconds: number;
  only?: RegExp;
  seed: number;
  path?: string;
  slowMs: number;
  hangSeconds: number;
}

const USAGE = `usage: npm run fuzz [-- --seconds N] [--only <regex>] [--seed N] [--path P] [--slow-ms N] [--hang-seconds N]
  --seconds       budget per target, shared by its properties (default 30)
  --only          targets or target/property names to run (e.g. 'reference|stdcopy')
  --seed          fast-check seed (default: random, printed)
  --path          replay one input (with --seed and one --only property)
  --slow-ms       an input taking longer fails (default 2000)
  --hang-seconds  an input not returning by then is stopped and reported (default 10)
`;

function parseArgs(argv: string[]): Args {
  const args: Args = { seconds: 30, seed: (Date.now() ^ (Math.random() * 0x7fffffff)) | 0, slowMs: 2000, hangSeconds: 10 };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value\n${USAGE}`);
      return v;
    };
    const num = () => {
      const v = Number(value());
      if (!Number.isFinite(v)) throw new Error(`${argv[i - 1]} needs a number\n${USAGE}`);
      return v;
    };
    switch (argv[i]) {
      case '--seconds': args.seconds = num(); break;
      case '--only': args.only = new RegExp(value()); break;
      case '--seed': args.seed = num() | 0; break;
      case '--path': args.path = value(); break;
      case '--slow-ms': args.slowMs = num(); break;
      case '--hang-seconds': args.hangSeconds = num(); break;
      case '-h': case '--help': process.stdout.write(USAGE); process.exit(0);
      default: throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  return args;
}

/** A worker's end: its result, or why it gave none (no return in time, or it died: out of memory). */
type Ended = WorkerResult | { stopped: string };

/** Runs a job; the hang clock starts when the worker is ready (its modules loaded). */
function runWorker(job: WorkerJob, hangMs: number): Promise<Ended> {
  return new Promise((resolve) => {
    const worker = new Worker(join(__dirname, 'worker.js'), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const counters = new Int32Array(job.counters);
    let seen = -1;
    let since = Infinity;
    const end = (e: Ended) => {
      clearInterval(watchdog);
      resolve(e);
    };
    const watchdog = setInterval(() => {
      const now = Atomics.load(counters, 0);
      if (now !== seen) { seen = now; since = Date.now(); return; }
      if (Date.now() - since > hangMs) {
        end({ stopped: `no return within ${hangMs / 1000} s` });
        void worker.terminate();
      }
    }, 250);
    worker.on('message', (m: WorkerMessage) => {
      if ('ready' in m) since = Date.now();
      else {
        end(m);
        void worker.terminate();
      }
    });
    worker.once('error', (err) => end({ stopped: `worker died: ${err.message}` }));
    worker.once('exit', (code) => end({ stopped: `worker exited with code ${code}` }));
  });
}

/** Each worker's heap: an input that makes a module allocate without bound kills the worker, not the run. */
const WORKER_HEAP_MB = 1024;

interface Outcome { target: string; property: string; result: WorkerResult; hang: boolean }

async function runProperty(target: string, property: string, seconds: number, args: Args): Promise<Outcome> {
  const counters = new SharedArrayBuffer(8);
  new Int32Array(counters).set([0, -1]);
  const job: WorkerJob = { mode: 'run', target, property, seed: args.seed, seconds, slowMs: args.slowMs, path: args.path, counters };
  const t0 = Date.now();
  const r = await runWorker(job, args.hangSeconds * 1000);
  if (!('stopped' in r)) return { target, property, result: r, hang: false };
  // The worker was stopped or died: regenerate the input it was on (or the failure being shrunk).
  const c = new Int32Array(counters);
  const failed = Atomics.load(c, 1);
  const index = failed >= 0 ? failed : Atomics.load(c, 0) - 1;
  const path = args.path ?? String(index);
  const replayed = await runWorker({ ...job, mode: 'replay', path, counters: new SharedArrayBuffer(8) }, 60_000);
  const input = 'stopped' in replayed ? '(could not regenerate)' : replayed.input ?? '';
  const error = failed >= 0 ? `${r.stopped} while shrinking this failing input` : r.stopped;
  return {
    target, property, hang: true,
    result: { executions: Atomics.load(c, 0), runs: index, ms: Date.now() - t0, failure: { error, counterexample: input, path, shrinks: 0 } },
  };
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
/** A counter-example that did not shrink (a hang is not shrunk) can be long: its ends are enough to see it. */
const clip = (s: string) => (s.length <= 2000 ? s : `${s.slice(0, 1000)} ... ${s.slice(-500)} (${s.length} characters; replay for all)`);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const selected = TARGETS.map((t) => ({
    target: t,
    properties: t.properties.filter((p) => !args.only || args.only.test(t.name) || args.only.test(`${t.name}/${p.name}`)),
  })).filter((s) => s.properties.length > 0);
  if (selected.length === 0) throw new Error(`no target matches ${args.only}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  // Targets that need files (the compose loader) keep them here; removed however the run ends.
  const scratch = mkdtempSync(join(tmpdir(), 'berth-fuzz-'));
  process.env.BERTH_FUZZ_SCRATCH = scratch;
  try {
    await fuzz(selected, args);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function fuzz(selected: { target: FuzzTarget; properties: FuzzProperty[] }[], args: Args): Promise<void> {
  process.stdout.write(`fuzz: seed ${args.seed}, ${args.seconds} s per target, inputs slower than ${args.slowMs} ms fail\n\n`);

  const outcomes: Outcome[] = [];
  for (const { target, properties } of selected) {
    process.stdout.write(`${target.name} (${target.module})\n`);
    const share = args.seconds / properties.length;
    for (const p of properties) {
      const o = await runProperty(target.name, p.name, share, args);
      outcomes.push(o);
      const r = o.result;
      process.stdout.write(`  ${pad(p.name, 28)} ${pad(r.executions, 9)} executions  ${(r.ms / 1000).toFixed(1)} s  ${r.failure ? 'FAILED' : 'ok'}\n`);
      if (r.failure) {
        process.stdout.write(`    error: ${r.failure.error.split('\n').join('\n           ')}\n`);
        process.stdout.write(`    counter-example (${r.failure.shrinks} shrinks): ${clip(r.failure.counterexample)}\n`);
        process.stdout.write(`    replay: npm run fuzz -- --only '^${target.name}/${p.name}$' --seed ${args.seed} --path '${r.failure.path}'\n`);
      }
    }
  }

  process.stdout.write(`\n${pad('target', 14)} ${pad('executions', 11)} ${pad('time', 8)} failures\n`);
  for (const { target } of selected) {
    const mine = outcomes.filter((o) => o.target === target.name);
    const execs = mine.reduce((n, o) => n + o.result.executions, 0);
    const ms = mine.reduce((n, o) => n + o.result.ms, 0);
    const failed = mine.filter((o) => o.result.failure).map((o) => o.property + (o.hang ? ' (stopped)' : ''));
    process.stdout.write(`${pad(target.name, 14)} ${pad(execs, 11)} ${pad(`${(ms / 1000).toFixed(1)} s`, 8)} ${failed.length ? failed.join(', ') : '0'}\n`);
  }
  if (outcomes.some((o) => o.result.failure)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`fuzz: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
