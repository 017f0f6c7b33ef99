import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { encodeFrame } from '../client';
import { FakeEngine, sendJson, upgradeResponse } from '../client/testing/fake-engine';
import { main } from './main';
import { buildProgram, normalizeBoolFlags } from './program';
import { CliContext } from './context';

let fake: FakeEngine;
before(async () => { fake = await new FakeEngine().listen(); });
after(() => fake.close());

interface Result { code: number; out: string; err: string }
async function berth(args: string[], opts: { stdin?: string; tty?: boolean } = {}): Promise<Result> {
  const outParts: Buffer[] = []; const errParts: Buffer[] = [];
  const sink = (parts: Buffer[]) => new Writable({ write(c, _e, cb) { parts.push(Buffer.from(c)); cb(); } });
  const stdin = new PassThrough();
  if (opts.stdin !== undefined) stdin.end(opts.stdin);
  const stdout = Object.assign(sink(outParts), { isTTY: opts.tty });
  const code = await main(args, { stdin, stdout, stderr: sink(errParts) }, { BERTH_HOST: `unix://${fake.socketPath}`, HOME_VAR: 'from-env' });
  return { code, out: Buffer.concat(outParts).toString(), err: Buffer.concat(errParts).toString() };
}
const ID = 'a'.repeat(64);

test('run -d maps flags to the create body as the docker CLI does and prints the ID', async () => {
  fake.requests.length = 0;
  fake.json('POST /containers/create', 201, { Id: ID, Warnings: ['low memory'] });
  fake.on(`POST /containers/${ID}/start`, (_r, res) => { res.writeHead(204); res.end(); });
  const r = await berth(['run', '-d', '--name', 'web', '-e', 'A=1', '-e', 'HOME_VAR', '-e', 'UNSET_VAR', '-p', '8080:80', '-p', '127.0.0.1::53/udp',
    '-v', '/data:/data:ro', '-v', '/anon', '-l', 'k=v', '--restart', 'on-failure:3', '-w', '/w', '-u', '1000', '--entrypoint', '',
    '--cap-add', 'NET_ADMIN', '--init', '--read-only', '--stop-timeout', '5', 'busybox', 'ls', '-l']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${ID}\n`);
  assert.equal(r.err, 'WARNING: low memory\n');
  const [create, start] = fake.calls();
  assert.equal(create.query.get('name'), 'web');
  const body = JSON.parse(create.body.toString());
  assert.deepEqual(body.Cmd, ['ls', '-l']);
  assert.deepEqual(body.Entrypoint, ['']);
  assert.deepEqual(body.Env, ['A=1', 'HOME_VAR=from-env', 'UNSET_VAR']);
  assert.deepEqual(body.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  assert.deepEqual(body.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
  assert.deepEqual(body.HostConfig.Binds, ['/data:/data:ro']);
  assert.deepEqual(body.Volumes, { '/anon': {} });
  assert.deepEqual(body.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(body.HostConfig.NetworkMode, 'default');
  assert.equal(body.HostConfig.Init, true);
  assert.equal(body.HostConfig.ReadonlyRootfs, true);
  assert.deepEqual(body.HostConfig.CapAdd, ['NET_ADMIN']);
  assert.equal(body.StopTimeout, 5);
  assert.deepEqual(body.Labels, { k: 'v' });
  assert.equal(body.AttachStdout, false);
  assert.equal(start.path, `/containers/${ID}/start`);
});

test('run attaches, waits, then starts; demuxes output and exits with the status', async () => {
  fake.requests.length = 0;
  const order: string[] = [];
  fake.json('POST /containers/create', 201, { Id: ID, Warnings: [] });
  let attachSocket: import('node:net').Socket | undefined;
  fake.onUpgrade(`POST /containers/${ID}/attach`, (req, socket) => {
    order.push(`attach stdin=${req.query.get('stdin')}`);
    upgradeResponse(socket);
    attachSocket = socket;
    let input = '';
    socket.on('data', (d) => { input += d; });
    socket.on('end', () => { socket.write(encodeFrame(1, `echo:${input}`)); socket.end(encodeFrame(2, 'warn\n')); });
  });
  let finishWait: (code: number) => void = () => {};
  fake.on(`POST /containers/${ID}/wait`, (req, res) => {
    order.push(`wait ${req.query.get('condition')}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    finishWait = (code) => res.end(JSON.stringify({ StatusCode: code, Error: null }));
  });
  fake.on(`POST /containers/${ID}/start`, (_r, res) => {
    order.push('start');
    res.writeHead(204); res.end();
    if (attachSocket!.closed) finishWait(42); else attachSocket!.once('close', () => finishWait(42));
  });
  const r = await berth(['run', '-i', '--rm', 'busybox', 'cat'], { stdin: 'hello' });
  assert.deepEqual(order, ['attach stdin=1', 'wait removed', 'start']);
  assert.equal(r.out, 'echo:hello');
  assert.equal(r.err, 'warn\n');
  assert.equal(r.code, 42);
});

