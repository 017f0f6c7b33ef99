/**
 * A pull/push argument split as the docker CLI sends it to the daemon (`name`, then a tag
 * or digest), and its full name as docker prints it. The daemon validates the reference.
 */
export interface RemoteRef { name: string; tag?: string; digest?: string }

export function splitRemoteRef(s: string): RemoteRef {
  const at = s.indexOf('@');
  if (at >= 0) return { name: s.slice(0, at), digest: s.slice(at + 1) };
  const colon = s.lastIndexOf(':');
  return colon > s.lastIndexOf('/') ? { name: s.slice(0, colon), tag: s.slice(colon + 1) } : { name: s };
}

/** `busybox` -> `docker.io/library/busybox` (the domain rules of ParseNormalizedNamed). */
function fullRemoteName(name: string): string {
  const i = name.indexOf('/');
  const first = i < 0 ? '' : name.slice(0, i);
  if (i >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first)) return name;
  const rest = name.startsWith('docker.io/') ? name.slice('docker.io/'.length) : name;
  return `docker.io/${rest.includes('/') ? rest : `library/${rest}`}`;
}

export function formatRemoteRef(r: RemoteRef): string {
  return `${fullRemoteName(r.name)}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
