/** The rows and fields `history --format` sees, as docker's historyContext computes them. */
import type { ImageHistoryItem } from '../../client';
import { ellipsis, truncateId } from './container-context';
import { GO_TYPE } from './go-template';
import { timeAgo } from './units';
import { humanSize } from '../../lib/go-units';

export const HISTORY_DEFAULT_FORMAT = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
export const HISTORY_NON_HUMAN_FORMAT = 'table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
export const HISTORY_HEADERS: Record<string, string> = {
  ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT',
};

/** RFC 3339 in UTC, as Go's time.Format(time.RFC3339) prints it for a UTC time. */
function rfc3339(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Created times up to 2000-01-01 show as N/A (docker's epoch for human units). */
const EPOCH = Date.UTC(2000, 0, 1) / 1000;

export function historyContext(h: ImageHistoryItem, opts: { trunc: boolean; human: boolean; now?: number }): Record<string, unknown> {
  const createdBy = h.CreatedBy.replace(/\t/g, ' ');
  return {
    ID: opts.trunc && h.Id !== '<missing>' ? truncateId(h.Id) : h.Id,
    CreatedSince: () => (!opts.human ? rfc3339(h.Created) : h.Created <= EPOCH ? 'N/A' : timeAgo(h.Created, opts.now)),
    CreatedAt: () => rfc3339(h.Created),
    CreatedBy: () => (opts.trunc ? ellipsis(createdBy, 45) : createdBy),
    Size: () => (opts.human ? humanSize(h.Size) : String(h.Size)),
    Comment: h.Comment,
    [GO_TYPE]: '*image.historyContext',
  };
}
