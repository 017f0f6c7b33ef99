import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, isInvalidArgument, isNotFound } from '../../../errdefs';
import { endpointsOf, type AttachRequest } from '../../../core/network';
import { makeHarness, type Harness } from '../testing/fakes';
import { connectContainer, disconnectContainer } from './network-connect';

let h: Harness;
beforeEach(async () => { h = await makeHarness(); });
afterEach(async () => { await h.cleanup(); });

test('create records the mode\'s network with the EndpointsConfig settings; start joins it', async () => {
  const rec = await h.service.create({ name: 'ww', body: { Image: 'busybox', HostConfig: { NetworkMode: 'usernet' }, NetworkingConfig: { EndpointsConfig: { usernet: { Aliases: ['web'] } } } } });
  assert.deepEqual(Object.keys(rec.networks!), ['usernet']);
  assert.deepEqual(rec.networks!.usernet.Aliases, ['web']);
  await h.service.start(rec.id);
  const req = h.network.callsTo('attach', rec.id)[0].args[1] as AttachRequest;
  assert.equal(req.containerName, 'ww');
  assert.deepEqual(req.networks!.map((n) => n.name), ['usernet']);
});

test('a stopped container only has its record changed; unknown networks are NotFound', async () => {
  const rec = await h.service.create({ name: 'ss', body: { Image: 'busybox' } });
  await connectContainer(h.service, 'ss', 'usernet', { Aliases: ['a'] });
  assert.deepEqual(Object.keys(h.service.inspect('ss').networks!).sort(), ['bridge', 'usernet']);
  assert.equal(h.network.callsTo('connect').length, 0);
  await assert.rejects(connectContainer(h.service, 'ss', 'nosuch'), (e) => isNotFound(e) && (e as Error).message === 'network nosuch not found');
  await disconnectContainer(h.service, rec.id, 'usernet');
  assert.deepEqual(Object.keys(h.service.inspect('ss').networks!), ['bridge']);
  await assert.rejects(disconnectContainer(h.service, 'ss', 'usernet'), (e) => codeOf(e) === 'FORBIDDEN' && (e as Error).message === `container ${rec.id} is not connected to network usernet`);
});

test('a running container gets and loses an endpoint through the attacher', async () => {
  const rec = await h.service.create({ name: 'rr', body: { Image: 'busybox' } });
  await h.service.start(rec.id);
  await connectContainer(h.service, 'rr', 'usernet', {});
  const now = h.service.inspect('rr');
  assert.deepEqual(endpointsOf(now.sandbox).map((e) => e.ifname), ['eth0', 'eth1']);
  assert.equal(h.network.callsTo('connect').length, 1);
  await disconnectContainer(h.service, 'rr', 'usernet');
  const after = h.service.inspect('rr');
  assert.deepEqual(endpointsOf(after.sandbox).map((e) => e.ifname), ['eth0']);
  assert.equal((h.network.callsTo('disconnect')[0].args[1] as { ifname: string }).ifname, 'eth1');
  assert.deepEqual(Object.keys(after.networks!), ['bridge']);
});

test('host, none and container: modes refuse other networks in Docker\'s words', async () => {
  await h.service.create({ name: 'hh', body: { Image: 'busybox', HostConfig: { NetworkMode: 'host' } } });
  await assert.rejects(connectContainer(h.service, 'hh', 'usernet'), (e) => isInvalidArgument(e) && /connected to host network/.test((e as Error).message));
  await h.service.create({ name: 'nn', body: { Image: 'busybox', HostConfig: { NetworkMode: 'none' } } });
  await assert.rejects(connectContainer(h.service, 'nn', 'usernet'), (e) => isInvalidArgument(e) && /private \(none\) mode/.test((e as Error).message));
  await h.service.create({ name: 'cc', body: { Image: 'busybox', HostConfig: { NetworkMode: 'container:hh' } } });
  await assert.rejects(connectContainer(h.service, 'cc', 'usernet'), (e) => isInvalidArgument(e) && /sharing network namespace/.test((e as Error).message));
});
