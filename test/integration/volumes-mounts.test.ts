import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon, run } from '../harness';

const d = new TestDaemon('vmnt');
let host = '';
before(async () => {
  await d.start();
  host = await mkdtemp(join(tmpdir(), 'berth-vmnt-host-'));
});
after(async () => {
  await d.stop();
  await run('sh', ['-c', `grep -q ' ${host}/shared ' /proc/self/mountinfo && umount -l ${host}/shared; true`]);
  await rm(host, { recursive: true, force: true });
});

const ok = (r: { code: number; stderr: string }) => assert.equal(r.code, 0, r.stderr);
const counts = async () => ({
  volumes: (await d.api('GET', '/volumes')).json.Volumes.length as number,
  containers: (await d.api('GET', '/containers/json?all=1')).json.length as number,
});
const mountsOf = async (c: string) => (await d.api('GET', `/containers/${c}/json`)).json.Mounts;

test('copy-up: a new named or anonymous volume starts with the image\'s content; nocopy and non-empty volumes do not', async () => {
  const before = await counts();
  const r = await d.cli(['run', '--rm', '-v', 'vol-etc:/etc', 'busybox', 'cat', '/etc/group']);
  ok(r);
  assert.match(r.stdout, /^root:x:0:/);
  const mp = (await d.api('GET', '/volumes/vol-etc')).json.Mountpoint;
  assert.ok((await readdir(mp)).includes('passwd'));
  const imageMode = (await d.cli(['run', '--rm', 'busybox', 'stat', '-c', '%a', '/etc'])).stdout.trim();
  assert.equal(((await stat(mp)).mode & 0o7777).toString(8), imageMode);

  // an existing, non-empty volume is left as it is
  await writeFile(join(mp, 'group'), 'mine\n');
  assert.equal((await d.cli(['run', '--rm', '-v', 'vol-etc:/etc', 'busybox', 'cat', '/etc/group'])).stdout, 'mine\n');

  const nocopy = await d.cli(['run', '--rm', '--mount', 'type=volume,src=vol-empty,dst=/etc,volume-nocopy', 'busybox', 'ls', '-A', '/etc']);
  ok(nocopy);
  // only the files the runtime binds over /etc show
  assert.deepEqual(nocopy.stdout.split('\n').filter(Boolean).sort(), ['hostname', 'hosts', 'resolv.conf']);
  const v2 = await d.cli(['run', '--rm', '-v', 'vol-empty2:/etc:nocopy', 'busybox', 'true']);
  ok(v2);
  // nothing copied: only the mount points the runtime made for the etc files, as with Docker
  for (const name of ['vol-empty', 'vol-empty2']) {
    assert.deepEqual((await readdir((await d.api('GET', `/volumes/${name}`)).json.Mountpoint)).sort(), ['hostname', 'hosts', 'resolv.conf'], name);
  }

  // image VOLUME: commit an image with content under a VOLUME path
  ok(await d.cli(['run', '--name', 'vsrc', 'busybox', 'sh', '-c', 'mkdir -p /vdata && echo seeded > /vdata/seed']));
  ok(await d.cli(['commit', '--change', 'VOLUME /vdata', 'vsrc', 'volimg:1']));
  ok(await d.cli(['rm', 'vsrc']));
  const seeded = await d.cli(['run', '--name', 'vuser', 'volimg:1', 'cat', '/vdata/seed']);
  assert.equal(seeded.stdout, 'seeded\n', seeded.stderr);
  const [m] = await mountsOf('vuser');
  assert.deepEqual([m.Type, m.Destination, m.Mode], ['volume', '/vdata', '']);
  assert.deepEqual((await d.api('GET', `/volumes/${m.Name}`)).json.Labels, { 'com.docker.volume.anonymous': '' });
  // a -v on the image's VOLUME path replaces the anonymous volume
  ok(await d.cli(['run', '--rm', '-v', `${host}/vd:/vdata`, 'volimg:1', 'true']));
  assert.deepEqual(await readdir(join(host, 'vd')), []);
  // cp reaches a volume's data through the container's path, stopped or not
  await writeFile(join(host, 'note'), 'copied\n');
  ok(await d.cli(['cp', join(host, 'note'), 'vuser:/vdata/note']));
  assert.equal(await readFile(join((await d.api('GET', `/volumes/${m.Name}`)).json.Mountpoint, 'note'), 'utf8'), 'copied\n');
  ok(await d.cli(['rm', '-v', 'vuser']));
  ok(await d.cli(['volume', 'rm', 'vol-etc', 'vol-empty', 'vol-empty2']));
  ok(await d.cli(['rmi', 'volimg:1']));
  assert.deepEqual(await counts(), before);
});

