import * as tar from 'tar-stream';

/** What the end-of-input check reads of tar-stream 3's Extract (internal fields, not in its types). */
interface ExtractInternals {
  /** The open entry's data stream, until it is detached once read. */
  _stream: unknown;
  /** Bytes still owed to the entry in progress: its data, or once it is detached its padding. */
  _missing: number;
  /** Reading a pax or GNU long-name record. */
  _longHeader: boolean;
  _header: tar.Header | null;
  _buffer: { buffered: number };
  _final(cb: (err?: Error | null) => void): void;
}

/**
 * Whether input ended inside the padding after an entry's data: the entry's stream is detached
 * (its data all read), what came of the padding was skipped, and the rest never came.
 */
function endedInPadding(ex: ExtractInternals): boolean {
  return !ex._longHeader && ex._header !== null && ex._stream === null
    && ex._missing > 0 && ex._missing < 512 && ex._buffer.buffered === 0;
}

/**
 * tar-stream's extract, reading a tar's end as Go's archive/tar does (so as Docker does): input
 * that stops inside the zero padding after an entry's data is the archive's end, as a tar
 * without end-of-archive blocks is (umoci writes such layers). A cut inside an entry's data
 * or inside a header block is still tar-stream's 'Unexpected end of data'.
 */
export function goTarExtract(): tar.Extract {
  const ex = tar.extract();
  const internals = ex as unknown as ExtractInternals;
  const final = internals._final.bind(ex);
  internals._final = (cb) => {
    if (endedInPadding(internals)) internals._missing = 0;
    final(cb);
  };
  return ex;
}
