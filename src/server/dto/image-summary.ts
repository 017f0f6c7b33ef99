import { apiAtLeast } from '../../engine-api';
import type { ImageSummary } from '../../services/images';

export type ImageSummaryDto = Omit<ImageSummary, 'RepoTags' | 'RepoDigests'> & { RepoTags: string[] | null; RepoDigests: string[] | null };

/**
 * API < 1.43 as moby answers it: an image without names is `<none>:<none>` / `<none>@<none>`,
 * an empty list of the other kind is null.
 */
export function imageSummaryDto(apiVersion: string, s: ImageSummary): ImageSummaryDto {
  if (apiAtLeast(apiVersion, '1.43')) return s;
  if (!s.RepoTags.length && !s.RepoDigests.length) return { ...s, RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'] };
  return { ...s, RepoTags: s.RepoTags.length ? s.RepoTags : null, RepoDigests: s.RepoDigests.length ? s.RepoDigests : null };
}
