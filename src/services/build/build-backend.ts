/**
 * The executor's BuildBackend over the engine's services: images from the image store, step
 * containers from the container service (so they get the engine's runtime, network, mounts
 * and events, as Docker's build containers do), writable layers from the overlay rootfs of
 * the image store, and cache mounts.
 */
import { randomBytes } from 'node:crypto';
import { isNotFound, Unavailable } from '../../errdefs';
import type { BuildBackend, CommittedLayer, RunOutcome, RunSpec, RwLayer } from '../../builder/executor';
import type { ImageConfig } from '../../core/images';
import type { ContainerService } from '../containers';
import { mountsJson, BUILD_STEP_LABEL } from '../containers';
import type { ImageService } from '../images';
import { hostArch } from '../images/image-import';
import { commitUpper } from './layer-commit';
import type { CacheMounts } from './cache-mounts';

/** Mount points the runtime binds over a container's rootfs: never part of its changes. */
const ETC_FILES = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];

/** How long a step's output may trail its exit before the attach stream is given up on. */
const OUTPUT_GRACE_MS = 2000;

export interface BackendDeps {
  images: ImageService;
  containers: ContainerService;
  cacheMounts: CacheMounts;
}

function chainOf(images: ImageService, imageId: string | undefined): string | undefined {
  return imageId ? images.store.topChain(images.resolve(imageId)) : undefined;
}

async function openLayer(images: ImageService, imageId: string | undefined): Promise<RwLayer> {
  const store = images.store;
  const id = `build-${randomBytes(16).toString('hex')}`;
  const chain = chainOf(images, imageId);
  await store.containers.create(id, imageId ?? '', chain);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await store.containers.remove(id);
  };
  let root: string;
  try { root = await store.containers.mount(id); } catch (err) { await release(); throw err; }
  return {
    root,
    commit: async (): Promise<CommittedLayer | undefined> => {
      await store.containers.unmount(id);
      return commitUpper(store, id, chain);
    },
    release,
  };
}

async function run(deps: BackendDeps, spec: RunSpec): Promise<RunOutcome> {
  const { containers, images } = deps;
  const c = spec.config;
  const rec = await containers.create({
    body: {
      Image: spec.imageId, Cmd: c.Cmd, Entrypoint: c.Entrypoint, Env: c.Env ?? [], WorkingDir: c.WorkingDir ?? '',
      User: c.User ?? '', Healthcheck: c.Healthcheck, AttachStdout: true, AttachStderr: true,
      // marks it for removal at the next daemon start if a crash ends the build first
      Labels: { [BUILD_STEP_LABEL]: '' },
      HostConfig: {
        NetworkMode: spec.networkMode || 'default', ExtraHosts: spec.extraHosts.length ? spec.extraHosts : null,
        LogConfig: { Type: 'none', Config: {} },
        Mounts: spec.mounts.map((m) => (m.type === 'bind'
          ? { Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly }
          : { Type: 'tmpfs', Target: m.target, ...(m.size ? { TmpfsOptions: { SizeBytes: m.size } } : {}) })),
      },
    },
  });
  const remove = () => containers.remove(rec.id, { force: true, volumes: true });
  let exitCode: number;
  try {
    spec.onCreated(rec.id);
    let ended!: () => void;
    const outputDone = new Promise<void>((r) => { ended = r; });
    await containers.attach(rec.id, { stdin: false, stdout: true, stderr: true }, {
      write: (stream, data) => (stream === 'stderr' ? spec.stderr(data) : spec.stdout(data)),
      end: () => ended(),
    });
    const exited = containers.wait(rec.id, 'next-exit');
    const kill = () => { containers.kill(rec.id).catch(() => {}); };
    spec.signal?.addEventListener('abort', kill, { once: true });
    try {
      if (spec.signal?.aborted) throw new Unavailable('Build cancelled');
      await containers.start(rec.id);
      if (spec.signal?.aborted) kill();
      exitCode = await exited;
    } finally {
      spec.signal?.removeEventListener('abort', kill);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([outputDone, new Promise<void>((r) => { timer = setTimeout(r, OUTPUT_GRACE_MS); })]);
    clearTimeout(timer);
  } catch (err) {
    await remove().catch(() => {});
    throw err;
  }
  const chain = chainOf(images, spec.imageId);
  return {
    containerId: rec.id,
    exitCode,
    commit: () => {
      const r = containers.inspect(rec.id);
      const exclude = [...ETC_FILES, ...mountsJson(r).map((m) => m.Destination)];
      return commitUpper(images.store, rec.id, chain, exclude);
    },
    remove,
  };
}

export function buildBackend(deps: BackendDeps): BuildBackend {
  const { images } = deps;
  return {
    image: (ref) => {
      const img = images.resolve(ref);
      return { id: img.id, config: img.config };
    },
    lineage: (refs) => {
      const out = new Map<string, { id: string; parent?: string; config: ImageConfig }>();
      for (const ref of refs) {
        let img;
        try { img = images.resolve(ref); } catch (err) {
          if (isNotFound(err)) continue; // Docker skips a cache source it cannot find
          throw err;
        }
        for (let cur: typeof img | undefined = img; cur && !out.has(cur.id); cur = cur.meta.parent ? images.store.images.get(cur.meta.parent as never) : undefined) {
          out.set(cur.id, { id: cur.id, parent: cur.meta.parent, config: cur.config });
        }
      }
      return [...out.values()];
    },
    createImage: async (config: ImageConfig, parent?: string) => {
      const img = await images.store.add(Buffer.from(JSON.stringify(config)), parent ? { parent } : {});
      return img.id;
    },
    openLayer: (imageId) => openLayer(images, imageId),
    run: (spec) => run(deps, spec),
    cacheMount: (id, opts) => deps.cacheMounts.acquire(id, opts),
    platform: { os: 'linux', architecture: hostArch() },
  };
}
