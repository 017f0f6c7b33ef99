/**
 * `-v`, `--mount`, `--volumes-from` and `--volume-driver` as the docker CLI maps them (opts.go,
 * opts/mount.go, the compose volume-spec parser): `-v` specs with a source become Binds (a
 * `./rel` host path made absolute), others Config.Volumes; `--mount` CSV fields become Mounts.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError, collect } from '../../command-kit';

export interface MountFlags { volume?: string[]; mount?: string[]; volumesFrom?: string[]; volumeDriver?: string }

export function addMountFlags(cmd: Command): Command {
  return cmd
    .option('--mount <mount>', 'Attach a filesystem mount to the container', collect)
    .option('--volume-driver <string>', 'Optional volume driver for the container')
    .option('--volumes-from <list>', 'Mount volumes from the specified container(s)', collect);
}

/** The compose loader's ParseVolume, as far as the CLI needs it: source, target, type. */
export function parseVolumeSpec(spec: string): { source: string; target: string; type: 'bind' | 'volume' } {
  if (!spec) throw new UsageError('invalid empty volume spec', 'parse');
  if (spec.length <= 2) return { source: '', target: spec, type: 'volume' };
  const parts = spec.split(':');
  const fail = (why: string) => new UsageError(`invalid spec: ${spec}: ${why}`, 'parse');
  if (parts.some((p) => p === '')) throw fail('empty section between colons');
  if (parts.length > 3) throw fail('too many colons');
  if (parts.length === 1) return { source: '', target: parts[0], type: 'volume' };
  const [source, target] = parts;
  return { source, target, type: /^[./~]/.test(source) ? 'bind' : 'volume' };
}

/** strconv.ParseBool. */
function goBool(key: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new Error(`invalid value for ${key}: ${v}`);
}

/** go-units RAMInBytes: `64m`, `1.5g`, `512`, binary multiples. */
export function ramInBytes(v: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(v);
  if (!m) throw new Error(`invalid size: '${v}'`);
  const mult = 1024 ** (' kmgtp'.indexOf((m[2] ?? ' ').toLowerCase()));
  return Math.trunc(Number(m[1]) * mult);
}

/** One CSV record (encoding/csv): commas split, double quotes group and `""` escapes. */
function csvFields(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

type ApiMountBody = Record<string, unknown> & {
  Type: string; Source?: string; Target?: string; ReadOnly?: boolean;
  BindOptions?: Record<string, unknown>; VolumeOptions?: Record<string, unknown> & { DriverConfig?: { Name?: string; Options?: Record<string, string> }; Labels?: Record<string, string> };
  TmpfsOptions?: Record<string, unknown>;
};

/** docker's MountOpt.Set: one `--mount` value as a HostConfig.Mounts entry. */
export function parseMountFlag(value: string): ApiMountBody {
  const m: ApiMountBody = { Type: 'volume' };
  const vol = () => (m.VolumeOptions ??= {});
  const bind = () => (m.BindOptions ??= {});
  const tmpfs = () => (m.TmpfsOptions ??= {});
  const kv = (target: Record<string, string>, v: string) => { const i = v.indexOf('='); if (i < 0) target[v] = ''; else target[v.slice(0, i)] = v.slice(i + 1); };
  try {
    for (const field of csvFields(value)) {
      const eq = field.indexOf('=');
      const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
      if (eq < 0) {
        if (key === 'readonly' || key === 'ro') m.ReadOnly = true;
        else if (key === 'volume-nocopy') vol().NoCopy = true;
        else if (key === 'bind-nonrecursive') bind().NonRecursive = true;
        else throw new Error(`invalid field '${field}' must be a key=value pair`);
        continue;
      }
      const val = field.slice(eq + 1);
      switch (key) {
        case 'type': m.Type = val.toLowerCase(); break;
        case 'source': case 'src': m.Source = val.startsWith('./') || val === '.' ? resolve(val) : val; break;
        case 'target': case 'dst': case 'destination': m.Target = val; break;
        case 'readonly': case 'ro': m.ReadOnly = goBool(key, val); break;
        case 'consistency': m.Consistency = val.toLowerCase(); break;
        case 'bind-propagation': bind().Propagation = val.toLowerCase(); break;
        case 'bind-nonrecursive': bind().NonRecursive = goBool(key, val); break;
        case 'volume-nocopy': vol().NoCopy = goBool('volume-nocopy', val); break;
        case 'volume-label': kv((vol().Labels ??= {}), val); break;
        case 'volume-driver': (vol().DriverConfig ??= {}).Name = val; break;
        case 'volume-opt': kv(((vol().DriverConfig ??= {}).Options ??= {}), val); break;
        case 'volume-subpath': vol().Subpath = val; break;
        case 'tmpfs-size': try { tmpfs().SizeBytes = ramInBytes(val); } catch { throw new Error(`invalid value for ${key}: ${val}`); } break;
        case 'tmpfs-mode':
          if (!/^[0-7]+$/.test(val)) throw new Error(`invalid value for ${key}: ${val}`);
          tmpfs().Mode = parseInt(val, 8);
          break;
        default: throw new Error(`unexpected key '${key}' in '${field}'`);
      }
    }
    if (!m.Type) throw new Error('type is required');
    if (!m.Target) throw new Error('target is required');
    for (const [opts, kind] of [[m.VolumeOptions, 'volume'], [m.BindOptions, 'bind'], [m.TmpfsOptions, 'tmpfs']] as const) {
      if (opts && m.Type !== kind) throw new Error(`cannot mix '${kind}-*' options with mount type '${m.Type}'`);
    }
  } catch (e) {
    throw new UsageError(`invalid argument "${value}" for "--mount" flag: ${(e as Error).message}`);
  }
  return m;
}

/** The create body's part for these flags. */
export function buildMountSettings(f: MountFlags): { binds: string[]; volumes: Record<string, Record<string, never>>; hostConfig: Record<string, unknown> } {
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const spec of f.volume ?? []) {
    const parsed = parseVolumeSpec(spec);
    if (!parsed.source) { volumes[spec] = {}; continue; }
    const i = spec.indexOf(':');
    const host = spec.slice(0, i);
    binds.push(parsed.type === 'bind' && host.startsWith('.') ? `${resolve(host)}${spec.slice(i)}` : spec);
  }
  const mounts = (f.mount ?? []).map(parseMountFlag);
  return {
    binds, volumes,
    hostConfig: {
      ...(mounts.length ? { Mounts: mounts } : {}),
      ...(f.volumesFrom?.length ? { VolumesFrom: f.volumesFrom } : {}),
      ...(f.volumeDriver ? { VolumeDriver: f.volumeDriver } : {}),
    },
  };
}
