/**
 * What pull and push need of a registry: one repository's manifests and blobs over the
 * distribution API. Errors carry the registry's codes (`registryCodes`, e.g.
 * MANIFEST_UNKNOWN) and HTTP `status` for the caller's wording; a transfer that failed
 * on the wire (worth a retry) is marked `retryable`.
 */
import type { Readable } from 'node:stream';
import type { FetchedManifest } from './manifest';

export interface RegistryRepository {
  readonly domain: string;
  readonly path: string;
  /** NotFound when the registry has no such manifest; digest references are verified. */
  getManifest(reference: string, signal?: AbortSignal): Promise<FetchedManifest>;
  /** The blob as it streams; the stream fails at its end, and verified rejects, on a digest mismatch. */
  getBlob(digest: string, signal?: AbortSignal, onData?: (received: number) => void): Promise<{ size: number; stream: Readable; verified: Promise<void> }>;
  getBlobBytes(digest: string, signal?: AbortSignal): Promise<Buffer>;
  /** The blob's size when the repository has it. */
  hasBlob(digest: string): Promise<number | undefined>;
  /** Cross-repository mount from another repository of the same registry; false when not mounted. */
  mountBlob(digest: string, from: string): Promise<boolean>;
  /** Monolithic upload of a small blob. */
  putBlob(digest: string, bytes: Buffer): Promise<void>;
  /** Streamed upload; digestOf is asked once body has ended. */
  pushBlobStream(body: Readable, digestOf: () => string): Promise<void>;
  /** Returns the manifest's digest. */
  putManifest(reference: string, mediaType: string, bytes: Buffer): Promise<string>;
  tags(): Promise<string[]>;
}

export interface Registry {
  /** A session on `domain/path` asking for actions (`pull`, `push`). */
  repository(domain: string, path: string, actions: string[]): RegistryRepository;
}

/** Whether a transfer failed on the wire (reset, refused, cut short), not by the registry's answer. */
export function isRetryable(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'EAI_AGAIN'].includes(code ?? '')
    || (err as Error)?.message === 'aborted' || (err as { retryable?: boolean })?.retryable === true;
}

/** One place to reach a registry: a base URL and its TLS settings (daemon.json and certs.d decide). */
export interface RegistryEndpoint {
  /** `https://host[:port]` or `http://host[:port]`, perhaps with a path (a mirror), no trailing slash. */
  url: string;
  host: string;
  /** A registry-mirrors entry: when it does not answer the next endpoint is tried. */
  mirror: boolean;
  tls?: { ca: string[]; cert?: string; key?: string; verify: boolean };
}

/** The endpoints of a registry host, in the order to try them. */
export interface EndpointResolver {
  endpoints(host: string): Promise<RegistryEndpoint[]>;
}
