/**
 * ADD <url>: the download as Docker's downloadSource makes it: a file named after the URL's
 * path (or Content-Disposition), mode 0600, mtime from Last-Modified, never unpacked.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgument, NotFound, Unavailable } from '../../../errdefs';
import { dataHash } from './source-hash';
import type { CopySource } from './sources';

export const isUrl = (s: string) => /^https?:\/\//i.test(s);

function filenameOf(url: URL, disposition: string | null): string {
  const path = decodeURIComponent(url.pathname);
  if (path && !path.endsWith('/')) {
    const base = path.split('/').pop();
    if (base) return base;
  }
  const m = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  if (m && !m[1].endsWith('/')) return m[1].split('/').pop() ?? '';
  return '';
}

/**
 * Downloads url into a new directory under tmpDir. `checksum` (`sha256:<hex>`) must match the
 * content. dest is the COPY destination: a nameless download needs a file destination.
 */
export async function downloadSource(url: string, dest: string, tmpDir: string, opts: { checksum?: string; signal?: AbortSignal }): Promise<CopySource> {
  let res: Response;
  try {
    res = await fetch(url, { signal: opts.signal, redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    throw new Unavailable(`Get "${url}": ${cause?.message ?? (err as Error).message}`, { cause: err });
  }
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status >= 400) {
    const message = `failed to GET ${url} with status ${res.status} ${res.statusText}: ${body.toString('utf8').trim()}`;
    throw res.status === 404 ? new NotFound(message) : new Unavailable(message);
  }
  if (opts.checksum) {
    const got = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (!/^sha256:[a-f0-9]{64}$/.test(opts.checksum)) throw new InvalidArgument(`invalid checksum digest format: ${opts.checksum}`);
    if (got !== opts.checksum) throw new InvalidArgument(`digest mismatch ${opts.checksum}: ${got}`);
  }
  const name = filenameOf(new URL(url), res.headers.get('content-disposition'));
  if (!name && dest.endsWith('/')) throw new InvalidArgument(`cannot determine filename for source ${url}`);
  const dir = await mkdtemp(join(tmpDir, 'add-url-'));
  const file = join(dir, name || '__unnamed__');
  await writeFile(file, body, { mode: 0o600 });
  const lastModified = res.headers.get('last-modified');
  const mtime = lastModified && !Number.isNaN(Date.parse(lastModified)) ? new Date(lastModified) : new Date(0);
  return { hostPath: async () => file, name: name || '__unnamed__', hash: dataHash(name, body, 0o600), isDir: false, unpack: false, mode: 0o600, mtime };
}
