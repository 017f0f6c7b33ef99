import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { codeOf, isNotFound } from '../errdefs';
import { EngineClient } from './engine-client';
import { isDaemonError } from './errors';
import { copyStream, encodeFrame } from './stdcopy';
import { FakeEngine, sendJson, upgradeResponse } from './testing/fake-engine';
import { encodeQuery } from './transport';

let fake: FakeEngine;
let client: EngineClient;
before(async () => {
  fake = await new FakeEngine().listen();
  client = new EngineClient({ host: { url: `unix://${fake.socketPath}`, socketPath: fake.socketPath } });
});
after(() => fake.close());

test('status codes become errdefs errors carrying the server message', async () => {
  fake.json('DELETE /containers/x', 404, { message: 'No such container: x' });
  fake.json('POST /containers/y/stop', 304, undefined);
  fake.json('DELETE /containers/busy', 409, { message: 'cannot remove a running container' });
  fake.on('POST /containers/bad/start', (_r, res) => { res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' }); res.end('{"message":"raw"}'); });
  await assert.rejects(client.containers.remove('x'), (e: Error) => isNotFound(e) && e.message === 'No such container: x' && isDaemonError(e));
  await assert.rejects(client.containers.stop('y'), (e: Error) => codeOf(e) === 'NOT_MODIFIED');
  await assert.rejects(client.containers.remove('busy'), (e: Error) => codeOf(e) === 'CONFLICT' && e.message === 'cannot remove a running container');
  // The Go CLI parses JSON only on the exact content type; otherwise the raw body is the message.
  await assert.rejects(client.containers.start('bad'), (e: Error) => codeOf(e) === 'INTERNAL' && e.message === '{"message":"raw"}');
});

test('requests use the versioned path, JSON body and query', async () => {
  fake.json('POST /containers/create', 201, { Id: 'abc', Warnings: [] });
  const r = await client.containers.create({ Image: 'busybox', HostConfig: { NetworkMode: 'default' } }, { name: 'n1' });
  assert.equal(r.Id, 'abc');
  const last = fake.requests.at(-1)!;
  assert.equal(last.query.get('name'), 'n1');
  assert.equal(last.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(last.body.toString()), { Image: 'busybox', HostConfig: { NetworkMode: 'default' } });
  assert.equal(encodeQuery({ a: true, b: false, c: ['x', 'y'], d: 3 }), '?a=1&c=x&c=y&d=3');
});

test('connection failures name the daemon address', async () => {
  const c = new EngineClient({ host: { url: 'unix:///nonexistent.sock', socketPath: '/nonexistent.sock' } });
  await assert.rejects(c.system.version(), /Cannot connect to the berth daemon at unix:\/\/\/nonexistent.sock/);
});

test('json-lines streams deliver messages and fail on an error message', async () => {
  fake.on('POST /images/load', (_r, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"stream":"Loaded image: a:b\\n"}\n');
    res.end('{"errorDetail":{"message":"boom"},"error":"boom"}\n');
  });
  const msgs: unknown[] = [];
  await assert.rejects(client.images.load(new PassThrough().end('tar'), {}, (m) => msgs.push(m)), /boom/);
  assert.deepEqual(msgs, [{ stream: 'Loaded image: a:b\n' }]);
});

test('hijack resolves to the raw socket after 101 and supports half-close', async () => {
  fake.onUpgrade('POST /containers/c1/attach', (req, socket) => {
    assert.equal(req.headers.upgrade, 'tcp');
    upgradeResponse(socket);
    socket.write(encodeFrame(1, 'early\n'));
    const got: Buffer[] = [];
    socket.on('data', (d) => got.push(d));
    socket.on('end', () => { socket.end(encodeFrame(2, `got ${Buffer.concat(got)}`)); });
  });
  const { socket, contentType } = await client.containers.attach('c1', { stdin: true, stdout: true, stderr: true });
  assert.equal(contentType, 'application/vnd.docker.multiplexed-stream');
  const out: string[] = []; const err: string[] = [];
  const mk = (arr: string[]) => new (require('node:stream').Writable)({ write(c: Buffer, _e: string, cb: () => void) { arr.push(c.toString()); cb(); } });
  const done = copyStream(socket, { stdout: mk(out), stderr: mk(err) }, { tty: false });
  socket.end('input');
  await done;
  assert.deepEqual(out, ['early\n']);
  assert.deepEqual(err, ['got input']);
});

test('waitStarted resolves on headers before the body', async () => {
  let finish: () => void = () => {};
  fake.on('POST /containers/w/wait', (_r, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    finish = () => res.end('{"StatusCode":3,"Error":null}\n');
  });
  const pending = await client.containers.waitStarted('w', 'next-exit');
  assert.equal(fake.requests.at(-1)!.query.get('condition'), 'next-exit');
  finish();
  assert.equal((await pending.result).StatusCode, 3);
  void sendJson;
});
