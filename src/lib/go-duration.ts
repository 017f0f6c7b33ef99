/** Go's time.ParseDuration, which Docker uses for every duration it reads. */

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };

/** `1s`, `500ms`, `1m30s`, `-2h`, `0` in nanoseconds; throws Go's messages
 * (`time: invalid duration "x"`, `time: missing unit in duration "1"`, `time: unknown unit ...`). */
export function parseGoDuration(s: string): number {
  const invalid = () => new Error(`time: invalid duration "${s}"`);
  const m = /^([-+]?)(.*)$/s.exec(s)!;
  let rest = m[2];
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  while (rest) {
    const num = /^(\d+\.?\d*|\.\d+)/.exec(rest);
    if (!num) throw invalid();
    rest = rest.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (!unit) throw new Error(`time: missing unit in duration "${s}"`);
    if (!UNITS[unit]) throw new Error(`time: unknown unit "${unit}" in duration "${s}"`);
    total += Number(num[1]) * UNITS[unit];
    rest = rest.slice(unit.length);
  }
  return Math.round(m[1] === '-' ? -total : total);
}
