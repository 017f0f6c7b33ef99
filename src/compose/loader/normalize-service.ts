/**
 * One service's merged, validated document in the model's long forms: ports and volumes
 * parsed from their short syntax, lists of KEY=VALUE read as mappings, env_file contents
 * under environment, relative paths resolved against the project directory.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { homedir } from 'node:os';
import { InvalidArgument } from '../../errdefs';
import type { DependsCondition, FileReference, PortConfig, ServiceConfig, VolumeMount } from '../types';
import { parseEnvFile } from './env-file';
import { listToMap } from './merge';

type Doc = Record<string, any>;
const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const strings = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** A command as compose reads it: a string is split like a shell would, without expansion. */
export function splitCommand(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let has = false;
  for (const c of String(v)) {
    if (quote) { if (c === quote) quote = ''; else cur += c; continue; }
    if (c === '"' || c === "'") { quote = c; has = true; continue; }
    if (/\s/.test(c)) { if (has || cur) out.push(cur); cur = ''; has = false; continue; }
    cur += c;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** `N` or `N-M` of ports 0-65535, M >= N (go-connections' ParsePortRange), in compose's words. */
function range(s: string, what: 'containerPort' | 'hostPort'): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  const [a, b] = [Number(m?.[1]), Number(m?.[2] ?? m?.[1])];
  if (!m || b > 65535 || b < a) throw new Error(`invalid ${what}: ${s}`);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** `[HOST_IP:][HOST:]CONTAINER[/PROTO]` (ranges expanded) or the long form. */
function parsePort(v: unknown): PortConfig[] {
  if (v && typeof v === 'object') {
    const p = v as Doc;
    return [{ target: Number(p.target), published: str(p.published), host_ip: str(p.host_ip), protocol: p.protocol ?? 'tcp' }];
  }
  const [spec, protocol = 'tcp'] = String(v).split('/');
  const parts = spec.split(':');
  const target = parts.pop()!;
  const published = parts.pop();
  const host_ip = parts.length ? parts.join(':').replace(/^\[|\]$/g, '') : undefined;
  const targets = range(target, 'containerPort');
  const pubs = published ? range(published, 'hostPort') : [];
  return targets.map((t, i) => ({
    target: t, protocol, host_ip,
    published: published ? String(pubs.length === targets.length ? pubs[i] : pubs.length === 1 ? pubs[0] : published) : undefined,
  }));
}

/** Sets `k` as a data key even when it is `__proto__` (an assignment would set the prototype). */
const define = <T>(o: Record<string, T>, k: string, v: T) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** A mapping's entries but its `x-` extensions, which validation never checks. */
const entries = <T>(m: Record<string, T>) => Object.entries<T>(m).filter(([k]) => !k.startsWith('x-'));

const isPath = (s: string) => s.startsWith('.') || s.startsWith('/') || s.startsWith('~');
const hostPath = (s: string, dir: string) => (s.startsWith('~') ? resolve(homedir(), s.slice(2)) : resolve(dir, s));

/** `SRC:TARGET[:MODE]`, `TARGET` (anonymous) or the long form. */
export function parseVolume(v: unknown, dir: string): VolumeMount {
  if (v && typeof v === 'object') {
    const m = v as Doc;
    const type = m.type as VolumeMount['type'];
    const source = type === 'bind' && m.source ? hostPath(String(m.source), dir) : str(m.source);
    return { type, source, target: String(m.target), read_only: !!m.read_only };
  }
  const parts = String(v).split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0] };
  const [src, target, mode = ''] = parts;
  const read_only = mode.split(',').includes('ro');
  return isPath(src) ? { type: 'bind', source: hostPath(src, dir), target, read_only } : { type: 'volume', source: src, target, read_only };
}

function fileRefs(v: unknown): FileReference[] {
  return (Array.isArray(v) ? v : []).map((r) => (typeof r === 'string' ? { source: r } : { source: String(r.source), target: str(r.target) }));
}

function envFromFiles(v: unknown, dir: string, lookup: (k: string) => string | undefined, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
    const file = resolve(dir, typeof entry === 'string' ? entry : String(entry.path));
    const required = typeof entry === 'string' || entry.required !== false;
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !required) continue;
      throw new InvalidArgument(`${path}.env_file: env file ${file} not found`, { cause: err });
    }
    Object.assign(out, parseEnvFile(text, lookup));
  }
  return out;
}

