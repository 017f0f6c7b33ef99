import { InvalidArgument } from '../../errdefs';
import type { ContainerConfig } from '../../core/images';

/** The empty container config Docker's import starts from (Go zero values, field order kept). */
export function emptyContainerConfig(): ContainerConfig {
  return {
    Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
    Tty: false, OpenStdin: false, StdinOnce: false, Env: null, Cmd: null, Image: '', Volumes: null,
    WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null,
  };
}

function jsonOrShell(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const v = JSON.parse(rest) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch { /* shell form */ }
  }
  return ['/bin/sh', '-c', rest];
}

function keyValues(rest: string, instr: string): Array<[string, string]> {
  if (!rest.includes('=')) {
    const i = rest.search(/\s/);
    if (i === -1) throw new InvalidArgument(`${instr} requires at least one argument`);
    return [[rest.slice(0, i), rest.slice(i).trim()]];
  }
  const out: Array<[string, string]> = [];
  for (const m of rest.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    out.push([m[1], m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2]]);
  }
  return out;
}

/** Applies `docker import --change` Dockerfile instructions to cfg. */
export function applyChanges(cfg: ContainerConfig, changes: string[]): ContainerConfig {
  for (const change of changes) {
    const m = /^\s*(\w+)\s*(.*)$/s.exec(change);
    if (!m) continue;
    const instr = m[1].toUpperCase();
    const rest = m[2].trim();
    switch (instr) {
      case 'CMD': cfg.Cmd = jsonOrShell(rest); break;
      case 'ENTRYPOINT': cfg.Entrypoint = jsonOrShell(rest); break;
      case 'ENV':
        for (const [k, v] of keyValues(rest, instr)) {
          cfg.Env = [...(cfg.Env ?? []).filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
        }
        break;
      case 'LABEL':
        for (const [k, v] of keyValues(rest, instr)) cfg.Labels = { ...(cfg.Labels ?? {}), [k]: v };
        break;
      case 'EXPOSE':
        for (const p of rest.split(/\s+/).filter(Boolean)) cfg.ExposedPorts = { ...(cfg.ExposedPorts ?? {}), [p.includes('/') ? p : `${p}/tcp`]: {} };
        break;
      case 'VOLUME': {
        const vols = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/).filter(Boolean);
        for (const v of vols) cfg.Volumes = { ...(cfg.Volumes ?? {}), [v]: {} };
        break;
      }
      case 'WORKDIR': cfg.WorkingDir = rest; break;
      case 'USER': cfg.User = rest; break;
      case 'STOPSIGNAL': cfg.StopSignal = rest; break;
      case 'ONBUILD': cfg.OnBuild = [...(cfg.OnBuild ?? []), rest]; break;
      default: throw new InvalidArgument(`${m[1].toLowerCase()} is not a valid change command`);
    }
  }
  return cfg;
}
