/** go-units' decimal sizes and the Go `%g` they print with, as docker's CLI and daemon write them. */

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** Go's `%.<p>g`: shortest of fixed/exponent with trailing zeros removed, exponent of 2+ digits. */
export function formatG(x: number, precision: number): string {
  if (x === 0) return '0';
  let s = x.toPrecision(precision);
  if (s.includes('e')) {
    const [mant, exp] = s.split('e');
    const m = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant;
    const sign = exp[0] === '-' ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  return s;
}

/** go-units HumanSizeWithPrecision(size, 3): "4.26MB", "1.98MB", "0B", "1e+03kB". */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < DECIMAL.length - 1) { size /= 1000; i++; }
  return `${formatG(size, precision)}${DECIMAL[i]}`;
}

/** go-units HumanSize (precision 4), used for `VirtualSize` in `--format json`. */
export function humanSize4(bytes: number): string { return humanSize(bytes, 4); }
