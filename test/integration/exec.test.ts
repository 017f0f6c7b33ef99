import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestDaemon } from '../harness';

const d = new TestDaemon('exec');
before(async () => {
  await d.start();
  assert.equal((await d.cli(['run', '-d', '--name', 'box', 'busybox', 'sleep', '1000'])).code, 0);
});
after(() => d.stop());

test('exec runs a command and exits with its status', async () => {
  const r = await d.cli(['exec', 'box', 'sh', '-c', 'echo out; echo err >&2; exit 4']);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
  assert.equal(r.code, 4);
  assert.equal((await d.cli(['exec', 'box', 'true'])).code, 0);
});

test('exec -i pipes stdin and closes it at its end; -e, -w and -u shape the process', async () => {
  assert.equal((await d.cli(['exec', '-i', 'box', 'cat'], { input: 'one\ntwo\n' })).stdout, 'one\ntwo\n');
  const r = await d.cli(['exec', '-e', 'A=b', '-w', '/tmp', '-u', 'nobody', 'box', 'sh', '-c', 'echo $A $(pwd) $(id -u)']);
  assert.equal(r.stdout, 'b /tmp 65534\n', r.stderr);
});

test('exec -d returns at once and the command runs in the background', async () => {
  const r = await d.cli(['exec', '-d', 'box', 'sh', '-c', 'sleep 0.3; touch /tmp/bg-done']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await d.cli(['exec', 'box', 'test', '-e', '/tmp/bg-done'])).code, 1);
  await new Promise((res) => setTimeout(res, 800));
  assert.equal((await d.cli(['exec', 'box', 'test', '-e', '/tmp/bg-done'])).code, 0);
});

test('a missing command exits 127 with the runtime message', async () => {
  const r = await d.cli(['exec', 'box', 'nosuchcmd']);
  assert.equal(r.code, 127);
  assert.match(r.stderr, /OCI runtime exec failed: .*executable file not found in \$PATH/);
});

test('the exit code is in the exec inspect once the stream has closed', async () => {
  const c = await d.api('POST', '/containers/box/exec', { Cmd: ['sh', '-c', 'exit 9'], AttachStdout: true, AttachStderr: true });
  assert.equal(c.status, 201);
  const s = await d.api('POST', `/exec/${c.json.Id}/start`, { Detach: false, Tty: false });
  assert.equal(s.status, 200);
  const j = await d.api('GET', `/exec/${c.json.Id}/json`);
  assert.equal(j.json.ExitCode, 9);
  assert.equal(j.json.Running, false);
  assert.equal(j.json.ContainerID.length, 64);
  assert.equal((await d.api('GET', '/exec/nosuch/json')).json.message, 'No such exec instance: nosuch');
});

test('exec into a stopped container is a 409, and nothing is left behind', async () => {
  await d.cli(['create', '--name', 'idle', 'busybox', 'true']);
  const r = await d.api('POST', '/containers/idle/exec', { Cmd: ['true'] });
  assert.equal(r.status, 409);
  assert.match(r.json.message, /^container [0-9a-f]{64} is not running$/);
  const cli = await d.cli(['exec', 'idle', 'true']);
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /Error response from daemon: container [0-9a-f]{64} is not running/);
  await d.cli(['rm', 'idle']);
  const bad = await d.api('POST', '/containers/box/exec', { Cmd: [] });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.message, 'No exec command specified');
});
