import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run, type RunResult } from '../harness';

// Debian's docker-compose (1.29, Python, docker-py) as a second, independent client of berthd:
// the compose test's project (a kv service, a web service built from a Dockerfile fetching
// from kv by name, a published port, depends_on conditions, a named volume), and a project
// started by berth compose that docker-compose understands through the shared labels.
const BIN = '/usr/bin/docker-compose';
const skip = existsSync(BIN) ? false : `${BIN} not installed (scripts/setup.sh installs it)`;
const d = new TestDaemon('dcmp');
let dir = '';
const PORT = 20000 + ((process.pid + 7919) % 20000);

const SERVE = `
resolve() { ping -c1 -W1 "$1" 2>/dev/null | sed -n 's/^PING [^ ]* (\\([0-9.]*\\)).*/\\1/p'; }
mkdir -p /www
timeout 5 wget -qO /www/index.html "http://$(resolve kv)/data"
n=$(cat /data/count 2>/dev/null || echo 0); echo $((n+1)) > /data/count; cp /data/count /www/count
exec httpd -f -p 8000 -h /www
`;
const COMPOSE = `
services:
  kv:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo kv-value > /www/data && exec httpd -f -p 80 -h /www"]
    healthcheck: { test: ["CMD-SHELL", "test -f /www/data"], interval: 1s, retries: 20 }
  web:
    build: ./web
    ports: ["127.0.0.1:${PORT}:8000"]
    volumes: [data:/data]
    depends_on: { kv: { condition: service_healthy } }
volumes:
  data:
`;

const dc = (args: string[]): Promise<RunResult> =>
  run(BIN, ['-f', join(dir, 'compose.yaml'), '-p', 'dcmp', ...args], { env: { DOCKER_HOST: d.host, COMPOSE_INTERACTIVE_NO_CLI: '1' }, timeoutMs: 90_000 });
const berth = (args: string[]) => d.cli(['compose', '-f', join(dir, 'compose.yaml'), '-p', 'dcmp', ...args], { timeoutMs: 90_000 });
const okOf = (r: RunResult, what: string) => { assert.equal(r.code, 0, `${what}: ${r.stderr}`); return r.stdout; };

function get(path: string): Promise<string> {
  return new Promise((res, rej) => {
    http.get({ host: '127.0.0.1', port: PORT, path, timeout: 3000 }, (r) => {
      let body = '';
      r.on('data', (b) => { body += b; });
      r.on('end', () => res(body));
    }).on('error', rej);
  });
}
async function eventually(path: string): Promise<string> {
  for (let i = 0; ; i++) {
    try { return await get(path); } catch (err) { if (i > 50) throw err; }
    await new Promise((r) => setTimeout(r, 200));
  }
}
const containers = async () => ((await d.api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: ['com.docker.compose.project=dcmp'] }))}`)).json as any[]).map((c) => c.Names[0]).sort();

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'berth-dcompose-'));
  await mkdir(join(dir, 'web'));
  await writeFile(join(dir, 'web', 'Dockerfile'), 'FROM busybox\nCOPY serve.sh /serve.sh\nCMD ["sh", "/serve.sh"]\n');
  await writeFile(join(dir, 'web', 'serve.sh'), SERVE);
  await writeFile(join(dir, 'compose.yaml'), COMPOSE);
  await d.start();
});
after(async () => {
  if (skip) return;
  await d.stop();
  await rm(dir, { recursive: true, force: true });
});

test('docker-compose 1.29: up -d builds, waits for a healthy kv, serves on the published port; volumes outlive down', { skip }, async () => {
  okOf(await dc(['up', '-d']), 'docker-compose up -d');
  assert.deepEqual(await containers(), ['/dcmp_kv_1', '/dcmp_web_1']);
  assert.equal(await eventually('/index.html'), 'kv-value\n');
  assert.equal(await eventually('/count'), '1\n');
  assert.match(okOf(await dc(['ps']), 'ps'), /dcmp_web_1 .*Up.*127\.0\.0\.1:\d+->8000\/tcp/);
  okOf(await dc(['down']), 'down');
  assert.deepEqual(await containers(), []);
  okOf(await dc(['up', '-d']), 'up again');
  assert.equal(await eventually('/count'), '2\n');
  okOf(await dc(['down', '-v']), 'down -v');
  assert.deepEqual(await containers(), []);
  assert.equal((await d.api('GET', '/volumes/dcmp_data')).status, 404);
});

test('a project started by berth compose is listed and taken down by docker-compose', { skip }, async () => {
  okOf(await berth(['up', '-d']), 'berth compose up -d');
  assert.equal(await eventually('/index.html'), 'kv-value\n');
  const ps = okOf(await dc(['ps']), 'docker-compose ps');
  assert.match(ps, /dcmp-kv-1 .*Up/);
  assert.match(ps, /dcmp-web-1 .*Up/);
  okOf(await dc(['down', '-v']), 'docker-compose down');
  assert.deepEqual(await containers(), []);
  assert.equal((await d.api('GET', '/networks/dcmp_default')).status, 404);
});
