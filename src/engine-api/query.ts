/** Query-string conventions of the Engine API. */

/** Docker's boolean rule: "", 0, no, false, none (any case) are false; anything else true. */
export function parseBool(v: string | null | undefined, dflt = false): boolean {
  if (v === null || v === undefined) return dflt;
  return !['', '0', 'no', 'false', 'none'].includes(v.toLowerCase());
}

/**
 * `filters` JSON as the clients send it: `{"label":{"a=b":true}}` (docker CLI) or
 * `{"label":["a=b"]}` (docker-py, compose). Returns each key's values as a list.
 */
export function parseFilters(raw: string | null | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!raw) return out;
  let parsed: unknown;
  try { parsed = JSON.parse(raw); } catch { throw new TypeError(`invalid filter '${raw}'`); }
  if (typeof parsed !== 'object' || parsed === null) throw new TypeError(`invalid filter '${raw}'`);
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(v)) out.set(k, v.map(String));
    else if (v && typeof v === 'object') out.set(k, Object.entries(v).filter(([, on]) => on).map(([s]) => s));
    else out.set(k, [String(v)]);
  }
  return out;
}
