import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import http from 'node:http';
import { TestDaemon } from '../harness';

const d = new TestDaemon('vol');
before(() => d.start());
after(() => d.stop());

const volumeNames = async () => (await d.api('GET', '/volumes')).json.Volumes.map((v: { Name: string }) => v.Name).sort() as string[];
const ok = (r: { code: number; stderr: string }) => assert.equal(r.code, 0, r.stderr);
const filters = (f: Record<string, string[]>) => encodeURIComponent(JSON.stringify(f));

/** Collects the daemon's volume events until stop() is called. */
function collectEvents(extra: Record<string, string[]> = {}): { stop: () => Promise<{ Action: string; Actor: { ID: string; Attributes: Record<string, string> } }[]> } {
  const events: any[] = [];
  let buf = '';
  const req = http.request({ socketPath: d.socket, path: `/events?filters=${filters({ type: ['volume'], ...extra })}` }, (res) => {
    res.on('data', (b) => {
      buf += b;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.trim()) events.push(JSON.parse(l));
    });
  });
  req.on('error', () => {});
  req.end();
  return { stop: async () => { await new Promise((r) => setTimeout(r, 200)); req.destroy(); return events; } };
}

test('volume create, ls, inspect and rm through the CLI, in Docker\'s shapes', async () => {
  const before = await volumeNames();
  ok(await d.cli(['volume', 'create', '--label', 'team=db', '--label', 'tier', 'vol-cli']));
  const i = await d.cli(['volume', 'inspect', 'vol-cli']);
  ok(i);
  const [v] = JSON.parse(i.stdout);
  assert.deepEqual(Object.keys(v), ['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope']);
  assert.deepEqual([v.Name, v.Driver, v.Scope, v.Options], ['vol-cli', 'local', 'local', null]);
  assert.deepEqual(v.Labels, { team: 'db', tier: '' });
  assert.equal(v.Mountpoint, join(d.dataRoot, 'volumes', 'vol-cli', '_data'));
  assert.match(v.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await access(v.Mountpoint);

  assert.equal((await d.cli(['volume', 'inspect', '-f', '{{.Name}} {{.Driver}} {{index .Labels "team"}}', 'vol-cli'])).stdout, 'vol-cli local db\n');
  const ls = await d.cli(['volume', 'ls']);
  assert.match(ls.stdout, /^DRIVER\s+VOLUME NAME\n/);
  assert.match(ls.stdout, /\nlocal\s+vol-cli\n/);
  assert.equal((await d.cli(['volume', 'ls', '-q', '--filter', 'label=team=db'])).stdout, 'vol-cli\n');
  assert.equal((await d.cli(['volume', 'ls', '--format', '{{.Name}}|{{.Labels}}|{{.Links}}', '-f', 'name=vol-c'])).stdout, 'vol-cli|team=db,tier=|N/A\n');

  const missing = await d.cli(['volume', 'inspect', 'vol-none']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stdout, '[]\n');
  assert.equal(missing.stderr, 'Error response from daemon: get vol-none: no such volume\n');
  assert.equal((await d.cli(['volume', 'inspect', '-f', '{{.Name}}', 'vol-none'])).stdout, '\n');

  const rm = await d.cli(['volume', 'rm', 'vol-cli', 'vol-none']);
  assert.equal(rm.code, 1);
  assert.equal(rm.stdout, 'vol-cli\n');
  assert.equal(rm.stderr, 'Error response from daemon: get vol-none: no such volume\n');
  assert.equal((await d.cli(['volume', 'rm', '-f', 'vol-none'])).code, 0);
  await assert.rejects(access(v.Mountpoint));
  assert.deepEqual(await volumeNames(), before);
});

test('the API: create answers 201 and returns an existing volume unchanged; bad names, options and drivers as Docker', async () => {
  const c = await d.api('POST', '/volumes/create', { Name: 'vol-api', Labels: { a: 'b' }, DriverOpts: {} });
  assert.equal(c.status, 201, c.body);
  assert.deepEqual(c.json.Labels, { a: 'b' });
  const again = await d.api('POST', '/volumes/create', { Name: 'vol-api', Labels: { x: 'y' } });
  assert.equal(again.status, 201);
  assert.deepEqual(again.json.Labels, { a: 'b' });

  const anon = await d.api('POST', '/volumes/create', {});
  assert.equal(anon.status, 201);
  assert.match(anon.json.Name, /^[0-9a-f]{64}$/);
  assert.deepEqual(anon.json.Labels, { 'com.docker.volume.anonymous': '' });

  const cases: [unknown, number, string][] = [
    [{ Name: 'a/b' }, 400, 'create a/b: "a/b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
    [{ Name: 'x' }, 400, 'create x: volume name is too short, names should be at least two alphanumeric characters'],
    [{ Name: 'vol-drv', Driver: 'foo' }, 404, 'create vol-drv: error looking up volume plugin foo: plugin "foo" not found'],
    [{ Name: 'vol-opt', DriverOpts: { bogus: '1' } }, 400, 'create vol-opt: invalid option: "bogus"'],
    [{ Name: 'vol-opt', DriverOpts: { type: 'tmpfs' } }, 400, 'create vol-opt: missing required option: "device"'],
    [{ Name: 'vol-opt', DriverOpts: { o: 'size=1m' } }, 400, 'create vol-opt: missing required option: "device"'],
  ];
  for (const [body, status, message] of cases) {
    const r = await d.api('POST', '/volumes/create', body);
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(r.json.message, message);
  }
  assert.ok(!(await volumeNames()).some((n) => ['a/b', 'x', 'vol-drv', 'vol-opt'].includes(n)));

  const nf = await d.api('GET', '/volumes/vol-none');
  assert.deepEqual([nf.status, nf.json.message], [404, 'get vol-none: no such volume']);
  assert.equal((await d.api('DELETE', '/volumes/vol-none')).status, 404);
  assert.equal((await d.api('DELETE', '/volumes/vol-none?force=1')).status, 204);
  assert.equal((await d.api('DELETE', `/volumes/${anon.json.Name}`)).status, 204);
  assert.equal((await d.api('DELETE', '/volumes/vol-api')).status, 204);
});

test('data written by one container is read by another; :ro is enforced inside; in-use volumes refuse removal', async () => {
  const before = await volumeNames();
  ok(await d.cli(['run', '--name', 'writer', '-v', 'vol-data:/data', 'busybox', 'sh', '-c', 'echo hello > /data/greeting']));
  assert.deepEqual(await volumeNames(), [...before, 'vol-data'].sort());
  const vol = (await d.api('GET', '/volumes/vol-data')).json;
  assert.deepEqual([vol.Labels, vol.Options], [null, null]);
  assert.equal(await readFile(join(vol.Mountpoint, 'greeting'), 'utf8'), 'hello\n');

  const read = await d.cli(['run', '--rm', '-v', 'vol-data:/in:ro', 'busybox', 'sh', '-c', 'cat /in/greeting; echo no > /in/x']);
  assert.equal(read.code, 1);
  assert.equal(read.stdout, 'hello\n');
  assert.match(read.stderr, /can't create \/in\/x: Read-only file system/);

  const writerId = (await d.api('GET', '/containers/writer/json')).json.Id;
  const busy = await d.api('DELETE', '/volumes/vol-data');
  assert.deepEqual([busy.status, busy.json.message], [409, `remove vol-data: volume is in use - [${writerId}]`]);
  assert.equal((await d.api('DELETE', '/volumes/vol-data?force=1')).status, 409);
  const cli = await d.cli(['volume', 'rm', 'vol-data']);
  assert.equal(cli.stderr, `Error response from daemon: remove vol-data: volume is in use - [${writerId}]\n`);

  const mounts = (await d.api('GET', '/containers/writer/json')).json.Mounts;
  assert.deepEqual(mounts, [{ Type: 'volume', Name: 'vol-data', Source: vol.Mountpoint, Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' }]);
  const ps = (await d.api('GET', `/containers/json?all=1&filters=${filters({ volume: ['vol-data'] })}`)).json;
  assert.deepEqual(ps.map((c: { Id: string }) => c.Id), [writerId]);
  assert.equal((await d.api('GET', `/containers/json?all=1&filters=${filters({ volume: ['/data'] })}`)).json.length, 1);

  assert.equal((await d.cli(['volume', 'ls', '-q', '-f', 'dangling=false'])).stdout, 'vol-data\n');
  ok(await d.cli(['volume', 'create', 'vol-idle']));
  const df = (await d.api('GET', '/system/df')).json.Volumes;
  assert.deepEqual(df.find((v: { Name: string }) => v.Name === 'vol-data'), { ...vol, UsageData: { RefCount: 1, Size: 6 } });
  assert.deepEqual(df.find((v: { Name: string }) => v.Name === 'vol-idle').UsageData, { RefCount: 0, Size: 0 });
  assert.match((await d.cli(['system', 'df'])).stdout, /\nLocal Volumes\s+2\s+1\s+6B\s+0B \(0%\)\n/);
  ok(await d.cli(['volume', 'rm', 'vol-idle']));
  ok(await d.cli(['rm', '-v', 'writer']));
  // rm -v never removes a named volume
  assert.equal((await d.cli(['volume', 'ls', '-q', '-f', 'dangling=true', '-f', 'name=vol-data'])).stdout, 'vol-data\n');
  ok(await d.cli(['volume', 'rm', 'vol-data']));
  assert.deepEqual(await volumeNames(), before);
});

test('anonymous volumes: -v /path, labelled, removed by rm -v and by --rm, kept by plain rm', async () => {
  const before = await volumeNames();
  ok(await d.cli(['create', '--name', 'anon-a', '-v', '/scratch', 'busybox', 'true']));
  const [m] = (await d.api('GET', '/containers/anon-a/json')).json.Mounts;
  assert.equal(m.Type, 'volume');
  assert.match(m.Name, /^[0-9a-f]{64}$/);
  assert.deepEqual([m.Destination, m.Mode, m.RW, m.Driver], ['/scratch', '', true, 'local']);
  assert.deepEqual((await d.api('GET', `/volumes/${m.Name}`)).json.Labels, { 'com.docker.volume.anonymous': '' });
  ok(await d.cli(['rm', '-v', 'anon-a']));
  assert.deepEqual(await volumeNames(), before);

  ok(await d.cli(['create', '--name', 'anon-b', '-v', '/scratch', 'busybox', 'true']));
  const kept = (await d.api('GET', '/containers/anon-b/json')).json.Mounts[0].Name;
  ok(await d.cli(['rm', 'anon-b']));
  assert.deepEqual(await volumeNames(), [...before, kept].sort());
  assert.equal((await d.cli(['volume', 'ls', '-q', '-f', 'dangling=true'])).stdout.includes(kept), true);
  ok(await d.cli(['volume', 'rm', kept]));

  const r = await d.cli(['run', '--rm', '-v', '/scratch', '-v', 'vol-keep:/keep', 'busybox', 'sh', '-c', 'echo x > /scratch/f; echo y > /keep/f']);
  ok(r);
  assert.deepEqual(await volumeNames(), [...before, 'vol-keep'].sort());
  ok(await d.cli(['volume', 'rm', 'vol-keep']));
});

test('prune: anonymous unused volumes only (API 1.42+) unless all; every unused one for older clients; filters', async () => {
  ok(await d.cli(['volume', 'create', 'vol-named-unused']));
  ok(await d.cli(['volume', 'create', '--label', 'keep=1', 'vol-labelled']));
  const anon = (await d.api('POST', '/volumes/create', {})).json.Name;
  ok(await d.cli(['create', '--name', 'holder', '-v', '/held', '-v', 'vol-held:/n', 'busybox', 'true']));
  const held = (await d.api('GET', '/containers/holder/json')).json.Mounts.find((x: { Destination: string }) => x.Destination === '/held').Name;

  const p = await d.cli(['volume', 'prune', '-f']);
  ok(p);
  assert.equal(p.stdout, `Deleted Volumes:\n${anon}\n\nTotal reclaimed space: 0B\n`);
  assert.deepEqual(await volumeNames(), [held, 'vol-held', 'vol-labelled', 'vol-named-unused'].sort());

  const bad = await d.api('POST', `/volumes/prune?filters=${filters({ bogus: ['1'] })}`);
  assert.deepEqual([bad.status, bad.json.message], [400, "Invalid filter 'bogus'"]);
  const old = await d.api('POST', `/v1.41/volumes/prune?filters=${filters({ all: ['true'] })}`);
  assert.deepEqual([old.status, old.json.message], [400, "Invalid filter 'all'"]);

  const all = await d.cli(['volume', 'prune', '-a', '-f', '--filter', 'label!=keep=1']);
  ok(all);
  assert.equal(all.stdout, 'Deleted Volumes:\nvol-named-unused\n\nTotal reclaimed space: 0B\n');
  const legacy = await d.api('POST', '/v1.41/volumes/prune');
  assert.deepEqual(legacy.json, { VolumesDeleted: ['vol-labelled'], SpaceReclaimed: 0 });
  assert.deepEqual(await volumeNames(), [held, 'vol-held'].sort());
  ok(await d.cli(['rm', '-v', 'holder']));
  assert.deepEqual(await volumeNames(), ['vol-held']);
  ok(await d.cli(['volume', 'rm', 'vol-held']));
});

test('list filters: dangling, name, driver, label; unknown keys and bad values refused', async () => {
  ok(await d.cli(['volume', 'create', '--label', 'env=prod', 'vol-f1']));
  ok(await d.cli(['volume', 'create', '--label', 'env=dev', 'vol-f2']));
  ok(await d.cli(['create', '--name', 'filt', '-v', 'vol-f2:/x', 'busybox', 'true']));
  const q = async (...f: string[]) => (await d.cli(['volume', 'ls', '-q', ...f.flatMap((x) => ['-f', x])])).stdout;
  assert.equal(await q('dangling=true', 'name=vol-f'), 'vol-f1\n');
  assert.equal(await q('dangling=0', 'name=^vol-f'), 'vol-f2\n');
  assert.equal(await q('label=env', 'name=vol-f'), 'vol-f1\nvol-f2\n');
  assert.equal(await q('label=env=dev'), 'vol-f2\n');
  assert.equal(await q('label=env=dev', 'label=env=prod'), '');
  assert.equal(await q('driver=local', 'name=f1'), 'vol-f1\n');
  assert.equal(await q('driver=other', 'name=f1'), '');
  const bad = await d.cli(['volume', 'ls', '-f', 'dangling=maybe']);
  assert.deepEqual([bad.code, bad.stderr], [1, "Error response from daemon: Invalid filter 'dangling=[maybe]'\n"]);
  assert.equal((await d.api('GET', `/volumes?filters=${filters({ bogus: ['1'] })}`)).json.message, "Invalid filter 'bogus'");
  ok(await d.cli(['rm', 'filt']));
  ok(await d.cli(['volume', 'rm', 'vol-f1', 'vol-f2']));
});

test('events: create, mount, unmount, destroy, prune', async () => {
  const ev = collectEvents();
  const only = collectEvents({ volume: ['vol-ev2'] });
  await new Promise((r) => setTimeout(r, 100));
  ok(await d.cli(['volume', 'create', 'vol-ev']));
  ok(await d.cli(['volume', 'create', 'vol-ev2']));
  ok(await d.cli(['volume', 'rm', 'vol-ev2']));
  const run = await d.cli(['run', '--name', 'ev-c', '-v', 'vol-ev:/d:ro', 'busybox', 'true']);
  ok(run);
  const id = (await d.api('GET', '/containers/ev-c/json')).json.Id;
  ok(await d.cli(['rm', 'ev-c']));
  ok(await d.cli(['volume', 'rm', 'vol-ev']));
  ok(await d.cli(['volume', 'prune', '-f']));
  const got = (await ev.stop()).map((e) => [e.Action, e.Actor.ID, e.Actor.Attributes]);
  assert.deepEqual((await only.stop()).map((e) => [e.Action, e.Actor.ID]), [['create', 'vol-ev2'], ['destroy', 'vol-ev2']]);
  assert.deepEqual(got, [
    ['create', 'vol-ev', { driver: 'local' }],
    ['create', 'vol-ev2', { driver: 'local' }],
    ['destroy', 'vol-ev2', { driver: 'local' }],
    ['create', 'vol-ev', { driver: 'local' }],
    ['mount', 'vol-ev', { container: id, destination: '/d', driver: 'local', propagation: '', 'read/write': 'false' }],
    ['unmount', 'vol-ev', { container: id, driver: 'local' }],
    ['destroy', 'vol-ev', { driver: 'local' }],
    ['prune', '', { reclaimed: '0' }],
  ]);
});

test('volumes and their references survive a daemon restart', async () => {
  ok(await d.cli(['volume', 'create', '--label', 'x=1', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'vol-tmp']));
  ok(await d.cli(['run', '--name', 'persist', '-v', 'vol-persist:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f']));
  ok(await d.cli(['run', '-d', '--name', 'live', '-v', 'vol-tmp:/t', 'busybox', 'sleep', '600']));
  const df = await d.cli(['exec', 'live', 'df', '/t']);
  assert.match(df.stdout, /tmpfs\s+1024\s/);
  const tmp = (await d.api('GET', '/volumes/vol-tmp')).json;
  assert.deepEqual(tmp.Options, { device: 'tmpfs', o: 'size=1m', type: 'tmpfs' });

  await d.kill();
  await d.start();
  assert.deepEqual((await d.api('GET', '/volumes/vol-persist')).json.Name, 'vol-persist');
  assert.deepEqual((await d.api('GET', '/volumes/vol-tmp')).json.Labels, { x: '1' });
  assert.equal((await d.api('DELETE', '/volumes/vol-persist')).status, 409);
  assert.equal((await d.api('DELETE', '/volumes/vol-tmp')).status, 409);
  assert.equal((await d.cli(['volume', 'ls', '-q', '-f', 'dangling=true', '-f', 'name=vol-'])).stdout, '');
  const cat = await d.cli(['run', '--rm', '--volumes-from', 'persist', 'busybox', 'cat', '/data/f']);
  assert.equal(cat.stdout, 'kept\n', cat.stderr);

  // the running container's tmpfs volume is unmounted once the container stops
  ok(await d.cli(['rm', '-f', 'live']));
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  assert.ok(!mounts.includes(`${tmp.Mountpoint} `), 'tmpfs volume still mounted');
  ok(await d.cli(['rm', 'persist']));
  ok(await d.cli(['volume', 'rm', 'vol-persist', 'vol-tmp']));
});
