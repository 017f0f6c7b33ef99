import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDaemon } from '../harness';
import {
  dockerArchive, legacyDockerArchive, ociLayout, fileLayer, imageIdOf, digestOf, tarOf, configBytes, type FixtureImage,
} from '../archive-fixtures';

const d = new TestDaemon('ild');
let tmp = '';
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'berth-ild-test-'));
  await d.start();
});
after(async () => {
  await d.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let files = 0;
async function cliLoad(archive: Buffer) {
  const file = join(tmp, `archive-${files++}.tar`);
  await writeFile(file, archive);
  return d.cli(['load', '-i', file]);
}

/** POST /images/load with a binary body (the harness's api() sends text). */
function apiLoad(archive: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'POST', path: '/v1.41/images/load?quiet=1', headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      let body = '';
      res.on('data', (b) => { body += b; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(archive);
  });
}

async function ok(args: string[]): Promise<string> {
  const r = await d.cli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const images = () => ok(['images', '-a', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
const staging = async () => [
  ...(await readdir(join(d.dataRoot, 'overlay', 'tmp'))),
  ...(await readdir(join(d.dataRoot, 'image', 'ingest'))),
];

interface Inspect { Id: string; RepoTags: string[]; RootFS: { Layers: string[] } }
async function inspect(ref: string): Promise<Inspect> {
  return JSON.parse(await ok(['image', 'inspect', ref]))[0] as Inspect;
}

/** Checks what a load of img made: its ID, names, layers and history, as Docker would show them. */
async function assertLoaded(img: FixtureImage, label: string): Promise<void> {
  const id = imageIdOf(img);
  for (const t of img.repoTags ?? []) {
    const i = await inspect(t);
    assert.equal(i.Id, id, `${label}: ${t}`);
    assert.deepEqual(i.RootFS.Layers, img.layers.map(digestOf), label);
  }
  const history = await ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}', id]);
  assert.deepEqual(history.trim().split('\n').reverse(), img.layers.map((_, i) => `/bin/sh -c #(nop) layer ${i}`), label);
}

test('docker 20.10, docker 25 and OCI archives load with Docker\'s image IDs, names, layers and history', async () => {
  const base = await fileLayer('etc/base', 'base layer');
  for (const [label, build] of [
    ['docker 20.10', (imgs: FixtureImage[]) => legacyDockerArchive({ images: imgs })],
    ['docker 25', (imgs: FixtureImage[]) => dockerArchive({ images: imgs })],
    ['oci with gzip layers and a nested index', (imgs: FixtureImage[]) => ociLayout({ images: imgs, gzipLayers: true, nestedIndex: true })],
    ['gzip-compressed docker 20.10', (imgs: FixtureImage[]) => legacyDockerArchive({ images: imgs, gzip: true })],
  ] as Array<[string, (imgs: FixtureImage[]) => Promise<Buffer>]>) {
    const n = label.replace(/[^a-z0-9]+/g, '');
    const one: FixtureImage = { layers: [base, await fileLayer('one', label)], repoTags: [`ildtest/${n}:1`, `ildtest/${n}:latest`] };
    const two: FixtureImage = { layers: [await fileLayer('two', label)], repoTags: [`ildtest/${n}-two:2`] };
    const r = await cliLoad(await build([one, two]));
    assert.equal(r.code, 0, `${label}: ${r.stderr}`);
    assert.equal(r.stdout, `Loaded image: ildtest/${n}:1\nLoaded image: ildtest/${n}:latest\nLoaded image: ildtest/${n}-two:2\n`, label);
    await assertLoaded(one, label);
    await assertLoaded(two, label);
  }
  assert.deepEqual(await staging(), []);
});

test('an unnamed image loads as its ID, through the API too', async () => {
  const img: FixtureImage = { layers: [await fileLayer('anon', 'no name')] };
  const r = await apiLoad(await dockerArchive({ images: [img] }));
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(JSON.parse(r.body.trim()), { stream: `Loaded image ID: ${imageIdOf(img)}\n` });
  assert.equal((await inspect(imageIdOf(img))).Id, imageIdOf(img));
});

test('layers shared between images are unpacked once', async () => {
  const shared = await fileLayer('shared', 'one copy only');
  const a: FixtureImage = { layers: [shared, await fileLayer('a', 'a')], repoTags: ['ildtest/share-a:1'] };
  const b: FixtureImage = { layers: [shared, await fileLayer('b', 'b')], repoTags: ['ildtest/share-b:1'] };
  const layersDir = join(d.dataRoot, 'overlay', 'layers');
  const before = new Set(await readdir(layersDir));
  assert.equal((await cliLoad(await legacyDockerArchive({ images: [a] }))).code, 0);
  const sharedDir = join(layersDir, digestOf(shared).slice(7), 'diff');
  const ino = (await stat(sharedDir)).ino;
  const r = await cliLoad(await dockerArchive({ images: [b] }));
  assert.equal(r.code, 0, r.stderr);
  const added = (await readdir(layersDir)).filter((l) => !before.has(l));
  assert.equal(added.length, 3, 'the shared layer, a\'s and b\'s top layers');
  assert.equal((await stat(sharedDir)).ino, ino, 'the shared layer was not replaced');
  assert.deepEqual(await staging(), []);
});

test('bad archives are refused (exit 1 from berth load, 400 from the API) and leave nothing behind', async () => {
  const l1 = await fileLayer('ok', 'fine');
  const l2 = await fileLayer('ok2', 'fine too');
  const good: FixtureImage = { layers: [l1, l2], repoTags: ['ildtest/bad:1'] };
  const legacy = await legacyDockerArchive({ images: [good] });
  const withLayer = (layer: Buffer) => legacyDockerArchive({ images: [{ layers: [l1, layer], repoTags: ['ildtest/bad:1'] }] });
  const cases: Array<[string, Buffer, RegExp]> = [
    ['truncated', legacy.subarray(0, legacy.length - 2500), /Error processing tar file: unexpected EOF/],
    ['missing layer', await legacyDockerArchive({ images: [good], edit: (es) => es.filter((e) => !(Buffer.isBuffer(e.body) && e.body.equals(l2))) }), /invalid archive: open [0-9a-f]{64}\/layer\.tar: no such file or directory/],
    ['missing config', await legacyDockerArchive({ images: [good], edit: (es) => es.filter((e) => e.name !== `${imageIdOf(good).slice(7)}.json`) }), /invalid archive: open [0-9a-f]{64}\.json: no such file or directory/],
    ['diffID mismatch', await legacyDockerArchive({ images: [{ ...good, config: { rootfs: { type: 'layers', diff_ids: [digestOf(l1), digestOf('other')] } } }] }), /invalid diffID for layer 1 \(.*\): expected "sha256:[0-9a-f]{64}", got "sha256:[0-9a-f]{64}"/],
    ['dot-dot entry', await withLayer(await tarOf([{ name: '../../../../ild-evil', body: 'x' }])), /Error processing tar file .*: invalid tar entry "\.\.\/\.\.\/\.\.\/\.\.\/ild-evil": path is outside of the layer/],
    ['absolute symlinked parent', await withLayer(await tarOf([{ name: 'a', type: 'symlink', linkname: '/tmp' }, { name: 'a/ild-evil', body: 'x' }])), /parent "a" is not a directory \(symlinked parents are refused\)/],
    ['hardlink out', await withLayer(await tarOf([{ name: 'h', type: 'link', linkname: '../../../../etc/passwd' }])), /hardlink target "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is outside of the layer/],
    ['absolute hardlink', await withLayer(await tarOf([{ name: 'h', type: 'link', linkname: '/etc/passwd' }])), /hardlink target "\/etc\/passwd" not in the layer/],
    ['config not JSON', await legacyDockerArchive({ images: [{ ...good, config: Buffer.from('{not json') }] }), /invalid image config [0-9a-f]{64}\.json: /],
    ['uppercase name', await legacyDockerArchive({ images: [{ ...good, repoTags: ['Busybox:latest'] }] }), /invalid tag "Busybox:latest" in manifest\.json: invalid reference format: repository name .*must be lowercase/],
    ['name with a space', await legacyDockerArchive({ images: [{ ...good, repoTags: ['a b'] }] }), /invalid tag "a b" in manifest\.json: invalid reference format/],
    ['no manifest', await tarOf([{ name: 'hello.txt', body: 'no image here' }]), /invalid archive: neither manifest\.json nor index\.json found/],
    ['second image bad', await dockerArchive({ images: [{ layers: [l1], repoTags: ['ildtest/first:1'] }, { ...good, repoTags: ['ildtest/UPPER:1'] }] }), /invalid tag "ildtest\/UPPER:1"/],
  ];
  const listed = await images();
  const layers = await readdir(join(d.dataRoot, 'overlay', 'layers'));
  for (const [label, archive, message] of cases) {
    const r = await cliLoad(archive);
    assert.equal(r.code, 1, `${label}: ${r.stdout}`);
    assert.match(r.stderr, message, label);
    assert.equal(r.stdout, '', label);
    const api = await apiLoad(archive);
    assert.equal(api.status, 400, `${label}: ${api.body}`);
    assert.match(JSON.parse(api.body).message, message, label);
    assert.equal(await images(), listed, `${label}: berth images changed`);
    assert.deepEqual(await staging(), [], `${label}: staging left behind`);
    assert.deepEqual(await readdir(join(d.dataRoot, 'overlay', 'layers')), layers, `${label}: a layer was committed`);
  }
  for (const p of ['/ild-evil', '/tmp/ild-evil', join(d.dataRoot, 'ild-evil')]) await assert.rejects(stat(p), { code: 'ENOENT' });
  // the config of the half-bad pair was never recorded
  assert.ok(!(await images()).includes(digestOf(configBytes({ layers: [l1], repoTags: ['ildtest/first:1'] }))));
});
