/** The read-only verbs: ps, ls, config, logs, top, port, version. */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { COMPOSE_VERSION, LABEL, projectContainers, serviceContainer, streamLogs, type ProjectContainer } from '../../../compose';
import { checkArgs, intArg, newCommand } from '../../command-kit';
import type { CliContext } from '../../context';
import { ExitStatus } from '../../errors';
import { containerContext } from '../../formatters/container-context';
import { tabwrite } from '../../formatters/tabwriter';
import { formatTop } from '../container/top';
import { portLines } from '../container/port';
import { project, runtime, withInterrupt } from './project-context';

const table = (rows: string[][]) => tabwrite(rows.map((r) => r.join('\t')).join('\n'), { minWidth: 10, padding: 3 }).split('\n').map((l) => l.trimEnd()).join('\n') + '\n';

function psRows(cs: ProjectContainer[]): string[][] {
  return [['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], ...cs.map((c) => {
    const v = containerContext(c.summary, { trunc: true });
    const f = (k: string) => String(typeof v[k] === 'function' ? (v[k] as () => unknown)() : v[k]);
    return [c.name, c.summary.Image, f('Command'), c.service, f('RunningFor'), f('Status'), f('Ports')];
  })];
}

export function psCommand(ctx: CliContext): Command {
  const cmd = newCommand('ps', '[OPTIONS] [SERVICE...]', 'List containers')
    .option('-a, --all', 'Show all stopped containers (including those created by the run command)')
    .option('-q, --quiet', 'Only display IDs')
    .option('--services', 'Display services')
    .option('--format <string>', 'Format the output. Values: [table | json]', 'table')
    .argument('[services...]');
  return cmd.action(async (services: string[], f: { all?: boolean; quiet?: boolean; services?: boolean; format: string }) => {
    const p = project(ctx, cmd);
    const cs = (await projectContainers(ctx.client, p.name, { services, all: !!f.all })).filter((c) => f.all || !c.oneoff);
    if (f.quiet) return ctx.out(cs.map((c) => `${c.id}\n`).join(''));
    if (f.services) return ctx.out([...new Set(cs.map((c) => c.service))].map((s) => `${s}\n`).join(''));
    if (f.format === 'json') {
      return ctx.out(`${JSON.stringify(cs.map((c) => ({ ID: c.id, Name: c.name, Service: c.service, State: c.summary.State, Status: c.summary.Status, Image: c.summary.Image, Project: p.name, Labels: c.summary.Labels, Publishers: c.summary.Ports })))}\n`);
    }
    ctx.out(table(psRows(cs)));
  });
}

export function lsCommand(ctx: CliContext): Command {
  const cmd = newCommand('ls', '[OPTIONS]', 'List running compose projects')
    .option('-a, --all', 'Show all stopped Compose projects')
    .option('-q, --quiet', 'Only display project names')
    .option('--format <string>', 'Format the output. Values: [table | json]', 'table');
  return cmd.action(async (f: { all?: boolean; quiet?: boolean; format: string }) => {
    const list = await ctx.client.containers.list({ all: true, filters: { label: [LABEL.project] } });
    const projects = new Map<string, { states: Map<string, number>; files: string }>();
    for (const c of list) {
      const name = c.Labels?.[LABEL.project] ?? '';
      const p = projects.get(name) ?? { states: new Map(), files: c.Labels?.[LABEL.configFiles] ?? '' };
      p.states.set(c.State, (p.states.get(c.State) ?? 0) + 1);
      projects.set(name, p);
    }
    const rows = [...projects].filter(([, p]) => f.all || p.states.has('running')).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, p]) => ({ Name: name, Status: [...p.states].map(([s, n]) => `${s}(${n})`).join(', '), ConfigFiles: p.files }));
    if (f.quiet) return ctx.out(rows.map((r) => `${r.Name}\n`).join(''));
    if (f.format === 'json') return ctx.out(`${JSON.stringify(rows)}\n`);
    ctx.out(table([['NAME', 'STATUS', 'CONFIG FILES'], ...rows.map((r) => [r.Name, r.Status, r.ConfigFiles])]));
  });
}

