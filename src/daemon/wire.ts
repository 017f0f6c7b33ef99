import { join } from 'node:path';
import { access, mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../lib/atomic-file';
import { recoveryTally } from '../lib/recovery-log';
import { randomUUID } from 'node:crypto';
import { Router } from '../server/router';
import { containerRoutes } from '../server/routes/containers';
import { containerOpsRoutes } from '../server/routes/container-ops';
import { imageRoutes } from '../server/routes/images';
import { systemRoutes } from '../server/routes/system';
import { diskUsageRoutes } from '../server/routes/system-df';
import { containerArchiveRoutes } from '../server/routes/container-archive';
import { commitRoutes } from '../server/routes/commit';
import { networkRoutes } from '../server/routes/networks';
import { ContainerArchive } from '../services/containers/archive';
import { ContainerService, ExecService, HealthMonitor, ExecProbeRunner } from '../services/containers';
import { dirSize } from '../lib/dir-size';
import { ImageDistribution, ImageService } from '../services/images';
import { EventBus } from '../services/events';
import { readHostFacts } from '../services/system';
import { cliRuntime, conmonMonitor, conmonAttach, conmonExec } from '../plugins/runtime-oci';
import { execRoutes } from '../server/routes/exec';
import { buildRoutes } from '../server/routes/build';
import { BuildService } from '../services/build';
import type { OciRuntime } from '../core/runtime';
import { wireNetworks } from './wire-networks';
import { wireEtc } from './wire-etc';
import { wirePorts } from './wire-ports';
import { wireVolumes } from './wire-volumes';
import { wireRegistry } from './wire-registry';
import { ContainerStore } from '../services/containers/container-store';
import type { ContainerRecord } from '../services/containers';
import { InvalidArgument, hasErrno } from '../errdefs';
import { log } from '../lib/logger';
import { daemonRlimits, daemonCapabilities } from './rlimits';
import { wireCgroups } from './wire-cgroups';
import { crunRefusal } from './runtime-check';
import { wireUserns } from './wire-userns';
import type { DaemonConfig } from './config';

/** tini, which Docker ships as docker-init; the static build works in any image. */
async function findInit(): Promise<string | undefined> {
  for (const p of ['/usr/bin/tini-static', '/usr/bin/docker-init', '/usr/bin/tini']) {
    if (await access(p).then(() => true, () => false)) return p;
  }
  return undefined;
}

const RUNTIME_PATHS: Record<string, string> = { runc: '/usr/sbin/runc', crun: '/usr/bin/crun' };

export interface Engine {
  router: Router;
  containers: ContainerService;
  images: ImageService;
  close(): Promise<void>;
}

async function daemonId(dataRoot: string): Promise<string> {
  const file = join(dataRoot, 'engine-id');
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (id) return id;
  } catch (e) { if (!hasErrno(e, 'ENOENT')) throw e; }
  const id = randomUUID();
  await writeFileAtomic(file, id);
  return id;
}

