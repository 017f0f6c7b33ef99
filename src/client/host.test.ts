import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SOCKET, parseHost, resolveHost } from './host';

test('host comes from -H, then BERTH_HOST, then a unix DOCKER_HOST, else the default socket', () => {
  assert.equal(resolveHost('unix:///a.sock', { BERTH_HOST: 'unix:///b.sock' }).socketPath, '/a.sock');
  assert.equal(resolveHost(undefined, { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'unix:///c.sock' }).socketPath, '/b.sock');
  assert.equal(resolveHost(undefined, { DOCKER_HOST: 'unix:///c.sock' }).socketPath, '/c.sock');
  assert.equal(resolveHost(undefined, { DOCKER_HOST: 'tcp://1.2.3.4:2375' }).socketPath, DEFAULT_SOCKET);
  assert.equal(resolveHost(undefined, {}).url, 'unix:///run/berth/berth.sock');
  assert.throws(() => parseHost('tcp://1.2.3.4:2375'), /only unix:\/\/ is supported/);
});
