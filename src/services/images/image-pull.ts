/**
 * `docker pull`: a reference's manifest (an index resolved to one platform), its config,
 * then its layers, three downloading at a time, each unpacked while it streams; the image
 * is recorded (tag and RepoDigest) only once every layer is in place, so a failure leaves
 * no image and no layer. Errors before the first progress message (a missing manifest,
 * denied access) are thrown for the HTTP status; later ones too, for the stream.
 */
import { formatFamiliar, formatFull, chainIds, imageIdOf, type ImageConfig, type Reference } from '../../core/images';
import { hostPlatform, formatPlatform, parsePlatform, selectPlatform, type FetchedManifest, type Platform, type Registry as RegistryClient, type RegistryRepository as Repository } from '../../core/remotes';
import { InvalidArgument, NotFound, NotImplemented, isNotFound } from '../../errdefs';
import type { ImageStore } from './image-store';
import { addTag } from './image-tag';
import type { BlobSource, DistributionMetadata } from './image-push-metadata';
import { fetchLayer, type FetchedLayer } from './image-pull-layer';
import { shortId } from '../../lib/ids';
import { pool } from '../../lib/pool';
import { step, type Progress } from './image-pull-progress';

export interface PullDeps {
  store: ImageStore;
  registry: RegistryClient;
  metadata: DistributionMetadata;
  /** Docker's `pull` event, with the familiar name pulled. */
  onPulled?: (id: string, name: string) => void;
  concurrency?: number;
}

export interface PullOptions {
  /** Tag or digest set; neither with allTags. */
  ref: Reference;
  allTags?: boolean;
  platform?: string;
  signal?: AbortSignal;
}

/** Docker's translatePullError words for what a registry refused. */
function pullError(err: unknown, ref: Reference): unknown {
  const codes = (err as { registryCodes?: string[] }).registryCodes ?? [];
  const status = (err as { status?: number }).status;
  const name = formatFamiliar({ domain: ref.domain, path: ref.path });
  const msg = (err as Error).message;
  if (codes.includes('MANIFEST_UNKNOWN')) return new NotFound(`manifest for ${formatFamiliar(ref)} not found: ${msg}`, { cause: err });
  if (codes.includes('NAME_UNKNOWN')) return new NotFound(`repository ${name} not found: ${msg}`, { cause: err });
  if (codes.includes('DENIED') || status === 401 || status === 403) {
    return new NotFound(`pull access denied for ${name}, repository does not exist or may require 'docker login': ${msg}`, { cause: err });
  }
  if (isNotFound(err) && status === 404) return new NotFound(`manifest for ${formatFamiliar(ref)} not found: manifest unknown: ${msg}`, { cause: err });
  return err;
}

/** The image manifest for want, and the digest the reference resolved to (an index's own, as Docker records). */
async function resolveManifest(repo: Repository, reference: string, want: Platform, signal?: AbortSignal): Promise<{ m: FetchedManifest & { kind: 'image' }; digest: string }> {
  const m = await repo.getManifest(reference, signal);
  if (m.kind === 'image') return { m, digest: m.digest };
  const d = selectPlatform(m.index, want);
  if (!d) throw new NotFound(`no matching manifest for ${formatPlatform(want)} in the manifest list entries`);
  const inner = await repo.getManifest(d.digest, signal);
  if (inner.kind !== 'image') throw new InvalidArgument(`manifest ${d.digest}: an index inside an index is not supported`);
  return { m: inner, digest: m.digest };
}

