import { createHash } from 'node:crypto';

/** A content digest in OCI form: `sha256:<64 hex>`. */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

export function sha256(data: string | Buffer): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function isDigest(s: string): s is Digest {
  return DIGEST_RE.test(s);
}

/** The hex part of a digest (`sha256:abc` -> `abc`); a bare hex string is returned as is. */
export function hexOf(d: string): string {
  return d.startsWith('sha256:') ? d.slice(7) : d;
}
