/**
 * One layer of a pull: its blob downloaded, verified against its digest, decompressed and
 * unpacked into a staging dir as it streams, the uncompressed tar kept as a blob (unless
 * the store has it). Connection failures are retried as Docker retries a download (five
 * attempts, waiting longer each time); a digest mismatch is not.
 */
import { pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { InvalidArgument } from '../../errdefs';
import { isRetryable as isConnectionError, type Descriptor, type RegistryRepository as Repository } from '../../core/remotes';
import type { ImageStore } from './image-store';
import { shortId } from '../../lib/ids';
import { meter, step, type Progress } from './image-pull-progress';

type StagedLayer = Awaited<ReturnType<ImageStore['layers']['unpack']>>;
type BlobWriter = ReturnType<ImageStore['blobs']['writer']>;

export interface FetchedLayer { staged: StagedLayer; blob?: BlobWriter }

export const DOWNLOAD_ATTEMPTS = 5;

/** Errors of the local disk while a layer is unpacked or kept: never retried. */
const LOCAL_WRITE_ERRORS = ['ENOSPC', 'EDQUOT', 'EROFS', 'EIO'];

export interface LayerFetch {
  store: ImageStore;
  repo: Repository;
  desc: Descriptor;
  /** The diffID the config promises. */
  diffId: string;
  /** Whether to keep the uncompressed tar as a blob (false when the store has it or another layer writes it). */
  keepBlob: boolean;
  emit: Progress;
  signal?: AbortSignal;
  retryDelayMs?: number;
}

async function attempt(f: LayerFetch): Promise<FetchedLayer> {
  const id = shortId(f.desc.digest);
  const downloading = meter(f.emit, id, 'Downloading', f.desc.size);
  let received = 0;
  const { stream, verified } = await f.repo.getBlob(f.desc.digest, f.signal, (n) => { received = n; downloading(n); });
  // the layer store hashes the tar as it unpacks (the diffID checked below): the blob need not
  const blob = f.keepBlob ? f.store.blobs.writer({ digestedByCaller: true }) : undefined;
  let staged: StagedLayer | undefined;
  try {
    // gunzip in 1 MiB chunks: zlib's default 16 KiB means thousands of callbacks per 100 MB
    const tar = f.desc.mediaType.endsWith('gzip') ? pipeline(stream, createGunzip({ chunkSize: 1 << 20 }), () => { /* errors surface on the tar stream */ }) : stream;
    staged = await f.store.layers.unpack(tar, blob ? { tap: (c) => blob.write(c) } : {});
    // the tar may end before its last compressed bytes: read them for the digest check
    tar.resume();
    await verified;
    downloading(received, true);
    if (staged.diffId !== f.diffId) throw new InvalidArgument(`layer ${f.desc.digest}: diffID mismatch: image config has ${f.diffId}, the layer's content is ${staged.diffId}`);
    return { staged, blob };
  } catch (err) {
    stream.destroy();
    // a connection that failed mid-blob shows in the tar reader as a bad tar: tell the cause
    const why = await verified.then(() => undefined, (e: unknown) => e);
    if (staged) await f.store.layers.discard(staged);
    await blob?.abort();
    // ...unless writing it failed here (a full disk), which then cut the connection
    if (LOCAL_WRITE_ERRORS.includes((err as NodeJS.ErrnoException)?.code ?? '')) throw err;
    throw why && isConnectionError(why) ? why : err;
  }
}

/** Downloads and stages one layer; see the module comment for retries. */
export async function fetchLayer(f: LayerFetch): Promise<FetchedLayer> {
  const id = shortId(f.desc.digest);
  for (let n = 1; ; n++) {
    try {
      const got = await attempt(f);
      step(f.emit, id, 'Verifying Checksum');
      step(f.emit, id, 'Download complete');
      return got;
    } catch (err) {
      if (n >= DOWNLOAD_ATTEMPTS || !isConnectionError(err) || f.signal?.aborted) throw err;
      const wait = (f.retryDelayMs ?? 500) * n;
      f.emit({ status: `Retrying in ${Math.ceil(wait / 1000)} second${Math.ceil(wait / 1000) === 1 ? '' : 's'}`, progressDetail: {}, id });
      await sleep(wait);
    }
  }
}
