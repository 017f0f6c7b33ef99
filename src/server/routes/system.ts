import type { Router } from '../router';
import { sendJson, sendText } from '../respond';
import { API_VERSION, MIN_API_VERSION, ENGINE_VERSION, parseFilters } from '../../engine-api';
import type { HostFacts } from '../../services/system';
import { matchesEventFilters, secondsToNanos, type EventBus, type EngineEvent } from '../../services/events';
import type { ContainerService } from '../../services/containers';

export interface SystemDeps {
  facts: HostFacts;
  containers: ContainerService;
  imageCount: () => number;
  dataRoot: string;
  runtimes: Record<string, string>;
  defaultRuntime: string;
  events: EventBus;
  daemonId: string;
  liveRestore: boolean;
  /** Containers run in a remapped user namespace (`--userns-remap`). */
  userns?: boolean;
}

const GIT_COMMIT = 'berth';

export function systemRoutes(router: Router, d: SystemDeps): void {
  const ping = async (ctx: { res?: import('node:http').ServerResponse }) => {
    const r = ctx.res!;
    r.setHeader('Builder-Version', '1');
    r.setHeader('Swarm', 'inactive');
    r.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
    r.setHeader('Pragma', 'no-cache');
    sendText(r, 200, 'OK');
  };
  router.add('GET', '/_ping', ping);
  router.add('HEAD', '/_ping', ping);

  router.add('GET', '/version', async (ctx) => {
    const f = d.facts;
    const details = { Version: ENGINE_VERSION, ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: GIT_COMMIT, GoVersion: `node${process.versions.node}`, Os: 'linux', Arch: process.arch === 'x64' ? 'amd64' : process.arch, KernelVersion: f.kernelVersion, BuildTime: '2026-11-22T00:00:00.000000000+00:00' };
    sendJson(ctx.res!, 200, {
      Platform: { Name: 'berth Engine' },
      Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: GIT_COMMIT, GoVersion: details.GoVersion, Os: 'linux', Arch: details.Arch, KernelVersion: f.kernelVersion, BuildTime: details.BuildTime, Experimental: 'false' } }],
      ...details,
    });
  });

  router.add('GET', '/info', async (ctx) => {
    const list = d.containers.list();
    const count = (s: string[]) => list.filter((c) => s.includes(c.state.status)).length;
    const f = d.facts;
    sendJson(ctx.res!, 200, {
      ID: d.daemonId, Containers: list.length, ContainersRunning: count(['running']), ContainersPaused: count(['paused']),
      ContainersStopped: list.length - count(['running', 'paused']), Images: d.imageCount(), Driver: 'overlay2',
      DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Using metacopy', 'false'], ['Native Overlay Diff', 'true'], ['userxattr', 'false']],
      Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'none', 'null'], Authorization: null, Log: ['k8s-file'] },
      MemoryLimit: true, SwapLimit: true, KernelMemoryTCP: false, CpuCfsPeriod: true, CpuCfsQuota: true, CPUShares: true, CPUSet: true, PidsLimit: true,
      IPv4Forwarding: true, BridgeNfIptables: false, BridgeNfIp6tables: false, Debug: false, NFd: 0, OomKillDisable: true, NGoroutines: 0,
      SystemTime: new Date().toISOString(), LoggingDriver: 'k8s-file', CgroupDriver: 'cgroupfs', CgroupVersion: f.cgroupVersion, NEventsListener: 0,
      KernelVersion: f.kernelVersion, OperatingSystem: f.operatingSystem, OSVersion: f.osVersion, OSType: 'linux', Architecture: f.architecture,
      IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: { AllowNondistributableArtifactsCIDRs: null, AllowNondistributableArtifactsHostnames: null, InsecureRegistryCIDRs: ['::1/128', '127.0.0.0/8'], IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true } }, Mirrors: null },
      NCPU: f.ncpu, MemTotal: f.memTotal, GenericResources: null, DockerRootDir: d.dataRoot, HttpProxy: '', HttpsProxy: '', NoProxy: '',
      Name: f.hostname, Labels: [], ExperimentalBuild: false, ServerVersion: ENGINE_VERSION,
      Runtimes: Object.fromEntries(Object.entries(d.runtimes).map(([n, p]) => [n, { path: p }])), DefaultRuntime: d.defaultRuntime,
      Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
      LiveRestoreEnabled: d.liveRestore, Isolation: '', InitBinary: 'docker-init',
      ContainerdCommit: { ID: '' }, RuncCommit: { ID: '' }, InitCommit: { ID: '' },
      // As dockerd: the default seccomp profile, and private cgroup namespaces on cgroup v2 only.
      SecurityOptions: ['name=seccomp,profile=default', ...(d.userns ? ['name=userns'] : []), ...(String(f.cgroupVersion) === '2' ? ['name=cgroupns'] : [])], Warnings: null,
    });
  });

  router.add('GET', '/events', async (ctx) => {
    const r = ctx.res!;
    const filters = parseFilters(ctx.query.get('filters'));
    const since = Number(ctx.query.get('since') ?? 0);
    const until = Number(ctx.query.get('until') ?? 0);

    r.writeHead(200, { 'Content-Type': 'application/json' });
    r.flushHeaders();
    const send = (e: EngineEvent) => {
      if (matchesEventFilters(e, filters) && (!until || e.timeNano <= secondsToNanos(until))) r.write(JSON.stringify(e) + '\n');
    };
    if (since) d.events.since(since).forEach(send);
    if (until && until <= Date.now() / 1000) { r.end(); return; }
    await new Promise<void>((resolve) => {
      const off = d.events.subscribe(send);
      const timer = until ? setTimeout(() => { off(); r.end(); resolve(); }, until * 1000 - Date.now()) : undefined;
      r.on('close', () => { off(); if (timer) clearTimeout(timer); resolve(); });
    });
  });
}
