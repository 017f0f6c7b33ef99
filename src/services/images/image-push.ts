/**
 * `docker push`: each tag's layers are gzip-compressed on their way to the registry (five
 * at a time), unless the registry already has them: a blob this engine pulled from or
 * pushed to the repository (HEAD), or one in a sibling repository of the same registry
 * (cross-repository mount). Then the config and a Docker v2 schema 2 manifest; the
 * manifest's digest becomes a RepoDigest of the image.
 */
import { createHash } from 'node:crypto';
import { PassThrough, Transform } from 'node:stream';
import { open } from 'node:fs/promises';
import { createGzip, deflateRawSync, constants as zlib } from 'node:zlib';
import { formatFamiliar, formatFull, type Reference } from '../../core/images';
import { MEDIA, type Descriptor, type Registry as RegistryClient, type RegistryRepository as Repository } from '../../core/remotes';
import { InvalidArgument, NotFound } from '../../errdefs';
import type { ImageStore, StoredImage } from './image-store';
import type { DistributionMetadata } from './image-push-metadata';
import { shortId } from '../../lib/ids';
import { pool } from '../../lib/pool';
import { meter, step, type Progress } from './image-pull-progress';

export interface PushDeps {
  store: ImageStore;
  registry: RegistryClient;
  metadata: DistributionMetadata;
  onPushed?: (id: string, name: string) => void;
  concurrency?: number;
}

export interface PushOptions {
  /** A name with a tag, or without one to push every local tag of the repository. */
  ref: Reference;
  signal?: AbortSignal;
}

/** Docker's schema2 manifest bytes (json.MarshalIndent with three spaces). */
export function schema2Manifest(config: Descriptor, layers: Descriptor[]): Buffer {
  const d = (x: Descriptor) => ({ mediaType: x.mediaType, size: x.size, digest: x.digest });
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.dockerManifest, config: d(config), layers: layers.map(d) }, null, 3));
}

/**
 * Deflate level 1, or 0 (stored blocks, still gzip) for a layer whose content does not
 * compress (random or already compressed data): a 1 MiB sample from its middle decides,
 * so such a layer costs no compression time for nothing.
 */
async function gzipLevel(file: string, size: number): Promise<number> {
  const n = Math.min(size, 1 << 20);
  if (n < 64 * 1024) return zlib.Z_BEST_SPEED;
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, Math.floor((size - n) / 2));
    const sample = buf.subarray(0, bytesRead);
    return deflateRawSync(sample, { level: zlib.Z_BEST_SPEED }).length > sample.length * 0.95 ? zlib.Z_NO_COMPRESSION : zlib.Z_BEST_SPEED;
  } finally {
    await fh.close();
  }
}

interface LayerPush { deps: PushDeps; repo: Repository; repoName: string; diffId: string; emit: Progress }

/** The registry's blob for one layer: found, mounted or uploaded. */
async function pushLayer(p: LayerPush): Promise<Descriptor> {
  const { deps, repo, diffId, emit } = p;
  const id = shortId(diffId);
  const desc = (digest: string, size: number): Descriptor => ({ mediaType: MEDIA.dockerLayerGzip, digest, size });
  const sources = (await deps.metadata.sourcesOf(diffId)).filter((s) => s.repo.startsWith(`${repo.domain}/`));
  for (const s of sources.filter((x) => x.repo === p.repoName)) {
    if ((await repo.hasBlob(s.digest)) !== undefined) { step(emit, id, 'Layer already exists'); return desc(s.digest, s.size); }
  }
  for (const s of sources.filter((x) => x.repo !== p.repoName)) {
    const from = s.repo.slice(repo.domain.length + 1);
    if (await repo.mountBlob(s.digest, from)) {
      emit({ status: `Mounted from ${from}`, progressDetail: {}, id });
      await deps.metadata.add([diffId, { ...s, repo: p.repoName }]);
      return desc(s.digest, s.size);
    }
  }
  const total = await deps.store.blobs.size(diffId);
  const pushing = meter(emit, id, 'Pushing', total);
  const hash = createHash('sha256');
  let size = 0;
  let read = 0;
  const level = await gzipLevel(deps.store.blobs.path(diffId), total);
  const tar = deps.store.blobs.openRead(diffId);
  const reading = new Transform({ transform(c: Buffer, _e, cb) { read += c.length; pushing(read); cb(null, c); } });
  const counting = new Transform({ transform(c: Buffer, _e, cb) { hash.update(c); size += c.length; cb(null, c); } });
  const body = new PassThrough();
  const gzip = createGzip({ level, chunkSize: 1 << 20 });
  tar.pipe(reading).pipe(gzip).pipe(counting).pipe(body);
  for (const s of [tar, reading, gzip, counting]) s.once('error', (err) => body.destroy(err));
  let digest = '';
  await repo.pushBlobStream(body, () => (digest ||= `sha256:${hash.digest('hex')}`));
  pushing(read, true);
  step(emit, id, 'Pushed');
  await deps.metadata.add([diffId, { digest, size, repo: p.repoName }]);
  return desc(digest, size);
}

