import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { newId } from '../../lib/ids';
import { isValidContainerName } from '../../lib/ids';
import { Conflict, InvalidArgument, NotFound } from '../../errdefs';
import type { ContainerContext } from './deps';
import type { EndpointConfig } from '../../core/network';
import { effectiveNetworkMode, type ContainerConfig, type ContainerRecord, type HostConfig } from './types';
import { generateName } from './names';
import { validateHostMounts } from './mounts';
import { acquireMounts, mountPointsOf, planMounts, type AcquiredMounts, type ApiMount } from './mounting';
import { validateEtcForMode, validateExtraHosts } from './etc-files';
import { normalizeLinks } from './links';
import { validatePorts } from './ports';
import { mergeHealthcheck, validateHealthcheck, type HealthConfig } from './health';
import { logSettings } from './logging';
import { RESOURCE_DEFAULTS, checkResources, createWarnings, defaultHostInfo } from './resources';
import { validateSecurity } from './security';
import { usernsForCreate } from './userns';

/** The create body as the Engine API sends it: Config fields at the top, plus HostConfig. */
export interface CreateRequest {
  name?: string;
  body: Partial<Omit<ContainerConfig, 'Cmd' | 'Entrypoint'>> & {
    HostConfig?: Partial<HostConfig>; NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointConfig> | null } | null; Cmd?: string[] | string | null; Entrypoint?: string[] | string | null;
  };
}

const asList = (v: string[] | string | null | undefined): string[] | null | undefined =>
  typeof v === 'string' ? [v] : v;

function mergeEnv(image: string[], user: string[]): string[] {
  const out = new Map<string, string>();
  for (const e of [...image, ...user]) {
    const k = e.split('=', 1)[0];
    out.delete(k);
    out.set(k, e);
  }
  return [...out.values()];
}

/** Docker puts a default PATH in the config when neither the image nor the user set one. */
function withPath(env: string[]): string[] {
  return env.some((e) => e.startsWith('PATH=')) ? env : ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...env];
}

export const RESTART_POLICIES = ['', 'no', 'always', 'unless-stopped', 'on-failure'];

/**
 * Validates a create request, merges it with the image's defaults and writes the record and the
 * container's dirs. Either the whole container exists afterwards or nothing of it does.
 */
