/**
 * The docker CLI's `docker build` (its legacy builder, as docker 28 uses it against an engine
 * without BuildKit) against a berthd of the test's own: every instruction, ONBUILD, ADD from
 * URLs served on loopback by this test, -q, and a failing RUN's exit code.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { TestDaemon, run } from '../harness';
import { Contexts, allInstructionsContext, berthOk, checkAllInstructions, checkOnbuild, mustBuild, type BuildCli } from '../build-scenarios';

const DOCKER = '/usr/local/bin/docker';
const d = new TestDaemon('bdock');
const contexts = new Contexts();
const docker = (args: string[], env: NodeJS.ProcessEnv = { DOCKER_BUILDKIT: '0' }, input?: string) =>
  run(DOCKER, ['-H', d.host, ...args], { env: { DOCKER_CONFIG: '/nonexistent', ...env }, input, timeoutMs: 60_000 });
const build: BuildCli = (args, opts) => docker(['build', ...args], { DOCKER_BUILDKIT: '0' }, opts?.input);

const BODY = 'downloaded content\n';
let server: http.Server;
let base = '';

before(async () => {
  await d.start();
  server = http.createServer((req, res) => {
    if (req.url === '/files/data.txt') {
      res.writeHead(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      res.end(BODY);
    } else if (req.url === '/named/') {
      res.writeHead(200, { 'Content-Disposition': 'attachment; filename="from-header.txt"' });
      res.end(BODY);
    } else if (req.url === '/files/archive.tar') {
      // a tar from a URL is never unpacked
      res.end(Buffer.alloc(1024));
    } else {
      res.writeHead(404);
      res.end('no such file');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.close();
  await d.stop();
  await contexts.cleanup();
});

test('docker build (legacy builder): every instruction as Docker 20.10 builds it, and ONBUILD in a child', async () => {
  const out = await mustBuild(build, ['-t', 'dall:1', await allInstructionsContext(contexts)]);
  assert.match(out, /Successfully built [0-9a-f]{12}\nSuccessfully tagged dall:1\n$/);
  await checkAllInstructions(d, 'dall:1');
  await checkOnbuild(build, contexts, d, 'dall:1', 'dall-child:1');
});

test('docker 28 without DOCKER_BUILDKIT falls back to the legacy builder against berthd; -q prints the ID', async () => {
  const dir = await contexts.make({ Dockerfile: 'FROM busybox\nRUN echo default-cli\n' });
  const r = await docker(['build', '-t', 'ddefault:1', dir], {});
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /default-cli\n[^]*Successfully tagged ddefault:1\n$/);
  const q = await docker(['build', '-q', dir]);
  assert.equal(q.code, 0, q.stderr);
  assert.match(q.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(q.stdout.trim(), (await berthOk(d, ['image', 'inspect', '-f', '{{.Id}}', 'ddefault:1'])).trim());
});

test('ADD of URLs served on loopback: named by the path or Content-Disposition, mode 0600, never unpacked, --checksum', async () => {
  const sum = `sha256:${createHash('sha256').update(BODY).digest('hex')}`;
  const dir = await contexts.make({
    Dockerfile: `FROM busybox
ADD ${base}/files/data.txt /dl/
ADD --checksum=${sum} ${base}/files/data.txt /checked.txt
ADD ${base}/named/ /named/
ADD ${base}/files/archive.tar /tars/
RUN stat -c '%n %a %s %Y' /dl/data.txt /checked.txt /named/from-header.txt /tars/archive.tar
`,
  });
  const out = await mustBuild(build, ['-t', 'durl:1', dir]);
  assert.match(out, /\/dl\/data\.txt 600 19 1445412480\n\/checked\.txt 600 19 \d+\n\/named\/from-header\.txt 600 19 \d+\n\/tars\/archive\.tar 600 1024 \d+\n/);
  const bad = await build([await contexts.make({ Dockerfile: `FROM busybox\nADD --checksum=sha256:${'0'.repeat(64)} ${base}/files/data.txt /x\n` })]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, new RegExp(`digest mismatch sha256:0{64}: ${sum}`));
  const missing = await build([await contexts.make({ Dockerfile: `FROM busybox\nADD ${base}/nope.txt /x\n` })]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, new RegExp(`ADD failed: failed to GET ${base}/nope.txt with status 404 Not Found: no such file`));
  const copy = await build([await contexts.make({ Dockerfile: `FROM busybox\nCOPY ${base}/files/data.txt /x\n` })]);
  assert.match(copy.stderr, /COPY failed: source can't be a URL for COPY/);
});

test('a failing RUN ends docker build with its exit code, its output shown and nothing tagged', async () => {
  const before = (await berthOk(d, ['ps', '-aq'])).split('\n');
  const r = await build(['-t', 'dfail:1', await contexts.make({ Dockerfile: 'FROM busybox\nRUN echo before-failure; exit 7\n' })]);
  assert.equal(r.code, 7);
  assert.match(r.stdout, /before-failure\n/);
  assert.match(r.stderr, /The command '\/bin\/sh -c echo before-failure; exit 7' returned a non-zero code: 7/);
  assert.equal((await d.cli(['image', 'inspect', 'dfail:1'])).code, 1);
  const left = (await berthOk(d, ['ps', '-aq'])).split('\n').filter((id) => !before.includes(id));
  assert.deepEqual(left, [], 'the step container was removed');
});

test('docker build - reads a Dockerfile from stdin', async () => {
  const r = await build(['-t', 'dstdin:1', '-'], { input: 'FROM busybox\nCMD ["echo", "from stdin"]\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await berthOk(d, ['run', '--rm', 'dstdin:1']), 'from stdin\n');
});
