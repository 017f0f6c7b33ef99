import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { TestDaemon, BERTH } from '../harness';
import { Terminals, statusOf, runItScenario, startAiScenario, execItScenario } from '../interactive-scenarios';

/** Interactive sessions through the berth CLI in a real terminal (tmux). */
const d = new TestDaemon('ia');
const terms = new Terminals('ia');
const berth = (args: string) => `${process.execPath} ${BERTH} -H ${d.host} ${args}`;
const term = (command: string) => terms.start(command);
const status = (name: string) => statusOf(d, name);

before(() => d.start());
afterEach(() => terms.killAll());
after(() => d.stop());

test('run -it: prompt, commands, stty size follows the terminal, exit status', async () => {
  await runItScenario(term(berth('run -it --name ia-run busybox sh')));
  assert.match(await status('ia-run'), /^Exited \(3\)/);
});

test('detach with ctrl-p ctrl-q, attach to the same shell, detach again, exit', async () => {
  const t = term(berth('run -it --name ia-det busybox sh'));
  await t.waitFor(/\/ # $/m);
  t.typeLine('X=kept');
  // The shell is back at its prompt (reading in raw mode) before the detach keys are typed.
  await t.waitFor(/X=kept\r?\n\/ # $/m);
  t.keys('C-p', 'C-q');
  assert.equal(await t.exitCode(), 0);
  assert.doesNotMatch(t.screen(), /read escape sequence/);
  assert.match(await status('ia-det'), /^Up/);

  const a = term(berth('attach ia-det'));
  a.typeLine('echo value=$X');
  await a.waitFor(/value=kept\r?\n\/ # $/m);
  a.keys('C-p', 'C-q');
  assert.equal(await a.exitCode(), 1);
  assert.match(a.screen(), /read escape sequence/);
  assert.match(await status('ia-det'), /^Up/);

  const b = term(berth('attach ia-det'));
  b.typeLine('exit 7');
  assert.equal(await b.exitCode(), 7);
  assert.match(await status('ia-det'), /^Exited \(7\)/);
});

test('--detach-keys ctrl-x,x replaces the default sequence (run and attach)', async () => {
  const t = term(berth('run -it --detach-keys ctrl-x,x --name ia-keys busybox sh'));
  await t.waitFor(/\/ # $/m);
  t.keys('C-p', 'C-q'); // not a detach now: the shell gets them
  t.typeLine('echo still=$((1+1))');
  await t.waitFor(/still=2/);
  t.keys('C-x', 'x');
  assert.equal(await t.exitCode(), 0);
  assert.match(await status('ia-keys'), /^Up/);
  const a = term(berth('attach --detach-keys ctrl-x,x ia-keys'));
  a.typeLine('echo back=$((2+2))');
  await a.waitFor(/back=4/);
  a.keys('C-x', 'x');
  assert.equal(await a.exitCode(), 1);
  assert.match(await status('ia-keys'), /^Up/);
  await d.cli(['rm', '-f', 'ia-keys']);
});

test('detachKeys on the API: the daemon ends the attach and the container runs on', async () => {
  assert.equal((await d.cli(['run', '-d', '-it', '--name', 'ia-api', 'busybox', 'sh'])).code, 0);
  const net = await import('node:net');
  const sock = net.createConnection(d.socket);
  await new Promise((r) => sock.once('connect', r));
  let got = '';
  sock.on('data', (b) => { got += b; });
  const closed = new Promise((r) => sock.once('close', r));
  sock.write('POST /containers/ia-api/attach?stream=1&stdin=1&stdout=1&detachKeys=ctrl-a,b HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
  for (let i = 0; i < 100 && !got.includes('101 UPGRADED'); i++) await new Promise((r) => setTimeout(r, 50));
  sock.write('echo api=$((3*3))\r');
  for (let i = 0; i < 100 && !got.includes('api=9'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(got, /api=9/);
  sock.write(Buffer.from([1, 'b'.charCodeAt(0)]));
  await closed;
  assert.match(await status('ia-api'), /^Up/);
  await d.cli(['rm', '-f', 'ia-api']);
});

test('start -ai attaches a created interactive container', async () => {
  assert.equal((await d.cli(['create', '-it', '--name', 'ia-start', 'busybox', 'sh'])).code, 0);
  await startAiScenario(term(berth('start -ai ia-start')));
});

test('run -a stdout / -a stderr select the streams', async () => {
  const out = await d.cli(['run', '--rm', '-a', 'stdout', 'busybox', 'sh', '-c', 'echo o; echo e >&2']);
  assert.deepEqual([out.code, out.stdout, out.stderr], [0, 'o\n', '']);
  const err = await d.cli(['run', '--rm', '-a', 'stderr', 'busybox', 'sh', '-c', 'echo o; echo e >&2']);
  assert.deepEqual([err.code, err.stdout, err.stderr], [0, '', 'e\n']);
});

/** Runs the CLI without a TTY, signals it once `ready` is printed, returns its end. */
function signalled(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BERTH, '-H', d.host, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let sent = false;
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`no end: ${stdout}`)); }, 20_000);
    p.stdout.on('data', (b) => {
      stdout += b;
      if (!sent && stdout.includes('ready')) { sent = true; p.kill('SIGINT'); }
    });
    p.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout }); });
  });
}
const TRAP = "trap 'echo got INT; exit 5' INT; echo ready; sleep 100 & wait";

test('sig-proxy: SIGINT to the CLI reaches the container (default without -t)', async () => {
  const r = await signalled(['run', '--name', 'ia-sig', 'busybox', 'sh', '-c', TRAP]);
  assert.equal(r.code, 5);
  assert.match(r.stdout, /got INT/);
  assert.match(await status('ia-sig'), /^Exited \(5\)/);
});

test('--sig-proxy=false: SIGINT ends the CLI, the container runs on', async () => {
  const r = await signalled(['run', '--sig-proxy=false', '--name', 'ia-nosig', 'busybox', 'sh', '-c', TRAP]);
  assert.equal(r.signal ?? String(r.code), r.signal ? 'SIGINT' : '130');
  assert.doesNotMatch(r.stdout, /got INT/);
  assert.match(await status('ia-nosig'), /^Up/);
  await d.cli(['rm', '-f', 'ia-nosig']);
});

test('exec -it: resize reaches the exec terminal; detach keys leave the container alone', async () => {
  assert.equal((await d.cli(['run', '-d', '--name', 'ia-exec', 'busybox', 'sleep', '1000'])).code, 0);
  await execItScenario(term(berth('exec -it ia-exec sh')));
  const k = term(berth('exec -it --detach-keys ctrl-x,x ia-exec sh'));
  await k.waitFor(/\/ # $/m);
  k.keys('C-x', 'x');
  assert.equal(await k.exitCode(), 1);
  assert.match(await status('ia-exec'), /^Up/);
  const e = term(berth('exec -it ia-exec sh'));
  await e.waitFor(/\/ # $/m);
  e.typeLine('exit 6');
  assert.equal(await e.exitCode(), 6);
});
