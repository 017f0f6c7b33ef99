/**
 * `RUN --mount=...` (BuildKit's mount types) turned into the step container's mounts: bind
 * (from the context, a stage or an image; writes are thrown away), cache (a directory kept
 * under the engine's data root across builds), tmpfs, and secret/ssh (no source of secrets
 * reaches the engine over this API: optional ones are left out, required ones fail). Each
 * mount also gives the part of the step's cache key that stands for its content.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { RunMount } from '../dockerfile';
import { InvalidArgument } from '../../errdefs';
import type { RunMountSpec, RwLayer } from './backend';
import type { StepEnv } from './step';
import { contextRelative } from './scoped-path';
import { hostSourceFs, resolveScoped, type SourceFs } from './copy/source-fs';
import { SourceHasher } from './copy/source-hash';

export interface PreparedMounts {
  mounts: RunMountSpec[];
  /** What the mounts contribute to the step's cache key. */
  key: unknown[];
  release(): Promise<void>;
}

function targetOf(m: RunMount, workdir: string | undefined): string {
  if (!m.target) throw new InvalidArgument(`mount type ${m.type} requires a target`);
  return posix.isAbsolute(m.target) ? posix.normalize(m.target) : posix.join('/', workdir || '/', m.target);
}

/** Resolves every mount of a RUN; release() gives back layers and cache leases. */
export async function prepareMounts(env: StepEnv, specs: readonly RunMount[]): Promise<PreparedMounts> {
  const mounts: RunMountSpec[] = [];
  const key: unknown[] = [];
  const releases: Array<() => Promise<void> | void> = [];
  const release = async () => { for (const r of releases.reverse()) await r(); };
  try {
    for (const m of specs) {
      const target = m.type === 'secret' || m.type === 'ssh' ? m.target ?? '' : targetOf(m, env.state.config.WorkingDir);
      switch (m.type) {
        case 'bind': {
          let fs: SourceFs = env.context.fs;
          let hasher = env.context.hasher;
          let origin = 'context';
          if (m.from) {
            const img = await env.stages.resolve(m.from, env.stageIndex);
            const layer: RwLayer = await env.backend.openLayer(img.id);
            releases.push(() => layer.release());
            fs = hostSourceFs(layer.root);
            hasher = new SourceHasher(fs);
            origin = img.id;
          }
          const written = m.source ?? (m.from ? '/' : '.');
          const rel = await resolveScoped(fs, m.from ? posix.normalize(`/${written}`) : contextRelative(written));
          const st = await fs.lstat(rel);
          if (!st) throw new InvalidArgument(`failed to mount ${target}: ${written} not found in ${m.from ?? 'build context'}`);
          const hash = origin === 'context' ? (st.type === 'dir' ? await hasher.dir(rel) : await hasher.file(rel, rel, st)) : rel;
          let source = await fs.hostPath(rel);
          if (!m.readOnly && origin === 'context') {
            // writes to a bind mount are thrown away: give the step a copy
            const copy = await mkdtemp(join(env.context.scratch, 'bind-'));
            await cp(source, join(copy, 'src'), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
            source = join(copy, 'src');
          }
          mounts.push({ type: 'bind', source, target, readOnly: m.readOnly });
          key.push(['bind', target, origin, hash, m.readOnly]);
          break;
        }
        case 'cache': {
          const lease = await env.backend.cacheMount(m.id || target, {
            sharing: m.sharing ?? 'shared', mode: m.mode ?? 0o755, uid: m.uid ?? 0, gid: m.gid ?? 0,
          });
          releases.push(() => lease.release());
          mounts.push({ type: 'bind', source: lease.path, target, readOnly: m.readOnly });
          key.push(['cache', target, m.id || target, m.readOnly]);
          break;
        }
        case 'tmpfs':
          mounts.push({ type: 'tmpfs', target, readOnly: false, size: m.sizeLimit });
          key.push(['tmpfs', target, m.sizeLimit ?? 0]);
          break;
        case 'secret':
        case 'ssh':
          if (m.required) throw new InvalidArgument(`${m.type} ${m.id ?? 'default'}: not found (no ${m.type === 'ssh' ? 'SSH agent' : 'secrets'} reach this builder)`);
          key.push([m.type, m.id ?? '', target]);
          break;
        default:
          throw new InvalidArgument(`unsupported mount type ${(m as RunMount).type}`);
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { mounts, key, release };
}
