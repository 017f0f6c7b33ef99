import { Readable, PassThrough, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Returns input decompressed when it starts with the gzip magic (1f 8b), else as is.
 * Errors of input are forwarded to the returned stream.
 */
export async function maybeGunzip(input: Readable): Promise<Readable> {
  const it = input[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let done = false;
  while (head.length < 2) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    head = Buffer.concat([head, Buffer.from(r.value as Buffer)]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    while (!done) {
      const r = await it.next();
      if (r.done) break;
      yield r.value as Buffer;
    }
  }
  const raw = Readable.from(all(), { objectMode: false });
  if (head[0] !== 0x1f || head[1] !== 0x8b) return raw;
  const out = new PassThrough();
  pipeline(raw, createGunzip(), out, (err) => { if (err) out.destroy(err); });
  return out;
}
