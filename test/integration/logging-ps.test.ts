import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TestDaemon } from '../harness';

const d = new TestDaemon('logps');
before(() => d.start());
after(() => d.stop());

const inspect = async (ref: string) => (await d.api('GET', `/containers/${ref}/json`)).json;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('log driver: json-file by default, none refuses reading, unknown drivers and opts are refused', async () => {
  assert.equal((await d.cli(['run', '--name', 'ldef', 'busybox', 'echo', 'hi'])).code, 0);
  assert.deepEqual((await inspect('ldef')).HostConfig.LogConfig, { Type: 'json-file', Config: {} });
  assert.equal((await d.cli(['logs', 'ldef'])).stdout, 'hi\n');

  const none = await d.cli(['run', '--name', 'lnone', '--log-driver', 'none', 'busybox', 'echo', 'hi']);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, 'hi\n');
  assert.deepEqual((await inspect('lnone')).HostConfig.LogConfig, { Type: 'none', Config: {} });
  const logs = await d.cli(['logs', 'lnone']);
  assert.equal(logs.code, 1);
  assert.match(logs.stderr, /Error response from daemon: configured logging driver does not support reading/);
  assert.equal((await d.api('GET', '/containers/lnone/logs?stdout=1')).status, 501);

  const k8s = await d.cli(['run', '--name', 'lk8s', '--log-driver', 'k8s-file', 'busybox', 'echo', 'k']);
  assert.equal(k8s.code, 0, k8s.stderr);
  assert.equal((await d.cli(['logs', 'lk8s'])).stdout, 'k\n');
  assert.equal((await inspect('lk8s')).HostConfig.LogConfig.Type, 'k8s-file');

  const bad = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { LogConfig: { Type: 'syslogx', Config: {} } } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.message, "logger: no log driver named 'syslogx' is registered");
  const opt = await d.cli(['create', '--log-opt', 'foo=bar', 'busybox']);
  assert.notEqual(opt.code, 0);
  assert.match(opt.stderr, /unknown log opt 'foo' for json-file log driver/);
  const size = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { LogConfig: { Type: 'json-file', Config: { 'max-size': 'abc' } } } });
  assert.equal(size.status, 400);
  assert.equal(size.json.message, "failed to initialize logging driver: invalid size: 'abc'");
  const files = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { LogConfig: { Type: 'local', Config: { 'max-size': '1k', 'max-file': '0' } } } });
  assert.equal(files.status, 400);
  assert.equal(files.json.message, 'failed to initialize logging driver: max-file cannot be less than 1');
  const noneOpts = await d.cli(['create', '--log-driver', 'none', '--log-opt', 'max-size=1k', 'busybox']);
  assert.notEqual(noneOpts.code, 0);
  assert.match(noneOpts.stderr, /invalid logging opts for driver none/);
});

