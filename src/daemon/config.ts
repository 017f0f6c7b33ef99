import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { InvalidArgument, hasErrno } from '../errdefs';
import { isLogLevel, type LogLevel } from '../lib/logger';
import { DEFAULT_POOLS, parseCidr, type PoolSpec } from '../core/network';
import { addTlsFlags, tlsSettings } from './tls-config';
import type { TlsSettings } from './listeners';

/** berthd's settings: flags over daemon.json over defaults. */
export interface DaemonConfig {
  hosts: string[];
  /** How tcp:// hosts are served: TLS with client verification, or plain on loopback. */
  tls: TlsSettings;
  dataRoot: string;
  execRoot: string;
  configFile: string;
  logLevel: LogLevel;
  defaultRuntime: string;
  bip?: string;
  bridge: string;
  liveRestore: boolean;
  /** Where automatic network subnets come from (daemon.json `default-address-pools`). */
  defaultAddressPools: PoolSpec[];
  /** False: berth leaves net.ipv4.ip_forward alone. */
  ipForward: boolean;
  /** False: berth adds no nftables rules at all. */
  iptables: boolean;
  /** False: containers on the default bridge reach each other only through links. */
  icc: boolean;
  /** What `host-gateway` in --add-host stands for (default: the default bridge's gateway). */
  hostGatewayIp?: string;
  /** daemon.json `registry-mirrors`: tried before Docker Hub for docker.io images. */
  registryMirrors: string[];
  /** daemon.json `insecure-registries`: CIDRs or host[:port], reached without TLS verification or over http. */
  insecureRegistries: string[];
  /** `--userns-remap` (daemon.json `userns-remap`): `default`, `user[:group]` or `uid[:gid]`; absent: containers share the host's user namespace. */
  usernsRemap?: string;
}

const DEFAULTS = {
  hosts: ['unix:///run/berth/berth.sock'],
  dataRoot: '/var/lib/berth',
  execRoot: '/run/berth',
  configFile: '/etc/berth/daemon.json',
  logLevel: 'info' as LogLevel,
  defaultRuntime: 'runc',
  bridge: 'berth0',
  liveRestore: true,
};

/** daemon.json keys berthd reads (Docker's names). */
interface DaemonJson {
  hosts?: string[]; 'data-root'?: string; 'exec-root'?: string; 'log-level'?: string;
  'default-runtime'?: string; bip?: string; 'live-restore'?: boolean; bridge?: string;
  'default-address-pools'?: PoolSpec[]; 'ip-forward'?: boolean; iptables?: boolean;
  icc?: boolean; 'host-gateway-ip'?: string; 'registry-mirrors'?: string[]; 'insecure-registries'?: string[];
  'userns-remap'?: string;
}

