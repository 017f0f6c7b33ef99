/**
 * `RUN --mount=type=cache,target=/root/.cache,...` (buildkit's parseMount): CSV fields,
 * keys case-insensitive, defaults applied (read-only unless cache or tmpfs).
 */
import { InvalidArgument } from '../../../errdefs';
import type { CacheSharing, MountType, RunMount } from '../types';

const TYPES: MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARING: CacheSharing[] = ['shared', 'private', 'locked'];
const fail = (msg: string) => new InvalidArgument(msg);

/** The fields of one CSV record; `"..."` quotes a field, `""` is a quote inside one. */
export function csvFields(s: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw fail(`failed to parse csv mounts: extraneous or missing " in quoted-field`);
        if (s[i] === '"') {
          if (s[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += s[i++];
      }
      if (i < s.length && s[i] !== ',') throw fail(`failed to parse csv mounts: extraneous or missing " in quoted-field`);
    } else {
      const end = s.indexOf(',', i);
      field = s.slice(i, end < 0 ? s.length : end);
      if (field.includes('"')) throw fail(`failed to parse csv mounts: bare " in non-quoted-field`);
      i = end < 0 ? s.length : end;
    }
    fields.push(field);
    if (i >= s.length) return fields;
    i++; // the comma
  }
}

const parseBool = (key: string, v: string): boolean => {
  if (/^(1|t|true)$/i.test(v)) return true;
  if (/^(0|f|false)$/i.test(v)) return false;
  throw fail(`invalid value for ${key}: ${v}`);
};

/** docker/go-units RAMInBytes: `64m`, `1g`, `512kb`, `100` (binary multiples). */
function ramInBytes(key: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?$/i.exec(v);
  if (!m) throw fail(`invalid value for ${key}: ${v}`);
  return Math.floor(Number(m[1]) * 1024 ** ' kmgtp'.indexOf(m[2].toLowerCase() || ' '));
}

function uint(v: string, radix: 8 | 10, key: string): number {
  const ok = radix === 8 ? /^[0-7]+$/.test(v) : /^\d+$/.test(v);
  const n = ok ? parseInt(v, radix) : NaN;
  if (!ok || n > 0xffffffff) throw fail(`invalid value ${v} for ${key}`);
  return n;
}

/**
 * One mount spec. Without `expand`, values holding a `$` are left for build time (the
 * executor re-parses with expansion) and the combination is checked only when there are
 * none; with it, every value is expanded and checked.
 */
export function parseRunMount(spec: string, expand?: (word: string) => string): RunMount {
  const m: RunMount = { type: 'bind', readOnly: true, required: false };
  let roAuto = true;
  let deferred = false;
  for (const field of csvFields(spec)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') { m.readOnly = true; roAuto = false; continue; }
      if (key === 'readwrite' || key === 'rw') { m.readOnly = false; roAuto = false; continue; }
      if (key === 'required' && (m.type === 'secret' || m.type === 'ssh')) { m.required = true; continue; }
      if (key === 'required') throw fail(`unexpected key '${key}' for mount type '${m.type}'`);
      throw fail(`invalid field '${field}' must be a key=value pair`);
    }
    let value = field.slice(eq + 1);
    if (key === 'from' && !expand && value.slice(0, -1).includes('$')) {
      throw fail(`'${key}' doesn't support variable expansion, define alias stage instead`);
    }
    if (expand) value = expand(value);
    else if (value.includes('$')) {
      deferred = true;
      continue;
    }
    applyField(m, key, field, value, () => { roAuto = false; });
  }
  if (!deferred) validate(m);
  if (roAuto) m.readOnly = !(m.type === 'cache' || m.type === 'tmpfs');
  return m;
}

function applyField(m: RunMount, key: string, field: string, value: string, explicitRo: () => void): void {
  switch (key) {
    case 'type': {
      const t = value.toLowerCase() as MountType;
      if (!TYPES.includes(t)) throw fail(`unsupported mount type "${value}"`);
      m.type = t;
      return;
    }
    case 'from': m.from = value; return;
    case 'source': case 'src': m.source = value; return;
    case 'target': case 'dst': case 'destination': m.target = value; return;
    case 'readonly': case 'ro': m.readOnly = parseBool(key, value); explicitRo(); return;
    case 'readwrite': case 'rw': m.readOnly = !parseBool(key, value); explicitRo(); return;
    case 'required':
      if (m.type !== 'secret' && m.type !== 'ssh') throw fail(`unexpected key '${key}' for mount type '${m.type}'`);
      m.required = parseBool(key, value);
      return;
    case 'size':
      if (m.type !== 'tmpfs') throw fail(`unexpected key '${key}' for mount type '${m.type}'`);
      m.sizeLimit = ramInBytes(key, value);
      return;
    case 'id': m.id = value; return;
    case 'sharing': {
      const s = value.toLowerCase() as CacheSharing;
      if (!SHARING.includes(s)) throw fail(`unsupported sharing value "${value}"`);
      m.sharing = s;
      return;
    }
    case 'mode': m.mode = uint(value, 8, 'mode'); return;
    case 'uid': m.uid = uint(value, 10, 'uid'); return;
    case 'gid': m.gid = uint(value, 10, 'gid'); return;
    case 'env': m.env = value; return;
    default: throw fail(`unexpected key '${key}' in '${field}'`);
  }
}

function validate(m: RunMount): void {
  if (m.type !== 'secret' && m.type !== 'ssh' && m.type !== 'cache') {
    for (const k of ['mode', 'uid', 'gid'] as const) {
      if (m[k] !== undefined) throw fail(`${k} not allowed for "${m.type}" type mounts`);
    }
  }
  if (m.type === 'secret') {
    if (m.from) throw fail('secret mount should not have a from');
    if (m.sharing) throw fail('secret mount should not define sharing');
    if (!m.source && !m.target && !m.id) throw fail('invalid secret mount. one of source, target required');
    if (m.source && m.id) throw fail("both source and id can't be set");
  }
  if (m.sharing && m.type !== 'cache') throw fail(`invalid cache sharing set for ${m.type} mount`);
}