export function normalizeService(name: string, raw: Doc, ctx: { dir: string; lookup: (k: string) => string | undefined }): ServiceConfig {
  const path = `services.${name}`;
  const env: Record<string, string | null> = { ...envFromFiles(raw.env_file, ctx.dir, ctx.lookup, path) };
  for (const [k, v] of Object.entries(listToMap(raw.environment))) {
    define(env, k, v === null ? ctx.lookup(k) ?? null : String(v));
  }
  const depends: ServiceConfig['depends_on'] = {};
  const rawDeps = Array.isArray(raw.depends_on) ? Object.fromEntries(raw.depends_on.map((d: string) => [d, {}])) : raw.depends_on ?? {};
  for (const [dep, d] of entries<Doc>(rawDeps)) {
    const condition = (d?.condition ?? 'service_started') as DependsCondition;
    if (!['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition)) {
      throw new InvalidArgument(`${path}.depends_on.${dep}.condition must be one of service_started, service_healthy, service_completed_successfully`);
    }
    define(depends, dep, { condition, required: d?.required !== false });
  }
  // a link is a dependency too, as in Docker Compose
  for (const l of strings(raw.links)) if (!Object.hasOwn(depends, l.split(':')[0])) define(depends, l.split(':')[0], { condition: 'service_started', required: true });
  const networks: ServiceConfig['networks'] = {};
  const rawNets = Array.isArray(raw.networks) ? Object.fromEntries(raw.networks.map((n: string) => [n, null])) : raw.networks ?? {};
  for (const [n, cfg] of entries<Doc | null>(rawNets)) define(networks, n, { aliases: cfg?.aliases?.map(String), ipv4_address: cfg?.ipv4_address });
  const build = raw.build === undefined ? undefined : typeof raw.build === 'string' ? { context: raw.build } : raw.build;
  const ulimits: ServiceConfig['ulimits'] = {};
  for (const [k, u] of entries<any>(raw.ulimits ?? {})) {
    define(ulimits, k, typeof u === 'object' ? { soft: Number(u.soft), hard: Number(u.hard) } : { soft: Number(u), hard: Number(u) });
  }
  const hc = raw.healthcheck;
  let ports: PortConfig[];
  try { ports = (raw.ports ?? []).flatMap(parsePort); } catch (err) {
    throw new InvalidArgument(`${path}.ports: ${(err as Error).message}`);
  }
  return {
    name,
    image: str(raw.image),
    build: build && {
      context: resolve(ctx.dir, String(build.context ?? '.')), dockerfile: str(build.dockerfile), target: str(build.target),
      args: build.args && (listToMap(build.args) as Record<string, string | null>), labels: build.labels && (listToMap(build.labels) as Record<string, string>),
    },
    command: splitCommand(raw.command),
    entrypoint: splitCommand(raw.entrypoint),
    environment: env,
    ports,
    expose: strings(raw.expose),
    volumes: (raw.volumes ?? []).map((v: unknown) => parseVolume(v, ctx.dir)),
    networks: Object.keys(networks).length ? networks : { default: {} },
    depends_on: depends,
    healthcheck: hc && {
      test: typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : hc.test?.map(String), interval: str(hc.interval), timeout: str(hc.timeout),
      start_period: str(hc.start_period), start_interval: str(hc.start_interval), retries: hc.retries === undefined ? undefined : Number(hc.retries), disable: hc.disable,
    },
    restart: str(raw.restart),
    replicas: Number(raw.deploy?.replicas ?? raw.scale ?? 1),
    resources: raw.deploy?.resources && { limits: raw.deploy.resources.limits && { cpus: str(raw.deploy.resources.limits.cpus), memory: str(raw.deploy.resources.limits.memory) } },
    profiles: strings(raw.profiles),
    links: strings(raw.links),
    labels: Object.fromEntries(Object.entries(listToMap(raw.labels)).map(([k, v]) => [k, String(v ?? '')])),
    container_name: str(raw.container_name),
    hostname: str(raw.hostname),
    working_dir: str(raw.working_dir),
    user: str(raw.user),
    extra_hosts: Array.isArray(raw.extra_hosts) ? raw.extra_hosts.map(String) : Object.entries(raw.extra_hosts ?? {}).map(([h, ip]) => `${h}:${ip}`),
    dns: strings(raw.dns),
    cap_add: strings(raw.cap_add),
    privileged: raw.privileged,
    tmpfs: strings(raw.tmpfs),
    ulimits,
    init: raw.init,
    stop_signal: str(raw.stop_signal),
    stop_grace_period: str(raw.stop_grace_period),
    secrets: fileRefs(raw.secrets),
    configs: fileRefs(raw.configs),
  };
}
