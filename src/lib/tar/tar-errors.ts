/** A tar entry that would land outside the extraction root, or is otherwise unusable. */
export class UnsafeTarEntry extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnsafeTarEntry';
  }
}

/**
 * A stream that is not a well-formed tar (or gzip): cut short, a header that does not decode.
 * Messages use Go's archive/tar words, which Docker shows (`unexpected EOF`).
 */
export class MalformedTar extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedTar';
  }
}

/**
 * err as a MalformedTar when tar-stream or zlib raised it for bad input, else undefined
 * (an I/O error of the destination, say, is not the archive's fault).
 */
export function asMalformedTar(err: unknown): MalformedTar | undefined {
  if (err instanceof MalformedTar) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const msg = e?.message ?? '';
  if (msg === 'Unexpected end of data' || (e?.code === 'Z_BUF_ERROR' && /unexpected end of file/.test(msg))) {
    return new MalformedTar('unexpected EOF', { cause: err });
  }
  if (/^Invalid tar header/.test(msg) || msg === 'Invalid header' || msg === 'Header exceeds max size') {
    return new MalformedTar('archive/tar: invalid tar header', { cause: err });
  }
  if (e?.code === 'Z_DATA_ERROR') return new MalformedTar(`gzip: invalid data (${msg})`, { cause: err });
  return undefined;
}
