import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, readFile, lstat, readlink, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { extractTar, maybeGunzip, safeRelPath, MalformedTar } from './index';
import { extractHere } from './safe-extract';
import { workerAvailable } from './extract-host';

type Entry = Partial<tar.Header> & { name: string; body?: string };

/** Builds a tar in memory from entries. */
export async function makeTar(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  for (const { body, ...h } of entries) {
    await new Promise<void>((res, rej) => pack.entry(h as tar.Header, body ?? '', (err) => (err ? rej(err) : res())));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'berth-tar-'));
  const root = join(base, 'a', 'b', 'root');
  await import('node:fs/promises').then((f) => f.mkdir(root, { recursive: true }));
  try { await fn(root); } finally { await rm(base, { recursive: true, force: true }); }
}

test('safeRelPath', () => {
  assert.equal(safeRelPath('./a/b/'), 'a/b');
  assert.equal(safeRelPath('/abs'), 'abs');
  assert.equal(safeRelPath('a/../b'), 'b');
  assert.throws(() => safeRelPath('../../etc/x'), /outside of the layer/);
  assert.throws(() => safeRelPath('a/../../x'), /outside of the layer/);
});

test('extracts files, dirs, symlinks, hardlinks with modes and mtimes', async () => {
  await withDir(async (root) => {
    const mtime = new Date('2020-01-02T03:04:05Z');
    const buf = await makeTar([
      { name: 'bin/', type: 'directory', mode: 0o755, mtime },
      { name: 'bin/tool', body: 'hello', mode: 0o4755, mtime, uid: 1000, gid: 1000 },
      { name: 'bin/alias', type: 'symlink', linkname: 'tool', mtime },
      { name: 'bin/hard', type: 'link', linkname: 'bin/tool' },
      { name: '/abs', body: 'x' },
    ]);
    const res = await extractTar(Readable.from([buf]), root);
    assert.equal(res.size, 10, "file bytes plus symlink target length, as docker counts");
    assert.equal(await readFile(join(root, 'bin/tool'), 'utf8'), 'hello');
    const st = await stat(join(root, 'bin/tool'));
    assert.equal(st.mode & 0o7777, 0o4755);
    assert.equal(st.mtime.getTime(), mtime.getTime());
    assert.equal(st.nlink, 2);
    if (process.getuid?.() === 0) assert.equal(st.uid, 1000);
    assert.equal(await readlink(join(root, 'bin/alias')), 'tool');
    assert.equal((await stat(join(root, 'bin'))).mtime.getTime(), mtime.getTime());
    assert.equal(await readFile(join(root, 'abs'), 'utf8'), 'x');
  });
});

for (const [label, entries] of [
  ['dot-dot', [{ name: '../../etc/x', body: 'pwned' }]],
  ['symlinked parent', [{ name: 'a', type: 'symlink', linkname: '/etc' }, { name: 'a/passwd', body: 'pwned' }]],
  ['relative symlinked parent', [{ name: 'a', type: 'symlink', linkname: '../../..' }, { name: 'a/x', body: 'pwned' }]],
  ['hardlink outside', [{ name: 'h', type: 'link', linkname: '../../x' }]],
  ['hardlink through a symlinked parent', [{ name: 'a', type: 'symlink', linkname: '/etc' }, { name: 'h', type: 'link', linkname: 'a/passwd' }]],
] as Array<[string, Entry[]]>) {
  test(`refuses ${label}`, async () => {
    await withDir(async (root) => {
      const buf = await makeTar(entries);
      await assert.rejects(extractTar(Readable.from([buf]), root), { name: 'UnsafeTarEntry' });
      const parent = join(root, '..');
      assert.deepEqual((await readdir(parent)).sort(), ['root']);
      await assert.rejects(lstat(join(root, '../../x')), { code: 'ENOENT' });
    });
  });
}

test('an absolute hardlink target is taken inside the layer, and refused when not there (no dirs made for it)', async () => {
  await withDir(async (root) => {
    const ok = await makeTar([{ name: 'etc/passwd', body: 'mine' }, { name: 'h', type: 'link', linkname: '/etc/passwd' }]);
    await extractTar(Readable.from([ok]), root);
    assert.equal((await stat(join(root, 'h'))).ino, (await stat(join(root, 'etc/passwd'))).ino);
  });
  await withDir(async (root) => {
    const bad = await makeTar([{ name: 'h', type: 'link', linkname: '/etc/passwd' }]);
    await assert.rejects(extractTar(Readable.from([bad]), root), { name: 'UnsafeTarEntry', message: 'invalid tar entry "h": hardlink target "/etc/passwd" not in the layer' });
    assert.deepEqual(await readdir(root), []);
  });
});