export function configCommand(ctx: CliContext): Command {
  const cmd = newCommand('config', '[OPTIONS] [SERVICE...]', 'Parse, resolve and render compose file in canonical format')
    .option('--services', 'Print the service names, one per line.')
    .option('--volumes', 'Print the volume names, one per line.')
    .option('--profiles', 'Print the profile names, one per line.')
    .option('-q, --quiet', 'Only validate the configuration, don\'t print anything.')
    .option('--format <string>', 'Format the output. Values: [yaml | json]', 'yaml');
  return cmd.action(async (f: { services?: boolean; volumes?: boolean; profiles?: boolean; quiet?: boolean; format: string }) => {
    const p = project(ctx, cmd);
    if (f.quiet) return;
    if (f.services) return ctx.out(p.enabled.map((s) => `${s}\n`).join(''));
    if (f.volumes) return ctx.out(Object.keys(p.volumes).map((s) => `${s}\n`).join(''));
    if (f.profiles) return ctx.out([...new Set(Object.values(p.services).flatMap((s) => s.profiles))].sort().map((s) => `${s}\n`).join(''));
    const doc = { ...p.document, services: Object.fromEntries(Object.entries((p.document.services ?? {}) as Record<string, unknown>).filter(([k]) => p.enabled.includes(k))) };
    ctx.out(f.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc));
  });
}

export function logsCommand(ctx: CliContext): Command {
  const cmd = newCommand('logs', '[OPTIONS] [SERVICE...]', 'View output from containers')
    .option('-f, --follow', 'Follow log output')
    .option('-t, --timestamps', 'Show timestamps')
    .option('-n, --tail <string>', 'Number of lines to show from the end of the logs for each container', 'all')
    .option('--no-color', 'Produce monochrome output')
    .argument('[services...]');
  return cmd.action(async (services: string[], f: { follow?: boolean; timestamps?: boolean; tail: string; color?: boolean }) => {
    const p = project(ctx, cmd);
    const cs = await projectContainers(ctx.client, p.name, { services, oneoff: false });
    await withInterrupt((signal) => streamLogs(runtime(ctx, signal), cs, { follow: f.follow, timestamps: f.timestamps, tail: f.tail, color: f.color !== false && !!ctx.io.stdout.isTTY }));
  });
}

export function topCommand(ctx: CliContext): Command {
  const cmd = newCommand('top', '[SERVICES...]', 'Display the running processes').argument('[services...]');
  return cmd.action(async (services: string[]) => {
    const p = project(ctx, cmd);
    for (const c of (await projectContainers(ctx.client, p.name, { services, all: false })).filter((x) => !x.oneoff)) {
      ctx.out(`${c.name}\n${formatTop(await ctx.client.containers.top(c.id))}\n`);
    }
  });
}

export function portCommand(ctx: CliContext): Command {
  const cmd = newCommand('port', '[OPTIONS] SERVICE PRIVATE_PORT', 'Print the public port for a port binding')
    .option('--index <int>', 'Index of the container if service has multiple replicas', intArg('--index'), 1)
    .option('--protocol <string>', 'tcp or udp', 'tcp')
    .argument('[args...]');
  return cmd.action(async (args: string[], f: { index: number; protocol: string }) => {
    checkArgs(cmd, args, 2, 2);
    const p = project(ctx, cmd);
    const c = await serviceContainer(runtime(ctx), p, args[0], f.index);
    const inspect = await ctx.client.containers.inspect(c.id);
    const ports = ((inspect.NetworkSettings as { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> })?.Ports) ?? {};
    const lines = portLines(ports, `${args[1]}/${f.protocol}`);
    if (!lines) throw new ExitStatus(1, `no port ${args[1]}/${f.protocol} for container ${c.name}`);
    ctx.out(`${lines[0]}\n`);
  });
}

export function versionCommand(ctx: CliContext): Command {
  const cmd = newCommand('version', '[OPTIONS]', 'Show the Docker Compose version information')
    .option('--short', "Shows only Compose's version number");
  return cmd.action(async (f: { short?: boolean }) => {
    ctx.out(f.short ? `${COMPOSE_VERSION}\n` : `berth compose version v${COMPOSE_VERSION}\n`);
  });
}