async function pushTag(deps: PushDeps, repo: Repository, ref: Reference & { tag: string }, img: StoredImage, emit: Progress): Promise<void> {
  const repoName = `${ref.domain}/${ref.path}`;
  const diffIds = img.config.rootfs?.diff_ids ?? [];
  const n = deps.concurrency ?? 5;
  const order = diffIds.map((_, i) => i).reverse();
  for (const i of order) step(emit, shortId(diffIds[i]), 'Preparing');
  for (const [k, i] of order.entries()) if (k >= n) step(emit, shortId(diffIds[i]), 'Waiting');
  const descs: Descriptor[] = new Array(diffIds.length);
  await pool(n, order.map((i) => async () => { descs[i] = await pushLayer({ deps, repo, repoName, diffId: diffIds[i], emit }); }));
  const configBytes = await deps.store.blobs.read(img.id);
  if ((await repo.hasBlob(img.id)) === undefined) await repo.putBlob(img.id, configBytes);
  const manifest = schema2Manifest({ mediaType: MEDIA.dockerConfig, digest: img.id, size: configBytes.length }, descs);
  const digest = await repo.putManifest(ref.tag, MEDIA.dockerManifest, manifest);
  await deps.store.refs.set(formatFull({ domain: ref.domain, path: ref.path, digest }), img.id);
  emit({ status: `${ref.tag}: digest: ${digest} size: ${manifest.length}` });
  emit({ progressDetail: {}, aux: { Tag: ref.tag, Digest: digest, Size: manifest.length } });
  deps.onPushed?.(img.id, formatFamiliar(ref));
}

/** Pushes one tag, or every local tag of the repository when ref has none. */
export async function pushImage(deps: PushDeps, opts: PushOptions, emit: Progress): Promise<void> {
  const { ref } = opts;
  if (ref.digest) throw new InvalidArgument('cannot push a digest reference');
  const name = formatFull({ domain: ref.domain, path: ref.path });
  // Docker names the repository first, then finds (or misses) the local image
  emit({ status: `The push refers to repository [${name}]` });
  const tags = ref.tag ? [ref.tag]
    : deps.store.refs.all().map(([r]) => r).filter((r) => r.startsWith(`${name}:`)).map((r) => r.slice(name.length + 1)).sort();
  const missing = () => new NotFound(`An image does not exist locally with the tag: ${formatFamiliar({ domain: ref.domain, path: ref.path })}`);
  const images = tags.map((t) => {
    const id = deps.store.refs.get(`${name}:${t}`);
    const img = id ? deps.store.images.get(id as `sha256:${string}`) : undefined;
    if (!img) throw missing();
    return img;
  });
  if (!images.length) throw missing();
  const repo = deps.registry.repository(ref.domain, ref.path, ['pull', 'push']);
  for (const [i, t] of tags.entries()) await pushTag(deps, repo, { ...ref, tag: t }, images[i], emit);
}
