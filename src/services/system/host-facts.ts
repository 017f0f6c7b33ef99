import os from 'node:os';
import { readFile } from 'node:fs/promises';

/** Facts about the host that `info` and `version` report. */
export interface HostFacts {
  hostname: string;
  kernelVersion: string;
  operatingSystem: string;
  osVersion: string;
  architecture: string;
  ncpu: number;
  memTotal: number;
  cgroupVersion: '1' | '2';
}

export async function readHostFacts(): Promise<HostFacts> {
  let osRelease = '';
  try { osRelease = await readFile('/etc/os-release', 'utf8'); } catch { /* none */ }
  const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?`, 'm').exec(osRelease)?.[1] ?? '';
  let cgroupVersion: '1' | '2' = '1';
  try { await readFile('/sys/fs/cgroup/cgroup.controllers'); cgroupVersion = '2'; } catch { /* v1 or hybrid */ }
  return {
    hostname: os.hostname(),
    kernelVersion: os.release(),
    operatingSystem: field('PRETTY_NAME') || 'Linux',
    osVersion: field('VERSION_ID'),
    architecture: os.arch() === 'x64' ? 'x86_64' : os.arch() === 'arm64' ? 'aarch64' : os.arch(),
    ncpu: os.cpus().length,
    memTotal: os.totalmem(),
    cgroupVersion,
  };
}
