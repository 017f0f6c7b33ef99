import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run } from '../harness';
import { Terminals, statusOf, runItScenario, startAiScenario, execItScenario } from '../interactive-scenarios';

/** The real docker CLI (28) in a real terminal (tmux), against a berthd of the test's own. */
const DOCKER = '/usr/local/bin/docker';
const d = new TestDaemon('idk');
let config = '';
const terms = new Terminals('idk');
const docker = (args: string) => `env DOCKER_HOST=${d.host} DOCKER_CONFIG=${config} DOCKER_CONTEXT= ${DOCKER} ${args}`;
const term = (command: string) => terms.start(command);
const status = (name: string) => statusOf(d, name);

before(async () => {
  config = await mkdtemp(join(tmpdir(), 'berth-idk-config-'));
  await d.start();
});
afterEach(() => terms.killAll());
after(async () => {
  await d.stop();
  await rm(config, { recursive: true, force: true });
});

test('docker run -it: prompt, commands, stty size follows the terminal, exit 3', async () => {
  await runItScenario(term(docker('run -it --name dk-run busybox sh')));
});

test('docker run -it detach, docker attach to the same shell, detach again, exit', async () => {
  const t = term(docker('run -it --name dk-det busybox sh'));
  await t.waitFor(/\/ # $/m);
  t.typeLine('X=kept');
  // The shell is back at its prompt (reading in raw mode) before the detach keys are typed.
  await t.waitFor(/X=kept\r?\n\/ # $/m);
  t.keys('C-p', 'C-q');
  assert.equal(await t.exitCode(), 0);
  assert.match(await status('dk-det'), /^Up/);
  const a = term(docker('attach dk-det'));
  a.typeLine('echo value=$X');
  await a.waitFor(/value=kept\r?\n\/ # $/m);
  a.keys('C-p', 'C-q');
  assert.equal(await a.exitCode(), 1);
  assert.match(a.screen(), /read escape sequence/);
  assert.match(await status('dk-det'), /^Up/);
  const k = term(docker('attach --detach-keys ctrl-x,x dk-det'));
  k.typeLine('echo again=$((5+5))');
  await k.waitFor(/again=10/);
  k.keys('C-x', 'x');
  assert.equal(await k.exitCode(), 1);
  const b = term(docker('attach dk-det'));
  b.typeLine('exit 0');
  assert.equal(await b.exitCode(), 0);
  assert.match(await status('dk-det'), /^Exited \(0\)/);
});

test('docker start -ai of a created interactive container', async () => {
  assert.equal((await run(DOCKER, ['create', '-it', '--name', 'dk-start', 'busybox', 'sh'], { env: { DOCKER_HOST: d.host, DOCKER_CONFIG: config } })).code, 0);
  await startAiScenario(term(docker('start -ai dk-start')));
});

test('docker exec -it: resize and detach keys', async () => {
  assert.equal((await d.cli(['run', '-d', '--name', 'dk-exec', 'busybox', 'sleep', '1000'])).code, 0);
  await execItScenario(term(docker('exec -it dk-exec sh')));
  assert.match(await status('dk-exec'), /^Up/);
});

const dockerEnv = () => ({ env: { DOCKER_HOST: d.host, DOCKER_CONFIG: config, DOCKER_CONTEXT: '' } });

test('docker run -a stdout / -a stderr select the streams', async () => {
  const out = await run(DOCKER, ['run', '--rm', '-a', 'stdout', 'busybox', 'sh', '-c', 'echo o; echo e >&2'], dockerEnv());
  assert.deepEqual([out.code, out.stdout, out.stderr], [0, 'o\n', '']);
  const err = await run(DOCKER, ['run', '--rm', '-a', 'stderr', 'busybox', 'sh', '-c', 'echo o; echo e >&2'], dockerEnv());
  assert.deepEqual([err.code, err.stdout, err.stderr], [0, '', 'e\n']);
});

test('docker run -i: stdin half-close ends cat', async () => {
  const r = await run(DOCKER, ['run', '--rm', '-i', 'busybox', 'cat'], { ...dockerEnv(), input: 'hi\n', timeoutMs: 20_000 });
  assert.deepEqual([r.code, r.stdout], [0, 'hi\n']);
});

test('docker run sig-proxy: kill -INT of the CLI reaches the container', async () => {
  const t = term(docker(`run --name dk-sig busybox sh -c "trap 'echo got INT; exit 5' INT; echo ready; sleep 100 & wait"`));
  await t.waitFor(/^ready/m);
  const pid = (await run('sh', ['-c', `pgrep -n -f '^/usr/local/bin/docker run --name dk-sig'`])).stdout.trim();
  assert.ok(pid, 'docker CLI pid');
  process.kill(Number(pid), 'SIGINT');
  assert.equal(await t.exitCode(), 5);
  assert.match(t.screen(), /got INT/);
});
