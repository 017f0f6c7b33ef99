import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { sha256 } from '../../lib/digest';
import { codeOf, isInvalidArgument } from '../../errdefs';
import { tarOf } from '../../../test/archive-fixtures';
import { OverlayLayerStore } from './layer-store';

async function withStore(fn: (s: OverlayLayerStore, root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'berth-layers-'));
  try {
    const s = new OverlayLayerStore(root);
    await s.init();
    await fn(s, root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** What is left in tmp/ and in the staging slots: nothing once every staged layer was committed or discarded. */
async function tmpEntries(root: string): Promise<string[]> {
  const slots = await readdir(join(root, 'staging'));
  const staged = await Promise.all(slots.map(async (slot) => (await readdir(join(root, 'staging', slot))).map((n) => `staging/${slot}/${n}`)));
  return [...(await readdir(join(root, 'tmp'))), ...staged.flat()];
}

test('unpack stages a diff outside the chain store; commitStaged puts it at its chain position', async () => {
  await withStore(async (s, root) => {
    const base = await tarOf([{ name: 'etc/', type: 'directory' }, { name: 'etc/base', body: 'base' }]);
    const top = await tarOf([{ name: 'top', body: 'top!' }]);
    const tapped: Buffer[] = [];
    const stagedBase = await s.unpack(Readable.from([gzipSync(base)]), { tap: (c) => tapped.push(c) });
    assert.equal(stagedBase.diffId, sha256(base), 'diffID is the digest of the uncompressed tar');
    assert.deepEqual(Buffer.concat(tapped), base, 'the tap sees the uncompressed bytes');
    assert.equal(stagedBase.size, 4);
    assert.equal(await readFile(join(stagedBase.dir, 'diff', 'etc', 'base'), 'utf8'), 'base');
    assert.deepEqual(await s.list(), [], 'a staged layer is no layer yet');

    // the top layer may be unpacked before its parent is committed
    const stagedTop = await s.unpack(Readable.from([top]));
    const b = await s.commitStaged(stagedBase);
    assert.equal(b.chainId, stagedBase.diffId);
    const t = await s.commitStaged(stagedTop, b.chainId);
    assert.equal(t.chainId, sha256(`${b.chainId} ${stagedTop.diffId}`));
    assert.deepEqual((await s.list()).sort(), [b.chainId, t.chainId].sort());
    const info = await s.get(t.chainId);
    assert.equal(info.parent, b.chainId);
    assert.equal(await readFile(join(info.diffDir, 'top'), 'utf8'), 'top!');
    assert.equal((await s.lowerOf(t.chainId)).length, 2);
    assert.deepEqual(await tmpEntries(root), []);

    await assert.rejects(s.commitStaged(stagedTop, sha256('another parent')), (e) => codeOf(e) === 'FAILED_PRECONDITION');
  });
});

test('commitStaged keeps a chain that is already present and drops the staged copy', async () => {
  await withStore(async (s, root) => {
    const layer = await tarOf([{ name: 'f', body: 'same' }]);
    const first = await s.commitStaged(await s.unpack(Readable.from([layer])));
    const ino = (await stat((await s.get(first.chainId)).diffDir)).ino;
    const again = await s.unpack(Readable.from([layer]));
    const second = await s.commitStaged(again);
    assert.deepEqual(second, first);
    assert.equal((await stat((await s.get(first.chainId)).diffDir)).ino, ino);
    assert.deepEqual(await tmpEntries(root), []);
  });
});

for (const [label, make, pattern] of [
  ['a truncated tar', async () => (await tarOf([{ name: 'f', body: 'x'.repeat(3000) }])).subarray(0, 1500), /unexpected EOF/],
  ['a truncated gzip', async () => gzipSync(await tarOf([{ name: 'f', body: 'x'.repeat(3000) }])).subarray(0, 40), /unexpected EOF/],
  ['a stream that is no tar', async () => Buffer.alloc(2048, 'z'), /invalid tar header/],
  ['an entry climbing out', () => tarOf([{ name: '../../evil', body: 'x' }]), /outside of the layer/],
  ['a symlinked parent', () => tarOf([{ name: 'a', type: 'symlink', linkname: '/etc' }, { name: 'a/passwd', body: 'x' }]), /symlinked parents/],
  ['a hardlink to a file not in the layer', () => tarOf([{ name: 'h', type: 'link', linkname: '/etc/passwd' }]), /not in the layer/],
] as Array<[string, () => Promise<Buffer>, RegExp]>) {
  test(`unpack refuses ${label} with InvalidArgument, destroys its input and leaves nothing staged`, async () => {
    await withStore(async (s, root) => {
      const input = new PassThrough();
      input.end(await make());
      await assert.rejects(s.unpack(input), (e: Error) => isInvalidArgument(e) && pattern.test(e.message));
      assert.ok(input.destroyed);
      assert.deepEqual(await tmpEntries(root), []);
    });
  });
}

test('apply is unpack + commitStaged, checks the expected diffID, and only hashes a present chain', async () => {
  await withStore(async (s, root) => {
    const layer = await tarOf([{ name: 'f', body: 'apply' }]);
    await assert.rejects(
      s.apply({ input: Readable.from([layer]), expectedDiffId: sha256('other') }),
      (e: Error) => isInvalidArgument(e) && e.message.includes(sha256(layer)),
    );
    assert.deepEqual(await s.list(), []);
    assert.deepEqual(await tmpEntries(root), []);
    const a = await s.apply({ input: Readable.from([layer]), expectedDiffId: sha256(layer) });
    assert.equal(a.chainId, sha256(layer));
    const tapped: Buffer[] = [];
    const again = await s.apply({ input: Readable.from([gzipSync(layer)]), expectedDiffId: sha256(layer), tap: (c) => tapped.push(c) });
    assert.deepEqual(again, a);
    assert.deepEqual(Buffer.concat(tapped), layer);
    assert.deepEqual(await tmpEntries(root), []);
  });
});

test('each unpack takes the staging slot whose layers were freed longest ago', async () => {
  await withStore(async (s, root) => {
    const layer = async (n: number) => tarOf([{ name: `f${n}`, body: String(n) }]);
    const first = await s.unpack(Readable.from([await layer(1)]));
    const second = await s.unpack(Readable.from([await layer(2)]));
    assert.notEqual(second.slot, first.slot, 'unpacks spread over the slots');
    assert.equal(first.dir, join(root, 'staging', String(first.slot), first.dir.split('/').pop()!));
    const committed = await s.commitStaged(first);
    assert.equal(await readFile(join(root, 'layers', committed.chainId.slice(7), 'slot'), 'utf8'), String(first.slot));
    await s.discard(second);
    // slots never freed come first, least recently taken first: the untouched ones
    const untouched = (await readdir(join(root, 'staging'))).length - 2;
    const staged = [];
    for (let i = 0; i < untouched; i++) staged.push(await s.unpack(Readable.from([await layer(10 + i)])));
    const taken = new Set(staged.map((st) => st.slot));
    assert.equal(taken.size, untouched);
    assert.equal(taken.has(second.slot), false);
    assert.equal(taken.has(first.slot), false);
    await s.remove(committed.chainId);
    for (const st of staged) await s.discard(st);
    const next = await s.unpack(Readable.from([await layer(99)]));
    assert.equal(next.slot, second.slot, 'every slot freed since, the one freed first');
    await s.discard(next);
    assert.deepEqual(await tmpEntries(root), []);
  });
});

test('unpack of a source that fails mid-layer, before it is read or while it is: rejects with its error, nothing staged', async () => {
  await withStore(async (s, root) => {
    const layer = await tarOf([{ name: 'f', body: 'x'.repeat(600_000) }]);
    for (const bytes of [layer, gzipSync(layer)]) {
      const cut = bytes.subarray(0, bytes.length >> 1);
      // failed before unpack listens (a pull's blob connection reset while its reader set up)
      const early = new PassThrough();
      early.on('error', () => undefined); // the pipeline a pull reads through listens so
      early.write(cut);
      early.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      await assert.rejects(s.unpack(early), /ECONNRESET/);
      // fails while the extractor reads it
      const late = new PassThrough();
      late.write(cut);
      setTimeout(() => late.destroy(new Error('unexpected EOF reading blob')), 30);
      await assert.rejects(s.unpack(late), /unexpected EOF reading blob/);
      // closed before its end, without an error
      const closed = new PassThrough();
      closed.write(cut);
      setTimeout(() => closed.destroy(), 30);
      await assert.rejects(s.unpack(closed), /premature close/i);
      assert.deepEqual(await tmpEntries(root), []);
    }
  });
});
