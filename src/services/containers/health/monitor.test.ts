import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerRecord } from '../types';
import { HealthMonitor, type ProbeRunner } from './monitor';

function record(healthcheck: object): ContainerRecord {
  return {
    id: 'c'.repeat(64), name: 'probe', created: '', imageId: '', path: 'sh', args: [], restartCount: 0, manuallyStopped: false, runtime: 'runc',
    config: { Healthcheck: healthcheck } as ContainerRecord['config'], hostConfig: {} as ContainerRecord['hostConfig'],
    state: { status: 'running', pid: 1, exitCode: 0, error: '', oomKilled: false, startedAt: new Date().toISOString(), finishedAt: '' },
  };
}

function setup(rec: ContainerRecord, codes: number[]) {
  const events: string[] = [];
  const saved: string[] = [];
  const runs: string[][] = [];
  const probe: ProbeRunner = {
    async run(_id, cmd, opts) {
      runs.push(cmd);
      const code = codes.shift() ?? 0;
      return code === -1 ? { exitCode: -1, output: opts.timeoutText } : { exitCode: code, output: `out ${code}\n` };
    },
  };
  const monitor = new HealthMonitor({
    store: { find: (id) => (id === rec.id ? rec : undefined), all: () => [rec], save: async (r) => { saved.push(r.health!.Status); } },
    probe, events: (action) => events.push(action),
  });
  return { monitor, events, saved, runs };
}

const until = async (cond: () => boolean) => { while (!cond()) await new Promise((r) => setTimeout(r, 5)); };

test('probes every interval: healthy on success, unhealthy after Retries failures, an event on each change', async () => {
  const rec = record({ Test: ['CMD-SHELL', 'check'], Interval: 10e6, Retries: 2, Timeout: 2e9 });
  const { monitor, events, runs } = setup(rec, [0, 1, -1, 0]);
  await monitor.started(rec.id);
  assert.equal(rec.health!.Status, 'starting');
  await until(() => runs.length >= 4 && rec.health!.Status === 'healthy');
  monitor.stop(rec.id);
  assert.deepEqual(runs[0], ['/bin/sh', '-c', 'check']);
  assert.deepEqual(events, ['health_status: healthy', 'health_status: unhealthy', 'health_status: healthy']);
  assert.deepEqual(rec.health!.Log.map((e) => [e.ExitCode, e.Output]), [[0, 'out 0\n'], [1, 'out 1\n'], [-1, 'Health check exceeded timeout (2s)'], [0, 'out 0\n']]);
});

test('no probe runs once the container has stopped, nor for Test NONE', async () => {
  const rec = record({ Test: ['CMD', 'check'], Interval: 10e6 });
  const { monitor, runs } = setup(rec, [1]);
  await monitor.started(rec.id);
  rec.state.status = 'exited';
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(runs.length, 0);
  const none = record({ Test: ['NONE'], Interval: 10e6 });
  const other = setup(none, []);
  await other.monitor.started(none.id);
  assert.equal(none.health, undefined);
  monitor.close();
});

test('resume keeps the recorded health of a running container and goes on probing', async () => {
  const rec = record({ Test: ['CMD', 'check'], Interval: 10e6, Retries: 1 });
  rec.health = { Status: 'unhealthy', FailingStreak: 4, Log: [] };
  const { monitor, events, runs } = setup(rec, [0]);
  monitor.resume();
  assert.equal(rec.health.Status, 'unhealthy');
  await until(() => runs.length >= 1 && rec.health!.Status === 'healthy');
  monitor.close();
  assert.deepEqual(events, ['health_status: healthy']);
});
