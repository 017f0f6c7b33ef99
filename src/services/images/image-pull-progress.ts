/** Docker's JSON progress messages for pull and push. */
import { progressBar } from '../../lib/progress-bar';

export interface ProgressMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  aux?: Record<string, unknown>;
}

export type Progress = (m: ProgressMessage) => void;

/** A `status` line for id with no progress (`{"status":"Pull complete","progressDetail":{},"id":...}`). */
export function step(emit: Progress, id: string, status: string): void {
  emit({ status, progressDetail: {}, id });
}

/** Progress lines at most every 100 ms per id (and always the last one). */
export function meter(emit: Progress, id: string, status: string, total: number | undefined): (current: number, final?: boolean) => void {
  let last = 0;
  return (current, final) => {
    const now = Date.now();
    if (!final && now - last < 100) return;
    last = now;
    emit({ status, progressDetail: { current, ...(total && total > 0 ? { total } : {}) }, progress: progressBar(current, total), id });
  };
}
