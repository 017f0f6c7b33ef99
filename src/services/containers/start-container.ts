import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildOciSpec, effectiveCapabilities } from '../../core/runtime';
import { ociResources, withResources, withUlimits, type ResourceSettings } from '../../core/runtime/oci-resources';
import { blockDeviceNumbers } from './resources';
import { NotModified, Conflict, findBerthError } from '../../errdefs';
import { resolveGroupAdd, resolveUser } from './user';
import { securitySpec } from './security';
import { chownToRemappedRoot, withUserNamespace } from './userns';
import { releaseMounts, setupMounts } from './mounting';
import { setupEtcFiles, afterLinkedStart } from './etc-setup';
import { withLinkEnv } from './links';
import type { ContainerContext } from './deps';
import { effectiveNetworkMode, type ContainerRecord } from './types';
import { networksToJoin } from './container-networks';
import type { AttachSession } from './attach-session';
import { log } from '../../lib/logger';
import { keepLog, logSettings } from './logging';
import { publishPorts, releasePorts } from './ports-lifecycle';

/** Where `--init` puts the init binary, as Docker does. */
const DOCKER_INIT = '/sbin/docker-init';

export const bundleDir = (ctx: ContainerContext, id: string) => join(ctx.paths.execRoot, 'containers', id);
export const exitDir = (ctx: ContainerContext) => join(ctx.paths.execRoot, 'exits');
export const socketDir = (ctx: ContainerContext) => join(ctx.paths.execRoot, 'socks');
export const attachSocket = (ctx: ContainerContext, id: string) => join(socketDir(ctx), id, 'attach');
export const logPath = (ctx: ContainerContext, id: string) => join(ctx.store.dir(id), 'container.log');

/**
 * Starts a created or exited container: rootfs mounted, network attached, bundle written, conmon
 * running the runtime's create, waiting attach sessions connected, then the runtime's start.
 * On failure everything set up here is undone and the record carries the error and exit code.
 */
