/**
 * Builds the OCI runtime spec (config.json) for a container: pure, no I/O. The defaults follow
 * Docker's (moby's oci/defaults.go): capability set, masked and read-only /proc and /sys paths,
 * /dev, /dev/pts, /dev/shm, /dev/mqueue.
 */

export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

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

/** Normalises a capability name as Docker accepts it: `net_admin` / `NET_ADMIN` -> `CAP_NET_ADMIN`. */
export function normalizeCap(c: string): string {
  const up = c.toUpperCase();
  return up === 'ALL' ? 'ALL' : up.startsWith('CAP_') ? up : `CAP_${up}`;
}

/** The effective capability set after --cap-add/--cap-drop, as Docker computes it. */
export function effectiveCapabilities(input: { privileged: boolean; capAdd: string[]; capDrop: string[] }, all: string[]): string[] {
  if (input.privileged) return all;
  const add = input.capAdd.map(normalizeCap);
  const drop = input.capDrop.map(normalizeCap);
  if (add.includes('ALL')) return all.filter((c) => !drop.includes(c));
  const base = drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  return [...base, ...add.filter((c) => !base.includes(c))];
}

function defaultMounts(shmSize: number): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`] },
  ];
}

/** Every capability by number (CAP_CHOWN is 0), as the kernel's bit masks count them. */
export const ALL_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN',
  'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/** The capability names set in a `CapBnd`-style hex mask from /proc/<pid>/status. */
export function capabilitiesInMask(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  return ALL_CAPABILITIES.filter((_c, bit) => (mask >> BigInt(bit)) & 1n);
}

export function buildOciSpec(input: ContainerSpecInput): Record<string, unknown> {
  const caps = effectiveCapabilities(input, input.hostCapabilities);
  const mounts = defaultMounts(input.shmSize);
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

  const namespaces: { type: string; path?: string }[] = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  if (input.netns === 'new') namespaces.push({ type: 'network' });
  else if (input.netns !== 'host') namespaces.push({ type: 'network', path: input.netns });

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
    hostname: input.netns === 'host' ? undefined : input.hostname,
    mounts: all,
    linux: {
      cgroupsPath: input.cgroupsPath,
      namespaces,
      ...(input.privileged ? {} : { maskedPaths: MASKED_PATHS, readonlyPaths: READONLY_PATHS }),
      resources: { devices: input.privileged ? [{ allow: true, access: 'rwm' }] : [{ allow: false, access: 'rwm' }, ...DEFAULT_DEVICE_RULES] },
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
