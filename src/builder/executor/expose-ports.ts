import { InvalidArgument } from '../../errdefs';

/**
 * EXPOSE's ports as Docker's nat.ParsePortSpecs reads them: `80`, `80/udp`, `8000-8010/tcp`
 * (a range gives every port), the protocol defaulting to tcp. Keys as ExposedPorts holds them.
 */
export function exposedPorts(specs: readonly string[]): Record<string, object> {
  const out: Record<string, object> = {};
  for (const spec of specs) {
    // `ip:hostPort:containerPort` is accepted by ParsePortSpecs; only the container port is exposed
    const parts = spec.split(':');
    const [port, proto = 'tcp'] = parts[parts.length - 1].split('/', 2);
    if (!/^(tcp|udp|sctp)$/i.test(proto)) throw new InvalidArgument(`Invalid proto: ${proto}`);
    const m = /^(\d+)(?:-(\d+))?$/.exec(port);
    if (!m) throw new InvalidArgument(`Invalid containerPort: ${port}`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (start > 65535 || end > 65535 || end < start) throw new InvalidArgument(`Invalid containerPort: ${port}`);
    for (let p = start; p <= end; p++) out[`${p}/${proto.toLowerCase()}`] = {};
  }
  return out;
}
