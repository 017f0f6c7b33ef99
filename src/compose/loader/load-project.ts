/**
 * Loads a compose project: finds and reads the files, interpolates each with the shell
 * environment over `.env` (or `--env-file`), validates each against the keys berth
 * supports, merges them in order and normalizes the result. Every error is an
 * InvalidArgument naming the file and the path in it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidArgument } from '../../errdefs';
import type { FileObjectConfig, NetworkConfig, Project, VolumeConfig } from '../types';
import { parseEnvFile } from './env-file';
import { startOrder } from './graph';
import { InterpolationError, interpolateTree } from './interpolate';
import { listToMap, mergeDocuments } from './merge';
import { normalizeService } from './normalize-service';
import { TOP } from './shapes';
import { validateShape } from './validate';

export interface LoadOptions {
  /** `-f`, in order; none means compose.yaml (or its other names) and its override file in `cwd`. */
  files?: string[];
  projectName?: string;
  projectDirectory?: string;
  envFiles?: string[];
  profiles?: string[];
  /** The shell environment; wins over `.env`. */
  env: Record<string, string | undefined>;
  cwd: string;
  warn?: (message: string) => void;
}

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDE_FILES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];
type Doc = Record<string, any>;

function findFiles(cwd: string): string[] {
  const main = DEFAULT_FILES.map((f) => resolve(cwd, f)).find(existsSync);
  if (!main) throw new InvalidArgument(`no configuration file provided: not found (looked for ${DEFAULT_FILES.join(', ')} in ${cwd})`);
  const over = OVERRIDE_FILES.map((f) => resolve(cwd, f)).find(existsSync);
  return over ? [main, over] : [main];
}

/** Docker Compose's project name rule: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}

function readDocument(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (err) { throw new InvalidArgument(`${file}: cannot read: ${(err as Error).message}`, { cause: err }); }
  let doc: unknown;
  try { doc = parseYaml(text, { merge: true, uniqueKeys: true }) ?? {}; } catch (err) {
    throw new InvalidArgument(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (isCircular(doc)) throw new InvalidArgument(`${file}: not valid YAML: anchor value contains itself`);
  return doc;
}

/** An alias inside its own anchor (`a: &x {b: *x}`) makes the parsed tree circular; go-yaml refuses it. */
function isCircular(node: unknown, ancestors = new Set<object>()): boolean {
  if (!node || typeof node !== 'object') return false;
  if (ancestors.has(node)) return true;
  ancestors.add(node);
  const found = Object.values(node).some((v) => isCircular(v, ancestors));
  ancestors.delete(node);
  return found;
}

/** `x-` keys are extensions wherever they appear (validate.ts never checks them): no service,
 * network, volume, secret or config comes from one. */
function withoutExtensions(doc: Doc): Doc {
  const out: Doc = { ...doc };
  for (const section of ['services', 'networks', 'volumes', 'secrets', 'configs']) {
    const m = doc[section];
    if (m && typeof m === 'object') out[section] = Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('x-')));
  }
  return out;
}

function dotenv(opts: LoadOptions, dir: string): Record<string, string> {
  const files = opts.envFiles?.length ? opts.envFiles.map((f) => resolve(opts.cwd, f)) : [resolve(dir, '.env')].filter(existsSync);
  const out: Record<string, string> = {};
  for (const f of files) {
    if (!existsSync(f)) throw new InvalidArgument(`env file ${f} not found`);
    Object.assign(out, parseEnvFile(readFileSync(f, 'utf8'), (k) => opts.env[k] ?? out[k]));
  }
  return out;
}

/**
 * A project known only by its name (`down -p NAME` with no compose file, as Docker Compose
 * allows): no services, so everything labelled with the name is the project's.
 */
export function projectByName(name: string, cwd: string): Project {
  const n = normalizeProjectName(name);
  return {
    name: n, workingDir: cwd, configFiles: [], services: {}, enabled: [], networks: {}, volumes: {}, secrets: {}, configs: {}, document: { name: n },
  };
}

/** Whether `cwd` holds a compose file of one of the default names. */
export function hasDefaultFile(cwd: string): boolean {
  return DEFAULT_FILES.some((f) => existsSync(resolve(cwd, f)));
}