test('run start failures exit 127/126/125 with docker text', async () => {
  fake.json('POST /containers/create', 201, { Id: ID, Warnings: [] });
  fake.json(`POST /containers/${ID}/start`, 400, { message: 'exec: "nosuch": executable file not found in $PATH' });
  const r = await berth(['run', '-d', 'busybox', 'nosuch']);
  assert.equal(r.code, 127);
  assert.equal(r.err, `berth: Error response from daemon: exec: "nosuch": executable file not found in $PATH\n\nRun 'berth run --help' for more information\n`);
  fake.json(`POST /containers/${ID}/start`, 500, { message: 'exec: "/etc": permission denied' });
  assert.equal((await berth(['run', '-d', 'busybox', '/etc'])).code, 126);
  fake.json('POST /containers/create', 409, { message: 'Conflict. The container name "/x" is already in use' });
  const c = await berth(['run', '--name', 'x', 'busybox']);
  assert.equal(c.code, 125);
  assert.match(c.err, /^berth: Error response from daemon: Conflict\./);
});

test('daemon errors print "Error response from daemon" and exit 1; inspect says No such object', async () => {
  fake.json('DELETE /containers/nope', 404, { message: 'No such container: nope' });
  fake.on('DELETE /containers/ok', (_r, res) => { res.writeHead(204); res.end(); });
  const rm = await berth(['container', 'rm', 'nope', 'ok']);
  assert.deepEqual(rm, { code: 1, out: 'ok\n', err: 'Error response from daemon: No such container: nope\n' });
  fake.json('GET /containers/x/json', 404, { message: 'No such container: x' });
  fake.json('GET /images/x/json', 404, { message: 'No such image: x:latest' });
  const ins = await berth(['inspect', 'x']);
  assert.deepEqual(ins, { code: 1, out: '[]\n', err: 'Error: No such object: x\n' });
});

test('inspect prints a 4-space indented array or a template per object', async () => {
  fake.json('GET /containers/c/json', 200, { Id: 'c', State: { Pid: 7, Running: true }, Config: { Cmd: ['a<b'] } });
  const r = await berth(['inspect', 'c']);
  assert.equal(r.out, '[\n    {\n        "Id": "c",\n        "State": {\n            "Pid": 7,\n            "Running": true\n        },\n        "Config": {\n            "Cmd": [\n                "a\\u003cb"\n            ]\n        }\n    }\n]\n');
  const f = await berth(['inspect', '-f', '{{.State.Pid}} {{json .Config.Cmd}}', 'c']);
  assert.equal(f.out, '7 ["a\\u003cb"]\n');
});

test('ps and images render docker tables; -q prints IDs', async () => {
  const now = Math.floor(Date.now() / 1000);
  fake.json('GET /containers/json', 200, [{ Id: ID, Names: ['/web'], Image: 'busybox', ImageID: 'sha256:1', Command: 'sleep 100', Created: now - 5, Ports: [], Labels: {}, State: 'running', Status: 'Up 4 seconds' }]);
  const ps = await berth(['ps', '-a', '-f', 'status=running']);
  assert.equal(ps.out, 'CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS         PORTS     NAMES\naaaaaaaaaaaa   busybox   "sleep 100"   5 seconds ago   Up 4 seconds             web\n');
  const q = fake.requests.at(-1)!.query;
  assert.equal(q.get('all'), '1');
  assert.equal(q.get('filters'), '{"status":{"running":true}}');
  assert.equal((await berth(['container', 'ls', '-q'])).out, 'aaaaaaaaaaaa\n');
  fake.json('GET /images/json', 200, [{ Id: `sha256:${'b'.repeat(64)}`, ParentId: '', RepoTags: ['busybox:latest', 'bb:1'], RepoDigests: [], Created: now - 3600 * 24 * 3, Size: 4261234, SharedSize: -1, Labels: null, Containers: -1 }]);
  const images = await berth(['image', 'ls']);
  assert.equal(images.out, 'REPOSITORY   TAG       IMAGE ID       CREATED      SIZE\nbusybox      latest    bbbbbbbbbbbb   3 days ago   4.26MB\nbb           1         bbbbbbbbbbbb   3 days ago   4.26MB\n');
  // docker prints the ID once per row, so once per tag
  assert.equal((await berth(['images', '-q'])).out, 'bbbbbbbbbbbb\nbbbbbbbbbbbb\n');
});

