import { Readable } from 'node:stream';

/**
 * Reads at least n bytes from the front of input (fewer only at its end) and returns them
 * with a stream that still yields everything, those bytes first.
 */
export async function peekStream(input: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let len = 0;
  while (len < n) {
    const r = await it.next();
    if (r.done) break;
    chunks.push(r.value as Buffer);
    len += (r.value as Buffer).length;
  }
  const head = Buffer.concat(chunks);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value as Buffer;
  }
  return { head, stream: Readable.from(all(), { objectMode: false }) };
}
