import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as tar from 'tar-stream';
import { Router } from '../router';
import { createApiServer } from '../http-server';
import { ImageService } from '../../services/images';
import { imageRoutes } from './images';

async function rootfsTar(): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  pack.entry({ name: 'hello.txt' }, 'hi');
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function call(port: number, method: string, path: string, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('image routes', async (t) => {
  const base = await mkdtemp(join(tmpdir(), 'berth-image-routes-'));
  const images = new ImageService({ dataRoot: base, imageUsers: () => [] });
  await images.init();
  const router = new Router();
  imageRoutes(router, images);
  const server = createApiServer(router);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(async () => {
    await new Promise((r) => server.close(r));
    await rm(base, { recursive: true, force: true });
  });
  const port = (server.address() as AddressInfo).port;

  const imp = await call(port, 'POST', '/v1.41/images/create?fromSrc=-&repo=foo/bar&tag=v1&changes=CMD%20%5B%22sh%22%5D', await rootfsTar());
  assert.equal(imp.status, 200);
  const id = (JSON.parse(imp.body.toString().trim()) as { status: string }).status;
  assert.match(id, /^sha256:[a-f0-9]{64}$/);

  const list = await call(port, 'GET', '/v1.41/images/json');
  const [summary] = JSON.parse(list.body.toString()) as Array<Record<string, unknown>>;
  assert.equal(summary.Id, id);
  assert.deepEqual(summary.RepoTags, ['foo/bar:v1']);
  assert.equal(summary.SharedSize, -1);
  assert.equal(summary.Containers, -1);
  assert.equal(summary.VirtualSize, summary.Size);
  assert.equal(typeof summary.Created, 'number');
  const list47 = JSON.parse((await call(port, 'GET', '/v1.47/images/json?filters=' + encodeURIComponent('{"reference":{"foo/*":true}}'))).body.toString()) as Array<Record<string, unknown>>;
  assert.equal(list47.length, 1);
  assert.equal('VirtualSize' in list47[0], false);

  const insp = await call(port, 'GET', '/images/foo/bar:v1/json');
  assert.equal(insp.status, 200);
  const body = JSON.parse(insp.body.toString()) as { Id: string; Config: { Cmd: string[] }; Metadata: { LastTagTime: string } };
  assert.equal(body.Id, id);
  assert.deepEqual(body.Config.Cmd, ['sh']);

  const missing = await call(port, 'GET', '/images/nope/json');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(missing.body.toString()), { message: 'No such image: nope:latest' });
  assert.equal((await call(port, 'GET', '/images/Bad/json')).status, 400);

  assert.equal((await call(port, 'POST', `/images/${id}/tag?repo=localhost:5000/x&tag=t`)).status, 201);
  const hist = JSON.parse((await call(port, 'GET', '/images/localhost:5000/x:t/history')).body.toString()) as Array<{ Id: string; Tags: string[] }>;
  assert.equal(hist[0].Id, id);
  assert.deepEqual(hist[0].Tags.sort(), ['foo/bar:v1', 'localhost:5000/x:t']);

  const saved = await call(port, 'GET', '/images/get?names=foo/bar:v1&names=localhost:5000/x:t');
  assert.equal(saved.status, 200);
  assert.equal(saved.headers['content-type'], 'application/x-tar');
  assert.equal((await call(port, 'GET', '/images/nope/get')).status, 404);

  const conflict = await call(port, 'DELETE', `/images/${id.slice(7, 19)}`);
  assert.equal(conflict.status, 409);
  const del = await call(port, 'DELETE', `/images/${id.slice(7, 19)}?force=1`);
  assert.equal(del.status, 200);
  assert.deepEqual(JSON.parse(del.body.toString()), [{ Untagged: 'foo/bar:v1' }, { Untagged: 'localhost:5000/x:t' }, { Deleted: id }, { Deleted: JSON.parse(insp.body.toString()).RootFS.Layers[0] }]);

  const load = await call(port, 'POST', '/images/load?quiet=0', saved.body);
  assert.equal(load.status, 200);
  const msgs = load.body.toString().trim().split('\r\n').map((l) => (JSON.parse(l) as { stream: string }).stream).sort();
  assert.deepEqual(msgs, ['Loaded image: foo/bar:v1\n', 'Loaded image: localhost:5000/x:t\n']);
  assert.equal(images.resolve('foo/bar:v1').id, id);
  // a pull from a registry that does not answer fails before any progress: a 503 in Docker's words
  const down = await call(port, 'POST', '/images/create?fromImage=127.0.0.1:1/x&tag=latest');
  assert.equal(down.status, 503);
  assert.equal(JSON.parse(down.body.toString()).message, 'Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused');
});
