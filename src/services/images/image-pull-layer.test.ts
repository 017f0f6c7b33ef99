import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { sha256 } from '../../lib/digest';
import type { RegistryRepository } from '../../core/remotes';
import { tarOf } from '../../../test/archive-fixtures';
import { ImageStore } from './image-store';
import { DOWNLOAD_ATTEMPTS, fetchLayer } from './image-pull-layer';

/** A repository whose every blob download fails half way, as a connection reset; `late` fails it once reading began. */
function cuttingRepo(blob: Buffer, late: boolean): { repo: RegistryRepository; gets: () => number } {
  let gets = 0;
  const repo = {
    domain: 'registry.test', path: 'cut',
    getBlob: async () => {
      gets++;
      const stream = new PassThrough();
      const err = Object.assign(new Error('unexpected EOF reading blob'), { retryable: true });
      const verified = new Promise<void>((_, reject) => stream.once('close', () => reject(err)));
      verified.catch(() => undefined);
      stream.on('error', () => undefined); // the registry client's pipe listens so
      stream.write(blob.subarray(0, blob.length >> 1));
      if (late) setTimeout(() => stream.destroy(err), 20);
      else stream.destroy(err);
      return { size: blob.length, stream, verified };
    },
  } as unknown as RegistryRepository;
  return { repo, gets: () => gets };
}

test('a pull whose blob connection fails mid-layer: retried, then its error, nothing staged or kept', { skip: process.getuid?.() !== 0 && 'needs root (chown)' }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'berth-pull-layer-'));
  try {
    const store = new ImageStore(root);
    await store.init();
    const tar = await tarOf([{ name: 'random', body: 'r'.repeat(700_000) }]);
    const gz = gzipSync(tar, { level: 0 });
    for (const late of [false, true]) {
      const { repo, gets } = cuttingRepo(gz, late);
      const desc = { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: sha256(gz), size: gz.length };
      await assert.rejects(
        fetchLayer({ store, repo, desc, diffId: sha256(tar), keepBlob: true, emit: () => undefined, retryDelayMs: 1 }),
        /unexpected EOF reading blob/,
      );
      assert.equal(gets(), DOWNLOAD_ATTEMPTS);
    }
    const staging = await readdir(join(root, 'overlay', 'staging'));
    assert.deepEqual((await Promise.all(staging.map((s) => readdir(join(root, 'overlay', 'staging', s))))).flat(), []);
    assert.deepEqual(await store.layers.list(), []);
    assert.deepEqual(await readdir(join(root, 'image', 'ingest')), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
