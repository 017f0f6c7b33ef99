import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, access } from 'node:fs/promises';
import { join } from 'node:path';
import { isConflict, isInvalidArgument, isNotModified, isNotFound, codeOf } from '../../errdefs';
import { makeHarness, DEFAULT_PATH, notFoundExecutable, type Harness } from './testing/fakes';
import type { CreateRequest } from './create-container';

let h: Harness;
beforeEach(async () => { h = await makeHarness(); });
afterEach(async () => { await h.cleanup(); });

const create = (body: CreateRequest['body'], name?: string) => h.service.create({ name, body });
const containerDirs = () => readdir(h.ctx.store.root);
const exists = (p: string) => access(p).then(() => true, () => false);
const bundle = (id: string) => join(h.ctx.paths.execRoot, 'containers', id);
const exitFile = (id: string) => join(h.ctx.paths.execRoot, 'exits', id);

async function running(body: CreateRequest['body'] = { Image: 'busybox' }, name?: string) {
  const rec = await create(body, name);
  await h.service.start(rec.id);
  return rec;
}

// ---- create ----

test('create takes Cmd and Env from the image, the user Env winning per key', async () => {
  const rec = await create({ Image: 'entry', Env: ['MODE=user', 'EXTRA=1'] }, 'web');
  assert.equal(rec.name, 'web');
  assert.deepEqual(rec.config.Entrypoint, ['/entrypoint.sh']);
  assert.deepEqual(rec.config.Cmd, ['serve']);
  assert.equal(rec.path, '/entrypoint.sh');
  assert.deepEqual(rec.args, ['serve']);
  assert.deepEqual(rec.config.Env, ['PATH=/opt/bin:/bin', 'MODE=user', 'EXTRA=1']);
  assert.equal(rec.config.WorkingDir, '/srv');
  assert.equal(rec.config.User, 'www');
  assert.equal(rec.config.StopSignal, 'SIGQUIT');
  assert.equal(rec.state.status, 'created');
  assert.equal(rec.hostConfig.NetworkMode, 'default');
  assert.equal(rec.hostConfig.Runtime, 'runc');
  assert.deepEqual(h.rootfs.callsTo('create', rec.id).map((c) => c.args[1]), [`sha256:${'e'.repeat(64)}`]);
  assert.deepEqual(h.events.callsTo('create').map((c) => c.args[0]), [rec.id]);
  assert.deepEqual(await containerDirs(), [rec.id]);
  assert.equal(await readFile(join(h.ctx.store.dir(rec.id), 'hostname'), 'utf8'), `${rec.id.slice(0, 12)}\n`);
});

test('create adds the default PATH when neither image nor user sets one', async () => {
  const rec = await create({ Image: 'bare', Cmd: ['true'], Env: ['A=b'] });
  assert.deepEqual(rec.config.Env, [`PATH=${DEFAULT_PATH}`, 'A=b']);
  assert.match(rec.name, /^[a-z]+_[a-z]+\d*$/);
  const busy = await create({ Image: 'busybox' });
  assert.deepEqual(busy.config.Env, [`PATH=${DEFAULT_PATH}`]);
  assert.deepEqual(busy.config.Cmd, ['sh']);
  assert.equal(busy.path, 'sh');
  assert.deepEqual(busy.args, []);
});

test('Entrypoint [""] resets the image entrypoint; a string Cmd is one argument', async () => {
  const rec = await create({ Image: 'entry', Entrypoint: [''], Cmd: ['echo', 'hi'] });
  assert.equal(rec.config.Entrypoint, null);
  assert.deepEqual(rec.config.Cmd, ['echo', 'hi']);
  assert.equal(rec.path, 'echo');
  assert.deepEqual(rec.args, ['hi']);
  // The Engine API also accepts a string; CreateRequest's intersection type cannot say so.
  const str = await create({ Image: 'entry', Entrypoint: '', Cmd: 'date' } as unknown as CreateRequest['body']);
  assert.equal(str.config.Entrypoint, null);
  assert.equal(str.path, 'date');
});