test('usage errors follow docker: unknown flag 125, missing argument 1', async () => {
  const u = await berth(['ps', '--bogus']);
  assert.equal(u.code, 125);
  assert.equal(u.err, "unknown flag: --bogus\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n");
  const m = await berth(['rm']);
  assert.equal(m.code, 1);
  assert.equal(m.err, "berth: 'berth rm' requires at least 1 argument\n\nUsage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth rm --help' for more information\n");
  const h = await berth(['run', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /-h, --hostname/);
});

test('save refuses to write to a terminal; tag splits repo and tag', async () => {
  const s = await berth(['save', 'busybox'], { tty: true });
  assert.equal(s.code, 1);
  assert.match(s.err, /cowardly refusing to save to a terminal/);
  fake.on('POST /images/busybox/tag', (_r, res) => { res.writeHead(201); res.end(); });
  assert.equal((await berth(['tag', 'busybox', 'localhost:5000/me/bb:v1'])).code, 0);
  const q = fake.requests.at(-1)!.query;
  assert.equal(q.get('repo'), 'localhost:5000/me/bb');
  assert.equal(q.get('tag'), 'v1');
});

test('stop and start treat 304 as success and echo names', async () => {
  fake.json('POST /containers/s/stop', 304, undefined);
  fake.json('POST /containers/s/start', 304, undefined);
  const r = await berth(['stop', '-t', '3', 's']);
  assert.deepEqual(r, { code: 0, out: 's\n', err: '' });
  assert.equal(fake.requests.at(-1)!.query.get('t'), '3');
  assert.equal((await berth(['start', 's'])).out, 's\n');
});

test('--flag=false is rewritten only before the image', () => {
  const ctx = new CliContext({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() }, {}, () => undefined);
  const p = buildProgram(ctx);
  assert.deepEqual(normalizeBoolFlags(p, ['run', '--sig-proxy=false', '--rm=true', '--name', 'x', 'busybox', '--rm=false']),
    ['run', '--no-sig-proxy', '--rm', '--name', 'x', 'busybox', '--rm=false']);
  void sendJson;
});

test('run pulls a missing image, then creates again', async () => {
  fake.requests.length = 0;
  let creates = 0;
  fake.on('POST /containers/create', (_r, res) => {
    creates++;
    if (creates === 1) sendJson(res, 404, { message: 'No such image: alpine:latest' });
    else sendJson(res, 201, { Id: ID, Warnings: null });
  });
  fake.on('POST /images/create', (_r, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"Pulling from library/alpine","id":"latest"}\n{"status":"Downloading","progressDetail":{"current":1}}\n{"status":"Status: Downloaded newer image for alpine:latest"}\n');
  });
  fake.on(`POST /containers/${ID}/start`, (_r, res) => { res.writeHead(204); res.end(); });
  const r = await berth(['create', 'alpine']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "Unable to find image 'alpine:latest' locally\nlatest: Pulling from library/alpine\nStatus: Downloaded newer image for alpine:latest\n");
  const pull = fake.calls().find((c) => c.path === '/images/create')!;
  assert.equal(pull.query.get('fromImage'), 'alpine');
  assert.equal(pull.query.get('tag'), 'latest');
});

test('logs converts relative --since and demuxes by the container TTY setting', async () => {
  fake.json('GET /containers/l/json', 200, { Id: 'lid', Config: { Tty: false }, State: { Running: false } });
  fake.on('GET /containers/lid/logs', (_r, res) => {
    res.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
    res.end(Buffer.concat([encodeFrame(1, 'o\n'), encodeFrame(2, 'e\n')]));
  });
  const before = Date.now() / 1000;
  const r = await berth(['logs', '--since', '10m', '-n', '5', 'l']);
  assert.equal(r.out, 'o\n');
  assert.equal(r.err, 'e\n');
  const q = fake.requests.at(-1)!.query;
  assert.equal(q.get('tail'), '5');
  assert.ok(Math.abs(Number(q.get('since')) - (before - 600)) < 5);
});
