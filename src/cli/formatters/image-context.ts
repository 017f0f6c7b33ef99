/** The rows and fields `images --format` sees, as docker's ImageContext computes them. */
import type { ImageSummary } from '../../client';
import { truncateId } from './container-context';
import { GO_TYPE } from './go-template';
import { goTimeString, timeAgo } from './units';
import { humanSize, humanSize4 } from '../../lib/go-units';

export const IMAGES_DEFAULT_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGES_DIGESTS_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGES_HEADERS: Record<string, string> = {
  Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', ID: 'IMAGE ID', CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT', Size: 'SIZE', Containers: 'CONTAINERS', VirtualSize: 'SIZE',
  SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE',
};

const RAW_FORMAT = 'repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n';
const RAW_DIGEST_FORMAT = 'repository: {{ .Repository }}\ntag: {{.Tag}}\ndigest: {{.Digest}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n';

/** docker's NewImageFormat: the `table`/`raw` keys, -q, and a custom table gaining DIGEST with --digests. */
export function imageFormat(source: string, quiet: boolean, digest: boolean): string {
  if (source === 'table') return quiet ? '{{.ID}}' : digest ? IMAGES_DIGESTS_FORMAT : IMAGES_DEFAULT_FORMAT;
  if (source === 'raw') return quiet ? 'image_id: {{.ID}}' : digest ? RAW_DIGEST_FORMAT : RAW_FORMAT;
  return source.startsWith('table') && digest && !source.includes('{{.Digest}}') ? `${source}\t{{.Digest}}` : source;
}

export interface ImageRow { image: ImageSummary; repo: string; tag: string; digest: string }

/** docker's isDangling: no names at all, or only the `<none>` placeholders of API < 1.43. */
export function isDangling(i: ImageSummary): boolean {
  const tags = i.RepoTags ?? [];
  const digests = i.RepoDigests ?? [];
  if (!tags.length && !digests.length) return true;
  return tags.length === 1 && tags[0] === '<none>:<none>' && digests.length === 1 && digests[0] === '<none>@<none>';
}

/** `repo:tag` split at the tag's colon (a registry port is not a tag); undefined without a tag. */
export function splitTag(ref: string): { repo: string; tag: string } | undefined {
  const i = ref.lastIndexOf(':');
  if (i < 0 || ref.slice(i).includes('/') || ref.includes('@')) return undefined;
  return { repo: ref.slice(0, i), tag: ref.slice(i + 1) };
}

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}

/**
 * docker's imageFormat: a `<none>` row for a dangling image; else one row per tag (per tag and
 * digest when digests are shown), and a `<none>` tag row for a repository with digests only.
 * digest: `--digests`; needDigest: that or a format naming {{.Digest}}.
 */
export function imageRows(images: ImageSummary[], opts: { digest?: boolean; needDigest?: boolean } = {}): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of images) {
    if (isDangling(image)) {
      rows.push({ image, repo: '<none>', tag: '<none>', digest: '<none>' });
      continue;
    }
    const repoTags = new Map<string, string[]>();
    const repoDigests = new Map<string, string[]>();
    for (const t of image.RepoTags ?? []) {
      const split = splitTag(t);
      if (split) pushTo(repoTags, split.repo, split.tag);
    }
    for (const d of image.RepoDigests ?? []) {
      const at = d.indexOf('@');
      if (at > 0) pushTo(repoDigests, d.slice(0, at), d.slice(at + 1));
    }
    for (const [repo, tags] of repoTags) {
      const digests = opts.needDigest ? repoDigests.get(repo) ?? [] : [];
      repoDigests.delete(repo);
      for (const tag of tags) {
        if (!digests.length) rows.push({ image, repo, tag, digest: '<none>' });
        for (const digest of digests) rows.push({ image, repo, tag, digest });
      }
    }
    for (const [repo, digests] of repoDigests) {
      if (opts.digest) for (const digest of digests) rows.push({ image, repo, tag: '<none>', digest });
      else rows.push({ image, repo, tag: '<none>', digest: '' });
    }
  }
  return rows;
}

/** Human size with go-units' HumanSize (4 significant digits), or N/A for an unset -1. */
const sizeOrNA = (n: number | undefined) => (n === undefined || n < 0 ? 'N/A' : humanSize4(n));

export function imageContext(r: ImageRow, opts: { trunc: boolean; now?: number }): Record<string, unknown> {
  const i = r.image;
  return {
    Containers: () => (i.Containers === undefined || i.Containers === -1 ? 'N/A' : String(i.Containers)),
    CreatedAt: () => goTimeString(i.Created),
    CreatedSince: () => timeAgo(i.Created, opts.now),
    Digest: r.digest,
    ID: opts.trunc ? truncateId(i.Id) : i.Id,
    Repository: r.repo,
    SharedSize: () => sizeOrNA(i.SharedSize),
    Size: () => humanSize(i.Size),
    Tag: r.tag,
    UniqueSize: () => (i.Size === -1 || i.SharedSize === undefined || i.SharedSize === -1 ? 'N/A' : humanSize4(i.Size - i.SharedSize)),
    VirtualSize: () => humanSize4(i.Size),
    [GO_TYPE]: '*formatter.imageContext',
  };
}
