/** `berth info`: system-wide information, in docker's layout. */
import type { Command } from 'commander';
import type { SystemInfo } from '../../../client';
import { checkArgs, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { berthVersion } from '../../build-info';
import { renderTemplate } from '../../formatters/go-template';
import { unescapeFormat } from '../../formatters/format';
import { formatG } from '../../../lib/go-units';

export function infoCommand(ctx: CliContext): Command {
  const cmd = newCommand('info', '[OPTIONS]', 'Display system-wide information')
    .option('-f, --format <string>', 'Format output using a custom template');
  return cmd.action(async (f: { format?: string }) => {
    checkArgs(cmd, cmd.args, 0, 0);
    const info = await ctx.client.system.info();
    if (f.format) {
      ctx.out(`${renderTemplate(unescapeFormat(f.format), f.format.includes('.Client') || f.format.includes('.ServerErrors') ? { ...info, Client: { Version: berthVersion(), Context: 'default', Debug: false } } : info)}\n`);
      return;
    }
    ctx.out(`Client:\n Version:    ${berthVersion()}\n Context:    default\n Debug Mode: false\n\nServer:\n`);
    ctx.out(prettyServerInfo(info));
  });
}

/** go-units BytesSize: binary units, "23.54GiB". */
export function bytesSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${formatG(Number(n.toFixed(2)), 4)}${units[i]}`;
}

/** The lines docker prints under `Server:`, for the fields the daemon sent. */
export function prettyServerInfo(i: SystemInfo): string {
  const lines: string[] = [];
  const s = (k: string) => (i[k] === undefined || i[k] === null ? undefined : String(i[k]));
  const add = (label: string, key: string) => { const v = s(key); if (v !== undefined) lines.push(` ${label}: ${v}`); };
  add('Containers', 'Containers');
  lines.push(`  Running: ${s('ContainersRunning') ?? 0}`, `  Paused: ${s('ContainersPaused') ?? 0}`, `  Stopped: ${s('ContainersStopped') ?? 0}`);
  add('Images', 'Images');
  add('Server Version', 'ServerVersion');
  add('Storage Driver', 'Driver');
  for (const [k, v] of (i.DriverStatus as [string, string][] | null) ?? []) lines.push(`  ${k}: ${v}`);
  add('Logging Driver', 'LoggingDriver');
  add('Cgroup Driver', 'CgroupDriver');
  add('Cgroup Version', 'CgroupVersion');
  const plugins = i.Plugins as Record<string, string[] | null> | undefined;
  if (plugins) {
    lines.push(' Plugins:');
    for (const [k, label] of [['Volume', 'Volume'], ['Network', 'Network'], ['Authorization', 'Authorization'], ['Log', 'Log']]) {
      if (plugins[k]?.length) lines.push(`  ${label}: ${plugins[k]!.join(' ')}`);
    }
  }
  const swarm = (i.Swarm as { LocalNodeState?: string } | undefined)?.LocalNodeState;
  if (swarm !== undefined) lines.push(` Swarm: ${swarm || 'inactive'}`);
  const runtimes = i.Runtimes as Record<string, unknown> | undefined;
  if (runtimes) lines.push(` Runtimes: ${Object.keys(runtimes).sort().join(' ')}`);
  add('Default Runtime', 'DefaultRuntime');
  add('Init Binary', 'InitBinary');
  const commit = (key: string) => (i[key] as { ID?: string } | undefined)?.ID;
  if (i.ContainerdCommit) lines.push(` containerd version: ${commit('ContainerdCommit') ?? ''}`);
  if (i.RuncCommit) lines.push(` runc version: ${commit('RuncCommit') ?? ''}`);
  if (i.InitCommit) lines.push(` init version: ${commit('InitCommit') ?? ''}`);
  const secopts = i.SecurityOptions as string[] | undefined;
  if (secopts?.length) {
    lines.push(' Security Options:');
    for (const o of secopts) {
      const kv = Object.fromEntries(o.split(',').map((p) => p.split('=') as [string, string]));
      lines.push(`  ${kv.name ?? o}`);
      for (const [k, v] of Object.entries(kv)) if (k !== 'name') lines.push(`   ${k[0].toUpperCase()}${k.slice(1)}: ${v}`);
    }
  }
  add('Kernel Version', 'KernelVersion');
  add('Operating System', 'OperatingSystem');
  add('OSType', 'OSType');
  add('Architecture', 'Architecture');
  add('CPUs', 'NCPU');
  if (typeof i.MemTotal === 'number') lines.push(` Total Memory: ${bytesSize(i.MemTotal)}`);
  add('Name', 'Name');
  add('ID', 'ID');
  add('Docker Root Dir', 'DockerRootDir');
  lines.push(` Debug Mode: ${s('Debug') ?? 'false'}`);
  add('Experimental', 'ExperimentalBuild');
  const reg = i.RegistryConfig as { InsecureRegistryCIDRs?: string[]; IndexConfigs?: Record<string, { Secure?: boolean }>; Mirrors?: string[] } | undefined;
  if (reg) {
    const insecure = [...Object.entries(reg.IndexConfigs ?? {}).filter(([, c]) => c.Secure === false).map(([k]) => k), ...(reg.InsecureRegistryCIDRs ?? [])];
    if (insecure.length) lines.push(' Insecure Registries:', ...insecure.map((r) => `  ${r}`));
    if (reg.Mirrors?.length) lines.push(' Registry Mirrors:', ...reg.Mirrors.map((m) => `  ${m}`));
  }
  add('Live Restore Enabled', 'LiveRestoreEnabled');
  const warnings = (i.Warnings as string[] | null) ?? [];
  return lines.join('\n') + '\n\n' + warnings.map((w) => `${w}\n`).join('');
}