/** Pulls one tag or digest; returns the image ID. */
async function pullOne(deps: PullDeps, ref: Reference, opts: PullOptions, emit: Progress): Promise<string> {
  const { store } = deps;
  const explicit = Boolean(opts.platform);
  const want = parsePlatform(opts.platform) ?? hostPlatform();
  const repo = deps.registry.repository(ref.domain, ref.path, ['pull']);
  const reference = ref.digest ?? ref.tag ?? 'latest';
  let m: FetchedManifest & { kind: 'image' };
  let topDigest: string;
  try {
    ({ m, digest: topDigest } = await resolveManifest(repo, reference, want, opts.signal));
  } catch (err) {
    throw pullError(err, ref);
  }
  emit({ status: `Pulling from ${ref.path}`, id: reference });
  const configBytes = await repo.getBlobBytes(m.manifest.config.digest, opts.signal);
  const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
  if (explicit && (config.os !== want.os || config.architecture !== want.architecture)) {
    throw new NotFound(`image with reference ${formatFamiliar(ref)} was found but does not match the specified platform: wanted ${formatPlatform(want)}, actual: ${config.os}/${config.architecture}`);
  }
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers = m.manifest.layers;
  // Node 20's zlib has no zstd: refuse before any download rather than fail in the tar reader
  const zstd = layers.find((l) => l.mediaType.endsWith('+zstd') || l.mediaType.endsWith('.zstd'));
  if (zstd) throw new NotImplemented(`unsupported layer media type ${zstd.mediaType} (layer ${zstd.digest}): zstd layers cannot be decompressed by this berthd`);
  if (diffIds.length !== layers.length) throw new InvalidArgument(`manifest ${m.digest}: ${layers.length} layers but the config has ${diffIds.length} diff_ids`);
  const id = imageIdOf(configBytes);
  const repoName = `${ref.domain}/${ref.path}`;
  if (!store.images.has(id)) {
    const chains = chainIds(diffIds);
    const present = await Promise.all(chains.map((c) => store.layers.has(c)));
    const writing = new Set<string>();
    const keep = await Promise.all(diffIds.map(async (d) => !(await store.blobs.has(d))));
    for (const [i, l] of layers.entries()) step(emit, shortId(l.digest), present[i] ? 'Already exists' : 'Pulling fs layer');
    const concurrency = deps.concurrency ?? 3;
    layers.filter((_, i) => !present[i]).slice(concurrency).forEach((l) => step(emit, shortId(l.digest), 'Waiting'));
    const fetched: Array<FetchedLayer | undefined> = [];
    // one failed layer stops the others' downloads, as Docker cancels a pull
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    try {
      await pool(concurrency, layers.map((desc, i) => async () => {
        if (present[i]) return;
        const keepBlob = keep[i] && !writing.has(diffIds[i]);
        if (keepBlob) writing.add(diffIds[i]);
        fetched[i] = await fetchLayer({ store, repo, desc, diffId: diffIds[i], keepBlob, emit, signal });
      }), () => stop.abort());
      for (const [i, f] of fetched.entries()) {
        if (!f) continue;
        const sid = shortId(layers[i].digest);
        emit({ status: 'Extracting', progressDetail: { current: layers[i].size, total: layers[i].size }, id: sid });
        if (f.blob) { const b = f.blob; f.blob = undefined; await b.commit(diffIds[i] as `sha256:${string}`); }
        const staged = f.staged;
        fetched[i] = undefined;
        await store.layers.commitStaged(staged, chains[i - 1]);
        step(emit, sid, 'Pull complete');
      }
    } finally {
      for (const f of fetched) {
        if (f?.staged) await store.layers.discard(f.staged);
        if (f?.blob) await f.blob.abort();
      }
    }
  }
  await deps.metadata.add(...layers.map((l, i): [string, BlobSource] => [diffIds[i], { digest: l.digest, size: l.size, repo: repoName }]));
  const digestRef = formatFull({ domain: ref.domain, path: ref.path, digest: topDigest });
  const tagRef = ref.tag ? formatFull({ domain: ref.domain, path: ref.path, tag: ref.tag }) : undefined;
  const img = await store.add(configBytes, {}, [tagRef, digestRef]);
  const upToDate = tagRef ? store.refs.get(tagRef) === id : store.refs.get(digestRef) === id;
  if (tagRef && !upToDate) await addTag(store, img, tagRef);
  if (store.refs.get(digestRef) !== id) await store.refs.set(digestRef, id);
  if (img.meta.pendingNames) { delete img.meta.pendingNames; delete img.meta.pendingSince; await store.saveMeta(img); } // named: nothing left to complete
  emit({ status: `Digest: ${topDigest}` });
  emit({ status: `Status: ${upToDate ? 'Image is up to date' : 'Downloaded newer image'} for ${formatFamiliar(ref)}` });
  deps.onPulled?.(id, formatFamiliar(ref));
  return id;
}

/**
 * Pulls ref (a tag or digest), or every tag of its repository with allTags (Docker's
 * closing line is then `Status: Downloaded newer image for <name>`). Runs as one ingest.
 */
export async function pullImage(deps: PullDeps, opts: PullOptions, emit: Progress): Promise<void> {
  const { store } = deps;
  await store.ingest(async () => {
    try {
      if (!opts.allTags) { await pullOne(deps, opts.ref, opts, emit); return; }
      const repo = deps.registry.repository(opts.ref.domain, opts.ref.path, ['pull']);
      let tags: string[];
      try { tags = await repo.tags(); } catch (err) { throw pullError(err, opts.ref); }
      for (const tag of tags) await pullOne(deps, { ...opts.ref, tag, digest: undefined }, opts, (m) => {
        if (!m.status?.startsWith('Status: ')) emit(m);
      });
      emit({ status: `Status: Downloaded newer image for ${formatFamiliar({ domain: opts.ref.domain, path: opts.ref.path })}` });
    } catch (err) {
      await store.collectGarbage();
      throw err;
    }
  });
}
