/**
 * Builds the OCI runtime spec (config.json) for a container: pure, no I/O. The defaults follow
 * Docker's (moby's oci/defaults.go): capability set, masked and read-only /proc and /sys paths,
 * /dev, /dev/pts, /dev/shm, /dev/mqueue. Namespaces, seccomp and devices: oci-security.ts.
 */
import { effectiveCapabilities } from './capabilities';
import { namespacesFor, type NamespaceModes, type OciDeviceRule } from './oci-security';

export * from './capabilities';

/** A device node made in the container's /dev (`--device`, or every host device with --privileged). */
export interface OciDevice { path: string; type: string; major: number; minor: number; fileMode: number; uid: number; gid: number }

export const MASKED_PATHS = [
  '/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface OciMount { destination: string; type: string; source: string; options: string[] }

export interface OciRlimit { type: string; hard: number; soft: number }

/** What the builder needs to know about one container. */
export interface ContainerSpecInput {
  args: string[];
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  additionalGids: number[];
  hostname: string;
  tty: boolean;
  /** Absolute path of the mounted rootfs. */
  rootfs: string;
  readonlyRootfs: boolean;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  /** Network namespace: a path to join, 'host' to share the host's, or 'new' for a fresh one. */
  netns: string | 'host' | 'new';
  /** pid, ipc, uts and cgroup namespaces (the network one comes from `netns`). */
  namespaces: Omit<NamespaceModes, 'net'>;
  /** /dev/shm: a private tmpfs, none (--ipc none), or a bind of a shared one (shareable, host, container:). */
  shm: 'tmpfs' | 'none' | { bind: string };
  /** The OCI `linux.seccomp` object, or undefined for none (unconfined, --privileged). */
  seccomp?: Record<string, unknown>;
  sysctls: Record<string, string>;
  /** Device nodes to create, and the cgroup rules allowing them (with --device-cgroup-rule). */
  devices: OciDevice[];
  deviceRules: OciDeviceRule[];
  /** Files bind-mounted over /etc/hosts, /etc/hostname, /etc/resolv.conf (absent ones skipped). */
  etcFiles: { hosts?: string; hostname?: string; resolvConf?: string };
  /** Extra mounts in order (volumes, binds, tmpfs); added after the defaults. */
  mounts: OciMount[];
  rlimits: OciRlimit[];
  cgroupsPath: string;
  shmSize: number;
  noNewPrivileges: boolean;
  /** The capabilities the daemon holds: what --privileged and --cap-add ALL grant. */
  hostCapabilities: string[];
}

function defaultMounts(shmSize: number, shm: ContainerSpecInput['shm'], privileged: boolean): OciMount[] {
  const shmMount: OciMount[] = shm === 'none' ? []
    : shm === 'tmpfs' ? [{ destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`] }]
      : [{ destination: '/dev/shm', type: 'bind', source: shm.bind, options: ['rbind', 'rprivate'] }];
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: [privileged ? 'rw' : 'ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    ...shmMount,
  ];
}

export function buildOciSpec(input: ContainerSpecInput): Record<string, unknown> {
  const caps = effectiveCapabilities(input, input.hostCapabilities);
  const mounts = defaultMounts(input.shmSize, input.shm, input.privileged);
  const etc: [string, string | undefined][] = [
    ['/etc/resolv.conf', input.etcFiles.resolvConf], ['/etc/hostname', input.etcFiles.hostname], ['/etc/hosts', input.etcFiles.hosts],
  ];
  const etcMounts: OciMount[] = [];
  for (const [dest, src] of etc) {
    if (src) etcMounts.push({ destination: dest, type: 'bind', source: src, options: ['rbind', 'rprivate'] });
  }
  const userDests = new Set(input.mounts.map((m) => m.destination));
  const kept = (list: OciMount[]) => list.filter((m) => !userDests.has(m.destination));
  // As Docker: the etc files sort with the container's mounts by depth, so a volume over /etc
  // comes first and /etc/hosts lands on it rather than under it.
  const depth = (m: OciMount) => m.destination.split('/').filter(Boolean).length;
  const all = [...kept(mounts), ...[...kept(etcMounts), ...input.mounts].sort((a, b) => depth(a) - depth(b))];

  const net = input.netns === 'new' || input.netns === 'host' ? input.netns : { path: input.netns };
  const namespaces = namespacesFor({ ...input.namespaces, net });
  const deviceRules = input.privileged ? [{ allow: true, access: 'rwm' }] : [{ allow: false, access: 'rwm' }, ...DEFAULT_DEVICE_RULES, ...input.deviceRules];

  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: input.tty,
      user: { uid: input.uid, gid: input.gid, ...(input.additionalGids.length ? { additionalGids: input.additionalGids } : {}) },
      args: input.args,
      env: input.env,
      cwd: input.cwd,
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      rlimits: input.rlimits,
      noNewPrivileges: input.noNewPrivileges,
    },
    root: { path: input.rootfs, readonly: input.readonlyRootfs },
    hostname: input.namespaces.uts === 'host' || input.netns === 'host' ? undefined : input.hostname,
    mounts: all,
    linux: {
      cgroupsPath: input.cgroupsPath,
      namespaces,
      ...(input.devices.length ? { devices: input.devices } : {}),
      ...(Object.keys(input.sysctls).length ? { sysctl: input.sysctls } : {}),
      ...(input.seccomp ? { seccomp: input.seccomp } : {}),
      ...(input.privileged ? {} : { maskedPaths: MASKED_PATHS, readonlyPaths: READONLY_PATHS }),
      resources: { devices: deviceRules },
    },
  };
}

/** Docker's default device cgroup allow-list (null, zero, full, random, urandom, tty, ptmx, pts...). */
const DEFAULT_DEVICE_RULES = [
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 7, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 2, access: 'rwm' },
  { allow: true, type: 'c', major: 136, access: 'rwm' },
  { allow: false, type: 'c', major: 10, minor: 200, access: 'rwm' },
];
