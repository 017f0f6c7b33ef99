/** A service replica as the Engine API's container create body. */
import { parseGoDuration } from '../../lib/go-duration';
import type { ContainerCreateBody, HealthConfig } from '../../client';
import type { Project, ServiceConfig } from '../types';
import { configHash } from './config-hash';
import { LABEL, containerName, imageName, projectLabels } from './naming';

export interface ReplicaPlan {
  name: string;
  body: ContainerCreateBody;
  /** Networks to connect after create (the first one is joined at create). */
  moreNetworks: { network: string; aliases: string[]; ipv4?: string }[];
}

const ns = (d: string | undefined) => (d === undefined ? undefined : parseGoDuration(d));
const UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `512m`, `1g`, `1024` in bytes. */
export function parseBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s.trim());
  if (!m || UNITS[m[2].toLowerCase() || 'b'] === undefined) throw new Error(`invalid size: ${s}`);
  return Math.round(Number(m[1]) * UNITS[m[2].toLowerCase() || 'b']);
}

function healthConfig(svc: ServiceConfig): HealthConfig | undefined {
  const h = svc.healthcheck;
  if (!h) return undefined;
  if (h.disable) return { Test: ['NONE'] };
  return {
    Test: h.test, Interval: ns(h.interval), Timeout: ns(h.timeout), StartPeriod: ns(h.start_period),
    StartInterval: ns(h.start_interval), Retries: h.retries,
  };
}

function restartPolicy(r: string | undefined) {
  if (!r || r === 'no') return { Name: 'no' };
  const [name, count] = r.split(':');
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

export function replicaPlan(project: Project, svc: ServiceConfig, n: number, o: { imageId?: string; oneoff?: boolean; name?: string } = {}): ReplicaPlan {
  const name = o.name ?? containerName(project, svc, n);
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  const tmpfs: Record<string, string> = Object.fromEntries(svc.tmpfs.map((t) => [t.split(':')[0], t.split(':')[1] ?? '']));
  for (const v of svc.volumes) {
    const ro = v.read_only ? ':ro' : '';
    if (v.type === 'tmpfs') tmpfs[v.target] = '';
    else if (v.type === 'bind') binds.push(`${v.source}:${v.target}${ro}`);
    else if (v.source) binds.push(`${project.volumes[v.source].name}:${v.target}${ro}`);
    else volumes[v.target] = {};
  }
  for (const s of svc.secrets) binds.push(`${project.secrets[s.source].file}:${s.target?.startsWith('/') ? s.target : `/run/secrets/${s.target ?? s.source}`}:ro`);
  for (const c of svc.configs) binds.push(`${project.configs[c.source].file}:${c.target ?? `/${c.source}`}:ro`);
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of svc.ports) {
    const key = `${p.target}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: p.published ?? '' });
  }
  for (const e of svc.expose) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  const nets = Object.entries(svc.networks).map(([key, cfg]) => ({
    network: project.networks[key].name,
    aliases: [name, svc.name, ...(cfg.aliases ?? [])],
    ipv4: cfg.ipv4_address,
  }));
  const [first, ...moreNetworks] = nets;
  const endpoint = (e: typeof first) => ({ Aliases: e.aliases, ...(e.ipv4 ? { IPAMConfig: { IPv4Address: e.ipv4 } } : {}) });
  const limits = svc.resources?.limits;
  const labels: Record<string, string> = {
    ...svc.labels,
    ...projectLabels(project),
    [LABEL.service]: svc.name,
    [LABEL.number]: String(n),
    [LABEL.oneoff]: o.oneoff ? 'True' : 'False',
    [LABEL.hash]: configHash(svc),
    [LABEL.workingDir]: project.workingDir,
    [LABEL.configFiles]: project.configFiles.join(','),
    [LABEL.dependsOn]: Object.entries(svc.depends_on).map(([d, c]) => `${d}:${c.condition}:false`).join(','),
    ...(o.imageId ? { [LABEL.image]: o.imageId } : {}),
  };
  const env = Object.entries(svc.environment).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`);
  const body: ContainerCreateBody = {
    Image: imageName(project, svc),
    Cmd: svc.command ?? null,
    Entrypoint: svc.entrypoint ?? null,
    Env: env,
    Labels: labels,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    Volumes: Object.keys(volumes).length ? volumes : undefined,
    Hostname: svc.hostname,
    WorkingDir: svc.working_dir,
    User: svc.user,
    StopSignal: svc.stop_signal,
    StopTimeout: svc.stop_grace_period === undefined ? undefined : Math.round(parseGoDuration(svc.stop_grace_period) / 1e9),
    Healthcheck: healthConfig(svc),
    HostConfig: {
      Binds: binds,
      Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
      NetworkMode: first.network,
      PortBindings: bindings,
      RestartPolicy: restartPolicy(svc.restart),
      CapAdd: svc.cap_add.length ? svc.cap_add : null,
      Privileged: !!svc.privileged,
      Init: svc.init ?? null,
      ExtraHosts: svc.extra_hosts.length ? svc.extra_hosts : null,
      Dns: svc.dns,
      Ulimits: Object.entries(svc.ulimits).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard })),
      Links: svc.links.map((l) => {
        const [target, alias] = l.split(':');
        const dep = project.services[target];
        return `${dep ? containerName(project, dep, 1) : target}:${alias ?? target}`;
      }),
      ...(limits?.cpus ? { NanoCpus: Math.round(Number(limits.cpus) * 1e9) } : {}),
      ...(limits?.memory ? { Memory: parseBytes(limits.memory) } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [first.network]: endpoint(first) } },
  };
  return { name, body, moreNetworks };
}