test('log rotation: max-size and max-file bound the files on disk, logs read across them in order', async () => {
  // Bursts of ~4.5 KB every 0.2 s: the keeper must see each file conmon replaces (see log-keeper.ts).
  const script = 'i=0; while [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); [ $((i % 100)) = 0 ] && sleep 0.2; done; sleep 0.3';
  const r = await d.cli(['run', '--name', 'lrot', '--log-opt', 'max-size=10k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  await sleep(500);
  const s = await inspect('lrot');
  const dir = join(s.LogPath, '..');
  const names = (await readdir(dir)).filter((n) => n.startsWith('container.log'));
  assert.deepEqual(names.sort(), ['container.log', 'container.log.1', 'container.log.2']);
  for (const n of names) assert.ok((await stat(join(dir, n))).size <= 10 * 1024, `${n} over max-size`);
  const out = (await d.cli(['logs', 'lrot'])).stdout.trim().split('\n');
  assert.ok(out.length > 200 && out.length < 3000, `kept ${out.length} lines`);
  assert.equal(out[out.length - 1], 'line-2999');
  const first = Number(out[0].slice(5));
  out.forEach((l, i) => assert.equal(l, `line-${first + i}`));
  const tail = await d.cli(['logs', '--tail', '2', 'lrot']);
  assert.equal(tail.stdout, 'line-2998\nline-2999\n');
});

test('ps filters: before, since, volume, network, health, exited, ancestor, and their errors', async () => {
  await d.cli(['rm', '-f', 'ldef', 'lnone', 'lk8s', 'lrot']);
  await d.cli(['container', 'prune', '-f']);
  assert.equal((await d.cli(['run', '--name', 'fa', 'busybox', 'sh', '-c', 'exit 3'])).code, 3);
  await sleep(20);
  assert.equal((await d.cli(['run', '-d', '--name', 'fb', '-v', '/tmp:/data', 'busybox', 'sleep', '300'])).code, 0);
  await sleep(20);
  assert.equal((await d.cli(['run', '-d', '--name', 'fc', '-l', 'k=v', '--network', 'none', 'busybox', 'sleep', '300'])).code, 0);
  const names = async (...args: string[]) => {
    const r = await d.cli(['ps', ...args, '--format', '{{.Names}}']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').filter(Boolean);
  };
  assert.deepEqual(await names('--filter', 'since=fa'), ['fc', 'fb']);
  assert.deepEqual(await names('--filter', 'before=fc'), ['fb']);
  assert.deepEqual(await names('-a', '--filter', 'before=fc'), ['fb', 'fa']);
  const fbId = (await inspect('fb')).Id as string;
  assert.deepEqual(await names('-a', '--filter', `since=${fbId.slice(0, 12)}`), ['fc']);
  assert.deepEqual(await names('--filter', 'volume=/data'), ['fb']);
  assert.deepEqual(await names('--filter', 'volume=/tmp'), ['fb']);
  assert.deepEqual(await names('--filter', 'network=bridge'), ['fb']);
  assert.deepEqual(await names('--filter', 'network=none'), ['fc']);
  assert.deepEqual(await names('--filter', 'health=none'), ['fc', 'fb']);
  assert.deepEqual(await names('--filter', 'health=healthy'), []);
  assert.deepEqual(await names('-a', '--filter', 'exited=3'), ['fa']);
  assert.deepEqual(await names('-a', '--filter', 'exited=0'), []);
  assert.deepEqual(await names('-a', '--filter', 'ancestor=busybox'), ['fc', 'fb', 'fa']);
  assert.deepEqual(await names('--filter', 'ancestor=busybox:latest'), ['fc', 'fb']);
  const imageId = (await inspect('fa')).Image as string;
  assert.deepEqual(await names('--filter', `ancestor=${imageId.replace('sha256:', '').slice(0, 6)}`), ['fc', 'fb']);
  assert.deepEqual(await names('--filter', 'ancestor=nope'), []);

  const errs: [string, string][] = [
    ['health=x', 'Unrecognised filter value for health: x'],
    ['status=x', "Invalid filter 'status=x'"],
    ['exited=abc', 'strconv.Atoi: parsing "abc": invalid syntax'],
    ['since=nope', 'no such container nope'],
    ['foo=1', "Invalid filter 'foo'"],
  ];
  for (const [f, msg] of errs) {
    const r = await d.cli(['ps', '--filter', f]);
    assert.equal(r.code, 1, f);
    assert.equal(r.stderr, `Error response from daemon: ${msg}\n`);
  }
});

test('ps -s and --format: SIZE column, json, Label, Size, Networks, Mounts, RunningFor, CreatedAt', async () => {
  const s = await d.cli(['ps', '-s']);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\s+SIZE\n/);
  assert.match(s.stdout, /\sfb\s+0B \(virtual \d+(\.\d+)?[kM]B\)\n/);
  const api = await d.api('GET', '/containers/json?size=1');
  const fb = api.json.find((c: { Names: string[] }) => c.Names[0] === '/fb');
  assert.equal(fb.SizeRw, 0);
  assert.ok(fb.SizeRootFs > 100_000);
  assert.deepEqual(fb.Mounts.map((m: { Source: string; Destination: string }) => [m.Source, m.Destination]), [['/tmp', '/data']]);

  const t = await d.cli(['ps', '--format', 'table {{.ID}}\t{{.Names}}']);
  assert.match(t.stdout, /^CONTAINER ID\s+NAMES\n[0-9a-f]{12}\s+fc\n[0-9a-f]{12}\s+fb\n$/);
  const fields = await d.cli(['ps', '--filter', 'name=fb', '--format', '{{.Label "k"}}|{{.Size}}|{{.Networks}}|{{.Mounts}}|{{.RunningFor}}|{{.CreatedAt}}']);
  assert.match(fields.stdout, /^\|0B \(virtual [\d.]+[kM]B\)\|bridge\|\/tmp\|\d+ seconds? ago|Less than a second ago\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC\n$/);
  assert.equal((await d.cli(['ps', '--filter', 'name=fc', '--format', '{{.Label "k"}} {{.Networks}}'])).stdout, 'v none\n');
  const json = JSON.parse((await d.cli(['ps', '--filter', 'name=fc', '--format', '{{json .}}'])).stdout);
  assert.deepEqual(Object.keys(json), ['Command', 'CreatedAt', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Names', 'Networks', 'Platform', 'Ports', 'RunningFor', 'Size', 'State', 'Status']);
  assert.equal(json.Labels, 'k=v');
  assert.equal(json.Command, '"sleep 300"');
});

test('ps --format: template errors in Go\'s words, exit 1', async () => {
  const exec = await d.cli(['ps', '--format', '{{.Nope}}']);
  assert.equal(exec.code, 1);
  assert.match(exec.stderr, /template: :1:2: executing "" at <\.Nope>: can't evaluate field Nope in type \*formatter\.ContainerContext\n$/);
  const bad = await d.cli(['ps', '--format', '{{.ID}']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /template: :1: bad character U\+007D '\}'\n$/);
  const fn = await d.cli(['ps', '--format', '{{ .Names | nope }}']);
  assert.equal(fn.code, 1);
  assert.match(fn.stderr, /template: :1: function "nope" not defined\n$/);
});
