/**
 * The security half of the OCI spec, pure: Docker's namespace modes, its seccomp profile
 * filtered for one container, capability names, namespaced sysctls, devices and device cgroup
 * rules. Each check throws InvalidArgument in Docker's words.
 */
import { InvalidArgument } from '../../errdefs';
import { ALL_CAPABILITIES, normalizeCap } from './capabilities';

/** One namespace in the spec: `path` joins an existing one; absent from the list shares the host's. */
export interface OciNamespace { type: string; path?: string }

/** How the container gets one namespace: a fresh one, the host's, or another process's (`/proc/<pid>/ns/<x>`). */
export type NamespaceMode = 'new' | 'host' | { path: string };

export interface NamespaceModes {
  pid: NamespaceMode; ipc: NamespaceMode; uts: NamespaceMode; net: NamespaceMode;
  /** Docker gives a private cgroup namespace only on cgroup v2 hosts. */
  cgroup: NamespaceMode;
}

/** The spec's namespace list, in Docker's order (mount first). */
export function namespacesFor(m: NamespaceModes): OciNamespace[] {
  const out: OciNamespace[] = [{ type: 'mount' }];
  const add = (type: string, mode: NamespaceMode) => {
    if (mode === 'new') out.push({ type });
    else if (mode !== 'host') out.push({ type, path: mode.path });
  };
  add('network', m.net); add('uts', m.uts); add('pid', m.pid); add('ipc', m.ipc); add('cgroup', m.cgroup);
  return out;
}

/** `--pid` / `--uts`: '' | host | container:<x> (uts: '' | host), as Docker's CLI checks them. */
export function checkPidMode(mode: string): void {
  if (mode === '' || mode === 'host' || (mode.startsWith('container:') && mode.length > 10)) return;
  throw new InvalidArgument('--pid: invalid PID mode');
}

export function checkUtsMode(mode: string): void {
  if (mode === '' || mode === 'host') return;
  throw new InvalidArgument('--uts: invalid UTS mode');
}

/** `--ipc`: '' (the daemon's default, private) | none | private | shareable | host | container:<x>. */
export function checkIpcMode(mode: string): void {
  if (['', 'none', 'private', 'shareable', 'host'].includes(mode) || (mode.startsWith('container:') && mode.length > 10)) return;
  throw new InvalidArgument(`Invalid IPC mode: ${mode}`);
}

/** Refuses names that are not Linux capabilities: `invalid CapAdd: unknown capability: "CAP_FOO"`. */
export function checkCapabilities(field: 'CapAdd' | 'CapDrop', caps: string[]): void {
  for (const c of caps) {
    const n = normalizeCap(c);
    if (n !== 'ALL' && !ALL_CAPABILITIES.includes(n)) throw new InvalidArgument(`invalid ${field}: unknown capability: "${n}"`);
  }
}

/**
 * True for the sysctls a container may set because they live in its own namespaces, as
 * Docker's validator lists them: IPC (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*) and
 * network (net.*).
 */
export function isNamespacedSysctl(key: string): boolean {
  return ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'].includes(key)
    || key.startsWith('fs.mqueue.') || key.startsWith('net.');
}

/** Checks `--sysctl` settings against the container's modes, in Docker's words. */
export function checkSysctls(sysctls: Record<string, string>, modes: { netHost: boolean; ipcHost: boolean; utsHost: boolean }): void {
  for (const [k, v] of Object.entries(sysctls)) {
    if (!isNamespacedSysctl(k)) throw new InvalidArgument(`sysctl '${k}=${v}' is not allowed`);
    if (modes.netHost && k.startsWith('net.')) throw new InvalidArgument(`sysctl "${k}" not allowed in host network namespace`);
    if (modes.ipcHost && !k.startsWith('net.')) throw new InvalidArgument(`sysctl "${k}" not allowed in host IPC namespace`);
  }
}

/** A device mapping, `--device /dev/x[:/dev/y][:rwm]`. */
export interface DeviceMapping { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }

export function parseDevice(spec: string): DeviceMapping {
  const parts = spec.split(':');
  let perms = 'rwm';
  if (parts.length > 1 && /^[rwm]{1,3}$/.test(parts[parts.length - 1])) perms = parts.pop()!;
  if (parts.length > 2 || !parts[0]) throw new InvalidArgument(`invalid device specification: ${spec}`);
  const [src, dst = src] = parts;
  if (!dst.startsWith('/')) throw new InvalidArgument(`bad format for path: ${dst}`);
  return { PathOnHost: src, PathInContainer: dst, CgroupPermissions: perms };
}

export interface OciDeviceRule { allow: boolean; type?: string; major?: number; minor?: number; access: string }

