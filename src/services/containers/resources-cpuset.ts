/** Linux cpuset lists (`0-3,5`), as moby's pkg/parsers ParseUintList reads them. */

/** The numbers in a list; throws `invalid format: <value>` on anything else. */
export function parseCpuset(value: string): Set<number> {
  const out = new Set<number>();
  if (value === '') return out;
  for (const part of value.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`invalid format: ${value}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new Error(`invalid range format: ${part}`);
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return out;
}
