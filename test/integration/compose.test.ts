import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, TestDaemon, run } from '../harness';

// berth compose against a private berthd: a project built from busybox (a kv service, a one-shot
// init, a web service built from a Dockerfile that fetches from kv by name and serves it on a
// published port), volumes across down/up, depends_on conditions in order, recreation by config
// hash, scaling, profiles, and bad input that names the file and key and starts nothing.
const d = new TestDaemon('cmp');
let dir = '';
const P = 'cmpt';
const WEB_PORT = 20000 + (process.pid % 20000);

/** busybox-static's wget crashes resolving names: resolve with ping, fetch by address. */
const SERVE = `
resolve() { ping -c1 -W1 "$1" 2>/dev/null | sed -n 's/^PING [^ ]* (\\([0-9.]*\\)).*/\\1/p'; }
echo "web $(cut -d' ' -f1 /proc/uptime)" >> /stamps/log
ip=$(resolve kv)
mkdir -p /www
timeout 5 wget -qO /www/index.html "http://$ip/data"
echo "$ip" > /www/kvip
n=$(cat /data/count 2>/dev/null || echo 0); echo $((n+1)) > /data/count; cp /data/count /www/count
exec httpd -f -p 8000 -h /www
`;

const COMPOSE = `
version: "3.9"
x-busybox: &bb
  image: busybox
  stop_grace_period: 1s
services:
  kv:
    <<: *bb
    environment: ["GREETING=\${GREETING:-hi}"]
    command: ["sh", "-c", "mkdir -p /www && echo kv-value > /www/data && echo \\"kv $$(cut -d' ' -f1 /proc/uptime)\\" >> /stamps/log && exec httpd -f -p 80 -h /www"]
    volumes: [stamps:/stamps]
    healthcheck: { test: ["CMD-SHELL", "test -f /www/data"], interval: 1s, retries: 20 }
  init:
    <<: *bb
    command: sh -c 'echo "init $$(cut -d" " -f1 /proc/uptime)" >> /stamps/log; echo init-done'
    volumes: [stamps:/stamps]
    depends_on: { kv: { condition: service_healthy } }
  web:
    build: ./web
    stop_signal: SIGKILL
    ports: ["127.0.0.1:\${WEB_PORT}:8000"]
    volumes: ["stamps:/stamps", { type: volume, source: data, target: /data }]
    depends_on:
      kv: { condition: service_healthy }
      init: { condition: service_completed_successfully }
  debug:
    <<: *bb
    command: sleep 600
    profiles: [debug]
volumes:
  stamps:
  data:
`;

const compose = (args: string[], o: { file?: string; timeoutMs?: number } = {}) =>
  d.cli(['compose', '-f', join(dir, o.file ?? 'compose.yaml'), '-p', P, ...args], { timeoutMs: o.timeoutMs ?? 60_000 });
async function ok(args: string[], o?: { file?: string }): Promise<string> {
  const r = await compose(args, o);
  assert.equal(r.code, 0, `compose ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const projectContainers = async (project = P) =>
  ((await d.api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }))}`)).json as any[]);
const idOf = async (name: string) => (await d.api('GET', `/containers/${name}/json`)).json?.Id as string | undefined;

function get(port: number, path: string): Promise<string> {
  return new Promise((res, rej) => {
    http.get({ host: '127.0.0.1', port, path, timeout: 3000 }, (r) => {
      let body = '';
      r.on('data', (b) => { body += b; });
      r.on('end', () => res(body));
    }).on('error', rej);
  });
}
async function waitFor<T>(fn: () => Promise<T>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try { return await fn(); } catch (err) { if (Date.now() > end) throw err; }
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-compose-'));
  await mkdir(join(dir, 'web'));
  await writeFile(join(dir, 'web', 'Dockerfile'), 'FROM busybox\nCOPY serve.sh /serve.sh\nCMD ["sh", "/serve.sh"]\n');
  await writeFile(join(dir, 'web', 'serve.sh'), SERVE);
  await writeFile(join(dir, 'compose.yaml'), COMPOSE);
  await writeFile(join(dir, '.env'), `WEB_PORT=${WEB_PORT}\n`);
  process.env.GREETING = undefined as unknown as string;
  delete process.env.GREETING;
  await d.start();
});
after(async () => {
  await d.stop();
  await rm(dir, { recursive: true, force: true });
});

