/**
 * berthd killed with SIGKILL at random points of a burst of create/start/stop/rm/commit, a
 * handful of times in a row, with a web server publishing a port on a user network, a
 * counter printing every 100 ms and containers exiting while the daemon is down: after each
 * restart every invariant of test/crash-world.ts holds. The hundred-kill run with fifty
 * containers, pulls and builds is test/soak/daemon-kill.test.ts.
 */
import { test, before, after } from 'node:test';
import { CrashWorld } from '../crash-world';

const w = new CrashWorld('crash', { sleepers: 0 });

before(async () => { await w.setup(); });
after(async () => { await w.teardown(); });

test('kill -9 at random points of a burst: after each restart states, exit codes, logs, port, DNS and records hold', async () => {
  for (let i = 0; i < 5; i++) await w.round({ parallel: 3, maxDelayMs: 800, exiters: 2 });
  const s = w.summary();
  process.stdout.write(`daemon-crash: ${s.iterations} kills, recovery p50 ${s.p50} ms, max ${s.p99} ms, rolled back ${s.rolledBack}, completed ${s.completed}\n`);
});
