/**
 * A container's isolation and security settings: checked at create (so a bad one creates
 * nothing) and turned into the spec's namespaces, /dev/shm, seccomp, sysctls and devices at
 * start, as Docker does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import {
  checkCapabilities, checkIpcMode, checkPidMode, checkSysctls, checkUtsMode, parseDevice, parseDeviceCgroupRule,
  parseSecurityOpts, seccompForContainer, type DeviceMapping, type NamespaceMode, type OciDevice, type OciDeviceRule,
  type SeccompProfile, type ContainerSpecInput,
} from '../../core/runtime';
import { Conflict, InvalidArgument, Unavailable, hasErrno } from '../../errdefs';
import type { ContainerContext } from './deps';
import type { ContainerRecord, HostConfig } from './types';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Checks every security setting of a create request; throws in Docker's words. */
export async function validateSecurity(ctx: ContainerContext, hc: Partial<HostConfig>, hostname?: string): Promise<void> {
  checkCapabilities('CapAdd', hc.CapAdd ?? []);
  checkCapabilities('CapDrop', hc.CapDrop ?? []);
  parseSecurityOpts((hc.SecurityOpt as string[] | null) ?? []);
  const pid = str(hc.PidMode); const ipc = str(hc.IpcMode); const uts = str(hc.UTSMode);
  checkPidMode(pid); checkIpcMode(ipc); checkUtsMode(uts);
  for (const m of [pid, ipc]) if (m.startsWith('container:')) ctx.store.get(m.slice('container:'.length));
  if (uts === 'host' && hostname) throw new InvalidArgument('conflicting options: hostname and the UTS mode');
  const cgroupns = str(hc.CgroupnsMode);
  if (!['', 'host', 'private'].includes(cgroupns)) throw new InvalidArgument(`invalid cgroup namespace mode: ${cgroupns}`);
  if (uts === 'host' && hc.NetworkMode?.startsWith('container:')) throw new InvalidArgument('conflicting options: UTS mode host and network mode container');
  checkSysctls((hc.Sysctls as Record<string, string> | null) ?? {}, { netHost: hc.NetworkMode === 'host', ipcHost: ipc === 'host', utsHost: uts === 'host' });
  for (const d of (hc.Devices as DeviceMapping[] | null) ?? []) await deviceNodes(d.PathOnHost, d.PathInContainer, d.CgroupPermissions || 'rwm');
  for (const r of (hc.DeviceCgroupRules as string[] | null) ?? []) parseDeviceCgroupRule(r);
}

/** The parts of the spec input this module decides. */
export type SecuritySpec = Pick<ContainerSpecInput, 'namespaces' | 'shm' | 'seccomp' | 'sysctls' | 'devices' | 'deviceRules' | 'noNewPrivileges'>;

/** Works out a container's namespaces, /dev/shm, seccomp, devices and sysctls at start. */
export async function securitySpec(ctx: ContainerContext, rec: ContainerRecord, caps: string[]): Promise<SecuritySpec> {
  const hc = rec.hostConfig;
  const opts = parseSecurityOpts((hc.SecurityOpt as string[] | null) ?? []);
  const pid = joinMode(ctx, str(hc.PidMode), 'pid', 'PID');
  const ipcMode = str(hc.IpcMode) || 'private';
  let ipc: NamespaceMode = 'new';
  let shm: SecuritySpec['shm'] = 'tmpfs';
  if (ipcMode === 'host') { ipc = 'host'; shm = { bind: '/dev/shm' }; }
  else if (ipcMode === 'none') shm = 'none';
  else if (ipcMode === 'shareable') shm = { bind: await mountSharedShm(ctx, rec.id, Number(hc.ShmSize) || DEFAULT_SHM_SIZE) };
  else if (ipcMode.startsWith('container:')) {
    const peer = ctx.store.get(ipcMode.slice('container:'.length));
    if (peer.state.status !== 'running') throw new Conflict(`cannot join IPC of a non running container: ${peer.id}`);
    const peerMode = str(peer.hostConfig.IpcMode);
    if (peerMode !== 'shareable' && peerMode !== 'host') throw new Conflict(`can't join IPC of container ${peer.id}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`);
    ipc = { path: `/proc/${peer.state.pid}/ns/ipc` };
    shm = { bind: sharedShmDir(ctx, peer.id) };
  }
  const privileged = !!hc.Privileged;
  const devices: OciDevice[] = [];
  const deviceRules: OciDeviceRule[] = [];
  const add = (list: { node: OciDevice; rule: OciDeviceRule }[]) => { for (const x of list) { devices.push(x.node); deviceRules.push(x.rule); } };
  if (privileged) add(await deviceNodes('/dev', '/dev', 'rwm', true));
  for (const d of (hc.Devices as DeviceMapping[] | null) ?? []) add(await deviceNodes(d.PathOnHost, d.PathInContainer, d.CgroupPermissions || 'rwm'));
  for (const r of (hc.DeviceCgroupRules as string[] | null) ?? []) deviceRules.push(parseDeviceCgroupRule(r));
  let seccomp: Record<string, unknown> | undefined;
  if (!privileged && opts.seccomp !== 'unconfined') {
    const profile = opts.seccomp === 'default' ? defaultSeccompProfile() : JSON.parse(opts.seccomp) as SeccompProfile;
    seccomp = seccompForContainer(profile, { caps, nodeArch: process.arch, kernel: release() });
  }
  return {
    namespaces: {
      pid, ipc,
      uts: str(hc.UTSMode) === 'host' ? 'host' : 'new',
      // As Docker: a private cgroup namespace on cgroup v2 hosts only.
      cgroup: cgroupV2() && str(hc.CgroupnsMode) !== 'host' ? 'new' : 'host',
    },
    shm, seccomp, devices, deviceRules,
    sysctls: (hc.Sysctls as Record<string, string> | null) ?? {},
    noNewPrivileges: opts.noNewPrivileges,
  };
}