test('a tar cut short or not a tar at all is a MalformedTar in Go archive/tar words', async () => {
  const whole = await makeTar([{ name: 'f', body: 'x'.repeat(3000) }]);
  for (const [input, message] of [
    [whole.subarray(0, 1500), 'unexpected EOF'],
    [gzipSync(whole).subarray(0, 30), 'unexpected EOF'],
    [Buffer.alloc(1024, 'q'), 'archive/tar: invalid tar header'],
  ] as Array<[Buffer, string]>) {
    await withDir(async (root) => {
      const src = await maybeGunzip(Readable.from([input]));
      await assert.rejects(extractTar(src, root), (e) => e instanceof MalformedTar && e.message === message);
    });
  }
});

test('whiteouts call hooks', async () => {
  await withDir(async (root) => {
    const calls: string[] = [];
    const buf = await makeTar([
      { name: 'd/', type: 'directory' },
      { name: 'd/.wh..wh..opq', body: '' },
      { name: 'd/.wh.gone', body: '' },
    ]);
    await extractTar(Readable.from([buf]), root, {
      setOpaque: async (dir) => { calls.push('opaque ' + dir.slice(root.length)); },
      mknod: async (p, kind, ma, mi) => { calls.push(`mknod ${p.slice(root.length)} ${kind} ${ma} ${mi}`); },
    });
    assert.deepEqual(calls, ['opaque /d', 'mknod /d/gone c 0 0']);
    await assert.rejects(lstat(join(root, 'd/.wh.gone')), { code: 'ENOENT' });
  });
});

test('maybeGunzip detects gzip by magic', async () => {
  const buf = await makeTar([{ name: 'f', body: 'z' }]);
  for (const input of [buf, gzipSync(buf)]) {
    const out = await maybeGunzip(Readable.from([input.subarray(0, 1), input.subarray(1)]));
    const chunks: Buffer[] = [];
    for await (const c of out) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), buf);
  }
  for (const input of [[], [Buffer.from('a')]]) {
    const chunks: Buffer[] = [];
    for await (const c of await maybeGunzip(Readable.from(input))) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), Buffer.concat(input));
  }
});

test('maybeGunzip reads tar-stream packs (not Node streams) and passes their bytes on', async () => {
  const buf = await makeTar([{ name: 'f', body: 'pack' }]);
  const pack = tar.pack();
  pack.entry({ name: 'f' }, 'pack');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of await maybeGunzip(pack as unknown as Readable)) chunks.push(c as Buffer);
  const out = Buffer.concat(chunks);
  assert.equal(out.length, buf.length);
  assert.equal(out.subarray(0, 100).toString('latin1').replace(/\0+$/, ''), 'f');
  assert.equal(out.subarray(512, 516).toString('latin1'), 'pack');
});

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'berth-xhost-'));
  const root = join(base, 'root');
  await mkdir(root);
  try { await fn(root); } finally { await rm(base, { recursive: true, force: true }); }
}

const inProcess = (input: Readable, root: string) => extractHere(input, root, { chown: false });

test('extractions run in a worker thread when its script is beside the module', () => {
  assert.equal(workerAvailable(), true);
});

for (const [label, run] of [['worker', (i: Readable, r: string) => extractTar(i, r, { chown: false })], ['in process', inProcess]] as const) {
  test(`${label}: a path replaced by a later entry is replaced, and a directory it replaced is no longer a trusted parent`, async () => {
    await withRoot(async (root) => {
      const ok = await makeTar([
        { name: 'd/', type: 'directory', mode: 0o755 },
        { name: 'd/f', body: 'first' },
        { name: 'd/f', body: 'second' },
        { name: 'x', body: 'file first' },
        { name: 'x/', type: 'directory', mode: 0o700 },
        { name: 'x/y', body: 'under a dir that was a file' },
        { name: 'big', body: 'b'.repeat(3 << 20), mode: 0o600 },
      ]);
      await run(Readable.from([ok]), root);
      assert.equal(await readFile(join(root, 'd/f'), 'utf8'), 'second');
      assert.equal(await readFile(join(root, 'x/y'), 'utf8'), 'under a dir that was a file');
      assert.equal((await stat(join(root, 'x'))).mode & 0o7777, 0o700);
      const big = await stat(join(root, 'big'));
      assert.equal(big.size, 3 << 20);
      assert.equal(big.mode & 0o7777, 0o600);
    });
    await withRoot(async (root) => {
      const bad = await makeTar([
        { name: 'd/', type: 'directory' },
        { name: 'd/f', body: 'x' },
        { name: 'd', type: 'symlink', linkname: '/tmp' },
        { name: 'd/pwned', body: 'x' },
      ]);
      await assert.rejects(run(Readable.from([bad]), root), { name: 'UnsafeTarEntry', message: /parent "d" is not a directory/ });
      assert.equal((await lstat(join(root, 'd'))).isSymbolicLink(), true);
      await assert.rejects(lstat('/tmp/pwned'), { code: 'ENOENT' });
    });
  });
}

