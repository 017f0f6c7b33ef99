import { isDigest, hexOf, type Digest } from '../../lib/digest';
import { InvalidArgument } from '../../errdefs';
import { DEFAULT_TAG, formatFull, parseReference } from '../../core/images';
import type { LoadArchive } from './load-archive';
import { hostArch } from './image-import';

/** One image an archive holds, checked as far as it can be without its layers. */
export interface ImagePlan {
  /** The config's path in the archive, for messages. */
  configName: string;
  /** The config's exact bytes: the image ID is their digest. */
  configBytes: Buffer;
  diffIds: Digest[];
  /** The layers' paths in the archive, bottom first, one per diffId. */
  layerNames: string[];
  /** Full names to tag (`docker.io/library/busybox:latest`). */
  tags: string[];
  /** The image ID manifest.json names as Parent (see parentLinks). */
  parent?: string;
}

interface ManifestEntry { Config?: unknown; RepoTags?: unknown; Layers?: unknown; Parent?: unknown }
interface Descriptor { mediaType?: string; digest?: string; annotations?: Record<string, string>; platform?: { os?: string; architecture?: string } }
interface OciManifest { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] }

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The config's diff_ids, checked against the layers the manifest lists (Docker's messages). */
function diffIdsOf(archive: LoadArchive, configName: string, layerCount: number): { bytes: Buffer; diffIds: Digest[] } {
  const bytes = archive.bytes(configName, 'image config');
  const config = archive.json<{ rootfs?: { diff_ids?: unknown } } | null>(configName, 'image config');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new InvalidArgument(`invalid image config ${configName}: not a JSON object`);
  if (!config.rootfs) throw new InvalidArgument(`invalid image JSON, no RootFS key (${configName})`);
  const diffIds = config.rootfs.diff_ids ?? [];
  if (!isStrings(diffIds) || !diffIds.every(isDigest)) throw new InvalidArgument(`invalid image config ${configName}: rootfs.diff_ids must be a list of sha256 digests`);
  if (diffIds.length !== layerCount) throw new InvalidArgument(`invalid manifest, layers length mismatch: expected ${diffIds.length}, got ${layerCount}`);
  return { bytes, diffIds };
}

/** A RepoTags name as Docker accepts it: a valid reference with a tag (`invalid tag "busybox"`). */
function repoTag(name: string): string {
  let ref;
  try {
    ref = parseReference(name);
  } catch (err) {
    throw new InvalidArgument(`invalid tag ${JSON.stringify(name)} in manifest.json: ${(err as Error).message}`, { cause: err });
  }
  if (!ref.tag || ref.digest) throw new InvalidArgument(`invalid tag ${JSON.stringify(name)} in manifest.json`);
  return formatFull(ref);
}

/** The images manifest.json lists (Docker's archives), or undefined when there is none. */
export function plansFromManifest(archive: LoadArchive): ImagePlan[] | undefined {
  if (!archive.has('manifest.json')) return undefined;
  const manifest = archive.json<ManifestEntry[]>('manifest.json', 'manifest');
  if (!Array.isArray(manifest)) throw new InvalidArgument('invalid manifest.json in archive: not a list');
  return manifest.map((m, i) => {
    if (typeof m?.Config !== 'string' || !isStrings(m.Layers ?? [])) throw new InvalidArgument(`invalid manifest.json in archive: entry ${i} needs Config and Layers`);
    const layerNames = (m.Layers ?? []) as string[];
    const repoTags = m.RepoTags ?? [];
    if (!isStrings(repoTags)) throw new InvalidArgument(`invalid manifest.json in archive: entry ${i} has RepoTags that are not names`);
    const { bytes, diffIds } = diffIdsOf(archive, m.Config, layerNames.length);
    const parent = typeof m.Parent === 'string' && m.Parent ? { parent: m.Parent } : {};
    return { configName: m.Config, configBytes: bytes, diffIds, layerNames, tags: [...new Set(repoTags.map(repoTag))], ...parent };
  });
}

const blobPath = (d: Descriptor, what: string): string => {
  if (!d?.digest || !isDigest(d.digest)) throw new InvalidArgument(`invalid ${what} descriptor in archive: unsupported digest ${JSON.stringify(d?.digest)}`);
  return `blobs/sha256/${hexOf(d.digest)}`;
};

/** An image manifest, an index followed to this host's platform (else its first present entry). */
function imageManifest(archive: LoadArchive, desc: Descriptor, depth = 0): { path: string; manifest: OciManifest } {
  const path = blobPath(desc, 'manifest');
  const m = archive.json<OciManifest>(path, 'manifest');
  if (!m.manifests) return { path, manifest: m };
  if (depth > 4) throw new InvalidArgument(`invalid archive: image indexes nested too deep at ${path}`);
  const arch = hostArch();
  const pick = m.manifests.find((d) => d.platform?.os === 'linux' && d.platform?.architecture === arch)
    ?? m.manifests.find((d) => d.digest && isDigest(d.digest) && archive.has(blobPath(d, 'manifest')));
  if (!pick) throw new InvalidArgument(`invalid archive: image index ${path} has no manifest for linux/${arch}`);
  return imageManifest(archive, pick, depth + 1);
}

/** The name index.json gives a descriptor (containerd's annotation), as a full name to tag. */
function indexName(desc: Descriptor): string | undefined {
  const name = desc.annotations?.['io.containerd.image.name'];
  if (!name) return undefined;
  let ref;
  try {
    ref = parseReference(name);
  } catch (err) {
    throw new InvalidArgument(`invalid image name ${JSON.stringify(name)} in index.json: ${(err as Error).message}`, { cause: err });
  }
  if (ref.digest) return undefined;
  ref.tag ??= DEFAULT_TAG;
  return formatFull(ref);
}

/** The images index.json lists (OCI layouts), or undefined when there is none. */
export function plansFromIndex(archive: LoadArchive): ImagePlan[] | undefined {
  if (!archive.has('index.json')) return undefined;
  const index = archive.json<OciManifest>('index.json', 'index');
  const byManifest = new Map<string, ImagePlan>();
  for (const desc of index?.manifests ?? []) {
    const { path, manifest } = imageManifest(archive, desc);
    let plan = byManifest.get(path);
    if (!plan) {
      const layers = manifest.layers ?? [];
      for (const l of layers) {
        if (l.mediaType && !/(\.tar|\+gzip|\.tar\.gzip)$/.test(l.mediaType)) throw new InvalidArgument(`unsupported layer media type ${l.mediaType} in ${path}`);
      }
      const configName = blobPath(manifest.config ?? {}, 'config');
      const { bytes, diffIds } = diffIdsOf(archive, configName, layers.length);
      plan = { configName, configBytes: bytes, diffIds, layerNames: layers.map((l) => blobPath(l, 'layer')), tags: [] };
      byManifest.set(path, plan);
    }
    const name = indexName(desc);
    if (name && !plan.tags.includes(name)) plan.tags.push(name);
  }
  return [...byManifest.values()];
}
