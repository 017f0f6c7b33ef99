/** Go's time.Duration.String() of a count of nanoseconds: `1m30s`, `1.5s`, `300ms`, `0s` (HEALTHCHECK's history text). */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(ns);
  let out: string;
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${trim(n / size)}${unit}`;
  } else {
    const h = Math.floor(n / 3.6e12);
    n -= h * 3.6e12;
    const m = Math.floor(n / 6e10);
    n -= m * 6e10;
    out = `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${trim(n / 1e9)}s`;
  }
  return neg ? `-${out}` : out;
}

function trim(v: number): string {
  return v.toFixed(9).replace(/\.?0+$/, '');
}
