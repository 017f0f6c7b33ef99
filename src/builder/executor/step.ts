/**
 * One build step's bookkeeping: its cache key, the cache probe, and the commit that turns the
 * stage's state into the step's image (Docker's NewChildImage: the parent's history plus one
 * entry, its diff_ids plus the step's layer unless it is empty).
 */
import { createHash } from 'node:crypto';
import type { ContainerConfig, ImageConfig } from '../../core/images';
import { isNotFound } from '../../errdefs';
import type { BuildBackend, BuildCache, BuildImage, CommittedLayer } from './backend';
import type { BuildArgs } from './build-args';
import type { BuildOutput } from './output';
import { cloneConfig } from './run-config';
import type { SourceHasher } from './copy/source-hash';
import type { SourceFs } from './copy/source-fs';

/** A stage's state between steps (Docker's dispatchState). */
export interface StageState {
  /** The current image; undefined only for `FROM scratch` before its first step. */
  imageId?: string;
  image: ImageConfig;
  /** The run config: the config of the image the next step makes. */
  config: ContainerConfig;
  /** MAINTAINER: the author of the images the following steps make. */
  maintainer?: string;
  /** A CMD was set in this stage (ENTRYPOINT then keeps it). */
  cmdSet: boolean;
  args: BuildArgs;
}

/** A finished stage, for FROM <stage>, COPY --from and RUN --mount from=. */
export interface StageImage {
  id: string;
  config: ImageConfig;
}

/** Stages and images by the names instructions use. */
export interface StageLookup {
  /**
   * The image a `--from`/FROM word names: an earlier stage (by name or index, awaited if it
   * is still building) or, when no stage has that name, a local image. `current` is the
   * asking stage's index: it and later stages cannot be named by index.
   */
  resolve(nameOrIndex: string, current: number): Promise<StageImage>;
}

/** Everything a step's dispatcher uses. */
export interface StepEnv {
  backend: BuildBackend;
  cache: BuildCache;
  noCache: boolean;
  /** `--cache-from`: the images named and their parents, consulted after the cache. */
  cacheFrom: ReadonlyArray<BuildImage & { parent?: string }>;
  out: BuildOutput;
  state: StageState;
  stageIndex: number;
  stages: StageLookup;
  /** The build context, and a scratch directory for downloads and heredoc files. */
  context: { fs: SourceFs; scratch: string; hasher: SourceHasher };
  escapeToken: string;
  /** Containers of RUN steps are removed once done (rm / forcerm). */
  removeContainers: boolean;
  networkMode?: string;
  extraHosts: string[];
  signal?: AbortSignal;
}

export const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** A step's cache key: the image it starts from and what it does, content checksums included. */
export function stepKey(state: StageState, cmd: readonly string[], extra?: unknown): string {
  const parent = state.imageId ?? `scratch:${state.image.os}/${state.image.architecture}`;
  return createHash('sha256').update(JSON.stringify([parent, cmd, extra ?? null])).digest('hex');
}

/**
 * Looks the step up in the cache (unless --no-cache), then among the `--cache-from` images
 * (one whose parent is the stage's image and whose last history entry is this step's `cmd`);
 * on a hit the stage moves to the cached image and Docker's ` ---> Using cache` is printed.
 */
export function probe(env: StepEnv, key: string, cmd: readonly string[]): boolean {
  if (env.noCache) return false;
  let img: BuildImage | undefined;
  const id = env.cache.get(key);
  if (id) {
    try { img = env.backend.image(id); } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const createdBy = cmd.join(' ');
  img ??= env.cacheFrom.find((c) => c.parent === env.state.imageId && c.config.history?.at(-1)?.created_by === createdBy);
  if (!img) return false;
  env.state.imageId = img.id;
  env.state.image = img.config;
  env.out.stream(' ---> Using cache\n');
  return true;
}

export interface Commit {
  key: string;
  /** The step's container_config; its Cmd joined is the history's created_by. */
  containerConfig: ContainerConfig;
  layer?: CommittedLayer;
  /** The RUN container that made the layer. */
  containerId?: string;
}

/** Makes the step's image from the stage's state, records it in the cache and moves the stage to it. */
export async function commitStep(env: StepEnv, c: Commit): Promise<void> {
  const { state } = env;
  const p = state.image;
  const created = new Date().toISOString();
  const author = state.maintainer;
  const image: ImageConfig = {
    architecture: p.architecture,
    ...(author ? { author } : {}),
    config: cloneConfig(state.config),
    ...(c.containerId ? { container: c.containerId } : {}),
    container_config: cloneConfig(c.containerConfig),
    created,
    history: [...(p.history ?? []), {
      created,
      created_by: (c.containerConfig.Cmd ?? []).join(' '),
      ...(author ? { author } : {}),
      ...(c.layer ? {} : { empty_layer: true }),
    }],
    os: p.os,
    ...(p.variant ? { variant: p.variant } : {}),
    rootfs: { type: 'layers', diff_ids: [...(p.rootfs?.diff_ids ?? []), ...(c.layer ? [c.layer.diffId] : [])] },
  };
  const id = await env.backend.createImage(image, state.imageId);
  env.cache.set(c.key, { image: id, description: image.history!.at(-1)!.created_by!, size: c.layer?.size ?? 0 });
  state.imageId = id;
  state.image = image;
}

/** A metadata-only step (ENV, LABEL, CMD, ...): `#(nop)` container config, no layer. */
export async function commitConfig(env: StepEnv, cmd: string[], extra?: unknown): Promise<void> {
  const containerConfig = { ...cloneConfig(env.state.config), Cmd: cmd };
  const key = stepKey(env.state, cmd, extra);
  if (probe(env, key, cmd)) return;
  await commitStep(env, { key, containerConfig });
}
