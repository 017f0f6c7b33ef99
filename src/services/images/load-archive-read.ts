import { createHash, type Hash } from 'node:crypto';
import { posix } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import type { Digest } from '../../lib/digest';
import { asMalformedTar, isGzip, maybeGunzip, safeRelPath, UnsafeTarEntry } from '../../lib/tar';
import { InvalidArgument } from '../../errdefs';
import { blobDigestOf, LoadArchive, type ArchiveEntry, type LoadStores } from './load-archive';
import { OrderedEntries } from './load-entry-order';

/** Entries smaller than this are kept in memory and unpacked only if an image uses them. */
const SMALL = 1024;
/** JSON-looking entries up to this size are kept in memory (configs, manifests, index). */
const JSON_MAX = 16 << 20;
/** Bytes of a layer tar read ahead of its unpacking, so reading and writing overlap. */
const FEED_BUFFER = 1 << 20;
/** Layers unpacking at once (each in its own worker thread) while the archive is read on. */
const PARALLEL_UNPACKS = 3;

/** An entry's chunks, the first ones read ahead; drained to the end by whoever iterates. */
interface Peeked { head: Buffer; chunks: AsyncIterable<Buffer> }

/**
 * Reads at least n bytes of entry (fewer at its end). Never abandons the entry's iterator:
 * tar-stream destroys the whole archive when an entry stream is returned early.
 */
async function peek(entry: AsyncIterable<unknown>, n: number): Promise<Peeked> {
  const it = entry[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let len = 0;
  let done = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    first.push(r.value as Buffer);
    len += (r.value as Buffer).length;
  }
  async function* chunks(): AsyncGenerator<Buffer> {
    yield* first;
    while (!done) {
      const r = await it.next();
      if (r.done) break;
      yield r.value as Buffer;
    }
  }
  return { head: Buffer.concat(first), chunks: chunks() };
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(c);
  return Buffer.concat(out);
}

function looksLikeJson(head: Buffer): boolean {
  const s = head.toString('latin1').trimStart();
  return s.startsWith('{') || s.startsWith('[');
}

function writableAgain(sink: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { sink.off('drain', done); sink.off('close', done); resolve(); };
    sink.on('drain', done);
    sink.on('close', done);
  });
}

/**
 * Copies chunks into sink with backpressure, hashing them if asked. Once sink is destroyed (its
 * reader failed) the rest is hashed and dropped, so the archive keeps streaming. An error of
 * chunks (the archive cut short) destroys sink with it and is thrown.
 */
async function forward(chunks: AsyncIterable<Buffer>, sink: Writable, hash?: Hash): Promise<void> {
  try {
    for await (const c of chunks) {
      hash?.update(c);
      if (sink.destroyed) continue;
      if (!sink.write(c)) await writableAgain(sink);
    }
  } catch (err) {
    sink.destroy(err as Error);
    throw err;
  }
  if (!sink.destroyed) sink.end();
}

const hexDigest = (h: Hash) => `sha256:${h.digest('hex')}` as Digest;

/**
 * A file entry that is neither small nor JSON: a layer tar, unpacked into a staging dir and
 * written to a blob while it streams. Returns once the entry is read; its unpacking may still
 * be finishing (entries records it then). The blob store already holding the tar its name
 * promises (`blobs/sha256/<diffID>`) makes it only hashed. A tar that cannot be unpacked is
 * recorded as unusable, and fails the load only if an image uses it. The bytes are hashed
 * once when the tar is not compressed (its digest is its diffID, which unpack computes).
 */
