import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { isInvalidArgument } from '../../../errdefs';
import { cleanContainerPath, resolvePath, type ContainerView } from './container-view';
import { extractInto } from './extract-into';

let base: string;
let view: ContainerView;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'berth-view-'));
  const root = join(base, 'rootfs');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'data'), { recursive: true });
  await mkdir(join(base, 'host-etc'));
  await writeFile(join(base, 'host-etc', 'passwd'), 'host\n');
  await writeFile(join(root, 'etc', 'passwd'), 'container\n');
  await symlink('/etc', join(root, 'etclink'));
  await symlink('/', join(root, 'rootlink'));
  await symlink('../../../../../..', join(root, 'up'));
  await symlink(join(base, 'host-etc'), join(root, 'hostabs'));
  await symlink('loop2', join(root, 'loop1'));
  await symlink('loop1', join(root, 'loop2'));
  await mkdir(join(base, 'vol'));
  await writeFile(join(base, 'vol', 'f'), 'vol\n');
  await symlink('/etc', join(base, 'vol', 'esc'));
  view = { rootfs: root, mounts: [{ destination: '/mnt/vol', source: join(base, 'vol'), readonly: false }] };
});
after(() => rm(base, { recursive: true, force: true }));

test('cleanContainerPath never climbs above /', () => {
  assert.equal(cleanContainerPath('../../etc//x/'), '/etc/x');
  assert.equal(cleanContainerPath(''), '/');
});

test('an absolute symlink is re-rooted at the container root', async () => {
  const r = await resolvePath(view, '/etclink/passwd');
  assert.equal(r.path, '/etc/passwd');
  assert.equal(r.hostPath, join(view.rootfs, 'etc', 'passwd'));
  assert.equal((await resolvePath(view, '/rootlink/etc/passwd')).hostPath, join(view.rootfs, 'etc', 'passwd'));
});

test('.. and relative symlinks stop at the container root', async () => {
  assert.equal((await resolvePath(view, '/../../../etc/passwd')).hostPath, join(view.rootfs, 'etc', 'passwd'));
  assert.equal((await resolvePath(view, '/up/etc/passwd')).hostPath, join(view.rootfs, 'etc', 'passwd'));
});

test('a symlink to a host path is read as a container path', async () => {
  const r = await resolvePath(view, '/hostabs/passwd');
  assert.equal(r.hostPath, join(view.rootfs, base, 'host-etc', 'passwd'));
  assert.ok(r.hostPath.startsWith(view.rootfs + '/'));
});

test('the final symlink is followed only when asked', async () => {
  assert.equal((await resolvePath(view, '/etclink')).path, '/etclink');
  assert.equal((await resolvePath(view, '/etclink', { followFinal: true })).path, '/etc');
});

test('a symlink loop is an error', async () => {
  await assert.rejects(resolvePath(view, '/loop1/x'), (e) => isInvalidArgument(e));
});

test('bind mounts map to their source, and their symlinks resolve in the container', async () => {
  assert.equal((await resolvePath(view, '/mnt/vol/f')).hostPath, join(base, 'vol', 'f'));
  assert.equal((await resolvePath(view, '/mnt/vol/esc/passwd')).hostPath, join(view.rootfs, 'etc', 'passwd'));
});

function tarOf(entries: Array<{ name: string; type?: 'file' | 'symlink' | 'directory'; body?: string; linkname?: string }>): Readable {
  const p = tar.pack();
  for (const e of entries) p.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: 0o644 }, e.body ?? '');
  p.finalize();
  return p as unknown as Readable;
}

test('extraction writes through container symlinks inside the container only', async () => {
  await extractInto(view, tarOf([{ name: 'passwd', body: 'pwned\n' }]), { dir: '/rootlink/etclink' });
  assert.equal(await readFile(join(view.rootfs, 'etc', 'passwd'), 'utf8'), 'pwned\n');
  await extractInto(view, tarOf([
    { name: 'evil', type: 'symlink', linkname: join(base, 'host-etc') },
    { name: 'evil/passwd', body: 'pwned\n' },
    { name: '/abs/x', body: 'x' },
  ]), { dir: '/' });
  assert.equal(await readFile(join(base, 'host-etc', 'passwd'), 'utf8'), 'host\n');
  assert.equal(await readFile(join(view.rootfs, base, 'host-etc', 'passwd'), 'utf8'), 'pwned\n');
  assert.equal(await readFile(join(view.rootfs, 'abs', 'x'), 'utf8'), 'x');
});

test('extraction refuses entries that climb out', async () => {
  await assert.rejects(extractInto(view, tarOf([{ name: '../../escape', body: 'x' }]), { dir: '/etc' }), (e) => isInvalidArgument(e));
});

test('noOverwriteDirNonDir refuses replacing a directory with a file', async () => {
  await assert.rejects(extractInto(view, tarOf([{ name: 'etc', body: 'x' }]), { dir: '/', noOverwriteDirNonDir: true }), /cannot overwrite directory "\/etc"/);
});