test('a failing input fails the extraction with its error, and the next extraction still works', async () => {
  const tar = await makeTar([{ name: 'a', body: 'a'.repeat(600_000) }, { name: 'b', body: 'b' }]);
  await withRoot(async (root) => {
    const input = new Readable({ read() {} });
    input.push(tar.subarray(0, 300_000));
    setTimeout(() => input.destroy(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' })), 20);
    await assert.rejects(extractTar(input, root), { message: 'connection reset', code: 'ECONNRESET' });
  });
  await withRoot(async (root) => {
    const input = new Readable({ read() {} });
    input.push(tar.subarray(0, 300_000));
    setTimeout(() => input.destroy(), 20); // closed early, no error
    await assert.rejects(extractTar(input, root), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
  await withRoot(async (root) => {
    await extractTar(Readable.from([tar]), root);
    assert.deepEqual((await readdir(root)).sort(), ['a', 'b']);
  });
});

test('a hook failure fails the extraction with its error; an unsafe entry destroys the input', async () => {
  await withRoot(async (root) => {
    const tar = await makeTar([{ name: 'd/', type: 'directory' }, { name: 'd/.wh.gone', body: '' }]);
    const mknod = async () => { throw Object.assign(new Error('mknod d/gone: operation not permitted'), { code: 'EPERM' }); };
    await assert.rejects(extractTar(Readable.from([tar]), root, { mknod }), { message: 'mknod d/gone: operation not permitted', code: 'EPERM' });
  });
  await withRoot(async (root) => {
    const tar = await makeTar([{ name: '../escape', body: 'x' }, { name: 'later', body: 'y'.repeat(1 << 20) }]);
    const input = Readable.from([tar.subarray(0, 2048), tar.subarray(2048)]);
    await assert.rejects(extractTar(input, root), { name: 'UnsafeTarEntry' });
    assert.equal(input.destroyed, true);
    assert.deepEqual(await readdir(root), []);
  });
});

test('digest: the sha256 of every byte read, in the worker and in process alike', async () => {
  const tar = Buffer.concat([await makeTar([{ name: 'f', body: 'z'.repeat(300_000) }, { name: 'd/', type: 'directory' }]), Buffer.alloc(4096)]);
  const want = `sha256:${createHash('sha256').update(tar).digest('hex')}`;
  for (const run of [extractTar, extractHere]) {
    await withRoot(async (root) => {
      const res = await run(Readable.from([tar.subarray(0, 1000), tar.subarray(1000)]), root, { chown: false, digest: true });
      assert.deepEqual(res, { size: 300_000, digest: want });
      assert.equal((await extractHere(Readable.from([tar]), join(root, 'd'), { chown: false })).digest, undefined);
    });
  }
});

test('a tar cut inside the padding after an entry\'s data ends there, as Go\'s archive/tar reads it; cut in data or a header it is refused', async () => {
  // a: header 0-512, data 512-1112, padding to 1536; last: header 1536-2048, data 2048-2053, padding to 2560; end blocks to 3584
  const small = await makeTar([{ name: 'a', body: 'x'.repeat(600) }, { name: 'last', body: 'hello' }]);
  // one big last entry, so its data is still unread when the input ends: header 0-512, data to 300_512, padding to 300_544
  const big = await makeTar([{ name: 'big', body: 'b'.repeat(300_000) }]);
  const accepted: Array<[Buffer, string[]]> = [
    [small.subarray(0, 2053), ['a', 'last']],
    [small.subarray(0, 2300), ['a', 'last']],
    [small.subarray(0, 2559), ['a', 'last']],
    [small.subarray(0, 2560), ['a', 'last']],
    [small.subarray(0, 3072), ['a', 'last']],
    [small.subarray(0, 1300), ['a']], // Go's reader stops in a's padding: last is never read
    [big.subarray(0, 300_512 + 10), ['big']],
  ];
  const refused = [small.subarray(0, 2050), small.subarray(0, 1700), small.subarray(0, 2660), big.subarray(0, 300_000)];
  for (const run of [extractTar, inProcess]) {
    for (const [input, names] of accepted) {
      await withRoot(async (root) => {
        await run(Readable.from([input]), root);
        assert.deepEqual((await readdir(root)).sort(), names, `cut at ${input.length}`);
        if (names.includes('last')) assert.equal(await readFile(join(root, 'last'), 'utf8'), 'hello');
        if (names.includes('big')) assert.equal((await stat(join(root, 'big'))).size, 300_000);
      });
    }
    for (const input of refused) {
      await withRoot(async (root) => {
        await assert.rejects(run(Readable.from([input]), root), (e) => e instanceof MalformedTar && e.message === 'unexpected EOF', `cut at ${input.length}`);
      });
    }
  }
});
