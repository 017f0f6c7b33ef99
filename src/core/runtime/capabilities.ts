/** Linux capabilities by Docker's rules: the default set, names, --cap-add/--cap-drop, kernel masks. */

export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

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

