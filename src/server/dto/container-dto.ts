import { humanDuration } from '../../lib/human-duration';
import { mountsJson } from '../../services/containers';
import { networkSettingsPorts, summaryPorts } from './port-dto';
import { healthText, type ContainerRecord } from '../../services/containers';
import { bridgeFields, networksDto } from './container-networks-dto';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Docker's State.String(): `Up 3 seconds`, `Exited (0) 2 minutes ago`, `Created`. */
export function statusText(rec: ContainerRecord, now = Date.now()): string {
  const s = rec.state;
  switch (s.status) {
    case 'running': return `Up ${humanDuration(now - Date.parse(s.startedAt))}${rec.health ? ` (${healthText(rec.health)})` : ''}`;
    case 'paused': return `Up ${humanDuration(now - Date.parse(s.startedAt))} (Paused)`;
    case 'restarting': return `Restarting (${s.exitCode}) ${humanDuration(now - Date.parse(s.finishedAt))} ago`;
    case 'removing': return 'Removal In Progress';
    case 'dead': return 'Dead';
    case 'exited': return s.finishedAt === ZERO_TIME ? 'Created' : `Exited (${s.exitCode}) ${humanDuration(now - Date.parse(s.finishedAt))} ago`;
    default: return 'Created';
  }
}

/** GET /containers/json item. */
export function containerSummary(rec: ContainerRecord) {
  return {
    Id: rec.id,
    Names: [`/${rec.name}`],
    Image: rec.config.Image,
    ImageID: rec.imageId,
    Command: [rec.path, ...rec.args].map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' '),
    Created: Math.floor(Date.parse(rec.created) / 1000),
    Ports: summaryPorts(rec),
    Labels: rec.config.Labels ?? {},
    State: rec.state.status,
    Status: statusText(rec),
    HostConfig: { NetworkMode: rec.hostConfig.NetworkMode },
    NetworkSettings: { Networks: networksDto(rec) },
    Mounts: mountsJson(rec),
  };
}

/** GET /containers/{id}/json, with the legacy top-level network fields old clients read. */
export function containerInspect(rec: ContainerRecord, paths: { dir: string; logPath: string; apiVersion?: string }) {
  const s = rec.state;
  const hc = { ...rec.hostConfig };
  const out: Record<string, unknown> = {
    Id: rec.id,
    Created: rec.created,
    Path: rec.path,
    Args: rec.args,
    State: {
      Status: s.status, Running: s.status === 'running' || s.status === 'paused', Paused: s.status === 'paused',
      Restarting: s.status === 'restarting', OOMKilled: s.oomKilled, Dead: s.status === 'dead', Pid: s.pid,
      ExitCode: s.exitCode, Error: s.error, StartedAt: s.startedAt, FinishedAt: s.finishedAt,
      ...(rec.health ? { Health: rec.health } : {}),
    },
    Image: rec.imageId,
    ResolvConfPath: `${paths.dir}/resolv.conf`,
    HostnamePath: `${paths.dir}/hostname`,
    HostsPath: `${paths.dir}/hosts`,
    LogPath: paths.logPath,
    Name: `/${rec.name}`,
    RestartCount: rec.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: hc,
    GraphDriver: { Data: null, Name: 'overlay2' },
    Mounts: mountsJson(rec),
    Config: rec.config,
    NetworkSettings: {
      Bridge: '', SandboxID: rec.sandbox?.owned ? rec.id : '', SandboxKey: rec.sandbox?.owned ? rec.sandbox.netns : '',
      HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0,
      Ports: networkSettingsPorts(rec),
      SecondaryIPAddresses: null, SecondaryIPv6Addresses: null, ...bridgeFields(rec),
      Networks: networksDto(rec, paths.apiVersion),
    },
  };
  return out;
}