test('a user Entrypoint drops the image Cmd unless a Cmd is given too', async () => {
  const alone = await create({ Image: 'busybox', Entrypoint: ['echo'] });
  assert.deepEqual(alone.config.Entrypoint, ['echo']);
  assert.equal(alone.config.Cmd, null);
  assert.equal(alone.path, 'echo');
  assert.deepEqual(alone.args, []);
  const both = await create({ Image: 'entry', Entrypoint: ['/bin/echo', '-n'], Cmd: ['x'] });
  assert.equal(both.path, '/bin/echo');
  assert.deepEqual(both.args, ['-n', 'x']);
});

test('no command at all is a 400 and leaves nothing behind', async () => {
  await assert.rejects(create({ Image: 'bare' }, 'nocmd'), (e) => isInvalidArgument(e) && (e as Error).message === 'no command specified');
  await assert.rejects(create({ Image: 'busybox', Entrypoint: [''] }), (e) => isInvalidArgument(e) && (e as Error).message === 'no command specified');
  assert.equal(h.ctx.store.nameOwner('nocmd'), undefined);
  assert.deepEqual(h.service.list(), []);
  assert.deepEqual(await containerDirs(), []);
  assert.equal(h.rootfs.callsTo('create').length, 0);
});

test('a taken name is a 409 with Docker message and leaves nothing new behind', async () => {
  const first = await create({ Image: 'busybox' }, 'web');
  await assert.rejects(create({ Image: 'busybox' }, '/web'), (e) => {
    assert.ok(isConflict(e));
    assert.equal((e as Error).message, `Conflict. The container name "/web" is already in use by container "${first.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    return true;
  });
  assert.deepEqual(h.service.list().map((r) => r.id), [first.id]);
  assert.deepEqual(await containerDirs(), [first.id]);
  assert.deepEqual(h.rootfs.callsTo('create').map((c) => c.args[0]), [first.id]);
  assert.equal(h.service.inspect('web').id, first.id);
});

test('an invalid name is a 400 and leaves nothing behind', async () => {
  for (const bad of ['-web', 'a b', 'x']) {
    await assert.rejects(create({ Image: 'busybox' }, bad), (e) => {
      assert.ok(isInvalidArgument(e));
      assert.equal((e as Error).message, `Invalid container name (${bad}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      return true;
    });
  }
  assert.deepEqual(h.service.list(), []);
  assert.deepEqual(await containerDirs(), []);
  assert.equal(h.rootfs.callsTo('create').length, 0);
});

test('an unknown runtime, network or image is refused before anything is written', async () => {
  await assert.rejects(create({ Image: 'busybox', HostConfig: { Runtime: 'nope' } }),
    (e) => isInvalidArgument(e) && (e as Error).message === 'unknown or invalid runtime name: nope');
  await assert.rejects(create({ Image: 'busybox', HostConfig: { NetworkMode: 'mynet' } }),
    (e) => isNotFound(e) && (e as Error).message === 'network mynet not found');
  await assert.rejects(create({ Image: 'ghost' }), (e) => isNotFound(e) && (e as Error).message === 'No such image: ghost');
  h.ctx.runtimeRefusals.set('runc', 'runc cannot run containers on this host');
  await assert.rejects(create({ Image: 'busybox' }), (e) => isInvalidArgument(e) && /cannot run containers/.test((e as Error).message));
  assert.deepEqual(h.service.list(), []);
  assert.deepEqual(await containerDirs(), []);
});

test('a layer that fails to create undoes the name and the dir', async () => {
  h.rootfs.createError = new Error('disk full');
  await assert.rejects(create({ Image: 'busybox' }, 'web'), /disk full/);
  assert.equal(h.ctx.store.nameOwner('web'), undefined);
  assert.deepEqual(await containerDirs(), []);
  assert.equal(h.rootfs.callsTo('remove').length, 1);
  h.rootfs.createError = undefined;
  await create({ Image: 'busybox' }, 'web');
});

test('AutoRemove with a restart policy is a 400', async () => {
  await assert.rejects(create({ Image: 'busybox', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } } }),
    (e) => isInvalidArgument(e) && (e as Error).message === "can't create 'AutoRemove' container with restart policy");
});

// ---- start ----

