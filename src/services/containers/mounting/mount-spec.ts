/**
 * Parses and checks mount requests as dockerd's linux parser does (volume/mounts/linux_parser.go):
 * `HostConfig.Binds` entries (`-v`) and `HostConfig.Mounts` (`--mount`). Errors are
 * InvalidArgument in Docker's words; nothing here touches the host but the bind-source check.
 */
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { InvalidArgument } from '../../../errdefs';
import { newId } from '../../../lib/ids';
import type { ApiMount, MountRequest } from './mount-point';

const RW_MODES = ['rw', 'ro'];
const LABEL_MODES = ['z', 'Z'];
export const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];
const COPY_MODES = ['nocopy'];
const CONSISTENCY_MODES = ['consistent', 'cached', 'delegated'];
const MODE_GROUPS = [RW_MODES, LABEL_MODES, PROPAGATIONS, COPY_MODES, CONSISTENCY_MODES];

/** `/a//b/` -> `/a/b`, as Go's path.Clean. */
export const cleanPath = (p: string) => { const n = posix.normalize(p); return n.length > 1 ? n.replace(/\/+$/, '') : n; };

/** Docker's ValidMountMode: known options, at most one of each group. */
export function validMode(mode: string): boolean {
  if (!mode) return true;
  const counts = MODE_GROUPS.map(() => 0);
  for (const o of mode.split(',')) {
    const g = MODE_GROUPS.findIndex((group) => group.includes(o));
    if (g < 0) return false;
    counts[g]++;
  }
  return counts.every((c) => c <= 1);
}

const mountConfigError = (type: string, message: string) => new InvalidArgument(`invalid mount config for type ${JSON.stringify(type)}: ${message}`);

const absolute = (type: string, p: string) => {
  if (!posix.isAbsolute(p)) throw mountConfigError(type, `invalid mount path: '${p}' mount path must be absolute`);
};

/** The checks every mount passes (validateMountConfigImpl). */
function validate(m: ApiMount, bindSourceMustExist: boolean): void {
  const type = m.Type ?? '';
  const target = m.Target ?? '';
  if (!target) throw mountConfigError(type, 'field Target must not be empty');
  if (cleanPath(target) === '/') throw mountConfigError(type, "invalid specification: destination can't be '/'");
  absolute(type, target);
  switch (type) {
    case 'bind':
      if (!m.Source) throw mountConfigError(type, 'field Source must not be empty');
      if (m.BindOptions?.Propagation && !PROPAGATIONS.includes(m.BindOptions.Propagation)) throw mountConfigError(type, `invalid propagation mode: ${m.BindOptions.Propagation}`);
      if (m.VolumeOptions) throw mountConfigError(type, 'field VolumeOptions must not be specified');
      if (m.TmpfsOptions) throw mountConfigError(type, 'field TmpfsOptions must not be specified');
      absolute(type, m.Source);
      if (bindSourceMustExist && !existsSync(m.Source)) throw mountConfigError(type, `bind source path does not exist: ${m.Source}`);
      break;
    case 'volume': {
      if (m.BindOptions) throw mountConfigError(type, 'field BindOptions must not be specified');
      if (m.TmpfsOptions) throw mountConfigError(type, 'field TmpfsOptions must not be specified');
      if (!m.Source && m.ReadOnly) throw mountConfigError(type, 'must not set ReadOnly mode when using anonymous volumes');
      const sub = m.VolumeOptions?.Subpath;
      if (sub && (posix.isAbsolute(sub) || cleanPath(sub).split('/')[0] === '..')) throw mountConfigError(type, 'subpath must be a relative path within the volume');
      break;
    }
    case 'tmpfs':
      if (m.BindOptions) throw mountConfigError(type, 'field BindOptions must not be specified');
      if (m.VolumeOptions) throw mountConfigError(type, 'field VolumeOptions must not be specified');
      if (m.Source) throw mountConfigError(type, 'field Source must not be specified');
      break;
    default:
      throw mountConfigError(type, 'mount type unknown');
  }
}

