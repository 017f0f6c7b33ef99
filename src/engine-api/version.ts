/** Engine API versions berthd speaks, and the negotiation rules dockerd follows. */
export const MIN_API_VERSION = '1.24';
export const API_VERSION = '1.47';
export const ENGINE_VERSION = '28.2.2';

/** Compares two API versions ("1.41" vs "1.24"): negative, zero or positive. */
export function compareApiVersions(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1 !== b1 ? a1 - b1 : a2 - b2;
}

/** True when the request's API version is at least v. */
export function apiAtLeast(requested: string, v: string): boolean {
  return compareApiVersions(requested, v) >= 0;
}