test('start runs the container with the monitor pid and writes the bundle config', async () => {
  const rec = await create({ Image: 'busybox', Cmd: ['echo', 'hi'], Hostname: 'box', Env: ['A=1'], User: 'www' }, 'web');
  await h.service.start('web');
  const now = h.service.inspect(rec.id);
  assert.equal(now.state.status, 'running');
  assert.equal(now.state.pid, 4000);
  assert.equal(now.state.exitCode, 0);
  assert.notEqual(now.state.startedAt, '0001-01-01T00:00:00Z');
  assert.equal(now.sandbox?.netns, `/run/fake-netns/${rec.id.slice(0, 12)}`);
  assert.equal(now.sandbox?.endpoints?.[0]?.ipAddress, '172.17.0.2');
  assert.deepEqual(h.runtime.callsTo('start').map((c) => c.args[0]), [rec.id]);
  assert.deepEqual(h.events.calls.map((c) => c.op), ['create', 'start']);

  const [opts] = h.monitor.options;
  assert.equal(opts.id, rec.id);
  assert.equal(opts.name, 'web');
  assert.equal(opts.bundle, bundle(rec.id));
  assert.equal(opts.exitDir, join(h.ctx.paths.execRoot, 'exits'));
  assert.equal(opts.runtime.name, 'runc');
  assert.equal(opts.tty, false);

  const spec = JSON.parse(await readFile(join(bundle(rec.id), 'config.json'), 'utf8'));
  assert.deepEqual(spec.process.args, ['echo', 'hi']);
  assert.deepEqual(spec.process.env, [`PATH=${DEFAULT_PATH}`, 'HOSTNAME=box', 'A=1']);
  assert.deepEqual(spec.process.user, { uid: 33, gid: 33, additionalGids: [33, 10] });
  assert.equal(spec.hostname, 'box');
  assert.equal(spec.root.path, h.rootfs.layers.get(rec.id));
  assert.deepEqual(spec.linux.namespaces.find((n: { type: string }) => n.type === 'network'), { type: 'network', path: now.sandbox?.netns });
  const hosts = await readFile(join(h.ctx.store.dir(rec.id), 'hosts'), 'utf8');
  assert.match(hosts, /^172\.17\.0\.2\tbox$/m);
  // As Docker: the host's file as it is, when no --dns* flag rebuilds it.
  assert.equal(await readFile(join(h.ctx.store.dir(rec.id), 'resolv.conf'), 'utf8'), 'nameserver 10.0.0.53\nsearch example.test\n');
});

test('host networking joins the host namespace and keeps no hostname in the spec', async () => {
  const rec = await running({ Image: 'busybox', HostConfig: { NetworkMode: 'host' } });
  const spec = JSON.parse(await readFile(join(bundle(rec.id), 'config.json'), 'utf8'));
  assert.equal(spec.linux.namespaces.some((n: { type: string }) => n.type === 'network'), false);
  assert.equal(spec.hostname, undefined);
  assert.deepEqual(h.service.inspect(rec.id).sandbox, { containerId: rec.id, netns: 'host', owned: false, endpoints: [] });
});

test('start of a running container is NotModified and starts nothing', async () => {
  const rec = await running();
  await assert.rejects(h.service.start(rec.id), (e) => isNotModified(e));
  assert.equal(h.monitor.callsTo('create').length, 1);
  assert.equal(h.service.inspect(rec.id).state.status, 'running');
});

