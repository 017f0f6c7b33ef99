import { sha256, type Digest } from '../../lib/digest';

/** An image ID is the digest of the exact bytes of its config JSON (as Docker computes it). */
export function imageIdOf(configBytes: Buffer | string): Digest {
  return sha256(configBytes);
}

/**
 * Chain IDs of a layer stack, one per layer: chain[0] = diff[0],
 * chain[i] = sha256(chain[i-1] + " " + diff[i]) (the OCI image spec's ChainID).
 */
export function chainIds(diffIds: readonly string[]): Digest[] {
  const out: Digest[] = [];
  for (const d of diffIds) {
    out.push(out.length === 0 ? (d as Digest) : sha256(`${out[out.length - 1]} ${d}`));
  }
  return out;
}

/** The chain ID of the whole stack, or undefined for a scratch image. */
export function chainIdOf(diffIds: readonly string[]): Digest | undefined {
  const c = chainIds(diffIds);
  return c[c.length - 1];
}