export async function loadConfig(argv: string[]): Promise<DaemonConfig> {
  const program = new Command('berthd')
    .description('A self-sufficient runtime for containers: the berth daemon, speaking the Docker Engine API')
    .option('-H, --host <socket>', 'Daemon socket(s) to connect to (unix:///path, tcp://host:port)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--data-root <dir>', `Root directory of persistent berth state (default "${DEFAULTS.dataRoot}")`)
    .option('--exec-root <dir>', `Root directory for execution state files (default "${DEFAULTS.execRoot}")`)
    .option('--config-file <file>', `Daemon configuration file (default "${DEFAULTS.configFile}")`)
    .option('-l, --log-level <level>', 'Set the logging level ("debug"|"info"|"warn"|"error"|"fatal") (default "info")')
    .option('--default-runtime <name>', 'Default OCI runtime for containers (runc or crun) (default "runc")')
    .option('--bip <cidr>', 'Specify network bridge IP')
    .option('-b, --bridge <name>', 'Attach containers to a network bridge (default "berth0")')
    .option('--default-address-pool <pool>', 'Default address pools for node specific local networks (base=CIDR,size=N)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--ip-forward', 'Enable net.ipv4.ip_forward (default true)')
    .option('--no-ip-forward', 'Leave net.ipv4.ip_forward alone')
    .option('--iptables', 'Enable addition of nftables rules (default true)')
    .option('--no-iptables', 'Add no nftables rules')
    .option('--icc [bool]', 'Enable inter-container communication (default true)', (v: string) => v !== 'false')
    .option('--host-gateway-ip <ip>', 'IP address that the special \'host-gateway\' string in --add-host resolves to')
    .option('--registry-mirror <url>', 'Preferred registry mirror', (v: string, prev: string[] = []) => [...prev, v])
    .option('--insecure-registry <host>', 'Enable insecure registry communication', (v: string, prev: string[] = []) => [...prev, v])
    .option('--userns-remap <user/group>', 'User/Group setting for user namespaces ("default", user[:group] or uid[:gid])')
    .version('berthd version 0.1.0', '-v, --version')
    .helpOption('-h, --help', 'Print usage')
    .allowExcessArguments(false);
  addTlsFlags(program);
  program.parse(argv, { from: 'user' });
  const o = program.opts<{ host?: string[]; dataRoot?: string; execRoot?: string; configFile?: string; logLevel?: string; defaultRuntime?: string; bip?: string; bridge?: string; defaultAddressPool?: string[]; ipForward?: boolean; iptables?: boolean; icc?: boolean; hostGatewayIp?: string; registryMirror?: string[]; insecureRegistry?: string[]; usernsRemap?: string }>();
  const configFile = o.configFile ?? DEFAULTS.configFile;
  let file: DaemonJson = {};
  try {
    file = JSON.parse(await readFile(configFile, 'utf8')) as DaemonJson;
  } catch (e) {
    if (!hasErrno(e, 'ENOENT') || o.configFile) {
      throw new InvalidArgument(`unable to configure the berth daemon with file ${configFile}: ${(e as Error).message}`);
    }
  }
  const logLevel = o.logLevel ?? file['log-level'] ?? DEFAULTS.logLevel;
  if (!isLogLevel(logLevel)) throw new InvalidArgument(`Unable to parse logging level: ${logLevel}`);
  return {
    hosts: o.host ?? file.hosts ?? DEFAULTS.hosts,
    tls: tlsSettings(program.opts(), file as Record<string, unknown>),
    dataRoot: o.dataRoot ?? file['data-root'] ?? DEFAULTS.dataRoot,
    execRoot: o.execRoot ?? file['exec-root'] ?? DEFAULTS.execRoot,
    configFile,
    logLevel,
    defaultRuntime: o.defaultRuntime ?? file['default-runtime'] ?? DEFAULTS.defaultRuntime,
    bip: o.bip ?? file.bip,
    bridge: o.bridge ?? file.bridge ?? DEFAULTS.bridge,
    liveRestore: file['live-restore'] ?? DEFAULTS.liveRestore,
    defaultAddressPools: checkPools(o.defaultAddressPool?.map(parsePoolFlag) ?? file['default-address-pools'] ?? DEFAULT_POOLS),
    ipForward: o.ipForward ?? file['ip-forward'] ?? true,
    iptables: o.iptables ?? file.iptables ?? true,
    icc: o.icc ?? file.icc ?? true,
    hostGatewayIp: o.hostGatewayIp ?? file['host-gateway-ip'],
    registryMirrors: [...(file['registry-mirrors'] ?? []), ...(o.registryMirror ?? [])],
    insecureRegistries: [...(file['insecure-registries'] ?? []), ...(o.insecureRegistry ?? [])],
    usernsRemap: o.usernsRemap || file['userns-remap'] || undefined,
  };
}

/** `--default-address-pool base=10.10.0.0/16,size=24`, as dockerd takes it. */
function parsePoolFlag(v: string): PoolSpec {
  const kv = Object.fromEntries(v.split(',').map((p) => p.split('=').map((x) => x.trim())));
  return { base: kv.base ?? '', size: Number(kv.size) };
}

function checkPools(pools: PoolSpec[]): PoolSpec[] {
  for (const p of pools) {
    try { parseCidr(p.base); } catch { throw new InvalidArgument(`invalid default address pool: base ${JSON.stringify(p.base)} is not a CIDR`); }
    if (!Number.isInteger(p.size) || p.size < parseCidr(p.base).prefix || p.size > 32) {
      throw new InvalidArgument(`invalid default address pool ${p.base}: size ${p.size} must be between the base's prefix length and 32`);
    }
  }
  return pools;
}
