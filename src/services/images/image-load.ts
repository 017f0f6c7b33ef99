import { createReadStream } from 'node:fs';
import { mkdir, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extractTar, maybeGunzip, safeRelPath, UnsafeTarEntry } from '../../lib/tar';
import { hexOf } from '../../lib/digest';
import { InvalidArgument } from '../../errdefs';
import { chainIds, familiar, parseReference, formatFull, DEFAULT_TAG, type ImageConfig } from '../../core/images';
import type { ImageStore } from './image-store';
import { storeLayer } from './image-import';
import { addTag } from './image-tag';

interface ManifestEntry { Config: string; RepoTags?: string[] | null; Layers: string[] }
interface Descriptor { mediaType?: string; digest: string; size?: number; annotations?: Record<string, string>; platform?: { os?: string; architecture?: string } }
interface OciIndex { manifests?: Descriptor[] }
interface OciManifest { mediaType?: string; config: Descriptor; layers: Descriptor[]; manifests?: Descriptor[] }

/** A path named inside the archive, resolved (symlinks included) and kept inside dir. */
async function inside(dir: string, name: string): Promise<string> {
  let rel: string;
  try { rel = safeRelPath(name); } catch (err) { throw new InvalidArgument(`invalid path in archive: ${name}`, { cause: err }); }
  const real = await realpath(join(dir, rel)).catch((err) => {
    throw new InvalidArgument(`archive is missing ${name}`, { cause: err });
  });
  if (real !== dir && !real.startsWith(dir + '/')) throw new InvalidArgument(`invalid path in archive: ${name} points outside the archive`);
  return real;
}

async function importOne(store: ImageStore, dir: string, configPath: string, layerPaths: string[], tags: string[], onLoaded?: (id: string) => void): Promise<string[]> {
  const configBytes = await readFile(await inside(dir, configPath));
  const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== layerPaths.length) {
    throw new InvalidArgument(`invalid manifest: ${layerPaths.length} layers for ${diffIds.length} rootfs.diff_ids in ${configPath}`);
  }
  const chains = chainIds(diffIds);
  for (let i = 0; i < layerPaths.length; i++) {
    if ((await store.layers.has(chains[i])) && (await store.blobs.has(diffIds[i]))) continue;
    const path = await inside(dir, layerPaths[i]);
    await storeLayer(store, createReadStream(path), chains[i - 1], diffIds[i]);
  }
  const img = await store.add(configBytes);
  const messages: string[] = [];
  for (const t of tags) {
    const r = parseReference(t);
    r.tag ??= DEFAULT_TAG;
    await addTag(store, img, formatFull(r));
    messages.push(`Loaded image: ${familiar(formatFull(r))}`);
  }
  if (!tags.length) messages.push(`Loaded image ID: ${img.id}`);
  onLoaded?.(img.id);
  return messages;
}

async function resolveOciManifest(dir: string, desc: Descriptor): Promise<OciManifest> {
  const m = JSON.parse(await readFile(await inside(dir, `blobs/sha256/${hexOf(desc.digest)}`), 'utf8')) as OciManifest;
  if (!m.manifests) return m;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pick = m.manifests.find((d) => d.platform?.os === 'linux' && d.platform?.architecture === arch) ?? m.manifests[0];
  if (!pick) throw new InvalidArgument(`empty image index ${desc.digest} in archive`);
  return resolveOciManifest(dir, pick);
}

/**
 * `docker load`: a docker-archive (manifest.json), or an OCI layout (index.json), plain or
 * gzip-compressed. Returns Docker's messages (`Loaded image: busybox:latest`); onLoaded gets
 * each image's ID once it is stored and tagged.
 */
export async function loadImages(store: ImageStore, input: Readable, onLoaded?: (id: string) => void): Promise<string[]> {
  const dir = join(store.dataRoot, 'image', 'ingest', `load-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  try {
    try {
      await extractTar(await maybeGunzip(input), dir, { chown: false, whiteouts: false });
    } catch (err) {
      if (err instanceof UnsafeTarEntry) throw new InvalidArgument(err.message, { cause: err });
      throw err;
    }
    const real = await realpath(dir);
    let manifest: ManifestEntry[] | undefined;
    try {
      manifest = JSON.parse(await readFile(join(real, 'manifest.json'), 'utf8')) as ManifestEntry[];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new InvalidArgument(`invalid manifest.json in archive: ${(err as Error).message}`, { cause: err });
    }
    const messages: string[] = [];
    if (manifest) {
      for (const m of manifest) messages.push(...(await importOne(store, real, m.Config, m.Layers ?? [], m.RepoTags ?? [], onLoaded)));
      return messages;
    }
    let index: OciIndex;
    try {
      index = JSON.parse(await readFile(join(real, 'index.json'), 'utf8')) as OciIndex;
    } catch (err) {
      throw new InvalidArgument('invalid archive: neither manifest.json nor index.json found', { cause: err });
    }
    for (const desc of index.manifests ?? []) {
      const m = await resolveOciManifest(real, desc);
      const name = desc.annotations?.['io.containerd.image.name'];
      const tags = name ? [name] : [];
      messages.push(...(await importOne(store, real, `blobs/sha256/${hexOf(m.config.digest)}`, m.layers.map((l) => `blobs/sha256/${hexOf(l.digest)}`), tags, onLoaded)));
    }
    return messages;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