/** Builds every service and the router from the config; restores state left by a previous run. */
export async function wireEngine(cfg: DaemonConfig): Promise<Engine> {
  await mkdir(cfg.dataRoot, { recursive: true, mode: 0o711 });
  await mkdir(cfg.execRoot, { recursive: true, mode: 0o711 });
  if (!RUNTIME_PATHS[cfg.defaultRuntime]) throw new InvalidArgument(`default runtime ${cfg.defaultRuntime} is not one of ${Object.keys(RUNTIME_PATHS).join(', ')}`);
  const refusals = new Map<string, string>();
  const crun = await crunRefusal();
  if (crun) refusals.set('crun', crun);
  let defaultRuntime = cfg.defaultRuntime;
  if (refusals.has(defaultRuntime)) {
    log.warn(`default runtime ${defaultRuntime} cannot run containers here; falling back to runc`, { reason: refusals.get(defaultRuntime) });
    defaultRuntime = 'runc';
  }
  const events = new EventBus();
  const store = new ContainerStore(join(cfg.dataRoot, 'containers'));
  const images = new ImageService({
    dataRoot: cfg.dataRoot,
    imageUsers: (imageId) => store.all().filter((c) => c.imageId === imageId)
      .map((c) => ({ id: c.id, running: ['running', 'paused', 'restarting'].includes(c.state.status) })),
    events: (action, id, attributes) => events.publish('image', action, id, attributes),
  });
  const runtimes = new Map<string, OciRuntime>(Object.entries(RUNTIME_PATHS).map(([name, path]) => [name, cliRuntime(name, path, join(cfg.execRoot, 'runtime', name))]));
  const { networks, attacher: network } = wireNetworks(cfg, { events, store });
  const etc = wireEtc(cfg, { networks, store, events });
  const vols = wireVolumes(cfg.dataRoot, events);
  const containers = new ContainerService({
    volumes: vols.volumes, mountHost: vols.mountHost, ports: await wirePorts(cfg),
    etc: etc.hooks, store, network, runtimes, initBinary: await findInit(), hostCapabilities: await daemonCapabilities(), monitor: conmonMonitor, attach: conmonAttach, defaultRuntime, runtimeRefusals: refusals,
    images: {
      resolveForContainer: async (ref) => {
        const img = images.resolve(ref);
        return { id: img.id, config: img.config.config ?? {} };
      },
    },
    rootfs: images.rootfs,
    paths: { dataRoot: cfg.dataRoot, execRoot: cfg.execRoot },
    rlimits: await daemonRlimits(),
    cgroups: wireCgroups(),
    events: (action, rec, extra) => events.publish('container', action, rec.id, { image: rec.config.Image, name: rec.name, ...rec.config.Labels, ...extra }),
  });
  const restoreStart = Date.now();
  await images.init();
  const userns = await wireUserns(cfg, images, containers, vols.local);
  await vols.volumes.init();
  await networks.init();
  await containers.init();
  await etc.init(containers.ctx);
  const builds = new BuildService({ dataRoot: cfg.dataRoot, images, containers });
  await builds.init();
  const t = recoveryTally();
  log.info('state restored', { ms: Date.now() - restoreStart, rolledBack: t['rolled back'], completed: t.completed, quarantined: t.quarantined });
  const busybox = await images.ensureBusybox();
  log.debug('default image ready', { id: busybox });

  const router = new Router();
  systemRoutes(router, {
    facts: await readHostFacts(), containers, imageCount: () => images.list({}).length, dataRoot: cfg.dataRoot,
    runtimes: RUNTIME_PATHS, defaultRuntime, events, daemonId: await daemonId(cfg.dataRoot),
    liveRestore: cfg.liveRestore, userns: !!userns,
  });
  const containerSizes = async (rec: ContainerRecord) => {
    const rw = await dirSize(images.store.containers.paths(rec.id).upper);
    const image = await images.inspect(rec.imageId).catch(() => undefined);
    return { SizeRw: rw, SizeRootFs: rw + (image?.Size ?? 0) };
  };
  containerRoutes(router, containers, { sizes: containerSizes });
  diskUsageRoutes(router, { images: (o) => images.diskUsage(o), containers, containerSizes, volumes: vols.volumes, buildCache: () => builds.usage() });
  const execs = new ExecService(containers.ctx, containers, conmonExec);
  execRoutes(router, execs);
  const health = new HealthMonitor({ store, probe: new ExecProbeRunner(execs), events: containers.ctx.events });
  containers.onStart((id) => { health.started(id).catch((e) => log.warn('health monitor start failed', { id, error: String(e) })); });
  containers.onExit((id) => health.stop(id));
  health.resume();
  containerOpsRoutes(router, containers);
  networkRoutes(router, networks, containers);
  const registry = wireRegistry(cfg);
  imageRoutes(router, images, new ImageDistribution(images.store, { endpoints: registry.endpoints, events: (action, ref, attributes) => events.publish('image', action, ref, attributes) }));
  vols.routes(router);
  commitRoutes(router, containers, images);
  buildRoutes(router, builds);
  registry.routes(router);
  containerArchiveRoutes(router, new ContainerArchive({ containers, layerDirs: async (id) => ({ upper: images.store.containers.paths(id).upper, lowers: await images.store.layers.diffDirs((await images.store.containers.record(id)).chainId) }) }));
  return { router, containers, images, close: async () => { health.close(); await containers.close(); await etc.close(); } };
}
