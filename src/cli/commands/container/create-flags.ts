/** The flags `run` and `create` share, and their mapping to the create body (docker's opts.go). */
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import type { ContainerCreateBody } from '../../../client';
import { parsePorts } from './publish-flags';
import { UsageError, collect, intArg } from '../../command-kit';
import { addHealthFlags, buildHealthcheck, type HealthFlags } from './health-flags';
import { addEtcFlags, buildEtcSettings, type EtcFlags } from './etc-flags';
import { addNetworkFlags, endpointsConfig, type NetworkFlags } from './network-flags';
import { addMountFlags, buildMountSettings, type MountFlags } from './mount-flags';
import { addResourceFlags, resourceHostConfig, type ResourceFlags } from './resource-flags';
import { addSecurityFlags, buildSecuritySettings, type SecurityFlags } from './security-flags';

export interface CreateFlags extends NetworkFlags, HealthFlags, EtcFlags, MountFlags, SecurityFlags, ResourceFlags {
  interactive?: boolean; tty?: boolean; rm?: boolean; name?: string;
  env?: string[]; envFile?: string[]; workdir?: string; user?: string; entrypoint?: string;
  hostname?: string; network?: string; net?: string; label?: string[]; restart?: string;
  stopSignal?: string; stopTimeout?: number; attach?: string[]; publish?: string[]; publishAll?: boolean; volume?: string[]; tmpfs?: string[];
  privileged?: boolean; capAdd?: string[]; capDrop?: string[]; init?: boolean; readOnly?: boolean;
  runtime?: string; platform?: string; expose?: string[];
  logDriver?: string; logOpt?: string[];
}

export function addCreateFlags(cmd: Command): Command {
  return addResourceFlags(addSecurityFlags(addNetworkFlags(addMountFlags(addEtcFlags(addHealthFlags(cmd
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('--rm', 'Automatically remove the container and its associated anonymous volumes when it exits')
    .option('--name <string>', 'Assign a name to the container')
    .option('-e, --env <list>', 'Set environment variables', collect)
    .option('--env-file <list>', 'Read in a file of environment variables', collect)
    .option('-w, --workdir <string>', 'Working directory inside the container')
    .option('-u, --user <string>', 'Username or UID (format: <name|uid>[:<group|gid>])')
    .option('--entrypoint <string>', 'Overwrite the default ENTRYPOINT of the image')
    .option('-h, --hostname <string>', 'Container host name')
    .option('--network <network>', 'Connect a container to a network')
    .addOption(new Option('--net <network>').hideHelp())
    .option('-l, --label <list>', 'Set meta data on a container', collect)
    .option('--restart <string>', 'Restart policy to apply when a container exits', 'no')
    .option('--stop-signal <string>', 'Signal to stop the container')
    .option('--stop-timeout <int>', 'Timeout (in seconds) to stop a container', intArg('--stop-timeout'))
    .option('-a, --attach <list>', 'Attach to STDIN, STDOUT or STDERR', collect)
    .option('-p, --publish <list>', "Publish a container's port(s) to the host", collect)
    .option('-P, --publish-all', 'Publish all exposed ports to random ports')
    .option('--expose <list>', 'Expose a port or a range of ports', collect)
    .option('-v, --volume <list>', 'Bind mount a volume', collect)
    .option('--tmpfs <list>', 'Mount a tmpfs directory', collect)
    .option('--privileged', 'Give extended privileges to this container')
    .option('--cap-add <list>', 'Add Linux capabilities', collect)
    .option('--cap-drop <list>', 'Drop Linux capabilities', collect)
    .option('--init', 'Run an init inside the container that forwards signals and reaps processes')
    .option('--read-only', "Mount the container's root filesystem as read only")
    .option('--runtime <string>', 'Runtime to use for this container')
    .option('--log-driver <string>', 'Logging driver for the container')
    .option('--log-opt <list>', 'Log driver options', collect)
    .option('--platform <string>', 'Set platform if server is multi-platform capable')))))));
}

/** `-e K` takes K's value from the CLI's environment; without one it is sent bare, as docker does. */
function envEntry(e: string, env: NodeJS.ProcessEnv): string {
  if (e.includes('=')) return e;
  const v = env[e];
  return v === undefined ? e : `${e}=${v}`;
}

/** An --env-file: `K=V` lines, `#` comments; a bare K is taken from the environment or dropped. */
export function readEnvFile(file: string, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`open ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`); }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq === 0) throw new UsageError(`invalid environment variable: ${line}`);
    if (eq > 0) out.push(line);
    else if (env[line.trimEnd()] !== undefined) out.push(`${line.trimEnd()}=${env[line.trimEnd()]}`);
  }
  return out;
}

