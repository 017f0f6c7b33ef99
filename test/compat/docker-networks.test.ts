import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run, type RunResult } from '../harness';

/**
 * The docker CLI's network commands against berthd and against the reference Docker engine,
 * with the same scenario on both and the outputs compared (IDs, subnets and times normalized).
 * Both engines are asked at API 1.41 (Docker 20.10's), so the answers are of one version.
 * Skipped when no Docker engine answers.
 */
const DOCKER = '/usr/local/bin/docker';
const REFERENCE = 'unix:///run/docker.sock';
const d = new TestDaemon('dnet');
let config = '';
let reference = false;

const X = 150 + ((process.pid + 37) % 90);
/** Each engine its own subnets, so their bridges never share a route. */
const engines = () => [
  { name: 'berthd', host: d.host, third: 1 },
  { name: 'docker', host: REFERENCE, third: 2 },
];
const prefix = `nwkc${process.pid}`;

function docker(host: string, args: string[]): Promise<RunResult> {
  return run(DOCKER, args, { env: { DOCKER_HOST: host, DOCKER_CONFIG: config, DOCKER_CONTEXT: '', DOCKER_API_VERSION: '1.41' } });
}

/** The output with what differs between engines by nature replaced. */
function normalize(s: string, third: number): string {
  return s
    .replace(/[0-9a-f]{64}/g, '<id>').replace(/\b[0-9a-f]{12}\b/g, '<short>')
    .replace(new RegExp(`10\\.${X}\\.${third}\\.`, 'g'), '10.X.N.')
    .replace(/02:42:0a:[0-9a-f]{2}:0[12]:/g, '02:42:0a:XX:NN:')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
}

/** Runs the same docker command on both engines; returns the normalized results. */
async function both(args: (e: { third: number }) => string[]): Promise<{ berthd: RunResult; docker: RunResult }> {
  const out: Record<string, RunResult> = {};
  for (const e of engines()) {
    const r = await docker(e.host, args(e));
    out[e.name] = { code: r.code, stdout: normalize(r.stdout, e.third), stderr: normalize(r.stderr, e.third) };
  }
  return out as { berthd: RunResult; docker: RunResult };
}

async function same(args: (e: { third: number }) => string[]): Promise<RunResult> {
  const r = await both(args);
  assert.deepEqual(r.berthd, r.docker, `docker ${args({ third: 0 }).join(' ')}`);
  return r.berthd;
}

before(async () => {
  config = await mkdtemp(join(tmpdir(), 'berth-dnet-config-'));
  await d.start();
  reference = existsSync(DOCKER) && (await docker(REFERENCE, ['version'])).code === 0
    && (await docker(REFERENCE, ['image', 'inspect', 'busybox'])).code === 0;
});

after(async () => {
  if (reference) {
    const ps = await docker(REFERENCE, ['ps', '-aq', '--filter', `name=${prefix}`]);
    const ids = ps.stdout.trim().split('\n').filter(Boolean);
    if (ids.length) await docker(REFERENCE, ['rm', '-f', ...ids]);
    const nets = await docker(REFERENCE, ['network', 'ls', '-q', '--filter', `name=${prefix}`]);
    const netIds = nets.stdout.trim().split('\n').filter(Boolean);
    if (netIds.length) await docker(REFERENCE, ['network', 'rm', ...netIds]);
  }
  await d.stop();
  if (config) await rm(config, { recursive: true, force: true });
});

const net = `${prefix}-a`;
const web = `${prefix}-web`;

test('network create, ls, inspect and their errors as the reference engine answers them', async (t) => {
  if (!reference) return t.skip('no Docker engine with busybox on /run/docker.sock');
  const created = await same((e) => ['network', 'create', '--subnet', `10.${X}.${e.third}.0/24`, '--label', 'a=b', '-o', 'x.y=z', net]);
  assert.equal(created.stdout, '<id>\n');
  await same(() => ['network', 'ls', '--filter', `name=^${net}$`, '--format', '{{.Name}} {{.Driver}} {{.Scope}} {{.Labels}} {{.Internal}}']);
  await same(() => ['network', 'ls', '--filter', 'type=builtin', '--format', '{{.Name}} {{.Driver}}']);
  await same(() => ['network', 'inspect', '-f', '{{json .IPAM}} {{.Internal}} {{.Attachable}} {{.Ingress}} {{json .ConfigFrom}} {{json .Labels}} {{json .Options}} {{json .Containers}}', net]);
  await same(() => ['network', 'inspect', '-f', '{{.Name}} {{.Driver}} {{json .IPAM.Options}} {{json .Containers}}', 'host', 'none']);
  const dup = await same((e) => ['network', 'create', '--subnet', `10.${X}.${e.third + 4}.0/24`, net]);
  assert.equal(dup.code, 1);
  const overlap = await same((e) => ['network', 'create', '--subnet', `10.${X}.${e.third}.128/25`, `${prefix}-b`]);
  assert.match(overlap.stderr, /Pool overlaps with other one on this address space/);
  await same(() => ['network', 'rm', 'bridge']);
  await same(() => ['network', 'inspect', `${prefix}-nosuch`]);
  await same(() => ['network', 'create', '--gateway', '10.1.1.1', `${prefix}-c`]);
});

test('containers on the network: --ip, aliases, connect and disconnect, rm with endpoints', async (t) => {
  if (!reference) return t.skip('no Docker engine with busybox on /run/docker.sock');
  await same((e) => ['run', '-d', '--name', web, '--network', net, '--ip', `10.${X}.${e.third}.10`, '--network-alias', 'web', 'busybox', 'sleep', '60']);
  await same(() => ['inspect', '-f', `{{json .NetworkSettings.Networks}}`, web]);
  await same(() => ['network', 'inspect', '-f', '{{range .Containers}}{{.Name}} {{.IPv4Address}} {{.MacAddress}}{{end}}', net]);
  await same(() => ['network', 'connect', net, web]);
  await same(() => ['network', 'rm', net]);
  await same(() => ['network', 'disconnect', 'bridge', web]);
  await same(() => ['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', web]);
  await same(() => ['network', 'disconnect', 'bridge', web]);
  await same(() => ['run', '--rm', '--network', 'bridge', '--ip', '172.17.99.9', 'busybox', 'true']);
  await same(() => ['run', '--rm', '--network-alias', 'x', 'busybox', 'true']);
  await same(() => ['rm', '-f', web]);
  await same(() => ['network', 'prune', '-f', '--filter', 'label=a=b']);
  await same(() => ['network', 'ls', '-q', '--filter', `name=${prefix}`]);
});
