/**
 * Image archives built in memory, in the layouts `docker load` reads: Docker 25+'s
 * (`dockerArchive`: OCI layout plus manifest.json), Docker 20.10's (`legacyDockerArchive`:
 * `<v1 id>/layer.tar`, `<config hex>.json`, manifest.json, repositories) and a plain OCI
 * layout (`ociLayout`). Entries are written in the order Docker writes them (lexical, so the
 * manifest comes after the layers). Every builder returns the archive's bytes.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';

export interface TarEntry {
  name: string;
  body?: Buffer | string;
  type?: tar.Header['type'];
  linkname?: string;
  mode?: number;
  mtime?: Date;
  uid?: number;
  gid?: number;
}

export interface FixtureImage {
  /** Uncompressed layer tars, bottom first. */
  layers: Buffer[];
  /**
   * The image config: an object (rootfs.diff_ids and one history entry per layer are filled
   * in when absent), or bytes used as they are (not JSON, wrong diff_ids, ...).
   */
  config?: Record<string, unknown> | Buffer;
  /** manifest.json's RepoTags (`busybox:latest`); index.json annotations in an OCI layout. */
  repoTags?: string[];
}

export interface ArchiveOptions {
  images: FixtureImage[];
  /** Gzip the whole archive. */
  gzip?: boolean;
  /** Changes the entries before they are packed (drop a layer, add a stray file, ...). */
  edit?: (entries: TarEntry[]) => TarEntry[];
}

export interface OciLayoutOptions extends ArchiveOptions {
  /** Gzip each layer blob (mediaType ...tar+gzip, digest of the compressed bytes). */
  gzipLayers?: boolean;
  /**
   * index.json points at an image index holding this image for linux/<host arch> and a
   * linux/s390x-or-arm64 manifest whose blobs are not in the archive.
   */
  nestedIndex?: boolean;
  /** Write index.json and oci-layout before the blobs instead of after. */
  indexFirst?: boolean;
}

const EPOCH = new Date(0);
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
export const HOST_ARCH = GOARCH[process.arch] ?? process.arch;

export const sha256Hex = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
export const digestOf = (b: Buffer | string): string => `sha256:${sha256Hex(b)}`;

/** A tar of entries (mtime 0 unless given), as tar-stream writes it. */
export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const c of pack) chunks.push(c as Buffer); })();
  for (const { body, ...h } of entries) {
    const header = { mtime: EPOCH, mode: h.type === 'directory' ? 0o755 : 0o644, ...h } as tar.Header;
    await new Promise<void>((res, rej) => pack.entry(header, body ?? '', (err) => (err ? rej(err) : res())));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A layer tar holding one file with the given text (distinct text, distinct diffID). */
export function fileLayer(path: string, text: string): Promise<Buffer> {
  return tarOf([{ name: path, body: text }]);
}

/** The exact config bytes of img: its digest is the image ID. */
export function configBytes(img: FixtureImage): Buffer {
  if (Buffer.isBuffer(img.config)) return img.config;
  const c: Record<string, unknown> = {
    architecture: HOST_ARCH,
    os: 'linux',
    created: '2024-01-02T03:04:05Z',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] },
    ...img.config,
  };
  c.rootfs ??= { type: 'layers', diff_ids: img.layers.map(digestOf) };
  c.history ??= img.layers.map((_, i) => ({ created: '2024-01-02T03:04:05Z', created_by: `/bin/sh -c #(nop) layer ${i}` }));
  return Buffer.from(JSON.stringify(c));
}

export const imageIdOf = (img: FixtureImage): string => digestOf(configBytes(img));

async function finish(entries: TarEntry[], opts: ArchiveOptions): Promise<Buffer> {
  const buf = await tarOf(opts.edit ? opts.edit(entries) : entries);
  return opts.gzip ? gzipSync(buf) : buf;
}

const byName = (a: TarEntry, b: TarEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** `repositories` as Docker writes it: familiar repository -> tag -> top layer's ID (hex). */
function repositories(images: FixtureImage[], topOf: (img: FixtureImage) => string | undefined): TarEntry | undefined {
  const repos: Record<string, Record<string, string>> = {};
  for (const img of images) {
    const top = topOf(img);
    for (const t of img.repoTags ?? []) {
      const i = t.lastIndexOf(':');
      if (top && i > 0) (repos[t.slice(0, i)] ??= {})[t.slice(i + 1)] = top;
    }
  }
  return Object.keys(repos).length ? { name: 'repositories', body: JSON.stringify(repos) + '\n' } : undefined;
}

/** Docker 25+'s `docker save`: uncompressed blobs/sha256/<diffID hex>, index.json, manifest.json, oci-layout. */
export async function dockerArchive(opts: ArchiveOptions): Promise<Buffer> {
  const blobs = new Map<string, Buffer>();
  const manifest: unknown[] = [];
  const index: unknown[] = [];
  for (const img of opts.images) {
    const config = configBytes(img);
    const layers = img.layers.map((l) => { blobs.set(sha256Hex(l), l); return { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(l), size: l.length }; });
    blobs.set(sha256Hex(config), config);
    const m = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
      layers,
    }));
    blobs.set(sha256Hex(m), m);
    const desc = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(m), size: m.length };
    if (!img.repoTags?.length) index.push(desc);
    for (const t of img.repoTags ?? []) {
      index.push({ ...desc, annotations: { 'io.containerd.image.name': t, 'org.opencontainers.image.ref.name': t.slice(t.lastIndexOf(':') + 1) } });
    }
    manifest.push({
      Config: `blobs/sha256/${sha256Hex(config)}`,
      RepoTags: img.repoTags?.length ? img.repoTags : null,
      Layers: img.layers.map((l) => `blobs/sha256/${sha256Hex(l)}`),
    });
  }
  const entries: TarEntry[] = [
    { name: 'blobs', type: 'directory' },
    { name: 'blobs/sha256', type: 'directory' },
    ...[...blobs].map(([hex, body]) => ({ name: `blobs/sha256/${hex}`, body })),
    { name: 'index.json', body: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index }) + '\n' },
    { name: 'manifest.json', body: JSON.stringify(manifest) + '\n' },
    { name: 'oci-layout', body: JSON.stringify({ imageLayoutVersion: '1.0.0' }) },
  ];
  const repos = repositories(opts.images, (img) => img.layers.length ? sha256Hex(img.layers[img.layers.length - 1]) : undefined);
  if (repos) entries.push(repos);
  return finish(entries.sort(byName), opts);
}