test('a failed start records exit code 127 and the error and undoes network and mount', async () => {
  const rec = await create({ Image: 'busybox', Cmd: ['nosuchcmd'] });
  const err = notFoundExecutable();
  h.monitor.failNext(err);
  await assert.rejects(h.service.start(rec.id), (e) => e === err);
  const now = h.service.inspect(rec.id);
  assert.equal(now.state.status, 'created');
  assert.equal(now.state.exitCode, 127);
  assert.equal(now.state.error, err.message);
  assert.equal(now.sandbox, undefined);
  assert.equal(h.network.callsTo('detach').length, 1);
  assert.equal(h.network.callsTo('detach')[0].args[0], `/run/fake-netns/${rec.id.slice(0, 12)}`);
  assert.deepEqual(h.rootfs.callsTo('unmount').map((c) => c.args[0]), [rec.id]);
  assert.equal(h.rootfs.mounted.size, 0);
  assert.equal(h.runtime.callsTo('delete', rec.id).length, 1);
  assert.equal(h.runtime.callsTo('start').length, 0);
  assert.equal(await exists(bundle(rec.id)), false);
  // The record on disk says so too.
  const saved = JSON.parse(await readFile(join(h.ctx.store.dir(rec.id), 'config.json'), 'utf8'));
  assert.equal(saved.state.exitCode, 127);
  // It can be started once the cause is gone.
  await h.service.start(rec.id);
  assert.equal(h.service.inspect(rec.id).state.status, 'running');
  assert.equal(h.service.inspect(rec.id).state.error, '');
});

test('a network that fails to attach unmounts the rootfs', async () => {
  const rec = await create({ Image: 'busybox' });
  h.network.attachError = new Error('no address left in 172.17.0.0/16');
  await assert.rejects(h.service.start(rec.id), /no address left/);
  assert.deepEqual(h.rootfs.callsTo('unmount').map((c) => c.args[0]), [rec.id]);
  assert.equal(h.network.callsTo('detach').length, 0);
  assert.equal(h.monitor.callsTo('create').length, 0);
  assert.equal(h.service.inspect(rec.id).state.exitCode, 128);
});

test('an AutoRemove container that fails to start is removed', async () => {
  const rec = await create({ Image: 'busybox', Cmd: ['nosuchcmd'], HostConfig: { AutoRemove: true } }, 'gone');
  h.monitor.failNext();
  await assert.rejects(h.service.start(rec.id), (e) => isInvalidArgument(e));
  assert.equal(h.ctx.store.find(rec.id), undefined);
  assert.equal(h.ctx.store.nameOwner('gone'), undefined);
  assert.deepEqual(await containerDirs(), []);
  assert.deepEqual(h.rootfs.callsTo('remove').map((c) => c.args[0]), [rec.id]);
  assert.deepEqual(h.network.callsTo('detach').length, 1);
  assert.deepEqual(h.events.callsTo('destroy').map((c) => c.args[0]), [rec.id]);
});

// ---- exits ----

test('an exit file moves the container to exited with its code and answers waiters', async () => {
  const rec = await running();
  const notRunning = h.service.wait(rec.id, 'not-running');
  const nextExit = h.service.wait(rec.id, 'next-exit');
  await h.exit(rec.id, 3);
  assert.equal(await notRunning, 3);
  assert.equal(await nextExit, 3);
  const now = h.service.inspect(rec.id);
  assert.equal(now.state.status, 'exited');
  assert.equal(now.state.exitCode, 3);
  assert.equal(now.state.pid, 0);
  assert.equal(now.sandbox, undefined);
  assert.notEqual(now.state.finishedAt, '0001-01-01T00:00:00Z');
  assert.deepEqual(h.events.callsTo('die').map((c) => c.args), [[rec.id, { exitCode: '3' }]]);
  // Released before the waiters were answered.
  assert.equal(h.network.callsTo('detach').length, 1);
  assert.deepEqual(h.rootfs.callsTo('unmount').map((c) => c.args[0]), [rec.id]);
  assert.equal(h.runtime.live.has(rec.id), false);
  assert.equal(await exists(bundle(rec.id)), false);
  assert.equal(await exists(exitFile(rec.id)), false);
  // A stopped container answers not-running at once.
  assert.equal(await h.service.wait(rec.id), 3);
  const saved = JSON.parse(await readFile(join(h.ctx.store.dir(rec.id), 'config.json'), 'utf8'));
  assert.equal(saved.state.status, 'exited');
});

test('an exited container starts again', async () => {
  const rec = await running();
  const done = h.service.wait(rec.id, 'next-exit');
  await h.exit(rec.id, 0);
  await done;
  await h.service.start(rec.id);
  assert.equal(h.service.inspect(rec.id).state.status, 'running');
  assert.equal(h.service.inspect(rec.id).state.pid, 4001);
  const again = h.service.wait(rec.id);
  await h.exit(rec.id, 1);
  assert.equal(await again, 1);
});

