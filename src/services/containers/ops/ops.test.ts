import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { isConflict, isInvalidArgument } from '../../../errdefs';
import { makeHarness, type Harness } from '../testing/fakes';
import { pauseContainer, unpauseContainer } from './pause';
import { parsePsOutput, topContainer, validatePsArgs } from './top';
import { parseUntil, pruneContainers } from './prune';
import { updateContainer } from './update';

let h: Harness;
beforeEach(async () => { h = await makeHarness(); });
afterEach(async () => { await h.cleanup(); });

async function running(name: string, body: Record<string, unknown> = {}) {
  const rec = await h.service.create({ name, body: { Image: 'busybox', ...body } });
  await h.service.start(rec.id);
  return rec;
}

test('pause freezes through the runtime, records paused, emits pause; errors as Docker', async () => {
  const rec = await running('pp');
  await pauseContainer(h.service, 'pp');
  assert.equal(h.runtime.callsTo('pause', rec.id).length, 1);
  assert.equal(h.service.inspect('pp').state.status, 'paused');
  assert.equal(h.events.callsTo('pause', rec.id).length, 1);
  await assert.rejects(pauseContainer(h.service, 'pp'), (e) => isConflict(e) && (e as Error).message === `Container ${rec.id} is already paused`);
  await unpauseContainer(h.service, 'pp');
  assert.equal(h.service.inspect('pp').state.status, 'running');
  assert.equal(h.events.callsTo('unpause', rec.id).length, 1);
  await assert.rejects(unpauseContainer(h.service, 'pp'), (e) => isConflict(e) && (e as Error).message === `Container ${rec.id} is not paused`);
  const idle = await h.service.create({ name: 'idle', body: { Image: 'busybox' } });
  await assert.rejects(pauseContainer(h.service, 'idle'), (e) => (e as Error).message === `Container ${idle.id} is not running`);
});

test('ps output keeps the rows of the given PIDs; the last column keeps its spaces', () => {
  const out = 'UID PID PPID CMD\nroot 1 0 /sbin/init splash\nroot 42 7 sleep 100\n';
  assert.deepEqual(parsePsOutput(out, [42]), { Titles: ['UID', 'PID', 'PPID', 'CMD'], Processes: [['root', '42', '7', 'sleep 100']] });
  assert.throws(() => parsePsOutput('UID CMD\nroot x\n', [1]), /Couldn't find PID field in ps output/);
  assert.throws(() => validatePsArgs(' -o pid=PID'), (e) => isInvalidArgument(e));
});

test('top asks ps with -ef by default and refuses a stopped container', async () => {
  const rec = await running('tt');
  const seen: string[][] = [];
  const host = { pids: async () => [5], ps: async (args: string[]) => { seen.push(args); return 'PID CMD\n5 sleep 1\n6 other\n'; } };
  assert.deepEqual(await topContainer(h.service, 'tt', '', host), { Titles: ['PID', 'CMD'], Processes: [['5', 'sleep 1']] });
  await topContainer(h.service, 'tt', 'aux', host);
  assert.deepEqual(seen, [['-ef'], ['aux']]);
  await h.service.kill(rec.id);
  await h.service.wait(rec.id);
  await assert.rejects(topContainer(h.service, 'tt', '', host), (e) => isConflict(e));
});

test('prune removes only stopped containers the filters select', async () => {
  await running('up');
  const a = await h.service.create({ name: 'aa', body: { Image: 'busybox', Labels: { keep: '1' } } });
  const b = await h.service.create({ name: 'bb', body: { Image: 'busybox' } });
  const byLabel = await pruneContainers(h.service, new Map([['label!', ['keep']]]));
  assert.deepEqual(byLabel, { ContainersDeleted: [b.id], SpaceReclaimed: 0 });
  assert.deepEqual((await pruneContainers(h.service, new Map([['until', ['1h']]]))).ContainersDeleted, null);
  assert.deepEqual((await pruneContainers(h.service, new Map())).ContainersDeleted, [a.id]);
  assert.deepEqual(h.service.list().map((r) => r.name), ['up']);
  await assert.rejects(pruneContainers(h.service, new Map([['nope', ['x']]])), (e) => isInvalidArgument(e));
  assert.equal(parseUntil('10m', 1_000_000), 400_000);
  assert.equal(parseUntil('1700000000'), 1_700_000_000_000);
});

test('update sets the restart policy and records resources; AutoRemove refuses a policy', async () => {
  await running('uu');
  assert.deepEqual(await updateContainer(h.service, 'uu', { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 }, Memory: 1 << 26, MemorySwap: 1 << 27 }), { Warnings: [] });
  const hc = h.service.inspect('uu').hostConfig;
  assert.deepEqual(hc.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
  assert.equal(hc.Memory, 1 << 26);
  assert.equal(hc.MemorySwap, 1 << 27);
  await assert.rejects(updateContainer(h.service, 'uu', { RestartPolicy: { Name: 'always', MaximumRetryCount: 1 } }), /maximum retry count can only be used with 'on-failure'/);
  const rm = await h.service.create({ name: 'rm', body: { Image: 'busybox', HostConfig: { AutoRemove: true } } });
  await assert.rejects(updateContainer(h.service, 'rm', { RestartPolicy: { Name: 'always' } }),
    (e) => (e as Error).message === `Cannot update container ${rm.id}: Restart policy cannot be updated because AutoRemove is enabled for the container`);
});