test('the backup and restore recipe: --volumes-from a stopped container, tar to a bind, restore into a new container', async () => {
  ok(await d.cli(['run', '--name', 'dbstore', '-v', '/dbdata', 'busybox', 'sh', '-c', 'echo row1 > /dbdata/table; mkdir /dbdata/sub; echo row2 > /dbdata/sub/t2']));
  const backup = join(host, 'backup');
  const b = await d.cli(['run', '--rm', '--volumes-from', 'dbstore', '-v', `${backup}:/backup`, 'busybox', 'tar', 'cvf', '/backup/backup.tar', '/dbdata']);
  ok(b);
  assert.ok((await stat(join(backup, 'backup.tar'))).size > 0);
  assert.match(b.stdout + b.stderr, /dbdata\/sub\/t2/);

  ok(await d.cli(['run', '--name', 'dbstore2', '-v', '/dbdata', 'busybox', 'true']));
  const restore = await d.cli(['run', '--rm', '--volumes-from', 'dbstore2', '-v', `${backup}:/backup`, 'busybox', 'sh', '-c', 'cd /dbdata && tar xvf /backup/backup.tar --strip 1']);
  ok(restore);
  const check = await d.cli(['run', '--rm', '--volumes-from', 'dbstore2:ro', 'busybox', 'sh', '-c', 'cat /dbdata/table /dbdata/sub/t2; touch /dbdata/x']);
  assert.equal(check.stdout, 'row1\nrow2\n');
  assert.match(check.stderr, /Read-only file system/);

  // the copies in inspect: the same volume, read-only, mode cleared
  ok(await d.cli(['create', '--name', 'viewer', '--volumes-from', 'dbstore:ro', 'busybox', 'true']));
  const src = (await mountsOf('dbstore'))[0];
  assert.deepEqual(await mountsOf('viewer'), [{ ...src, RW: false, Mode: '' }]);
  // the anonymous volume outlives `rm -v` of its first container while another still uses it
  ok(await d.cli(['rm', '-v', 'dbstore']));
  assert.equal((await d.api('GET', `/volumes/${src.Name}`)).status, 200);
  ok(await d.cli(['rm', '-v', 'viewer']));
  assert.equal((await d.api('GET', `/volumes/${src.Name}`)).status, 404);
  ok(await d.cli(['rm', '-v', 'dbstore2']));
});

test('binds: host dir made when missing, propagation suffixes, --read-only root with writable mounts, tmpfs options', async () => {
  const made = join(host, 'made', 'deep');
  ok(await d.cli(['run', '--rm', '-v', `${made}:/w:rw,z`, 'busybox', 'sh', '-c', 'echo w > /w/f']));
  assert.equal(await readFile(join(made, 'f'), 'utf8'), 'w\n');

  const ro = await d.cli(['run', '--rm', '--read-only', '-v', `${made}:/w`, '-v', 'vol-rw:/v', '--tmpfs', '/run:size=64m', '--mount', 'type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770', 'busybox', 'sh', '-c',
    'echo a > /w/a && echo b > /v/b && echo c > /run/c && echo d > /t/d && stat -c %a /t && df /run /t | tail -2 && touch /root-file']);
  assert.equal(ro.code, 1);
  assert.match(ro.stdout, /^1770\ntmpfs\s+65536\s.*\/run\ntmpfs\s+1024\s.*\/t\n$/);
  assert.match(ro.stderr, /touch: \/root-file: Read-only file system/);
  assert.equal(await readFile(join(made, 'a'), 'utf8'), 'a\n');

  // rslave needs a shared or slave source, as dockerd checks; a shared one propagates into the container
  const priv = await d.cli(['run', '--rm', '-v', `${made}:/w:rslave`, 'busybox', 'true']);
  assert.equal(priv.code, 125);
  assert.match(priv.stderr, new RegExp(`path ${made} is mounted on \\S+ but it is not a shared or slave mount`));
  const shared = join(host, 'shared');
  await mkdir(shared);
  ok(await run('sh', ['-c', `mount -t tmpfs tmpfs ${shared} && mount --make-shared ${shared}`]));
  ok(await d.cli(['run', '-d', '--name', 'prop', '-v', `${shared}:/s:rshared`, 'busybox', 'sleep', '600']));
  await mkdir(join(shared, 'sub'));
  ok(await run('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', join(shared, 'sub')]));
  const seen = await d.cli(['exec', 'prop', 'df', '/s/sub']);
  assert.match(seen.stdout, /tmpfs\s+2048\s/);
  const mp = (await mountsOf('prop'))[0];
  assert.deepEqual([mp.Mode, mp.Propagation, mp.RW], ['rshared', 'rshared', true]);
  ok(await d.cli(['rm', '-f', '-v', 'prop']));
  await run('umount', ['-l', join(shared, 'sub')]);
  ok(await d.cli(['volume', 'rm', 'vol-rw']));
});