test('up -d: build, names and labels, depends_on in order, a fetch by service name served on a published port', async () => {
  await ok(['up', '-d']);
  const names = (await projectContainers()).map((c) => c.Names[0]).sort();
  assert.deepEqual(names, [`/${P}-init-1`, `/${P}-kv-1`, `/${P}-web-1`]);
  assert.equal(await get(WEB_PORT, '/index.html').catch(async () => waitFor(() => get(WEB_PORT, '/index.html'))), 'kv-value\n');

  const web = (await d.api('GET', `/containers/${P}-web-1/json`)).json;
  const l = web.Config.Labels;
  assert.equal(l['com.docker.compose.project'], P);
  assert.equal(l['com.docker.compose.service'], 'web');
  assert.equal(l['com.docker.compose.container-number'], '1');
  assert.equal(web.Config.StopSignal, 'SIGKILL');
  assert.equal((await d.api('GET', `/containers/${P}-kv-1/json`)).json.Config.StopTimeout, 1);
  assert.equal(l['com.docker.compose.oneoff'], 'False');
  assert.match(l['com.docker.compose.config-hash'], /^[0-9a-f]{64}$/);
  assert.equal(l['com.docker.compose.project.working_dir'], dir);
  assert.equal(l['com.docker.compose.project.config_files'], join(dir, 'compose.yaml'));
  assert.match(l['com.docker.compose.version'], /^\d+\.\d+\.\d+$/);
  assert.ok(web.NetworkSettings.Networks[`${P}_default`], 'on the project network');
  assert.equal((await d.api('GET', `/volumes/${P}_data`)).status, 200);
  assert.equal((await d.api('GET', `/images/${P}-web/json`)).status, 200, 'the built image is <project>-<service>');

  // kv became healthy before init ran, and init had completed before web started
  const log = (await ok(['exec', '-T', 'web', 'cat', '/stamps/log'])).trim().split('\n').map((x) => x.split(' '));
  assert.deepEqual(log.map((x) => x[0]), ['kv', 'init', 'web']);
  assert.ok(Number(log[0][1]) <= Number(log[1][1]) && Number(log[1][1]) <= Number(log[2][1]), `stamps in order: ${JSON.stringify(log)}`);
  assert.equal((await d.api('GET', `/containers/${P}-init-1/json`)).json.State.ExitCode, 0);

  const ps = await ok(['ps']);
  assert.match(ps, /^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS/);
  assert.match(ps, new RegExp(`${P}-web-1 .* web .*127\\.0\\.0\\.1:${WEB_PORT}->8000/tcp`));
  assert.doesNotMatch(ps, /init-1/, 'ps leaves out exited containers');
  assert.equal(await ok(['logs', '--no-color', 'init']), `${P}-init-1  | init-done\n`);
  const oneoff = await compose(['run', '--rm', '-T', '--no-deps', 'kv', 'sh', '-c', 'echo one-off; cat /stamps/log | wc -l']);
  assert.equal(oneoff.code, 0, oneoff.stderr);
  assert.equal(oneoff.stdout, 'one-off\n3\n');
  assert.equal((await projectContainers()).length, 3, 'run --rm left no one-off container');
  const port = await ok(['port', 'web', '8000']);
  assert.equal(port, `127.0.0.1:${WEB_PORT}\n`);
  assert.match(await ok(['ls']), new RegExp(`^${P}\\s+running\\(2\\), exited\\(1\\)`, 'm'));
  // bin/berth-compose is `berth compose` under the standalone name
  const standalone = await run(join(REPO, 'bin', 'berth-compose'), ['ls'], { env: { ...process.env, DOCKER_HOST: d.host } });
  assert.equal(standalone.code, 0, standalone.stderr);
  assert.equal(standalone.stdout, await ok(['ls']));
});

test('an unchanged service is left running, a changed one recreated; volumes outlive down', async () => {
  const before = { kv: await idOf(`${P}-kv-1`), web: await idOf(`${P}-web-1`) };
  await ok(['up', '-d']);
  assert.deepEqual({ kv: await idOf(`${P}-kv-1`), web: await idOf(`${P}-web-1`) }, before);

  process.env.GREETING = 'changed';
  try { await ok(['up', '-d', 'kv']); } finally { delete process.env.GREETING; }
  assert.notEqual(await idOf(`${P}-kv-1`), before.kv, 'kv recreated on a changed environment');
  assert.equal(await idOf(`${P}-web-1`), before.web);
  assert.deepEqual((await d.api('GET', `/containers/${P}-kv-1/json`)).json.Config.Env.filter((e: string) => e.startsWith('GREETING')), ['GREETING=changed']);

  assert.equal(await waitFor(() => get(WEB_PORT, '/count')), '1\n');
  await ok(['down']);
  assert.deepEqual(await projectContainers(), []);
  assert.equal((await d.api('GET', `/networks/${P}_default`)).status, 404);
  assert.equal((await d.api('GET', `/volumes/${P}_data`)).status, 200, 'down keeps volumes');
  await ok(['up', '-d', '--wait']);
  assert.equal(await waitFor(() => get(WEB_PORT, '/count')), '2\n', 'the data volume kept its count');
});

