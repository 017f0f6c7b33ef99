/** Docker's progress rendering (jsonmessage.JSONProgress.String, go-units HumanSize). */

/** go-units HumanSize: 4 significant digits, decimal units (`1.234MB`). */
export function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** `[=====>        ]  1.2MB/3.4MB`, or the size alone when the total is unknown. */
export function progressBar(current: number, total: number | undefined, width = 120): string {
  if (!total || total <= 0) return humanSize(current).padStart(8);
  let pct = Math.floor(Math.floor((current / total) * 100) / 2);
  if (pct > 50) pct = 50;
  const bar = width > 110 ? `[${'='.repeat(pct)}>${' '.repeat(50 - pct)}] ` : '';
  const nums = current > total ? '' : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
  return bar + nums;
}
