/** The rows and fields `images --format` sees, as docker's ImageContext computes them. */
import type { ImageSummary } from '../../client';
import { truncateId } from './container-context';
import { goTimeString, humanSize, humanSize4, timeAgo } from './units';

export const IMAGES_DEFAULT_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGES_DIGESTS_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGES_HEADERS: Record<string, string> = {
  Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', ID: 'IMAGE ID', CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT', Size: 'SIZE', Containers: 'CONTAINERS', VirtualSize: 'VIRTUAL SIZE',
  SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE',
};

export interface ImageRow { image: ImageSummary; repo: string; tag: string; digest: string }

/** One row per repo:tag (and per digest-only reference), `<none>` for untagged images. */
export function imageRows(images: ImageSummary[]): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of images) {
    const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    const digests = (image.RepoDigests ?? []).filter((d) => d !== '<none>@<none>');
    const digestFor = (repo: string) => digests.find((d) => d.startsWith(`${repo}@`))?.split('@')[1] ?? '<none>';
    for (const t of tags) {
      const i = t.lastIndexOf(':');
      const repo = t.slice(0, i);
      rows.push({ image, repo, tag: t.slice(i + 1), digest: digestFor(repo) });
    }
    const taggedRepos = new Set(rows.filter((r) => r.image === image).map((r) => r.repo));
    for (const d of digests) {
      const [repo, digest] = d.split('@');
      if (!taggedRepos.has(repo)) rows.push({ image, repo, tag: '<none>', digest });
    }
    if (!rows.some((r) => r.image === image)) rows.push({ image, repo: '<none>', tag: '<none>', digest: '<none>' });
  }
  return rows;
}

export function imageContext(r: ImageRow, opts: { trunc: boolean; now?: number }): Record<string, unknown> {
  const i = r.image;
  const na = (n: number | undefined) => (n === undefined || n < 0 ? 'N/A' : String(n));
  return {
    Containers: () => na(i.Containers),
    CreatedAt: () => goTimeString(i.Created),
    CreatedSince: () => timeAgo(i.Created, opts.now),
    Digest: r.digest,
    ID: opts.trunc ? truncateId(i.Id) : i.Id,
    Repository: r.repo,
    SharedSize: () => (i.SharedSize === undefined || i.SharedSize < 0 ? 'N/A' : humanSize(i.SharedSize)),
    Size: () => humanSize(i.Size),
    Tag: r.tag,
    UniqueSize: () => (i.SharedSize === undefined || i.SharedSize < 0 ? 'N/A' : humanSize(i.Size - i.SharedSize)),
    VirtualSize: () => humanSize4(i.VirtualSize ?? i.Size),
  };
}