test('volume-subpath mounts a directory inside the volume; a missing one fails the start', async () => {
  ok(await d.cli(['run', '--rm', '-v', 'vol-sub:/v', 'busybox', 'sh', '-c', 'mkdir -p /v/a/b && echo in > /v/a/b/f']));
  const r = await d.cli(['run', '--rm', '--mount', 'type=volume,src=vol-sub,dst=/x,volume-subpath=a/b', 'busybox', 'cat', '/x/f']);
  assert.equal(r.stdout, 'in\n', r.stderr);
  const missing = await d.cli(['run', '--rm', '--mount', 'type=volume,src=vol-sub,dst=/x,volume-subpath=nope', 'busybox', 'true']);
  assert.equal(missing.code, 127); // the docker CLI's status for "no such file or directory"
  assert.match(missing.stderr, /cannot access path .*vol-sub\/_data\/nope: no such file or directory/);
  ok(await d.cli(['volume', 'rm', 'vol-sub']));
});

test('bad input: Docker\'s errors and codes, nothing created or mounted half-way', async () => {
  await d.cli(['create', '--name', 'vsrc2', '-v', 'vol-from:/from', 'busybox', 'true']);
  const before = await counts();
  const cases: [string[], string][] = [
    [['-v', 'a/b:/x'], 'create a/b: "a/b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
    [['-v', 'vol-new1:/ok', '-v', '/abs:rel'], `invalid volume specification: '/abs:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`],
    [['-v', 'vol-new1:/ok', '--mount', 'type=bind,source=rel,target=/x'], 'invalid mount config for type "bind": invalid mount path: \'rel\' mount path must be absolute'],
    [['--mount', 'type=volume,source=vol-new2,target=rel'], 'invalid mount config for type "volume": invalid mount path: \'rel\' mount path must be absolute'],
    [['-v', 'vol-new1:/data', '-v', `${host}:/data`], 'Duplicate mount point: /data'],
    [['--mount', 'type=volume,src=vol-new1,dst=/d', '--mount', `type=bind,src=${host},dst=/d`], 'Duplicate mount point: /d'],
    [['--volume-driver', 'nodriver', '-v', 'vol-new1:/d'], 'create vol-new1: error looking up volume plugin nodriver: plugin "nodriver" not found'],
    [['--mount', `type=bind,source=${host}/absent,target=/x`], `invalid mount config for type "bind": bind source path does not exist: ${host}/absent`],
    [['-v', '/a:/b:bogus'], 'invalid mode: bogus'],
    [['--volumes-from', 'nosuch'], 'No such container: nosuch'],
    [['-v', 'vol-new1:/d', '--volumes-from', 'vsrc2:rshared'], 'invalid mode: rshared'],
    [['-v', 'vol-new1:/d', '-v', 'x:/e'], 'create x: volume name is too short, names should be at least two alphanumeric characters'],
  ];
  for (const [flags, message] of cases) {
    const r = await d.cli(['create', ...flags, 'busybox', 'true']);
    assert.equal(r.code, 1, flags.join(' '));
    assert.equal(r.stderr, `Error response from daemon: ${message}\n`, flags.join(' '));
  }
  const anonDriver = await d.cli(['create', '-v', 'vol-new1:/d', '--mount', 'type=volume,dst=/x,volume-driver=nodriver', 'busybox', 'true']);
  assert.match(anonDriver.stderr, /^Error response from daemon: create [0-9a-f]{64}: error looking up volume plugin nodriver: plugin "nodriver" not found\n/);
  const api = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { Binds: ['vol-new1:/d'], Mounts: [{ Type: 'volume', Target: '/e', ReadOnly: true }] } });
  assert.deepEqual([api.status, api.json.message], [400, 'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes']);
  const nd = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { Binds: ['vol-new1:/d'], VolumeDriver: 'nodriver' } });
  assert.equal(nd.status, 404);
  const overFile = await d.api('POST', '/containers/create', { Image: 'busybox', Volumes: { '/etc/passwd': {} }, HostConfig: { Binds: ['vol-new1:/d'] } });
  assert.equal(overFile.status, 400);
  assert.match(overFile.json.message, /^cannot mount volume over existing file, file exists .*\/etc\/passwd$/);
  assert.deepEqual(await counts(), before);
  await assert.rejects(access(join(host, 'absent')));

  // the CLI's own checks
  const spec = await d.cli(['create', '-v', ':/a', 'busybox', 'true']);
  assert.deepEqual([spec.code, spec.stderr], [125, "berth: invalid spec: :/a: empty section between colons\n\nRun 'berth create --help' for more information\n"]);
  const mount = await d.cli(['create', '--mount', 'type=bind,src=/tmp,dst=/d,volume-nocopy', 'busybox', 'true']);
  assert.equal(mount.code, 125);
  assert.match(mount.stderr, /^invalid argument "type=bind,src=\/tmp,dst=\/d,volume-nocopy" for "--mount" flag: cannot mix 'volume-\*' options with mount type 'bind'\n/);
  const key = await d.cli(['create', '--mount', 'type=volume,dst=/d,bogus=1', 'busybox', 'true']);
  assert.match(key.stderr, /for "--mount" flag: unexpected key 'bogus' in 'bogus=1'/);
  ok(await d.cli(['rm', '-v', 'vsrc2']));
  ok(await d.cli(['volume', 'rm', 'vol-from']));
});
