/**
 * The isolation and security flags of `run` and `create` (--pid, --ipc, --uts, --security-opt,
 * --device, --device-cgroup-rule, --group-add, --sysctl), checked and mapped to the create body
 * as the docker CLI does: a seccomp profile file is read here and sent as compacted JSON.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { UsageError, collect } from '../../command-kit';

export interface SecurityFlags {
  pid?: string; ipc?: string; uts?: string; userns?: string; cgroupns?: string; securityOpt?: string[]; device?: string[];
  deviceCgroupRule?: string[]; groupAdd?: string[]; sysctl?: string[];
}

export function addSecurityFlags(cmd: Command): Command {
  return cmd
    .option('--pid <string>', 'PID namespace to use')
    .option('--ipc <string>', 'IPC mode to use')
    .option('--uts <string>', 'UTS namespace to use')
    .option('--userns <string>', 'User namespace to use')
    .option('--cgroupns <string>', 'Cgroup namespace to use (host|private)')
    .option('--security-opt <list>', 'Security Options', collect)
    .option('--device <list>', 'Add a host device to the container', collect)
    .option('--device-cgroup-rule <list>', 'Add a rule to the cgroup allowed devices list', collect)
    .option('--group-add <list>', 'Add additional groups to join', collect)
    .option('--sysctl <map>', 'Sysctl options', collect);
}

const invalid = (value: string, flag: string, why: string) => new UsageError(`invalid argument "${value}" for "${flag}" flag: ${why}`);

/** Docker's CLI list of sysctls a container may set (the daemon checks again). */
const namespacedSysctl = (k: string) => ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'].includes(k)
  || k.startsWith('fs.mqueue.') || k.startsWith('net.');

/** `seccomp=<file>` becomes `seccomp=<compacted JSON>`, as the docker CLI sends it. */
function securityOpt(opt: string): string {
  const i = opt.search(/[=:]/);
  if (i < 0 && opt !== 'no-new-privileges') throw new Error(`Invalid --security-opt: "${opt}"`);
  if (i < 0 || opt.slice(0, i) !== 'seccomp' || opt.slice(i + 1) === 'unconfined') return opt;
  const file = opt.slice(i + 1);
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`opening seccomp profile (${file}) failed: open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  try { return `seccomp=${JSON.stringify(JSON.parse(text))}`; } catch (e) {
    throw new Error(`compacting json for seccomp profile (${file}) failed: ${goJsonError(text, e as Error)}`);
  }
}

/** Go's encoding/json words for the common case (not JSON at all), else the parser's own. */
function goJsonError(text: string, e: Error): string {
  const c = text.trimStart()[0];
  if (c === undefined) return 'unexpected end of JSON input';
  if (!/[{["\-0-9tfn]/.test(c)) return `invalid character '${c}' looking for beginning of value`;
  return e.message;
}

export function buildSecuritySettings(f: SecurityFlags): Record<string, unknown> {
  const sysctls: Record<string, string> = {};
  for (const s of f.sysctl ?? []) {
    const i = s.indexOf('=');
    if (i <= 0) throw invalid(s, '--sysctl', `sysctl '${s}' is not whitelisted`);
    if (!namespacedSysctl(s.slice(0, i))) throw invalid(s, '--sysctl', `sysctl '${s}' is not allowed`);
    sysctls[s.slice(0, i)] = s.slice(i + 1);
  }
  for (const r of f.deviceCgroupRule ?? []) {
    if (!/^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/.test(r)) throw invalid(r, '--device-cgroup-rule', `invalid device cgroup format '${r}'`);
  }
  const devices = (f.device ?? []).map((d) => {
    const parts = d.split(':');
    const perms = parts.length > 1 && /^[rwm]{1,3}$/.test(parts[parts.length - 1]) ? parts.pop()! : 'rwm';
    if (parts.length > 2 || !parts[0]) throw invalid(d, '--device', `bad format for path: ${d}`);
    if (parts[1] !== undefined && !parts[1].startsWith('/')) throw new Error(`${parts[1]} is not an absolute path`);
    return { PathOnHost: parts[0], PathInContainer: parts[1] ?? parts[0], CgroupPermissions: perms };
  });
  if (f.pid !== undefined && !(f.pid === '' || f.pid === 'host' || /^container:.+/.test(f.pid))) throw new Error('--pid: invalid PID mode');
  if (f.cgroupns !== undefined && !['', 'host', 'private'].includes(f.cgroupns)) throw new Error('--cgroupns: invalid CGROUP mode');
  if (f.uts !== undefined && !(f.uts === '' || f.uts === 'host')) throw new Error('--uts: invalid UTS mode');
  if (f.userns !== undefined && !(f.userns === '' || f.userns === 'host')) throw new Error('--userns: invalid USER mode');
  return {
    ...(f.pid ? { PidMode: f.pid } : {}),
    ...(f.ipc ? { IpcMode: f.ipc } : {}),
    ...(f.uts ? { UTSMode: f.uts } : {}),
    ...(f.userns ? { UsernsMode: f.userns } : {}),
    ...(f.cgroupns ? { CgroupnsMode: f.cgroupns } : {}),
    ...(f.securityOpt?.length ? { SecurityOpt: f.securityOpt.map(securityOpt) } : {}),
    ...(devices.length ? { Devices: devices } : {}),
    ...(f.deviceCgroupRule?.length ? { DeviceCgroupRules: f.deviceCgroupRule } : {}),
    ...(f.groupAdd?.length ? { GroupAdd: f.groupAdd } : {}),
    ...(Object.keys(sysctls).length ? { Sysctls: sysctls } : {}),
  };
}
