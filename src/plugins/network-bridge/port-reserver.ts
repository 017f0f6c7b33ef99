import { readFile } from 'node:fs/promises';
import type { HeldPort, HostPortReserver, PortMapping } from '../../core/network/ports';
import { hasErrno } from '../../errdefs';
import { bindPortSocket, closePortSocket } from '../../sys/port-socket';

/**
 * Holds published host ports with bound sockets (see sys/port-socket.ts). A kernel without
 * SCTP cannot hold an SCTP port: the port is then mapped without being held.
 */
export class SocketPortReserver implements HostPortReserver {
  reserve(m: Pick<PortMapping, 'proto' | 'hostIp' | 'hostPort'>): HeldPort {
    let fd: number;
    try {
      fd = bindPortSocket(m.proto, m.hostIp, m.hostPort);
    } catch (e) {
      if (m.proto === 'sctp' && hasErrno(e, 'EPROTONOSUPPORT')) return { release() {} };
      throw e;
    }
    let open = true;
    return { release() { if (open) { open = false; closePortSocket(fd); } } };
  }
}

/** The kernel's ephemeral port range, where Docker picks ports for `-p 80` and `-P`. */
export async function ephemeralPortRange(): Promise<{ start: number; end: number }> {
  try {
    const [start, end] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    if (start > 0 && end >= start) return { start, end };
  } catch (e) {
    if (!hasErrno(e, 'ENOENT')) throw e;
  }
  return { start: 32768, end: 60999 };
}