const DEFAULT_SHM_SIZE = 67108864;

const sharedShmDir = (ctx: ContainerContext, id: string) => join(ctx.paths.execRoot, 'shm', id);

/**
 * The /dev/shm of a shareable container, as dockerd makes it: a tmpfs of --shm-size (mode 1777,
 * nosuid, nodev, noexec) mounted on the host under `<exec-root>/shm/<id>`, so that joiners bind
 * the same one (a mount inside another mount namespace cannot be bound). Each start gets a new
 * one; joiners still running keep the one they bound.
 */
async function mountSharedShm(ctx: ContainerContext, id: string, size: number): Promise<string> {
  const dir = sharedShmDir(ctx, id);
  await mkdir(dir, { recursive: true });
  await ctx.mountHost.unmount(dir);
  await ctx.mountHost.mountTmpfs('shm', dir, `mode=1777,size=${size}`);
  return dir;
}

/** Unmounts and removes a shareable container's /dev/shm (at removal). */
export async function removeSharedShm(ctx: ContainerContext, id: string): Promise<void> {
  await ctx.mountHost.unmount(sharedShmDir(ctx, id));
  await rm(sharedShmDir(ctx, id), { recursive: true, force: true });
}

function joinMode(ctx: ContainerContext, mode: string, ns: string, what: string): NamespaceMode {
  if (mode === 'host') return 'host';
  if (!mode.startsWith('container:')) return 'new';
  const peer = ctx.store.get(mode.slice('container:'.length));
  if (peer.state.status !== 'running') throw new Conflict(`cannot join ${what} of a non running container: ${peer.id}`);
  return { path: `/proc/${peer.state.pid}/ns/${ns}` };
}

let v2: boolean | undefined;
const cgroupV2 = () => (v2 ??= existsSync('/sys/fs/cgroup/cgroup.controllers'));

let profile: SeccompProfile | undefined;
/** Docker's default profile (profiles/seccomp/default.json, beside src/ and dist/). Fails closed. */
export function defaultSeccompProfile(): SeccompProfile {
  if (profile) return profile;
  for (const up of ['../../..', '../../../..']) {
    const p = join(__dirname, up, 'profiles/seccomp/default.json');
    if (existsSync(p)) return (profile = JSON.parse(readFileSync(p, 'utf8')) as SeccompProfile);
  }
  throw new Unavailable('default seccomp profile not found (profiles/seccomp/default.json)');
}

/** Linux's dev_t split, as glibc's major()/minor() do. */
const major = (rdev: number) => ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
const minor = (rdev: number) => (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);

/**
 * The device nodes under a host path (itself when it is a node), placed under `dest`, each with
 * its cgroup rule. Docker's message when the path does not exist.
 */
async function deviceNodes(src: string, dest: string, perms: string, quiet = false): Promise<{ node: OciDevice; rule: OciDeviceRule }[]> {
  parseDevice(`${src}:${dest}:${perms}`);
  let st;
  try { st = await lstat(src); } catch (e) {
    if (quiet) return [];
    const why = hasErrno(e, 'ENOENT') ? 'no such file or directory' : (e as Error).message;
    throw new InvalidArgument(`error gathering device information while adding custom device "${src}": ${why}`);
  }
  if (st.isDirectory()) {
    // As Docker's host device walk: skip the per-container pseudo filesystems.
    if (quiet && ['/dev/pts', '/dev/shm', '/dev/mqueue', '/dev/.lxc', '/dev/.udev'].includes(src)) return [];
    const out = [];
    for (const n of await readdir(src).catch(() => [] as string[])) out.push(...await deviceNodes(join(src, n), join(dest, n), perms, true));
    return out;
  }
  if (!st.isCharacterDevice() && !st.isBlockDevice()) {
    if (quiet) return [];
    throw new InvalidArgument(`error gathering device information while adding custom device "${src}": not a device node`);
  }
  const type = st.isCharacterDevice() ? 'c' : 'b';
  const maj = major(st.rdev); const min = minor(st.rdev);
  // /dev/console belongs to the container's own terminal.
  if (quiet && dest === '/dev/console') return [];
  return [{ node: { path: dest, type, major: maj, minor: min, fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid }, rule: { allow: true, type, major: maj, minor: min, access: perms } }];
}