export async function startContainer(ctx: ContainerContext, rec: ContainerRecord, attaches: AttachSession[]): Promise<void> {
  if (rec.state.status === 'running' || rec.state.status === 'paused') throw new NotModified('container already started');
  if (rec.state.status === 'removing' || rec.state.status === 'dead') throw new Conflict(`container ${rec.id} is marked for removal and cannot be started`);
  const runtime = ctx.runtimes.get(rec.runtime)!;
  const bundle = bundleDir(ctx, rec.id);
  let mounted = false;
  let attached = false;
  const t0 = Date.now();
  const marks: Record<string, number> = {};
  const mark = (k: string) => { marks[k] = Date.now() - t0; };
  try {
    await mkdir(bundle, { recursive: true });
    await rm(join(exitDir(ctx), rec.id), { force: true });
    // Mount and network are independent: set them up side by side, and undo whichever
    // succeeded if the other failed.
    const [m, n] = await Promise.allSettled([ctx.rootfs.mount(rec.id), attachNetwork(ctx, rec)]);
    mounted = m.status === 'fulfilled';
    attached = n.status === 'fulfilled';
    if (n.status === 'fulfilled') rec.sandbox = { containerId: rec.id, netns: n.value.netns, owned: n.value.owned, endpoints: n.value.endpoints };
    if (m.status === 'rejected') throw m.reason;
    if (n.status === 'rejected') throw n.reason;
    const rootfs = m.value;
    const sandbox = n.value;
    mark('mount+network');
    rec.ports = await publishPorts(ctx, rec);
    const hc = rec.hostConfig;
    const caps = effectiveCapabilities({ privileged: !!hc.Privileged, capAdd: hc.CapAdd ?? [], capDrop: hc.CapDrop ?? [] }, ctx.hostCapabilities);
    const [user, groupAdd, security, mounts, etc] = await Promise.all([
      resolveUser(rootfs, rec.config.User),
      resolveGroupAdd(rootfs, (hc.GroupAdd as string[] | null) ?? []),
      securitySpec(ctx, rec, caps),
      setupMounts(ctx, rec),
      setupEtcFiles(ctx, rec, sandbox),
    ]);
    const shareableShm = hc.IpcMode === 'shareable' && typeof security.shm === 'object' ? security.shm.bind : undefined;
    await chownToRemappedRoot(rec.idMap, [etc.files.hosts, etc.files.hostname, etc.files.resolvConf, shareableShm]);
    const c = rec.config;
    const spec = withResources(buildOciSpec({
      args: hc.Init ? [DOCKER_INIT, '--', rec.path, ...rec.args] : [rec.path, ...rec.args],
      env: withDefaults(withLinkEnv(c.Env, etc.env), c.Hostname, c.Tty),
      cwd: c.WorkingDir || '/',
      ...user,
      // As Docker (runc's exec user): the primary group is among the supplementary ones too.
      additionalGids: [...new Set([user.gid, ...user.additionalGids, ...groupAdd])],
      ...security,
      hostname: c.Hostname,
      tty: c.Tty,
      rootfs,
      readonlyRootfs: !!hc.ReadonlyRootfs,
      privileged: !!hc.Privileged,
      capAdd: hc.CapAdd ?? [],
      capDrop: hc.CapDrop ?? [],
      netns: sandbox.netns,
      etcFiles: etc.files,
      mounts: hc.Init ? [...mounts, { destination: DOCKER_INIT, type: 'bind', source: ctx.initBinary!, options: ['rbind', 'ro'] }] : mounts,
      rlimits: ctx.rlimits,
      cgroupsPath: `/berth/${rec.id}`,
      shmSize: hc.ShmSize || 67108864,
      hostCapabilities: ctx.hostCapabilities,
    }), ociResources(hc as ResourceSettings, blockDeviceNumbers), { rlimits: withUlimits(ctx.rlimits, hc.Ulimits as ResourceSettings['Ulimits']), oomScoreAdj: hc.OomScoreAdj as number | undefined });
    const logs = logSettings(hc.LogConfig as Parameters<typeof logSettings>[0]);
    const create = async (usernsPath?: string) => {
      await writeFile(join(bundle, 'config.json'), JSON.stringify(withUserNamespace(spec, rec.idMap, usernsPath)));
      mark('bundle');
      return ctx.monitor.create({
        id: rec.id, name: rec.name, bundle, runtime, logPath: logPath(ctx, rec.id),
        logDriver: logs.driver === 'none' ? 'none' : 'k8s-file', logSizeMax: logs.maxSize,
        exitDir: exitDir(ctx), socketDir: socketDir(ctx),
        // As dockerd: a TTY's stdin outlives every client (so `attach` after a detach can type).
        stdin: c.OpenStdin, leaveStdinOpen: !c.StdinOnce || c.Tty, tty: c.Tty,
      });
    };
    // A remapped container joins the user namespace that owns its network namespace.
    const pid = rec.idMap && ctx.userns && sandbox.netns !== 'host' ? await ctx.userns.withNetnsOwner(sandbox.netns, create) : await create();
    mark('create');
    if (logs.driver !== 'none') keepLog(rec.id, { path: logPath(ctx, rec.id), maxFile: logs.maxFile, pid });
    await Promise.all(attaches.map((a) => a.connect(ctx.attach, attachSocket(ctx, rec.id)).catch(() => a.finish())));
    await runtime.start(rec.id);
    mark('start');
    log.debug('container started', { id: rec.id, ms: marks });
    rec.state = { ...rec.state, status: 'running', pid, exitCode: 0, error: '', oomKilled: false, startedAt: new Date().toISOString(), finishedAt: '0001-01-01T00:00:00Z' };
    await ctx.store.save(rec);
    await afterLinkedStart(ctx, rec);
  } catch (e) {
    await runtime.delete(rec.id, true).catch(() => {});
    await releasePorts(ctx, rec).catch(() => {});
    if (attached && rec.sandbox) await ctx.network.detach(rec.sandbox).catch(() => {});
    rec.sandbox = undefined;
    if (mounted) await ctx.rootfs.unmount(rec.id).catch(() => {});
    await releaseMounts(ctx, rec).catch(() => {});
    await rm(bundle, { recursive: true, force: true });
    const be = findBerthError(e);
    rec.state = { ...rec.state, error: (e as Error).message, exitCode: be?.exitCode ?? 128 };
    await ctx.store.save(rec).catch(() => {});
    for (const a of attaches) a.finish();
    throw e;
  }
}

async function attachNetwork(ctx: ContainerContext, rec: ContainerRecord) {
  const mode = effectiveNetworkMode(rec.hostConfig);
  const who = { containerId: rec.id, containerName: rec.name };
  if (!mode.startsWith('container:')) return ctx.network.attach({ ...who, mode, networks: networksToJoin(rec), idMap: rec.idMap });
  const peer = ctx.store.get(mode.slice('container:'.length));
  if (peer.state.status !== 'running') throw new Conflict(`cannot join network of a non running container: ${peer.id}`);
  const peerNetns = peer.sandbox?.netns ?? 'host';
  return ctx.network.attach({ ...who, mode, peerNetns });
}

/** PATH, HOSTNAME and TERM as Docker adds them when the config does not set them. */
function withDefaults(env: string[], hostname: string, tty: boolean): string[] {
  const has = (k: string) => env.some((e) => e.startsWith(`${k}=`));
  const out = [...env];
  if (!has('PATH')) out.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  if (!has('HOSTNAME')) out.splice(1, 0, `HOSTNAME=${hostname}`);
  if (tty && !has('TERM')) out.push('TERM=xterm');
  return out;
}
