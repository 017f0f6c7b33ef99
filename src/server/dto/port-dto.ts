import { effectiveNetworkMode, portKey, type ContainerRecord } from '../../services/containers';

/**
 * Docker shows a container's ports only while it runs on a network of its own (not host,
 * none or another container's): every exposed port, with its published host ports.
 */
function shown(rec: ContainerRecord): boolean {
  const mode = effectiveNetworkMode(rec.hostConfig);
  return (rec.state.status === 'running' || rec.state.status === 'paused') && mode !== 'host' && mode !== 'none' && !mode.startsWith('container:');
}

/** NetworkSettings.Ports: `{"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}], "53/udp": null}`. */
export function networkSettingsPorts(rec: ContainerRecord): Record<string, { HostIp: string; HostPort: string }[] | null> {
  if (!shown(rec)) return {};
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const key of Object.keys(rec.config.ExposedPorts ?? {})) out[portKey(key)] = null;
  for (const m of rec.ports ?? []) {
    const key = `${m.containerPort}/${m.proto}`;
    out[key] = [...(out[key] ?? []), { HostIp: m.hostIp, HostPort: String(m.hostPort) }];
  }
  return out;
}

/** The Ports of a GET /containers/json item: published ones with IP and PublicPort, exposed ones bare. */
export function summaryPorts(rec: ContainerRecord): { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] {
  return Object.entries(networkSettingsPorts(rec)).flatMap(([key, list]) => {
    const [port, proto] = key.split('/');
    return list ? list.map((b) => ({ IP: b.HostIp, PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: proto }))
      : [{ PrivatePort: Number(port), Type: proto }];
  });
}
