import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { hexOf, sha256 } from '../../lib/digest';
import { familiar, parseReference, formatFull, familiarName, type Reference } from '../../core/images';
import type { Digest } from '../../lib/digest';
import type { ImageStore, StoredImage } from './image-store';
import { resolveImage } from './image-resolve';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const EPOCH = new Date(0);

/** Which images and full tag names refs select (a bare repository name selects all its tags). */
function select(store: ImageStore, refs: string[]): Map<Digest, { img: StoredImage; tags: string[] }> {
  const out = new Map<Digest, { img: StoredImage; tags: string[] }>();
  const add = (img: StoredImage, tag?: string) => {
    const e = out.get(img.id) ?? { img, tags: [] };
    if (tag && !e.tags.includes(tag)) e.tags.push(tag);
    out.set(img.id, e);
  };
  for (const ref of refs) {
    let parsed: Reference | undefined;
    try { parsed = parseReference(ref); } catch { parsed = undefined; }
    if (parsed && !parsed.tag && !parsed.digest) {
      const repo = formatFull(parsed);
      const tagged = store.refs.all().filter(([n]) => !n.includes('@') && n.slice(0, n.lastIndexOf(':')) === repo);
      if (tagged.length) {
        for (const [n, id] of tagged) add(store.images.get(id as Digest)!, n);
        continue;
      }
    }
    const img = resolveImage(store, ref);
    const name = parsed && parsed.tag && !parsed.digest ? formatFull(parsed) : undefined;
    add(img, name && store.refs.get(name) === img.id ? name : undefined);
  }
  return out;
}

/**
 * `docker save`: the archive Docker 25+ writes, an OCI layout (`oci-layout`, `index.json`,
 * `blobs/sha256/...`) plus the legacy `manifest.json` and `repositories`. Layers are the
 * uncompressed tars whose digests are the config's diff_ids, so the IDs survive a load;
 * manifest.json names an image's `Parent` when that image is in the archive too.
 */
export async function saveImages(store: ImageStore, refs: string[], out: Writable): Promise<void> {
  const selected = select(store, refs); // NotFound before any byte is written
  const pack = tar.pack();
  const done = pipeline(pack, out);
  const entry = (h: Partial<tar.Header> & { name: string }, body?: Buffer) => new Promise<void>((res, rej) => {
    const header = { mtime: EPOCH, mode: h.type === 'directory' ? 0o755 : 0o644, ...h } as tar.Header;
    const cb = (err?: Error | null) => (err ? rej(err) : res());
    if (body) pack.entry(header, body, cb);
    else pack.entry(header, cb);
  });
  const written = new Set<string>();
  const manifestJson: unknown[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const indexManifests: unknown[] = [];
  try {
    await entry({ name: 'blobs', type: 'directory' });
    await entry({ name: 'blobs/sha256', type: 'directory' });
    for (const { img, tags } of selected.values()) {
      const diffIds = img.config.rootfs?.diff_ids ?? [];
      const layerDescs = [];
      for (const d of diffIds) {
        const size = await store.blobs.size(d);
        layerDescs.push({ mediaType: OCI_LAYER, digest: d, size });
        if (written.has(d)) continue;
        written.add(d);
        const stream = pack.entry({ name: `blobs/sha256/${hexOf(d)}`, size, mtime: EPOCH, mode: 0o644 } as tar.Header);
        await pipeline(store.blobs.openRead(d), stream);
      }
      const configBytes = await store.blobs.read(img.id);
      if (!written.has(img.id)) {
        written.add(img.id);
        await entry({ name: `blobs/sha256/${hexOf(img.id)}` }, configBytes);
      }
      const manifest = Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: img.id, size: configBytes.length },
        layers: layerDescs,
      }));
      const mdigest = sha256(manifest);
      if (!written.has(mdigest)) {
        written.add(mdigest);
        await entry({ name: `blobs/sha256/${hexOf(mdigest)}` }, manifest);
      }
      const desc = { mediaType: OCI_MANIFEST, digest: mdigest, size: manifest.length };
      if (!tags.length) indexManifests.push(desc);
      for (const t of tags) {
        const r = parseReference(t);
        indexManifests.push({ ...desc, annotations: { 'io.containerd.image.name': t, 'org.opencontainers.image.ref.name': r.tag } });
        if (diffIds.length) (repositories[familiarName(r)] ??= {})[r.tag!] = hexOf(diffIds[diffIds.length - 1]);
      }
      // Parent only when the parent is saved too (moby's validatedParentLinks); a load restores it.
      const parent = img.meta.parent && img.meta.parent !== img.id && selected.has(img.meta.parent as Digest) ? { Parent: img.meta.parent } : {};
      manifestJson.push({ Config: `blobs/sha256/${hexOf(img.id)}`, RepoTags: tags.length ? tags.map(familiar) : null, Layers: diffIds.map((d) => `blobs/sha256/${hexOf(d)}`), ...parent });
    }
    await entry({ name: 'index.json' }, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: indexManifests }) + '\n'));
    await entry({ name: 'manifest.json' }, Buffer.from(JSON.stringify(manifestJson) + '\n'));
    await entry({ name: 'oci-layout' }, Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
    if (Object.keys(repositories).length) await entry({ name: 'repositories' }, Buffer.from(JSON.stringify(repositories) + '\n'));
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    await done.catch(() => undefined);
    throw err;
  }
  await done;
}
