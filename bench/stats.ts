/** Order statistics and the result table of a benchmark run. */

export interface Row {
  name: string;
  /** Wall-clock milliseconds of each measured iteration (warm-up excluded). */
  samples: number[];
  /** Set when the case could not run or an iteration failed; the row then has no numbers. */
  error?: string;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Median of unsorted samples (mean of the two middle values for an even count). */
export function median(samples: number[]): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A plain-text table: name, median ms, p90 ms, ratio of the median to the `baseline` row's median. */
export function formatTable(rows: Row[], baseline: string): string {
  const base = rows.find((r) => r.name === baseline && !r.error);
  const baseMedian = base ? median(base.samples) : NaN;
  const header = ['name', 'median ms', 'p90 ms', 'ratio'];
  const body = rows.map((r) => {
    if (r.error) return [r.name, '-', '-', `skipped: ${r.error}`];
    const med = median(r.samples);
    const ratio = Number.isFinite(baseMedian) && baseMedian > 0 ? (med / baseMedian).toFixed(2) : '-';
    return [r.name, med.toFixed(1), percentile(r.samples, 90).toFixed(1), ratio];
  });
  return alignColumns(header, body);
}

/** Columns padded to their widest cell: the first and last left-aligned, the others right-aligned. */
function alignColumns(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cols) => cols[i].length)));
  const line = (cols: string[]) =>
    cols.map((c, i) => (i === 0 || i === cols.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Two rows to compare: `subject` (a berthd row) against `reference` (the Docker engine's row). */
export interface Pair {
  label: string;
  subject: string;
  /** Undefined when no reference engine ran. */
  reference?: string;
}

/**
 * A plain-text table of pairs: label, median and p90 of each side, ratio of the medians
 * (subject / reference) and whether it meets `target` (ratio at most target).
 */
export function formatComparison(rows: Row[], pairs: Pair[], target: number): string {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const figures = (r: Row | undefined): [string, string] =>
    !r || r.error ? ['-', '-'] : [median(r.samples).toFixed(1), percentile(r.samples, 90).toFixed(1)];
  const header = ['case', 'berthd median', 'p90', 'docker median', 'p90', 'ratio', `<= ${target}`];
  const body = pairs.map((p) => {
    const s = byName.get(p.subject);
    const r = p.reference ? byName.get(p.reference) : undefined;
    const why = s?.error ? `berthd: ${s.error}` : !p.reference ? 'no Docker engine' : r?.error ? `docker: ${r.error}` : '';
    const ratio = why || !s || !r ? NaN : median(s.samples) / median(r.samples);
    const verdict = Number.isFinite(ratio) ? (ratio <= target ? 'yes' : 'no') : `skipped: ${why}`;
    return [p.label, ...figures(s), ...figures(r), Number.isFinite(ratio) ? ratio.toFixed(2) : '-', verdict];
  });
  return alignColumns(header, body);
}