test('an AutoRemove container is removed at its exit and answers removed', async () => {
  const rec = await running({ Image: 'busybox', HostConfig: { AutoRemove: true } }, 'tmp');
  const removed = h.service.wait(rec.id, 'removed');
  const notRunning = h.service.wait(rec.id, 'not-running');
  await h.exit(rec.id, 2);
  assert.equal(await removed, 2);
  assert.equal(await notRunning, 2);
  assert.equal(h.ctx.store.find(rec.id), undefined);
  assert.equal(h.ctx.store.nameOwner('tmp'), undefined);
  assert.deepEqual(await containerDirs(), []);
  assert.deepEqual(h.rootfs.callsTo('remove').map((c) => c.args[0]), [rec.id]);
  // The network and the mount are released after the waiters are answered.
  await h.network.called('detach');
  await h.rootfs.called('unmount', rec.id);
  assert.deepEqual(h.events.calls.map((c) => c.op), ['create', 'start', 'die', 'destroy']);
});

test('on-failure restarts a container that exits non-zero, up to MaximumRetryCount', async () => {
  const rec = await running({ Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 1 } } });
  let exited = h.service.wait(rec.id, 'next-exit');
  await h.exit(rec.id, 1);
  assert.equal(await exited, 1);
  await h.events.called('start', rec.id, 2);
  assert.equal(h.monitor.callsTo('create').length, 2);
  let now = h.service.inspect(rec.id);
  assert.equal(now.state.status, 'running');
  assert.equal(now.restartCount, 1);

  exited = h.service.wait(rec.id, 'next-exit');
  await h.exit(rec.id, 1);
  assert.equal(await exited, 1);
  now = h.service.inspect(rec.id);
  // The retry count is spent: no further restart is scheduled.
  assert.equal(now.state.status, 'exited');
  assert.equal(now.restartCount, 1);
  assert.equal(h.monitor.callsTo('create').length, 2);
});

test('on-failure leaves a container that exits 0 stopped', async () => {
  const rec = await running({ Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 0 } } });
  const exited = h.service.wait(rec.id, 'next-exit');
  await h.exit(rec.id, 0);
  assert.equal(await exited, 0);
  assert.equal(h.service.inspect(rec.id).restartCount, 0);
  assert.equal(h.service.inspect(rec.id).state.status, 'exited');
});

// ---- stop, kill, remove ----

// stop races the exit against sleep(timeout) and leaves that timer pending: mock it, so the
// test process is not held alive for the timeout.
test('stop sends the stop signal and the container exits of it', async (t) => {
  const rec = await running();
  t.mock.timers.enable({ apis: ['setTimeout'] });
  await h.service.stop(rec.id, { timeout: 5 });
  const now = h.service.inspect(rec.id);
  assert.equal(now.state.status, 'exited');
  assert.equal(now.state.exitCode, 143);
  assert.equal(now.manuallyStopped, true);
  assert.deepEqual(h.runtime.callsTo('kill').map((c) => c.args), [[rec.id, '15', undefined]]);
  assert.deepEqual(h.events.calls.map((c) => c.op), ['create', 'start', 'die', 'stop']);
});

test('stop SIGKILLs after the timeout a container that ignores the stop signal', async () => {
  const rec = await running();
  h.runtime.dieOn = new Set([9]);
  await h.service.stop(rec.id, { timeout: 0 });
  const now = h.service.inspect(rec.id);
  assert.equal(now.state.status, 'exited');
  assert.equal(now.state.exitCode, 137);
  assert.equal(now.manuallyStopped, true);
  assert.deepEqual(h.runtime.callsTo('kill').map((c) => c.args), [[rec.id, '15', undefined], [rec.id, '9', true]]);
  await assert.rejects(h.service.stop(rec.id), (e) => isNotModified(e));
});

