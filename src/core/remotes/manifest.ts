/** Distribution manifests (Docker v2 schema 2 and OCI) and platform selection. Pure. */

export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

/** The Accept header a pull sends: every manifest kind berth can read. */
export const MANIFEST_ACCEPT = [MEDIA.dockerManifest, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.ociIndex].join(', ');

export interface Platform { os: string; architecture: string; variant?: string }

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  platform?: Platform & { 'os.version'?: string };
}

export interface ImageManifest { schemaVersion: 2; mediaType?: string; config: Descriptor; layers: Descriptor[] }
export interface ManifestIndex { schemaVersion: 2; mediaType?: string; manifests: Descriptor[] }

/** A manifest as fetched: its bytes (the digest is theirs) and what they parse to. */
export type FetchedManifest =
  | { kind: 'image'; mediaType: string; digest: string; bytes: Buffer; manifest: ImageManifest }
  | { kind: 'index'; mediaType: string; digest: string; bytes: Buffer; index: ManifestIndex };

/** `linux/amd64[/v8]` -> Platform; undefined for ''. */
export function parsePlatform(s: string | undefined): Platform | undefined {
  if (!s) return undefined;
  const [os, architecture, variant] = s.split('/');
  return { os, architecture: architecture ?? hostArchitecture(), ...(variant ? { variant } : {}) };
}

export function hostArchitecture(): string {
  const a = process.arch;
  return a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a;
}

export function hostPlatform(): Platform { return { os: 'linux', architecture: hostArchitecture() }; }

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** The entry of an index for platform (variant matched only when asked); undefined if none. */
export function selectPlatform(index: ManifestIndex, want: Platform): Descriptor | undefined {
  return index.manifests.find((d) => d.platform
    && d.platform.os === want.os && d.platform.architecture === want.architecture
    && (!want.variant || d.platform.variant === want.variant));
}
