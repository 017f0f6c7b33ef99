import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { TestDaemon } from '../harness';
import { runLoad, formatReport, cleanupLoad, mountsUnder } from '../load-driver';

/**
 * Issue 11's load run: BERTH_LOAD_CLIENTS (200) concurrent API clients for BERTH_LOAD_SECONDS
 * (60) after a warm-up of BERTH_LOAD_WARMUP_SECONDS (15) with the same mix. Only Docker's
 * 404/409 may come back, no request may hang (30 s watchdog), nothing may be left, and
 * berthd's memory must be flat: its live heap after a full GC (through the inspector) and
 * its RSS, taken after the warm-up and again after the run, each once every container is gone.
 */
const CLIENTS = Number(process.env.BERTH_LOAD_CLIENTS ?? 200);
const SECONDS = Number(process.env.BERTH_LOAD_SECONDS ?? 60);
const WARMUP = Number(process.env.BERTH_LOAD_WARMUP_SECONDS ?? 15);
const MiB = 1024 * 1024;

const d = new TestDaemon('soakload');
before(async () => {
  // The inspector on a free loopback port, only for this daemon: the heap is read through it.
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${saved ?? ''} --inspect=127.0.0.1:0`.trim();
  try { await d.start(); } finally { if (saved === undefined) delete process.env.NODE_OPTIONS; else process.env.NODE_OPTIONS = saved; }
});
after(() => d.stop());

async function rss(): Promise<number> {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${d.proc!.pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** berthd's used heap after a full collection, by the inspector protocol (a child with Node's WebSocket). */
function heapAfterGc(): Promise<number> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(d.log)?.[1];
  assert.ok(url, 'berthd did not open its inspector');
  const script = `
    const ws = new WebSocket(process.argv[1]);
    let n = 0;
    const send = (method) => ws.send(JSON.stringify({ id: ++n, method }));
    ws.onopen = () => { send('HeapProfiler.collectGarbage'); send('HeapProfiler.collectGarbage'); send('Runtime.getHeapUsage'); };
    ws.onmessage = (ev) => { const m = JSON.parse(ev.data); if (m.id === 3) { console.log(m.result.usedSize); ws.close(); } };
    ws.onerror = (e) => { console.error(String(e.message ?? e)); process.exit(1); };`;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', script, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (b) => { out += b; });
    p.stderr.on('data', (b) => { out += b; });
    p.on('close', (code) => (code === 0 && /^\d+\s*$/.test(out) ? resolve(Number(out)) : reject(new Error(`heap probe: ${out}`))));
  });
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
const delta = (n: number) => `${n < 0 ? '' : '+'}${mib(n)}`;

test(`${CLIENTS} clients for ${SECONDS} s: only Docker's 4xx, no hang, nothing left, memory flat`, async () => {
  const mounts = () => mountsUnder([d.dataRoot, d.execRoot]);
  const mountsBefore = await mounts();
  const rssStart = await rss();
  const warm = await runLoad({ socket: d.socket, clients: CLIENTS, durationMs: WARMUP * 1000, runId: `warm${process.pid}` });
  assert.deepEqual(warm.failures, []);
  assert.equal(await cleanupLoad((m, p) => d.api(m, p), `warm${process.pid}`), 0);
  await settle(5000);
  const before = { rss: await rss(), heap: await heapAfterGc() };

  const runId = `load${process.pid}`;
  const report = await runLoad({ socket: d.socket, clients: CLIENTS, durationMs: SECONDS * 1000, runId, stuckMs: 30_000 });
  const left = await cleanupLoad((m, p) => d.api(m, p), runId);
  await settle(10_000);
  const afterRun = { rss: await rss(), heap: await heapAfterGc() };
  process.stdout.write(`${formatReport(report)}\n` +
    `berthd RSS: ${mib(rssStart)} at start, ${mib(before.rss)} after the ${WARMUP} s warm-up, ${mib(afterRun.rss)} after the run (${delta(afterRun.rss - before.rss)})\n` +
    `berthd heap after GC: ${mib(before.heap)} after the warm-up, ${mib(afterRun.heap)} after the run (${delta(afterRun.heap - before.heap)})\n`);

  assert.deepEqual(report.failures.slice(0, 20), [], `${report.failures.length} failures`);
  assert.equal(left, 0);
  assert.equal((await d.api('GET', '/_ping')).status, 200);
  assert.equal(await mounts(), mountsBefore);
  // Every container is gone again, so live objects are back to what the warm-up left: a leak
  // of 100 bytes per request shows as megabytes here, while GC timing noise stays under 4 MiB.
  assert.ok(afterRun.heap - before.heap < 8 * MiB, `heap grew by ${mib(afterRun.heap - before.heap)}`);
  // RSS also holds freed V8 pages and malloc arenas kept for reuse: looser, 20% of what it was.
  assert.ok(afterRun.rss < before.rss * 1.2, `RSS grew from ${mib(before.rss)} to ${mib(afterRun.rss)}`);
});