export function loadProject(opts: LoadOptions): Project {
  const files = opts.files?.length ? opts.files.map((f) => resolve(opts.cwd, f)) : findFiles(opts.cwd);
  const dir = resolve(opts.cwd, opts.projectDirectory ?? dirname(files[0]));
  const dot = dotenv(opts, dir);
  const lookup = (k: string) => opts.env[k] ?? dot[k];
  const missing = new Set<string>();
  const origin = new Map<string, string>();
  const docs = files.map((file) => {
    const raw = readDocument(file);
    let doc: unknown;
    try { doc = interpolateTree(raw, lookup, (n) => missing.add(n)); } catch (err) {
      if (err instanceof InterpolationError) throw new InvalidArgument(`${file}: ${err.message}`);
      throw err;
    }
    validateShape(TOP, doc, file);
    doc = withoutExtensions(doc as Doc);
    for (const [name, svc] of Object.entries((doc as Doc).services ?? {})) if ((svc as Doc)?.depends_on || !origin.has(name)) origin.set(name, file);
    return doc as Doc;
  });
  for (const n of missing) opts.warn?.(`The "${n}" variable is not set. Defaulting to a blank string.`);
  const merged: Doc = mergeDocuments(docs);
  const where = (svc: string) => origin.get(svc) ?? files[0];
  const name = normalizeProjectName(opts.projectName ?? lookup('COMPOSE_PROJECT_NAME') ?? merged.name ?? basename(dir));
  if (!name) throw new InvalidArgument(`project name must not be empty (from ${opts.projectName ?? basename(dir)})`);

  // Null prototypes: a service, network or volume may be called `__proto__` (or `constructor`).
  const services: Project['services'] = Object.create(null);
  for (const [svc, raw] of Object.entries<Doc>(merged.services ?? {})) {
    try { services[svc] = normalizeService(svc, raw ?? {}, { dir, lookup }); } catch (err) {
      throw new InvalidArgument(`${where(svc)}: ${(err as Error).message}`, { cause: err });
    }
    if (!services[svc].image && !services[svc].build) throw new InvalidArgument(`${where(svc)}: services.${svc} has neither an image nor a build context specified`);
  }
  startOrder(services, where);

  const networks: Record<string, NetworkConfig> = Object.create(null);
  for (const [key, n] of Object.entries<Doc | null>({ default: null, ...(merged.networks ?? {}) })) {
    const ext = n?.external;
    networks[key] = {
      name: n?.name ?? (ext && typeof ext === 'object' && ext.name) ?? (ext ? key : `${name}_${key}`), external: !!ext,
      driver: n?.driver, internal: n?.internal, labels: listToMap(n?.labels) as Record<string, string>, ipam: n?.ipam,
    };
  }
  const volumes: Record<string, VolumeConfig> = Object.create(null);
  for (const [key, v] of Object.entries<Doc | null>(merged.volumes ?? {})) {
    const ext = v?.external;
    volumes[key] = { name: v?.name ?? (ext ? key : `${name}_${key}`), external: !!ext, driver: v?.driver, labels: listToMap(v?.labels) as Record<string, string> };
  }
  const fileObjects = (kind: 'secrets' | 'configs') => {
    const out: Record<string, FileObjectConfig> = Object.create(null);
    for (const [key, o] of Object.entries<Doc>(merged[kind] ?? {})) {
      if (!o.file) throw new InvalidArgument(`${files[0]}: ${kind}.${key}.file: only secrets and configs from files are supported`);
      out[key] = { file: resolve(dir, String(o.file)) };
    }
    return out;
  };
  const secrets = fileObjects('secrets');
  const configs = fileObjects('configs');
  for (const svc of Object.values(services)) {
    const at = `${where(svc.name)}: services.${svc.name}`;
    for (const n of Object.keys(svc.networks)) if (!Object.hasOwn(networks, n)) throw new InvalidArgument(`${at}.networks: service "${svc.name}" refers to undefined network ${n}`);
    for (const v of svc.volumes) {
      if (v.type === 'volume' && v.source && !Object.hasOwn(volumes, v.source)) throw new InvalidArgument(`${at}.volumes: service "${svc.name}" refers to undefined volume ${v.source}`);
    }
    for (const s of svc.secrets) if (!Object.hasOwn(secrets, s.source)) throw new InvalidArgument(`${at}.secrets: service "${svc.name}" refers to undefined secret ${s.source}`);
    for (const c of svc.configs) if (!Object.hasOwn(configs, c.source)) throw new InvalidArgument(`${at}.configs: service "${svc.name}" refers to undefined config ${c.source}`);
  }

  const active = new Set([...(opts.profiles ?? []), ...(lookup('COMPOSE_PROFILES')?.split(',').filter(Boolean) ?? [])]);
  const enabled = Object.values(services).filter((s) => !s.profiles.length || s.profiles.some((p) => active.has(p) || p === '*') || active.has('*')).map((s) => s.name);
  const document = { name, ...merged };
  delete (document as Doc).version;
  return { name, workingDir: dir, configFiles: files, services, enabled, networks, volumes, secrets, configs, document };
}
