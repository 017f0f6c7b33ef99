import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Freezer, type FreezeTarget } from './freezer';

function target(running = true) {
  const calls: string[] = [];
  const t: FreezeTarget = {
    id: 'c1',
    running: () => running,
    runtime: {
      pause: async () => { calls.push('pause'); await new Promise((r) => setTimeout(r, 5)); },
      resume: async () => { calls.push('resume'); },
    },
  };
  return { t, calls };
}

test('a running container is frozen while fn runs; overlapping holds share one freeze', async () => {
  const { t, calls } = target();
  const f = new Freezer();
  const seen: string[][] = [];
  await Promise.all([
    f.hold(t, async () => { seen.push([...calls]); await new Promise((r) => setTimeout(r, 10)); }),
    f.hold(t, async () => { seen.push([...calls]); }),
  ]);
  assert.deepEqual(seen, [['pause'], ['pause']], 'both ran after the one pause had finished');
  assert.deepEqual(calls, ['pause', 'resume']);
  await f.hold(t, async () => {});
  assert.deepEqual(calls, ['pause', 'resume', 'pause', 'resume']);
});

test('a stopped container is not touched; a failed fn still thaws', async () => {
  const stopped = target(false);
  await new Freezer().hold(stopped.t, async () => {});
  assert.deepEqual(stopped.calls, []);
  const { t, calls } = target();
  await assert.rejects(new Freezer().hold(t, async () => { throw new Error('boom'); }), /boom/);
  assert.deepEqual(calls, ['pause', 'resume']);
});

test('a freeze the cgroup gives up on is tried again; one that never takes is Unavailable', async () => {
  const { t, calls } = target();
  let fails = 2;
  t.runtime.pause = async () => { calls.push('pause'); if (fails-- > 0) throw new Error('unable to freeze'); };
  await new Freezer().hold(t, async () => {});
  assert.deepEqual(calls, ['pause', 'pause', 'pause', 'resume']);
  t.runtime.pause = async () => { throw new Error('unable to freeze'); };
  await assert.rejects(new Freezer().hold(t, async () => assert.fail('ran unfrozen')), { name: 'Unavailable', message: /cannot freeze container c1 .*unable to freeze/ });
});
