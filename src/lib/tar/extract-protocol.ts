import { MalformedTar, UnsafeTarEntry } from './tar-errors';

/*
 * Messages between extractTar (host) and its worker thread (extract-worker). Every message
 * of a job carries its number; a worker drops what belongs to a job that has ended.
 */

export type HookName = 'mknod' | 'setOpaque';

export type ToWorker =
  | { t: 'start'; job: number; root: string; chown: boolean; whiteouts: boolean; umask: number; digest: boolean; hooks: HookName[] }
  /** A piece of the tar, its buffer transferred. */
  | { t: 'data'; job: number; buf: ArrayBuffer }
  | { t: 'end'; job: number }
  /** The input failed: stop, and answer with failed. */
  | { t: 'abort'; job: number }
  | { t: 'hookDone'; job: number; id: number; error?: SerializedError };

export type FromWorker =
  /** The worker has taken these bytes off its queue: more may be sent. */
  | { t: 'ack'; job: number; bytes: number }
  | { t: 'hook'; job: number; id: number; name: HookName; args: unknown[] }
  /** digest: `sha256:<hex>` of every byte sent, when asked for. */
  | { t: 'done'; job: number; size: number; digest?: string }
  | { t: 'failed'; job: number; error: SerializedError };

export interface SerializedError { name?: string; message: string; code?: string; errno?: number; syscall?: string; path?: string }

export function serializeError(err: unknown): SerializedError {
  const e = err as Partial<NodeJS.ErrnoException> | undefined;
  return { name: e?.name, message: e?.message ?? String(err), code: e?.code, errno: e?.errno, syscall: e?.syscall, path: e?.path };
}

/** The error as the other thread raised it: the tar error classes by name, errno errors with their fields. */
export function deserializeError(s: SerializedError): Error {
  if (s.name === 'UnsafeTarEntry') return new UnsafeTarEntry(s.message);
  if (s.name === 'MalformedTar') return new MalformedTar(s.message);
  const err = new Error(s.message) as NodeJS.ErrnoException;
  if (s.name) err.name = s.name;
  for (const k of ['code', 'errno', 'syscall', 'path'] as const) if (s[k] !== undefined) Object.assign(err, { [k]: s[k] });
  return err;
}