async function readLayer(entries: OrderedEntries, stores: LoadStores, name: string, head: Buffer, chunks: AsyncIterable<Buffer>): Promise<void> {
  const named = blobDigestOf(name);
  if (named && (await stores.blobs.has(named))) {
    const raw = createHash('sha256');
    for await (const c of chunks) raw.update(c);
    const digest = hexDigest(raw);
    entries.put(name, { kind: 'layer', layer: { diffId: digest, digest } });
    return;
  }
  await entries.room();
  const raw = isGzip(head) ? createHash('sha256') : undefined;
  const feed = new PassThrough({ highWaterMark: FEED_BUFFER });
  const blob = stores.blobs.writer({ digestedByCaller: true });
  const unpacking = stores.layers.unpack(feed, { tap: (c) => blob.write(c) });
  const fed = forward(chunks, feed, raw);
  const entry = Promise.allSettled([unpacking, fed]).then(async ([unpacked, f]): Promise<ArchiveEntry> => {
    if (f.status === 'rejected') {
      if (unpacked.status === 'fulfilled') await stores.layers.discard(unpacked.value);
      await blob.abort();
      throw f.reason;
    }
    if (unpacked.status === 'rejected') {
      await blob.abort();
      return { kind: 'unusable', error: unpacked.reason };
    }
    const staged = unpacked.value;
    return { kind: 'layer', layer: { diffId: staged.diffId, digest: raw ? hexDigest(raw) : staged.diffId, staged, blob } };
  });
  // the archive cut inside this layer stops the read here
  if (await fed.then(() => false, () => true)) await entry;
  entries.put(name, entry);
}

async function readEntry(entries: OrderedEntries, stores: LoadStores, h: tar.Header, entry: AsyncIterable<unknown>): Promise<void> {
  let name: string;
  try {
    name = safeRelPath(h.name);
  } catch (err) {
    if (err instanceof UnsafeTarEntry) throw new InvalidArgument(`invalid tar entry ${JSON.stringify(h.name)}: path is outside of the archive`, { cause: err });
    throw err;
  }
  const linkTarget = (base: string, kind: string) => {
    const target = (h.linkname ?? '').startsWith('/') ? h.linkname! : posix.join(base, h.linkname ?? '');
    try {
      return safeRelPath(target);
    } catch (err) {
      throw new InvalidArgument(`invalid ${kind} ${JSON.stringify(h.name)} -> ${JSON.stringify(h.linkname)}: points outside of the archive`, { cause: err });
    }
  };
  switch (h.type) {
    case 'file':
    case 'contiguous-file': {
      const size = h.size ?? 0;
      const { head, chunks } = await peek(entry, Math.min(size, 512));
      if (size < SMALL || (size <= JSON_MAX && looksLikeJson(head))) entries.put(name, { kind: 'bytes', bytes: await collect(chunks) });
      else await readLayer(entries, stores, name, head, chunks);
      return;
    }
    case 'symlink':
      entries.put(name, { kind: 'link', target: linkTarget(posix.dirname(name), 'symlink') });
      break;
    case 'link':
      entries.put(name, { kind: 'link', target: linkTarget('', 'hardlink') });
      break;
    default:
      entries.put(name, { kind: 'other' });
  }
  for await (const _ of entry) { /* drain */ }
}

/**
 * Reads a `docker load` archive (a tar, plain or gzip-compressed) in one pass: layers are
 * unpacked as they stream by, since the manifest naming them usually comes last. A
 * malformed archive (cut short, not a tar) or an entry path outside it is an
 * InvalidArgument; on any failure input is destroyed and nothing is left staged.
 */
export async function readArchive(stores: LoadStores, input: Readable): Promise<LoadArchive> {
  const archive = new LoadArchive(stores);
  const entries = new OrderedEntries(archive, PARALLEL_UNPACKS);
  const extract = tar.extract();
  try {
    const plain = await maybeGunzip(input);
    // The first failure stops the other side; both settle, and every layer still unpacking
    // is recorded, before anything is disposed, so nothing is staged after dispose.
    let failed: { err: unknown } | undefined;
    const stop = (err: unknown) => { failed ??= { err }; extract.destroy(); };
    const reading = (async () => {
      for await (const entry of extract) await readEntry(entries, stores, entry.header, entry);
    })();
    await Promise.all([pipeline(plain, extract).catch(stop), reading.catch(stop)]);
    await entries.done().catch(stop);
    if (failed) throw failed.err;
    return archive;
  } catch (err) {
    extract.destroy();
    input.destroy();
    await entries.done().catch(() => undefined);
    await archive.dispose();
    const bad = asMalformedTar(err);
    throw bad ? new InvalidArgument(`Error processing tar file: ${bad.message}`, { cause: err }) : err;
  }
}