/** Docker's tmpfs options from TmpfsOptions: `ro`, `mode=<octal>`, `size=<n>[kmg]` by the largest unit dividing it. */
export function tmpfsOptions(o: ApiMount['TmpfsOptions'], readOnly: boolean): string[] {
  const out = readOnly ? ['ro'] : [];
  if (o?.Mode) out.push(`mode=${o.Mode.toString(8)}`);
  if (o?.SizeBytes) {
    const unit = ([['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const).find(([, d]) => o.SizeBytes! % d === 0);
    out.push(unit ? `size=${o.SizeBytes / unit[1]}${unit[0]}` : `size=${o.SizeBytes}`);
  }
  return out;
}

/**
 * A `--mount` (HostConfig.Mounts entry). A bind's source must exist; a volume without a source
 * is anonymous; a named local volume shows mode `z`, as Docker does.
 */
export function parseApiMount(m: ApiMount): MountRequest {
  validate(m, true);
  return toRequest(m);
}

function toRequest(m: ApiMount): MountRequest {
  const destination = cleanPath(m.Target!);
  const rw = !m.ReadOnly;
  if (m.Type === 'bind') {
    return { type: 'bind', source: cleanPath(m.Source!), destination, mode: '', rw, propagation: m.BindOptions?.Propagation || 'rprivate', copyData: false };
  }
  if (m.Type === 'tmpfs') {
    return { type: 'tmpfs', source: '', destination, mode: '', rw, propagation: '', copyData: false, tmpfsOptions: tmpfsOptions(m.TmpfsOptions, !!m.ReadOnly) };
  }
  const vo = m.VolumeOptions ?? {};
  return {
    type: 'volume', source: '', destination, mode: 'z', rw, propagation: '', copyData: !vo.NoCopy,
    anonymous: !m.Source, ...(vo.Subpath ? { subpath: cleanPath(vo.Subpath) } : {}),
    // An anonymous volume's ID is chosen now, as dockerd does, so errors can name it.
    volume: { name: m.Source || newId(), anonymous: !m.Source, driver: vo.DriverConfig?.Name || undefined, options: vo.DriverConfig?.Options ?? null, labels: vo.Labels ?? null },
  };
}

/**
 * A `HostConfig.Binds` entry (`-v src:dst[:mode]`, or `dst` alone for an anonymous volume): an
 * absolute source is a bind (its host dir made at start when missing), anything else a volume
 * name. `volumeDriver` is HostConfig.VolumeDriver.
 */
export function parseBindSpec(raw: string, volumeDriver = ''): MountRequest {
  const parts = raw.split(':');
  const invalid = () => new InvalidArgument(`invalid volume specification: '${raw}'`);
  if (parts.some((p) => p === '') || parts.length > 3) throw invalid();
  let source = '';
  let target: string;
  let mode = '';
  if (parts.length === 1) [target] = parts;
  else if (parts.length === 2) {
    if (validMode(parts[1])) throw invalid();
    [source, target] = parts;
  } else [source, target, mode] = parts;
  if (!validMode(mode)) throw new InvalidArgument(`invalid mode: ${mode}`);
  const opts = mode ? mode.split(',') : [];
  const type = posix.isAbsolute(source) ? 'bind' : 'volume';
  const propagation = opts.find((o) => PROPAGATIONS.includes(o));
  const spec: ApiMount = {
    Type: type, Source: source, Target: target, ReadOnly: opts.includes('ro'),
    ...(type === 'volume' && (volumeDriver || opts.includes('nocopy')) ? { VolumeOptions: { NoCopy: opts.includes('nocopy'), ...(volumeDriver ? { DriverConfig: { Name: volumeDriver } } : {}) } } : {}),
    ...(type === 'bind' && opts.includes('nocopy') ? { VolumeOptions: { NoCopy: true } } : {}),
    ...(propagation ? { BindOptions: { Propagation: propagation } } : {}),
  };
  try { validate(spec, false); } catch (e) { throw new InvalidArgument(`invalid volume specification: '${raw}': ${(e as Error).message}`, { cause: e }); }
  const req = toRequest(spec);
  // Docker shows `z` for a local volume given without a mode.
  return type === 'bind' ? { ...req, mode, createSource: true } : { ...req, mode: mode || 'z' };
}
