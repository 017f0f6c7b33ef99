/**
 * Merges compose files in order, as Docker Compose does for override files: mappings
 * merge key by key, scalars are replaced, `command`/`entrypoint`/`healthcheck.test` are
 * replaced whole, `volumes` merge by target, `ports`/`expose`/`dns`/... are appended
 * (duplicates dropped), and list-or-mapping keys are read as mappings before merging.
 */

type Doc = Record<string, unknown>;
const isMap = (v: unknown): v is Doc => !!v && typeof v === 'object' && !Array.isArray(v);

/** `["A=1", "B"]` -> `{A: "1", B: null}`; a mapping is returned as is. */
export function listToMap(v: unknown, sep = '='): Doc {
  if (!Array.isArray(v)) return isMap(v) ? v : {};
  const out: Doc = {};
  for (const item of v) {
    const s = String(item);
    const i = s.indexOf(sep);
    if (i < 0) out[s] = null; else out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}
/** `depends_on`/`networks` in list form: names -> empty entries. */
const namesToMap = (v: unknown, entry: () => unknown): Doc =>
  Array.isArray(v) ? Object.fromEntries(v.map((n) => [String(n), entry()])) : isMap(v) ? v : {};

const REPLACED = new Set(['command', 'entrypoint']);
const APPENDED = new Set(['ports', 'expose', 'dns', 'cap_add', 'cap_drop', 'profiles', 'links', 'tmpfs', 'env_file']);
const AS_MAPS: Record<string, (v: unknown) => Doc> = {
  environment: (v) => listToMap(v), labels: (v) => listToMap(v), extra_hosts: (v) => listToMap(v, ':'),
  depends_on: (v) => namesToMap(v, () => ({ condition: 'service_started' })), networks: (v) => namesToMap(v, () => null),
};
const targetOf = (v: unknown) => (isMap(v) ? String(v.target) : String(v).split(':')[1] ?? String(v));
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Keys are defined, not assigned: a key `__proto__` stays a key. */
function mergeMaps(a: Doc, b: Doc): Doc {
  const out = new Map(Object.entries(a));
  for (const [k, v] of Object.entries(b)) out.set(k, isMap(out.get(k)) && isMap(v) ? mergeMaps(out.get(k) as Doc, v) : v);
  return Object.fromEntries(out);
}

function mergeService(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const old = out[k];
    if (old === undefined || REPLACED.has(k)) out[k] = v;
    else if (AS_MAPS[k]) out[k] = mergeMaps(AS_MAPS[k](old), AS_MAPS[k](v));
    else if (APPENDED.has(k)) out[k] = [...new Set([...asList(old), ...asList(v)].map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x));
    else if (k === 'volumes' || k === 'secrets' || k === 'configs') {
      const byTarget = new Map<string, unknown>();
      for (const x of [...asList(old), ...asList(v)]) byTarget.set(k === 'volumes' ? targetOf(x) : isMap(x) ? String(x.target ?? x.source) : String(x), x);
      out[k] = [...byTarget.values()];
    } else if (k === 'build' && (typeof old === 'string' || typeof v === 'string')) {
      const asObj = (x: unknown) => (typeof x === 'string' ? { context: x } : (x as Doc));
      out[k] = mergeMaps(asObj(old), asObj(v));
    } else if (k === 'healthcheck' && isMap(old) && isMap(v)) out[k] = { ...old, ...v };
    else if (isMap(old) && isMap(v)) out[k] = mergeMaps(old, v);
    else out[k] = v;
  }
  return out;
}

/** Later documents override earlier ones. */
export function mergeDocuments(docs: Doc[]): Doc {
  const out: Doc = {};
  for (const doc of docs) {
    for (const [k, v] of Object.entries(doc)) {
      if (k === 'services' && isMap(v)) {
        const services = new Map(Object.entries((out.services as Doc) ?? {}));
        for (const [name, svc] of Object.entries(v)) {
          const old = services.get(name);
          services.set(name, isMap(old) && isMap(svc) ? mergeService(old, svc) : svc);
        }
        out.services = Object.fromEntries(services);
      } else out[k] = isMap(out[k]) && isMap(v) ? mergeMaps(out[k] as Doc, v) : v;
    }
  }
  return out;
}