test('--scale adds and removes replicas; profiles enable services', async () => {
  await ok(['up', '-d', '--no-deps', '--scale', 'kv=3', 'kv']);
  const kvs = async () => (await projectContainers()).filter((c) => c.Labels['com.docker.compose.service'] === 'kv').map((c) => c.Names[0]).sort();
  assert.deepEqual(await kvs(), [`/${P}-kv-1`, `/${P}-kv-2`, `/${P}-kv-3`]);
  await ok(['scale', 'kv=1']);
  assert.deepEqual(await kvs(), [`/${P}-kv-1`]);

  assert.doesNotMatch(await ok(['config', '--services']), /debug/);
  assert.equal(await idOf(`${P}-debug-1`), undefined);
  await ok(['--profile', 'debug', 'up', '-d', 'debug']);
  assert.equal((await d.api('GET', `/containers/${P}-debug-1/json`)).json.State.Running, true);
  assert.match(await ok(['--profile', 'debug', 'config', '--services']), /debug/);

  const state = async () => (await d.api('GET', `/containers/${P}-debug-1/json`)).json.State.Status;
  await ok(['pause', 'debug']);
  assert.equal(await state(), 'paused');
  await ok(['unpause', 'debug']);
  assert.equal(await state(), 'running');
  assert.match(await ok(['top', 'debug']), new RegExp(`^${P}-debug-1\\nUID .*\\n.*sleep 600`, 's'));
  assert.match(await ok(['images', 'debug']), new RegExp(`^CONTAINER\\s+REPOSITORY.*\\n${P}-debug-1\\s+busybox\\s+latest\\s+[0-9a-f]{12}`));
  await ok(['stop', 'debug']);
  assert.equal(await state(), 'exited');
  await ok(['start', 'debug']);
  assert.equal(await state(), 'running');
  await ok(['kill', 'debug']);
  await waitFor(async () => assert.equal(await state(), 'exited'), 5000);
  await ok(['rm', 'debug']);
  assert.equal(await idOf(`${P}-debug-1`), undefined);

  await ok(['down', '-v', '--remove-orphans']);
  assert.deepEqual(await projectContainers(), []);
  assert.equal((await d.api('GET', `/volumes/${P}_data`)).status, 404, 'down -v removes volumes');
});

test('attached up follows prefixed logs; --abort-on-container-exit stops the rest and exits with the first exit code', async () => {
  await writeFile(join(dir, 'attached.yaml'), "services:\n  srv:\n    image: busybox\n    command: sleep 600\n    stop_grace_period: 1s\n  job:\n    image: busybox\n    command: sh -c 'sleep 1; echo job-ran; exit 3'\n");
  const r = await d.cli(['compose', '-f', join(dir, 'attached.yaml'), '-p', 'cmpa', 'up', '--no-color', '--abort-on-container-exit'], { timeoutMs: 30_000 });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /^cmpa-job-1 {2}\| job-ran$/m);
  assert.match(r.stderr, /cmpa-job-1 exited with code 3/);
  assert.equal((await d.api('GET', '/containers/cmpa-srv-1/json')).json.State.Running, false, 'the other service was stopped');
  // no compose file needed to take a project down by its name
  const down = await d.cli(['compose', '-p', 'cmpa', 'down']);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(await projectContainers('cmpa'), []);
  assert.equal((await d.api('GET', '/networks/cmpa_default')).status, 404);
});

test('bad input: errors name the file and the key, and nothing is left running', async () => {
  const cases: [string, string, RegExp][] = [
    ['notyaml.yaml', 'services: [unclosed\n  web: {', /notyaml\.yaml: not valid YAML/],
    ['unknown.yaml', 'services:\n  web:\n    image: busybox\n    colour: red\n', /unknown\.yaml: services\.web\.colour is not a supported key/],
    ['ports.yaml', 'services:\n  web:\n    image: busybox\n    ports: "80:80"\n', /ports\.yaml: services\.web\.ports must be a list/],
    ['missing.yaml', 'services:\n  web:\n    image: busybox\n    depends_on: [db]\n', /missing\.yaml: services\.web\.depends_on: service "web" depends on undefined service "db"/],
    ['self.yaml', 'services:\n  web:\n    image: busybox\n    depends_on: [web]\n', /self\.yaml: services\.web\.depends_on: dependency cycle detected: web -> web/],
    ['cycle.yaml', 'services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n', /cycle\.yaml: services\.[ab]\.depends_on: dependency cycle detected: (a -> b -> a|b -> a -> b)/],
    ['required.yaml', 'services:\n  web:\n    image: "${NOPE_IMAGE:?an image is required}"\n', /required\.yaml: services\.web\.image: required variable NOPE_IMAGE is missing a value: an image is required/],
  ];
  for (const [file, text, want] of cases) {
    await writeFile(join(dir, file), text);
    const r = await compose(['up', '-d'], { file });
    assert.notEqual(r.code, 0, file);
    assert.match(r.stderr, want, file);
  }
  assert.deepEqual(await projectContainers(), []);

  // a port taken on the host: the containers this up created are removed again
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '0.0.0.0', () => r()));
  const taken = (srv.address() as net.AddressInfo).port;
  await writeFile(join(dir, 'taken.yaml'), `services:\n  a:\n    image: busybox\n    command: sleep 600\n  b:\n    image: busybox\n    command: sleep 600\n    depends_on: [a]\n    ports: ["${taken}:80"]\n`);
  try {
    const r = await compose(['up', '-d'], { file: 'taken.yaml' });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /address already in use/);
  } finally { srv.close(); }
  assert.deepEqual((await projectContainers()).map((c) => c.Names[0]), []);
  await ok(['down'], { file: 'taken.yaml' });
});
