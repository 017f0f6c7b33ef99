import { Readable, finished, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Reads up to n bytes from the front of input and puts them back; fewer only at its end.
 * Rejects when input fails or closes before its end, also when that happened before the
 * call (a source that failed while its reader was busy elsewhere emits nothing more).
 */
function peek(input: Readable, n: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let len = 0;
    let unwatch = () => { /* set below */ };
    const cleanup = () => {
      input.off('readable', onReadable);
      input.off('end', onEnd);
      unwatch();
    };
    const onReadable = () => {
      let c: Buffer | null;
      while (len < n && (c = input.read() as Buffer | null) !== null) { chunks.push(c); len += c.length; }
      if (len < n) return;
      cleanup();
      const head = Buffer.concat(chunks);
      input.unshift(head);
      resolve({ head, ended: false });
    };
    const onEnd = () => { cleanup(); resolve({ head: Buffer.concat(chunks), ended: true }); };
    const onError = (err: Error) => { cleanup(); reject(err); };
    input.on('readable', onReadable);
    input.once('end', onEnd);
    unwatch = finished(input, { writable: false }, (err) => { if (err) onError(err); });
  });
}

/** Whether bytes starting a stream are gzip's magic (1f 8b): what maybeGunzip decompresses. */
export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Returns input decompressed when it starts with the gzip magic (1f 8b), else input itself
 * (nothing read is lost). Errors of input reach the returned stream, and destroying the
 * returned stream destroys input. Streams that are not Node's (tar-stream's packs) are
 * read through their async iterator.
 */
export async function maybeGunzip(input: Readable): Promise<Readable> {
  const src = input instanceof Readable ? input : Readable.from(input as AsyncIterable<Buffer>, { objectMode: false });
  const { head, ended } = await peek(src, 2);
  if (ended) return Readable.from(head.length ? [head] : [], { objectMode: false });
  if (!isGzip(head)) return src;
  return pipeline(src, createGunzip(), () => { /* errors surface on the returned stream */ });
}