/**
 * Docker 20.10's `docker save`: one `<v1 id>/` dir per layer (VERSION, json, layer.tar), the
 * config as `<image id hex>.json`, manifest.json and repositories. v1 IDs depend on the parent
 * chain and, for the top layer, on the config; a layer already written under another v1 ID
 * becomes a symlink `../<that id>/layer.tar`, as Docker does.
 */
export async function legacyDockerArchive(opts: ArchiveOptions): Promise<Buffer> {
  const entries = new Map<string, TarEntry>();
  const manifest: unknown[] = [];
  const pathOfDiff = new Map<string, string>();
  const topV1 = new Map<FixtureImage, string>();
  for (const img of opts.images) {
    const config = configBytes(img);
    const configHex = sha256Hex(config);
    entries.set(`${configHex}.json`, { name: `${configHex}.json`, body: config });
    const layerPaths: string[] = [];
    let parent = '';
    img.layers.forEach((layer, i) => {
      const diffId = digestOf(layer);
      const top = i === img.layers.length - 1;
      const v1 = sha256Hex(`${parent} ${diffId}${top ? ` ${configHex}` : ''}`);
      const path = `${v1}/layer.tar`;
      if (!entries.has(`${v1}/`)) {
        entries.set(`${v1}/`, { name: `${v1}/`, type: 'directory' });
        entries.set(`${v1}/VERSION`, { name: `${v1}/VERSION`, body: '1.0' });
        entries.set(`${v1}/json`, { name: `${v1}/json`, body: JSON.stringify({ id: v1, ...(parent ? { parent } : {}), created: '2024-01-02T03:04:05Z' }) });
        const earlier = pathOfDiff.get(diffId);
        entries.set(path, earlier ? { name: path, type: 'symlink', linkname: `../${earlier}` } : { name: path, body: layer });
        pathOfDiff.set(diffId, earlier ?? path);
      }
      layerPaths.push(path);
      parent = v1;
    });
    if (parent) topV1.set(img, parent);
    manifest.push({ Config: `${configHex}.json`, RepoTags: img.repoTags?.length ? img.repoTags : null, Layers: layerPaths });
  }
  entries.set('manifest.json', { name: 'manifest.json', body: JSON.stringify(manifest) });
  const repos = repositories(opts.images, (img) => topV1.get(img));
  if (repos) entries.set('repositories', repos);
  return finish([...entries.values()].sort(byName), opts);
}

/** A plain OCI image layout: oci-layout, index.json (names in io.containerd.image.name) and blobs. */
export async function ociLayout(opts: OciLayoutOptions): Promise<Buffer> {
  const blobs = new Map<string, Buffer>();
  const put = (b: Buffer) => { blobs.set(sha256Hex(b), b); return digestOf(b); };
  const index: unknown[] = [];
  for (const img of opts.images) {
    const config = configBytes(img);
    const layers = img.layers.map((l) => {
      const blob = opts.gzipLayers ? gzipSync(l) : l;
      const mediaType = `application/vnd.oci.image.layer.v1.tar${opts.gzipLayers ? '+gzip' : ''}`;
      return { mediaType, digest: put(blob), size: blob.length };
    });
    const m = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
      layers,
    }));
    let desc: Record<string, unknown> = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: put(m), size: m.length };
    if (opts.nestedIndex) {
      const other = HOST_ARCH === 'arm64' ? 's390x' : 'arm64';
      const absent = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(`absent ${other}`), size: 1234, platform: { os: 'linux', architecture: other } };
      const mine = { ...desc, platform: { os: 'linux', architecture: HOST_ARCH } };
      const nested = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [absent, mine] }));
      desc = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: put(nested), size: nested.length };
    }
    if (!img.repoTags?.length) index.push(desc);
    for (const t of img.repoTags ?? []) index.push({ ...desc, annotations: { 'io.containerd.image.name': t } });
  }
  const head: TarEntry[] = [
    { name: 'index.json', body: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index }) },
    { name: 'oci-layout', body: JSON.stringify({ imageLayoutVersion: '1.0.0' }) },
  ];
  const blobEntries: TarEntry[] = [
    { name: 'blobs', type: 'directory' },
    { name: 'blobs/sha256', type: 'directory' },
    ...[...blobs].map(([hex, body]) => ({ name: `blobs/sha256/${hex}`, body })),
  ];
  return finish(opts.indexFirst ? [...head, ...blobEntries] : [...blobEntries, ...head], opts);
}