/** A `--device-cgroup-rule` such as `c 1:3 mr` or `b *:* rwm`. */
export function parseDeviceCgroupRule(rule: string): OciDeviceRule {
  const m = /^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/.exec(rule);
  if (!m) throw new InvalidArgument(`invalid device cgroup format '${rule}'`);
  const num = (s: string) => (s === '*' ? undefined : Number(s));
  return { allow: true, type: m[1], major: num(m[2]), minor: num(m[3]), access: m[4] };
}

/** Docker's security options, parsed: `seccomp=unconfined|<json>`, `no-new-privileges[=bool]`, `apparmor=`, `label=`. */
export interface SecurityOptions {
  /** 'default', 'unconfined', or a profile's JSON text. */
  seccomp: string;
  noNewPrivileges: boolean;
  apparmor?: string;
}

export function parseSecurityOpts(opts: string[]): SecurityOptions {
  const out: SecurityOptions = { seccomp: 'default', noNewPrivileges: false };
  for (const opt of opts) {
    if (opt === 'no-new-privileges') { out.noNewPrivileges = true; continue; }
    const i = opt.search(/[=:]/);
    if (i < 0) throw new InvalidArgument(`Invalid --security-opt: "${opt}"`);
    const [k, v] = [opt.slice(0, i), opt.slice(i + 1)];
    if (k === 'seccomp') {
      if (v !== 'unconfined') {
        try { JSON.parse(v); } catch (e) { throw new InvalidArgument(`Decoding seccomp profile failed: ${(e as Error).message}`); }
      }
      out.seccomp = v;
    } else if (k === 'no-new-privileges') {
      if (v !== 'true' && v !== 'false') throw new InvalidArgument(`invalid --security-opt 2: "${opt}"`);
      out.noNewPrivileges = v === 'true';
    } else if (k === 'apparmor') out.apparmor = v;
    else if (k !== 'label' && k !== 'systempaths') throw new InvalidArgument(`invalid --security-opt 1: "${opt}"`);
  }
  return out;
}

/** A profile in Docker's format (moby's profiles/seccomp). */
export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures: string[] }[];
  syscalls?: SeccompRule[];
}

interface SeccompRule {
  names?: string[]; name?: string; action: string; args?: unknown[] | null; errnoRet?: number;
  includes?: { caps?: string[]; arches?: string[]; minKernel?: string };
  excludes?: { caps?: string[]; arches?: string[]; minKernel?: string };
}

/** Go's architecture names as the profile's rules use them, from Node's `process.arch`. */
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
/** libseccomp's name for the native architecture. */
const SCMP_ARCH: Record<string, string> = { x64: 'SCMP_ARCH_X86_64', arm64: 'SCMP_ARCH_AARCH64', arm: 'SCMP_ARCH_ARM', ia32: 'SCMP_ARCH_X86', ppc64: 'SCMP_ARCH_PPC64LE', s390x: 'SCMP_ARCH_S390X', riscv64: 'SCMP_ARCH_RISCV64' };

/** Compares `a.b` kernel versions numerically: negative when `a` is older. */
function kernelCmp(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 2; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * The OCI `linux.seccomp` for one container from a Docker-format profile: a rule applies when
 * the container holds every capability in its `includes.caps`, none in `excludes.caps`, the
 * architecture is (not) listed, and the kernel is at least `includes.minKernel`.
 */
export function seccompForContainer(profile: SeccompProfile, ctx: { caps: string[]; nodeArch: string; kernel: string }): Record<string, unknown> {
  const arch = GO_ARCH[ctx.nodeArch] ?? ctx.nodeArch;
  const native = SCMP_ARCH[ctx.nodeArch];
  let architectures = profile.architectures ?? [];
  const entry = profile.archMap?.find((a) => a.architecture === native);
  if (entry) architectures = [entry.architecture, ...entry.subArchitectures];
  const syscalls: Record<string, unknown>[] = [];
  for (const r of profile.syscalls ?? []) {
    const inc = r.includes ?? {};
    const exc = r.excludes ?? {};
    if (inc.caps?.some((c) => !ctx.caps.includes(c))) continue;
    if (inc.arches?.length && !inc.arches.includes(arch)) continue;
    if (inc.minKernel && kernelCmp(ctx.kernel, inc.minKernel) < 0) continue;
    if (exc.caps?.some((c) => ctx.caps.includes(c))) continue;
    if (exc.arches?.includes(arch)) continue;
    if (exc.minKernel && kernelCmp(ctx.kernel, exc.minKernel) >= 0) continue;
    syscalls.push({
      names: r.names ?? (r.name ? [r.name] : []),
      action: r.action,
      ...(r.args?.length ? { args: r.args } : {}),
      ...(r.errnoRet !== undefined ? { errnoRet: r.errnoRet } : {}),
    });
  }
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    architectures,
    syscalls,
  };
}