test('stop uses the image StopSignal', async (t) => {
  const rec = await running({ Image: 'entry' });
  t.mock.timers.enable({ apis: ['setTimeout'] });
  h.runtime.dieOn = new Set([3, 9]);
  await h.service.stop(rec.id, { timeout: 5 });
  assert.deepEqual(h.runtime.callsTo('kill').map((c) => c.args[1]), ['3']);
  assert.equal(h.service.inspect(rec.id).state.exitCode, 131);
});

test('a stopped container is not restarted by its policy (unless always)', async (t) => {
  const rec = await running({ Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } } });
  t.mock.timers.enable({ apis: ['setTimeout'] });
  await h.service.stop(rec.id, { timeout: 5 });
  assert.equal(h.service.inspect(rec.id).state.status, 'exited');
  assert.equal(h.service.inspect(rec.id).restartCount, 0);
  assert.equal(h.monitor.callsTo('create').length, 1);
});

test('stop with timeout -1 waits for the exit and reports the stop event', async () => {
  const rec = await running();
  await h.service.stop(rec.id, { timeout: -1 });
  assert.equal(h.service.inspect(rec.id).state.exitCode, 143);
  assert.deepEqual(h.events.calls.map((c) => c.op), ['create', 'start', 'die', 'stop']);
});

test('a stop during the restart delay keeps the container stopped', async (t) => {
  const rec = await running({ Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } } });
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const exited = h.service.wait(rec.id, 'next-exit');
  await h.exit(rec.id, 1);
  await exited;
  await h.service.stop(rec.id, { timeout: 0 }).catch((e) => { if (!isNotModified(e)) throw e; });
  t.mock.timers.tick(100);
  // Queued behind any restart on the container's lock: it starts the container only if the
  // policy did not.
  const mine = await h.service.start(rec.id).then(() => 'started', (e: Error) => e.message);
  assert.equal(mine, 'started');
  assert.equal(h.events.callsTo('start', rec.id).length, 2);
});

test('kill of a container that is not running is a 409 naming it', async () => {
  const rec = await create({ Image: 'busybox' }, 'idle');
  await assert.rejects(h.service.kill('idle'), (e) => {
    assert.ok(isConflict(e));
    assert.equal((e as Error).message, `cannot kill container: idle: container ${rec.id} is not running`);
    return true;
  });
  await h.service.start('idle');
  const exited = h.service.wait('idle', 'next-exit');
  await h.exit(rec.id, 0);
  await exited;
  await assert.rejects(h.service.kill(rec.id.slice(0, 12)), (e) => isConflict(e)
    && (e as Error).message === `cannot kill container: ${rec.id.slice(0, 12)}: container ${rec.id} is not running`);
  await assert.rejects(h.service.kill('ghost'), (e) => isNotFound(e) && (e as Error).message === 'cannot kill container: ghost: No such container: ghost');
  assert.equal(h.runtime.callsTo('kill').length, 0);
});

test('kill sends SIGKILL to all processes by default and the exit is recorded', async () => {
  const rec = await running();
  const exited = h.service.wait(rec.id);
  await h.service.kill(rec.id);
  assert.equal(await exited, 137);
  assert.deepEqual(h.runtime.callsTo('kill').map((c) => c.args), [[rec.id, '9', true]]);
  assert.equal(h.service.inspect(rec.id).manuallyStopped, true);
  await assert.rejects(h.service.kill(rec.id, 'SIGNOPE'), (e) => isInvalidArgument(e) && (e as Error).message === 'Invalid signal: SIGNOPE');
});

test('remove of a running container without force is a 409 with Docker message', async () => {
  const rec = await running({ Image: 'busybox' }, 'busy');
  await assert.rejects(h.service.remove('busy'), (e) => {
    assert.ok(isConflict(e));
    assert.equal((e as Error).message, 'cannot remove container "/busy": container is running: stop the container before removing or force remove');
    return true;
  });
  assert.equal(h.service.inspect(rec.id).state.status, 'running');
  assert.equal(h.runtime.callsTo('kill').length, 0);
  assert.equal(h.rootfs.callsTo('remove').length, 0);
});