export async function createContainer(ctx: ContainerContext, req: CreateRequest): Promise<ContainerRecord> {
  const b = req.body ?? {};
  if (typeof b !== 'object' || Array.isArray(b)) throw new InvalidArgument('invalid JSON: container config must be an object');
  if (!b.Image) throw new InvalidArgument('No image specified');
  validateHealthcheck(b.Healthcheck as HealthConfig | null | undefined);
  let name = req.name?.replace(/^\//, '');
  if (name !== undefined && name !== '' && !isValidContainerName(name)) {
    throw new InvalidArgument(`Invalid container name (${req.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  const hc: Partial<HostConfig> = { ...RESOURCE_DEFAULTS, ...b.HostConfig };
  const warnings = checkResources(hc, ctx.cgroups?.host ?? defaultHostInfo());
  const restart = (hc.RestartPolicy?.Name ?? '') as string;
  if (!RESTART_POLICIES.includes(restart)) throw new InvalidArgument(`invalid restart policy '${restart}'`);
  if (hc.AutoRemove && restart !== '' && restart !== 'no') {
    throw new InvalidArgument(`can't create 'AutoRemove' container with restart policy`);
  }
  validateHostMounts(hc);
  validateExtraHosts(hc.ExtraHosts);
  validateEtcForMode(hc, b.Hostname);
  validatePorts(b.ExposedPorts, hc.PortBindings);
  logSettings(hc.LogConfig as Parameters<typeof logSettings>[0]);
  await validateSecurity(ctx, hc, b.Hostname);
  const idMap = usernsForCreate(ctx, hc);
  // Kept as the client sent it ("default" without --network), as Docker keeps it.
  const networkMode = hc.NetworkMode || 'default';
  const networks = ctx.network.resolve(effectiveNetworkMode({ NetworkMode: networkMode }), b.NetworkingConfig?.EndpointsConfig ?? {});
  const runtime = hc.Runtime || ctx.defaultRuntime;
  if (!ctx.runtimes.has(runtime)) throw new InvalidArgument(`unknown or invalid runtime name: ${runtime}`);
  if (hc.Init && !ctx.initBinary) throw new InvalidArgument('--init: no init binary on this host (install tini)');
  const refusal = ctx.runtimeRefusals.get(runtime);
  if (refusal) throw new InvalidArgument(refusal);

  const image = await ctx.images.resolveForContainer(b.Image);
  const ic = image.config;
  const userEntrypoint = asList(b.Entrypoint);
  const entrypoint = userEntrypoint === undefined || userEntrypoint === null
    ? (ic.Entrypoint ?? null)
    : (userEntrypoint.length === 1 && userEntrypoint[0] === '' ? null : userEntrypoint);
  const userCmd = asList(b.Cmd);
  // As Docker: a user entrypoint drops the image's CMD unless a CMD is given too.
  const cmd = userCmd && userCmd.length ? userCmd : (userEntrypoint !== undefined && userEntrypoint !== null ? null : (ic.Cmd ?? null));
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (argv.length === 0) throw new InvalidArgument('no command specified');
  // As Docker: the image's volumes and the request's together.
  const volumes = { ...(ic.Volumes ?? {}), ...(b.Volumes ?? {}) };
  const mountPlan = planMounts({
    binds: hc.Binds, mounts: hc.Mounts as ApiMount[] | undefined, tmpfs: hc.Tmpfs as Record<string, string> | undefined,
    volumesFrom: hc.VolumesFrom as string[] | undefined, volumeDriver: hc.VolumeDriver as string | undefined, configVolumes: volumes,
    mountsOf: (ref) => { const r = ctx.store.find(ref); return r && mountPointsOf(r); },
  });
  for (const m of mountPlan) if (m.volume && !m.inherited) ctx.volumes.check(m.volume);


  const id = newId();
  if (!name) name = generateName((n) => ctx.store.nameOwner(n) !== undefined);
  const owner = ctx.store.nameOwner(name);
  if (owner) {
    throw new Conflict(`Conflict. The container name "/${name}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`);
  }
  const links = normalizeLinks(ctx.store, name, hc);
  ctx.store.reserveName(name, id);

  const config: ContainerConfig = {
    Hostname: b.Hostname || id.slice(0, 12),
    Domainname: b.Domainname ?? '',
    User: b.User ?? ic.User ?? '',
    AttachStdin: !!b.AttachStdin,
    AttachStdout: b.AttachStdout ?? true,
    AttachStderr: b.AttachStderr ?? true,
    ExposedPorts: { ...(ic.ExposedPorts ?? {}), ...(b.ExposedPorts ?? {}) },
    Tty: !!b.Tty,
    OpenStdin: !!b.OpenStdin,
    StdinOnce: !!b.StdinOnce,
    Env: withPath(mergeEnv(ic.Env ?? [], b.Env ?? [])),
    Cmd: cmd,
    Image: b.Image,
    Volumes: Object.keys(volumes).length ? volumes : null,
    WorkingDir: b.WorkingDir || ic.WorkingDir || '',
    Entrypoint: entrypoint,
    OnBuild: ic.OnBuild ?? null,
    Labels: { ...(ic.Labels ?? {}), ...(b.Labels ?? {}) },
    ...(b.StopSignal || ic.StopSignal ? { StopSignal: b.StopSignal || ic.StopSignal } : {}),
    ...(b.StopTimeout !== undefined && b.StopTimeout !== null ? { StopTimeout: b.StopTimeout } : {}),
    ...(b.Healthcheck ?? ic.Healthcheck ? { Healthcheck: mergeHealthcheck(b.Healthcheck as HealthConfig, ic.Healthcheck as HealthConfig) } : {}),
  };
  if (Object.keys(config.ExposedPorts!).length === 0) delete config.ExposedPorts;
  const hostConfig: HostConfig = {
    Binds: null, PortBindings: {}, AutoRemove: false, Privileged: false, ReadonlyRootfs: false,
    CapAdd: null, CapDrop: null, Dns: [], DnsOptions: [], DnsSearch: [], ExtraHosts: null, Init: null,
    ShmSize: 67108864, ...hc, LogConfig: { Type: (hc.LogConfig as { Type?: string } | undefined)?.Type || 'json-file', Config: (hc.LogConfig as { Config?: object } | undefined)?.Config ?? {} },
    NetworkMode: networkMode, Runtime: runtime, Links: links,
    RestartPolicy: { Name: (restart || 'no') as HostConfig['RestartPolicy']['Name'], MaximumRetryCount: hc.RestartPolicy?.MaximumRetryCount ?? 0 },
  };
  if (!hostConfig.ShmSize) hostConfig.ShmSize = 67108864;
  // As dockerd with its default-ipc-mode: an unset IPC mode is recorded as private.
  if (!hostConfig.IpcMode) hostConfig.IpcMode = 'private';

  const rec: ContainerRecord = {
    id, name, created: new Date().toISOString(), imageId: image.id, path: argv[0], args: argv.slice(1),
    config, hostConfig, restartCount: 0, manuallyStopped: false, runtime, networks,
    state: { status: 'created', pid: 0, exitCode: 0, error: '', oomKilled: false, startedAt: '0001-01-01T00:00:00Z', finishedAt: '0001-01-01T00:00:00Z' },
    ...(idMap ? { idMap } : {}),
  };
  const dir = ctx.store.dir(id);
  let acquired: AcquiredMounts | undefined;
  try {
    await mkdir(dir, { recursive: true });
    await Promise.all([writeFile(join(dir, 'hostname'), `${config.Hostname}\n`), ctx.rootfs.create(id, image.id, { idMap })]);
    const rootfs = { mount: () => ctx.rootfs.mount(id), unmount: () => ctx.rootfs.unmount(id) };
    acquired = await acquireMounts({ volumes: ctx.volumes, mountHost: ctx.mountHost, rootfs }, id, mountPlan);
    rec.mounts = acquired.mounts;
    await ctx.store.save(rec);
  } catch (e) {
    await acquired?.rollback();
    ctx.store.releaseName(name, id);
    await ctx.rootfs.remove(id).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  ctx.events('create', rec);
  if (warnings.length) createWarnings.set(rec, warnings);
  return rec;
}

