/**
 * Runs one fuzz property in a worker thread, so the parent can stop an input that never
 * returns. Shared counters tell the parent how far it got: [0] executions of the check,
 * [1] the run index of the first failing input (-1 while none).
 *
 * Modes: `run` fuzzes for `seconds` (then shrinks a failure for up to SHRINK_MS more);
 * `replay` regenerates the input at `path` of `seed` without running it (for a hang).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as fc from 'fast-check';
import { TARGETS } from './targets';

export interface WorkerJob {
  mode: 'run' | 'replay';
  target: string;
  property: string;
  seed: number;
  seconds: number;
  /** Inputs slower than this fail the property. */
  slowMs: number;
  path?: string;
  counters: SharedArrayBuffer;
}

export interface WorkerResult {
  executions: number;
  /** Inputs generated (fast-check's numRuns). */
  runs: number;
  ms: number;
  failure?: { error: string; counterexample: string; path: string; shrinks: number };
  /** replay mode: the input at the path. */
  input?: string;
}

/** Sent once the modules are loaded (the parent's hang clock starts), then the result. */
export type WorkerMessage = { ready: true } | WorkerResult;

const SHRINK_MS = 20_000;

// Library warnings about fuzzed inputs (the yaml library's unresolved tags) would flood the output.
process.emitWarning = () => {};

const job = workerData as WorkerJob;
const counters = new Int32Array(job.counters);
const prop = TARGETS.find((t) => t.name === job.target)!.properties.find((p) => p.name === job.property)!;

function predicate(input: unknown): void {
  const index = Atomics.add(counters, 0, 1);
  const t0 = performance.now();
  try {
    prop.check(input);
  } catch (err) {
    Atomics.compareExchange(counters, 1, -1, index);
    throw err;
  }
  const ms = performance.now() - t0;
  if (ms > job.slowMs) {
    Atomics.compareExchange(counters, 1, -1, index);
    throw new Error(`slow input: ${ms.toFixed(0)} ms (budget ${job.slowMs} ms)`);
  }
}

function run(): WorkerResult {
  const t0 = performance.now();
  const property = fc.property(prop.arbitrary, predicate);
  let details = fc.check(property, {
    seed: job.seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: job.seconds * 1000,
    markInterruptAsFailure: false, ...(job.path ? { path: job.path } : {}),
  });
  // A failure found near the end of the budget was interrupted mid-shrink: continue from there.
  if (details.failed && details.interrupted && details.counterexamplePath) {
    const more = fc.check(property, { seed: job.seed, path: details.counterexamplePath, interruptAfterTimeLimit: SHRINK_MS });
    if (more.failed) details = { ...more, numRuns: details.numRuns, numShrinks: details.numShrinks + more.numShrinks };
  }
  const result: WorkerResult = { executions: Atomics.load(counters, 0), runs: details.numRuns, ms: performance.now() - t0 };
  if (details.failed && details.counterexample) {
    const err = details.errorInstance as Error | undefined;
    result.failure = {
      error: err?.message ?? String(details.error),
      counterexample: fc.stringify(details.counterexample[0]),
      path: details.counterexamplePath ?? '',
      shrinks: details.numShrinks,
    };
  }
  return result;
}

function replay(): WorkerResult {
  let input = '';
  fc.check(fc.property(prop.arbitrary, (v) => { input = fc.stringify(v); }), { seed: job.seed, path: job.path, numRuns: 1 });
  return { executions: 0, runs: 0, ms: 0, input };
}

parentPort!.postMessage({ ready: true } satisfies WorkerMessage);
parentPort!.postMessage((job.mode === 'replay' ? replay() : run()) satisfies WorkerMessage);
