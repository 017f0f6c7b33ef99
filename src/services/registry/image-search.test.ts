import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { EndpointConfig } from './endpoint-config';
import { searchImages, splitTerm } from './image-search';

const endpoints = new EndpointConfig({ isInsecure: () => true, certsDir: '/nonexistent' });

async function closedPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

test('a term names Docker Hub unless its first component is a registry host', () => {
  assert.deepEqual(splitTerm('busybox'), { host: 'docker.io', rest: 'busybox' });
  assert.deepEqual(splitTerm('library/busybox'), { host: 'docker.io', rest: 'library/busybox' });
  assert.deepEqual(splitTerm('127.0.0.1:5000/team/a'), { host: '127.0.0.1:5000', rest: 'team/a' });
  assert.deepEqual(splitTerm('localhost/x'), { host: 'localhost', rest: 'x' });
  assert.deepEqual(splitTerm('index.docker.io/busybox'), { host: 'docker.io', rest: 'busybox' });
});

test('Docker Hub unreachable: the request in Go words, a 500', async () => {
  const port = await closedPort();
  await assert.rejects(searchImages({ endpoints, hubIndex: `http://127.0.0.1:${port}` }, { term: 'busybox' }), (e: Error & { code?: string }) => {
    assert.equal(e.message, `Get "http://127.0.0.1:${port}/v1/search?q=busybox&n=25": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    assert.equal(e.code, 'INTERNAL');
    return true;
  });
});

test('limits and filters are checked before any request', async () => {
  const deps = { endpoints, hubIndex: 'http://127.0.0.1:1' };
  await assert.rejects(searchImages(deps, { term: 'x', limit: -1 }), /Limit -1 is outside the range of \[1, 100\]/);
  await assert.rejects(searchImages(deps, { term: 'x', filters: new Map([['is-official', ['yes']]]) }), /Invalid filter 'is-official=yes'/);
});