test('force remove kills a running container and forgets it', async () => {
  const rec = await running({ Image: 'busybox' }, 'busy');
  const removed = h.service.wait(rec.id, 'removed');
  await h.service.remove('busy', { force: true });
  assert.equal(await removed, 137);
  assert.deepEqual(h.runtime.callsTo('kill').map((c) => c.args), [[rec.id, '9', true]]);
  assert.equal(h.ctx.store.find(rec.id), undefined);
  assert.equal(h.ctx.store.nameOwner('busy'), undefined);
  assert.deepEqual(await containerDirs(), []);
  assert.deepEqual(h.rootfs.callsTo('remove').map((c) => c.args[0]), [rec.id]);
  assert.equal(h.network.callsTo('detach').length, 1);
  assert.throws(() => h.service.inspect(rec.id), (e) => isNotFound(e) && (e as Error).message === `No such container: ${rec.id}`);
  // The name is free again.
  await create({ Image: 'busybox' }, 'busy');
});

test('remove of a created container deletes record, dir and layer', async () => {
  const rec = await create({ Image: 'busybox' }, 'c1');
  await h.service.remove('c1');
  assert.deepEqual(h.service.list(), []);
  assert.deepEqual(await containerDirs(), []);
  assert.deepEqual(h.rootfs.callsTo('remove').map((c) => c.args[0]), [rec.id]);
  assert.equal(codeOf(await h.service.remove('c1').catch((e) => e)), 'NOT_FOUND');
});

// ---- attach ----

test('an attach before start is connected at start, before the runtime starts the process', async () => {
  const rec = await create({ Image: 'busybox', OpenStdin: true, AttachStdin: true });
  const out: string[] = [];
  let ended = false;
  const { session } = await h.service.attach(rec.id, { stdin: true, stdout: true, stderr: true }, { write: (_s, d) => out.push(d.toString()), end: () => { ended = true; } });
  session.writeStdin(Buffer.from('early'));
  await h.service.start(rec.id);
  assert.deepEqual(h.attach.callsTo('connect').map((c) => c.args[0]), [join(h.ctx.paths.execRoot, 'socks', rec.id, 'attach')]);
  assert.ok(h.attach.callsTo('connect')[0].seq < h.runtime.callsTo('start', rec.id)[0].seq);
  assert.ok(h.monitor.callsTo('create')[0].seq < h.attach.callsTo('connect')[0].seq);
  const [conn] = h.attach.connections;
  assert.deepEqual(conn.stdin.map(String), ['early']);
  conn.emit('stdout', 'hello');
  assert.deepEqual(out, ['hello']);
  conn.end();
  assert.equal(ended, true);
});

// ---- daemon restart ----

test('a new service reconciles a container that died while the daemon was down', async () => {
  const rec = await running({ Image: 'busybox' }, 'crashed');
  const other = await running({ Image: 'busybox' }, 'alive');
  // The daemon goes away; the container ends meanwhile: conmon writes its exit file and
  // the runtime forgets it.
  const next = await h.reopen(async (n) => {
    h.runtime.live.delete(rec.id);
    await n.exit(rec.id, 42);
  });
  const now = next.service.inspect('crashed');
  assert.equal(now.state.status, 'exited');
  assert.equal(now.state.exitCode, 42);
  assert.equal(now.sandbox, undefined);
  assert.equal(next.network.callsTo('detach').length, 1);
  assert.equal(await exists(exitFile(rec.id)), false);
  // The other one still runs and keeps its sandbox.
  assert.equal(next.service.inspect('alive').state.status, 'running');
  const live = next.network.callsTo('restore')[0].args[0] as { netns: string }[];
  assert.deepEqual(live.map((s) => s.netns).sort(), [`/run/fake-netns/${rec.id.slice(0, 12)}`, `/run/fake-netns/${other.id.slice(0, 12)}`].sort());
  // Its exits are still seen by the new service.
  const exited = next.service.wait('alive');
  await next.exit(other.id, 5);
  assert.equal(await exited, 5);
});

test('a container the runtime lost with no exit file is recorded as killed (137)', async () => {
  const rec = await running();
  const next = await h.reopen(() => { h.runtime.live.delete(rec.id); });
  assert.equal(next.service.inspect(rec.id).state.status, 'exited');
  assert.equal(next.service.inspect(rec.id).state.exitCode, 137);
});
