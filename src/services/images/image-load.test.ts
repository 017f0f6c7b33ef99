import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { isInvalidArgument } from '../../errdefs';
import { chainIds } from '../../core/images';
import { ImageStore } from './image-store';
import { loadImages } from './image-load';
import {
  dockerArchive, legacyDockerArchive, ociLayout, fileLayer, imageIdOf, digestOf, tarOf, type FixtureImage, type TarEntry,
} from '../../../test/archive-fixtures';

const isRoot = process.getuid?.() === 0;
const opts = { skip: !isRoot && 'needs root (chown, whiteout device nodes)' };

async function withStore(fn: (store: ImageStore, unpacks: () => number) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'berth-load-'));
  try {
    const store = new ImageStore(root);
    await store.init();
    let n = 0;
    const unpack = store.layers.unpack.bind(store.layers);
    store.layers.unpack = (...args) => { n++; return unpack(...args); };
    await fn(store, () => n);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Everything a load can leave behind: records, names, blobs, layers, staging dirs. */
async function snapshot(store: ImageStore) {
  return {
    images: [...store.images.keys()].sort(),
    refs: store.refs.all().sort(),
    blobs: (await store.blobs.list()).sort(),
    layers: (await store.layers.list()).sort(),
    staging: [
      ...(await readdir(join(store.dataRoot, 'overlay', 'tmp'))),
      ...(await Promise.all((await readdir(join(store.dataRoot, 'overlay', 'staging'))).map((slot) => readdir(join(store.dataRoot, 'overlay', 'staging', slot))))).flat(),
      ...(await readdir(join(store.dataRoot, 'image', 'ingest'))),
    ],
  };
}

const load = (store: ImageStore, archive: Buffer) => loadImages(store, Readable.from([archive]));

test('each archive format loads its images with Docker\'s IDs, names and layers, unpacking each layer once', opts, async () => {
  const l1 = await fileLayer('etc/one', 'one');
  const l2 = await fileLayer('etc/two', 'two');
  const l3 = await fileLayer('etc/three', 'three');
  const a: FixtureImage = { layers: [l1], repoTags: ['loadtest/a:1'] };
  const b: FixtureImage = { layers: [l1, l2], repoTags: ['loadtest/b:1', 'loadtest/b:latest'] };
  for (const [label, build] of [
    ['legacy', () => legacyDockerArchive({ images: [a, b] })],
    ['docker 25', () => dockerArchive({ images: [a, b] })],
    ['oci, gzip layers, nested index', () => ociLayout({ images: [a, b], gzipLayers: true, nestedIndex: true })],
    ['oci, index first, gzip archive', () => ociLayout({ images: [a, b], indexFirst: true, gzip: true })],
  ] as Array<[string, () => Promise<Buffer>]>) {
    await withStore(async (store, unpacks) => {
      const messages = await load(store, await build());
      assert.deepEqual(messages, ['Loaded image: loadtest/a:1', 'Loaded image: loadtest/b:1', 'Loaded image: loadtest/b:latest'], label);
      assert.equal(store.refs.get('docker.io/loadtest/b:1'), imageIdOf(b), label);
      assert.equal(store.refs.get('docker.io/loadtest/a:1'), imageIdOf(a), label);
      assert.equal(unpacks(), 2, `${label}: l1 is shared and unpacked once`);
      const img = store.images.get(imageIdOf(b) as never)!;
      assert.equal(img.config.history?.length, 2);
      const chains = chainIds([digestOf(l1), digestOf(l2)]);
      assert.deepEqual(await store.layers.list().then((l) => l.sort()), [...chains].sort(), label);
      for (const l of [l1, l2]) assert.deepEqual(await store.blobs.read(digestOf(l)), l, `${label}: the layer tar is kept byte for byte`);
      assert.deepEqual((await snapshot(store)).staging, []);

      // a later archive with l1 again: the Docker 25 layout names it by diffID, so it is not unpacked again
      const before = await stat((await store.layers.get(chains[0])).diffDir);
      const c: FixtureImage = { layers: [l1, l3], repoTags: ['loadtest/c:1'] };
      assert.deepEqual(await load(store, await dockerArchive({ images: [c] })), ['Loaded image: loadtest/c:1']);
      assert.equal(unpacks(), 3, `${label}: only l3 was unpacked`);
      assert.equal((await stat((await store.layers.get(chains[0])).diffDir)).ino, before.ino);
    });
  }
});

test('a layer used at two chain positions is unpacked again from its blob for the second', opts, async () => {
  await withStore(async (store) => {
    const l1 = await fileLayer('x', '1');
    const l2 = await fileLayer('y', '2');
    const imgs: FixtureImage[] = [{ layers: [l1, l2], repoTags: ['loadtest/p:1'] }, { layers: [l2, l1], repoTags: ['loadtest/q:1'] }];
    await load(store, await dockerArchive({ images: imgs }));
    const all = [...chainIds([digestOf(l1), digestOf(l2)]), ...chainIds([digestOf(l2), digestOf(l1)])];
    assert.deepEqual((await store.layers.list()).sort(), all.sort());
    const top = await store.layers.get(all[3]);
    assert.equal((await readdir(top.diffDir)).join(), 'x');
  });
});

test('an image without names loads as its ID', opts, async () => {
  await withStore(async (store) => {
    const img: FixtureImage = { layers: [await fileLayer('f', 'anon')] };
    assert.deepEqual(await load(store, await legacyDockerArchive({ images: [img] })), [`Loaded image ID: ${imageIdOf(img)}`]);
    assert.ok(store.images.has(imageIdOf(img) as never));
  });
});

test('bad archives are refused with InvalidArgument and leave nothing behind', opts, async () => {
  const l1 = await fileLayer('ok', 'fine');
  const l2 = await fileLayer('ok2', 'fine too');
  const good: FixtureImage = { layers: [l1, l2], repoTags: ['loadtest/good:1'] };
  const legacy = await legacyDockerArchive({ images: [good] });
  const withLayer = async (layer: Buffer) => legacyDockerArchive({ images: [{ layers: [l1, layer], repoTags: ['loadtest/bad:1'] }] });
  const cases: Array<[string, () => Promise<Buffer>, RegExp]> = [
    ['a truncated archive', async () => legacy.subarray(0, legacy.length - 2500), /^Error processing tar file: unexpected EOF$/],
    ['a truncated gzip archive', async () => (await legacyDockerArchive({ images: [good], gzip: true })).subarray(0, 300), /unexpected EOF/],
    ['a missing layer', () => legacyDockerArchive({ images: [good], edit: (es) => es.filter((e) => !(Buffer.isBuffer(e.body) && e.body.equals(l2))) }), /^invalid archive: open [0-9a-f]{64}\/layer\.tar: no such file or directory$/],
    ['a missing config', () => dockerArchive({ images: [good], edit: (es) => es.filter((e) => e.name !== `blobs/sha256/${imageIdOf(good).slice(7)}`) }), /open blobs\/sha256\/[0-9a-f]{64}: no such file/],
    ['a wrong diffID', () => legacyDockerArchive({ images: [{ ...good, config: { rootfs: { type: 'layers', diff_ids: [digestOf(l1), digestOf('nope')] } } }] }), /^invalid diffID for layer 1 \(.*\): expected "sha256:[0-9a-f]{64}", got "sha256:[0-9a-f]{64}"$/],
    ['a config that is not JSON', () => legacyDockerArchive({ images: [{ ...good, config: Buffer.from('this is no json') }] }), /^invalid image config [0-9a-f]{64}\.json: /],
    ['an uppercase name', () => legacyDockerArchive({ images: [{ ...good, repoTags: ['Busybox:latest'] }] }), /invalid tag "Busybox:latest" in manifest\.json: invalid reference format: repository name .* must be lowercase/],
    ['a name with a space', () => legacyDockerArchive({ images: [{ ...good, repoTags: ['a b'] }] }), /invalid tag "a b" in manifest\.json: invalid reference format/],
    ['neither manifest.json nor index.json', () => tarOf([{ name: 'hello', body: 'world' }]), /neither manifest\.json nor index\.json/],
    ['a layer entry climbing out', async () => withLayer(await tarOf([{ name: '../../evil', body: 'x' }])), /Error processing tar file .*layer\.tar: invalid tar entry "\.\.\/\.\.\/evil": path is outside of the layer/],
    ['a layer through a symlinked parent', async () => withLayer(await tarOf([{ name: 'a', type: 'symlink', linkname: '/tmp' }, { name: 'a/x', body: 'x' }])), /parent "a" is not a directory/],
    ['a layer hardlink out', async () => withLayer(await tarOf([{ name: 'h', type: 'link', linkname: '/etc/passwd' }])), /hardlink target "\/etc\/passwd" not in the layer/],
    ['an archive entry climbing out', () => tarOf([{ name: '../outside', body: 'x' }, { name: 'manifest.json', body: '[]' }]), /path is outside of the archive/],
    ['a manifest path climbing out', () => legacyDockerArchive({ images: [good], edit: (es) => es.map((e) => (e.name === 'manifest.json' ? { ...e, body: String(e.body).replace(/"Layers":\["/, '"Layers":["../') } : e)) }), /invalid layer path "\.\.\//],
    ['the second of two images bad', () => legacyDockerArchive({ images: [{ layers: [l1], repoTags: ['loadtest/first:1'] }, { ...good, repoTags: ['BAD'] }] }), /invalid tag "BAD"/],
  ];
  await withStore(async (store) => {
    await load(store, await dockerArchive({ images: [{ layers: [l1], repoTags: ['loadtest/base:1'] }] }));
    const before = await snapshot(store);
    for (const [label, build, message] of cases) {
      await assert.rejects(load(store, await build()), (e: Error) => isInvalidArgument(e) && message.test(e.message), label);
      assert.deepEqual(await snapshot(store), before, `${label} left something behind`);
    }
  });
});

test('after an early failure the input is still read to its end', opts, async () => {
  await withStore(async (store) => {
    const bad = await tarOf([{ name: '../outside', body: 'x' }, { name: 'filler', body: Buffer.alloc(1 << 20) }]);
    const input = new PassThrough({ highWaterMark: 1024 });
    let written = 0;
    const writing = (async () => {
      for (let off = 0; off < bad.length; off += 16384) {
        if (!input.write(bad.subarray(off, off + 16384))) await new Promise((r) => input.once('drain', r));
        written = off + 16384;
      }
      input.end();
    })();
    await assert.rejects(loadImages(store, input), /outside of the archive/);
    await writing;
    assert.ok(written >= bad.length);
    assert.ok(input.readableEnded);
  });
});

test('an input that fails mid-layer, gzip or not: its error, nothing left', opts, async () => {
  await withStore(async (store) => {
    const big = await fileLayer('big', 'b'.repeat(2 << 20));
    const before = await snapshot(store);
    for (const gzip of [false, true]) {
      const archive = await legacyDockerArchive({ images: [{ layers: [big], repoTags: ['loadtest/cut:1'] }], gzip });
      const input = new PassThrough();
      input.write(archive.subarray(0, archive.length >> 1));
      setTimeout(() => input.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 30);
      await assert.rejects(loadImages(store, input), /ECONNRESET/);
      assert.deepEqual(await snapshot(store), before);
    }
  });
});

test('manifest.json Parent: restored when the parent is in the archive and valid, ignored when absent, refused when invalid', opts, async () => {
  const l1 = await fileLayer('p1', 'one');
  const l2 = await fileLayer('p2', 'two');
  const b: FixtureImage = { layers: [l1], repoTags: ['loadtest/pb:1'] };
  const a: FixtureImage = { layers: [l1, l2], repoTags: ['loadtest/pa:1'] };
  const [aId, bId] = [imageIdOf(a), imageIdOf(b)];
  const withParent = (parent: string) => (es: TarEntry[]) => es.map((e) => {
    if (e.name !== 'manifest.json') return e;
    const m = JSON.parse(String(e.body)) as Array<{ Config: string; Parent?: string }>;
    m[0].Parent = parent;
    return { ...e, body: JSON.stringify(m) };
  });
  await withStore(async (store) => {
    const before = await snapshot(store);
    // a's history is not b's plus one row
    const odd: FixtureImage = { ...a, config: { history: [{ created: '2020-01-01T00:00:00Z' }, { created: '2020-01-01T00:00:00Z' }] } };
    await assert.rejects(
      load(store, await dockerArchive({ images: [odd, b], edit: withParent(bId) })),
      (e: Error) => isInvalidArgument(e) && e.message === `image ${bId} is not a valid parent for ${imageIdOf(odd)}`,
    );
    assert.deepEqual(await snapshot(store), before);
    // a parent the archive does not hold is ignored, as Docker does
    await load(store, await dockerArchive({ images: [a], edit: withParent(bId) }));
    assert.equal(store.images.get(aId as never)?.meta.parent, undefined);
    // with b in the archive, a's parent is set, also on the a already loaded
    for (const build of [dockerArchive, legacyDockerArchive]) {
      await load(store, await build({ images: [a, b], edit: withParent(bId) }));
      assert.equal(store.images.get(aId as never)?.meta.parent, bId);
    }
  });
});

test('layers unpack in parallel while the archive is read on, and entries are recorded in archive order', opts, async () => {
  await withStore(async (store) => {
    let running = 0;
    let most = 0;
    const unpack = store.layers.unpack.bind(store.layers);
    store.layers.unpack = async (...args) => {
      most = Math.max(most, ++running);
      try { return await unpack(...args); } finally { running--; }
    };
    const layers = await Promise.all([1, 2, 3, 4, 5].map((n) => fileLayer(`l${n}`, String(n).repeat(2 << 20))));
    const img: FixtureImage = { layers, repoTags: ['loadtest/many:1'] };
    assert.deepEqual(await load(store, await legacyDockerArchive({ images: [img] })), ['Loaded image: loadtest/many:1']);
    assert.ok(most >= 2 && most <= 3, `at most three layers unpack at once, and more than one did (${most})`);
    const before = await snapshot(store);
    // a later entry of a name replaces an earlier one, as when Docker unpacks the archive to disk:
    // the (slow) layer first and the (quickly refused) non-tar after it, so the non-tar is what the manifest names
    const top = layers[4];
    const duplicated = await legacyDockerArchive({
      images: [{ layers: [top], repoTags: ['loadtest/dup:1'] }],
      edit: (es) => es.flatMap((e) => (Buffer.isBuffer(e.body) && e.body.equals(top) ? [e, { name: e.name, body: Buffer.alloc(4096, 'z') }] : [e])),
    });
    await assert.rejects(load(store, duplicated), (e: Error) => isInvalidArgument(e) && /Error processing tar file .*layer\.tar: archive\/tar: invalid tar header/.test(e.message));
    assert.deepEqual(await snapshot(store), before);
  });
});
