/** Docker's progress rendering (jsonmessage.JSONProgress.String, go-units HumanSize). */
import { humanSize4 } from './go-units';

/** `[=====>        ]  1.2MB/3.4MB`, or the size alone when the total is unknown. */
export function progressBar(current: number, total: number | undefined, width = 120): string {
  if (!total || total <= 0) return humanSize4(current).padStart(8);
  let pct = Math.floor(Math.floor((current / total) * 100) / 2);
  if (pct > 50) pct = 50;
  const bar = width > 110 ? `[${'='.repeat(pct)}>${' '.repeat(50 - pct)}] ` : '';
  const nums = current > total ? '' : `${humanSize4(current).padStart(8)}/${humanSize4(total)}`;
  return bar + nums;
}