/** `no`, `always`, `unless-stopped`, `on-failure[:N]`. */
export function parseRestart(policy: string): { Name: string; MaximumRetryCount: number } {
  const [name, count] = policy.split(':');
  if (!['no', 'always', 'unless-stopped', 'on-failure', ''].includes(name)) throw new UsageError(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  if (count !== undefined && name !== 'on-failure') throw new UsageError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  return { Name: name || 'no', MaximumRetryCount: count === undefined ? 0 : Number(count) };
}

export interface CreateRequest { body: ContainerCreateBody; name?: string; platform?: string }

/** Builds the create body exactly as the docker CLI would for these flags. */
export function buildCreateRequest(f: CreateFlags, image: string, args: string[], opts: { env: NodeJS.ProcessEnv; entrypointGiven: boolean; detach?: boolean }): CreateRequest {
  const attach = new Set((f.attach ?? []).map((s) => s.toLowerCase()));
  for (const a of attach) if (!['stdin', 'stdout', 'stderr'].includes(a)) throw new UsageError(`invalid argument "${a}" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`);
  let attachStdin = attach.has('stdin') || !!f.interactive;
  let attachStdout = attach.size === 0 || attach.has('stdout');
  let attachStderr = attach.size === 0 || attach.has('stderr');
  if (opts.detach) {
    if (attach.size) throw new UsageError('Conflicting options: -a and -d');
    attachStdin = attachStdout = attachStderr = false;
  }
  const restart = parseRestart(f.restart ?? 'no');
  const healthcheck = buildHealthcheck(f);
  if (f.rm && restart.Name !== 'no') throw new UsageError('Conflicting options: --restart and --rm');

  const env = [
    ...(f.envFile ?? []).flatMap((file) => readEnvFile(file, opts.env)),
    ...(f.env ?? []).map((e) => envEntry(e, opts.env)),
  ];
  const labels: Record<string, string> = {};
  for (const l of f.label ?? []) { const i = l.indexOf('='); if (i < 0) labels[l] = ''; else labels[l.slice(0, i)] = l.slice(i + 1); }
  const { exposed, bindings } = parsePorts(f.publish ?? [], f.expose ?? []);
  const { binds, volumes, hostConfig: mountHostConfig } = buildMountSettings(f);
  const network = f.network ?? f.net ?? 'default';
  const logConfig = parseLogOpts(f.logDriver ?? '', f.logOpt ?? []);
  const etc = buildEtcSettings(f, isUserNetwork(network));

  const body: ContainerCreateBody = {
    Hostname: f.hostname ?? '', Domainname: etc.domainname, User: f.user ?? '',
    AttachStdin: attachStdin, AttachStdout: attachStdout, AttachStderr: attachStderr,
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    Tty: !!f.tty, OpenStdin: !!f.interactive, StdinOnce: !!f.interactive && attachStdin,
    Env: env,
    ...(args.length ? { Cmd: args } : {}),
    Image: image,
    Volumes: Object.keys(volumes).length ? volumes : undefined,
    WorkingDir: f.workdir ?? '',
    ...(opts.entrypointGiven ? { Entrypoint: [f.entrypoint ?? ''] } : {}),
    Labels: labels,
    ...(f.stopSignal ? { StopSignal: f.stopSignal } : {}),
    ...(f.stopTimeout !== undefined ? { StopTimeout: f.stopTimeout } : {}),
    ...(healthcheck ? { Healthcheck: healthcheck } : {}),
    HostConfig: {
      Binds: binds.length ? binds : null,
      NetworkMode: network,
      PortBindings: bindings,
      PublishAllPorts: !!f.publishAll,
      RestartPolicy: restart,
      AutoRemove: !!f.rm,
      CapAdd: f.capAdd ?? null,
      CapDrop: f.capDrop ?? null,
      Privileged: !!f.privileged,
      ReadonlyRootfs: !!f.readOnly,
      ...(f.init ? { Init: true } : {}),
      ...(f.tmpfs?.length ? { Tmpfs: Object.fromEntries(f.tmpfs.map((t) => { const i = t.indexOf(':'); return i < 0 ? [t, ''] : [t.slice(0, i), t.slice(i + 1)]; })) } : {}),
      ...(f.runtime ? { Runtime: f.runtime } : {}),
      ...resourceHostConfig(f),
      LogConfig: logConfig,
      ...etc.hostConfig,
      ...mountHostConfig,
      ...buildSecuritySettings(f),
    },
    NetworkingConfig: { EndpointsConfig: endpointsConfig(f, network, isUserNetwork(network)) },
  };
  if (body.Volumes === undefined) delete body.Volumes;
  if (etc.endpointLinks) Object.assign((body.NetworkingConfig!.EndpointsConfig as Record<string, object>)[network], { Links: etc.endpointLinks });
  return { body, name: f.name, platform: f.platform };
}

/** `--log-opt k=v` as LogConfig.Config; the none driver takes no options (docker's CLI check). */
export function parseLogOpts(driver: string, opts: string[]): { Type: string; Config: Record<string, string> } {
  const config: Record<string, string> = {};
  for (const o of opts) {
    const i = o.indexOf('=');
    if (i <= 0) throw new UsageError(`invalid argument "${o}" for "--log-opt" flag: invalid key value pair format`);
    config[o.slice(0, i)] = o.slice(i + 1);
  }
  if (driver === 'none' && opts.length) throw new UsageError('invalid logging opts for driver none');
  return { Type: driver, Config: config };
}

function isUserNetwork(mode: string): boolean {
  return !['default', 'bridge', 'host', 'none'].includes(mode) && !mode.startsWith('container:');
}
