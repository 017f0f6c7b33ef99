import { InvalidArgument } from '../../../errdefs';

/** The log drivers berth knows: every reading driver is stored as conmon's k8s-file log. */
export const LOG_DRIVERS = ['json-file', 'k8s-file', 'local', 'none'] as const;
export type LogDriver = typeof LOG_DRIVERS[number];

const OPTS: Record<LogDriver, string[]> = {
  'json-file': ['max-size', 'max-file', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  'k8s-file': ['max-size', 'max-file'],
  local: ['max-size', 'max-file', 'compress'],
  none: [],
};

/** How a container's log is kept: the conmon driver, the size each file may reach, the files kept. */
export interface LogSettings {
  driver: LogDriver;
  /** Bytes a log file may reach before it is rotated; 0 for no limit. */
  maxSize: number;
  /** Files kept, the live one included (at least 1). */
  maxFile: number;
}

export interface LogConfig { Type?: string; Config?: Record<string, string> | null }

/** Docker's units.RAMInBytes: `10k`, `1m`, `1.5g`, `100`, binary multiples. */
export function ramInBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(s);
  if (!m) throw new InvalidArgument(`failed to initialize logging driver: invalid size: '${s}'`);
  const mult = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.floor(Number(m[1]) * mult);
}

/**
 * Checks a HostConfig.LogConfig as Docker's logger registry and drivers do, and returns the
 * settings. Throws InvalidArgument in Docker's words for an unknown driver, option or value.
 */
export function logSettings(lc: LogConfig | undefined): LogSettings {
  const type = lc?.Type || 'json-file';
  if (!(LOG_DRIVERS as readonly string[]).includes(type)) throw new InvalidArgument(`logger: no log driver named '${type}' is registered`);
  const driver = type as LogDriver;
  const cfg = lc?.Config ?? {};
  for (const k of Object.keys(cfg)) {
    if (!OPTS[driver].includes(k)) {
      throw new InvalidArgument(driver === 'json-file' ? `unknown log opt '${k}' for json-file log driver` : `unknown log opt '${k}' for log driver ${driver}`);
    }
  }
  const local = driver === 'local';
  let maxSize = cfg['max-size'] !== undefined ? ramInBytes(cfg['max-size']) : local ? 20 * 2 ** 20 : 0;
  if (cfg['max-size'] !== undefined && maxSize <= 0) throw new InvalidArgument('failed to initialize logging driver: max-size must be a positive number');
  let maxFile = local ? 5 : 1;
  if (cfg['max-file'] !== undefined) {
    const v = cfg['max-file'];
    if (!/^[+-]?\d+$/.test(v)) throw new InvalidArgument(`failed to initialize logging driver: strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
    maxFile = Number(v);
    if (maxFile < 1) throw new InvalidArgument('failed to initialize logging driver: max-file cannot be less than 1');
  }
  if (driver === 'none') { maxSize = 0; maxFile = 1; }
  return { driver, maxSize, maxFile };
}
