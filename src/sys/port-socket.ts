import { isIPv4 } from 'node:net';
import koffi from 'koffi';
import { errnoError } from './libc';

/**
 * Sockets bound to a host port and never listened on or read: holding one keeps every other
 * program from binding the port (no SO_REUSEADDR, so even a reusing listener is refused),
 * while the kernel's NAT rules carry the traffic. Close-on-exec, so no child inherits them.
 */
interface SocketCalls {
  socket: (domain: number, type: number, protocol: number) => number;
  bind: (fd: number, addr: Buffer, len: number) => number;
  close: (fd: number) => number;
}

const AF_INET = 2;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const IPPROTO_SCTP = 132;

let calls: SocketCalls | undefined;
function load(): SocketCalls {
  if (calls) return calls;
  const lib = koffi.load('libc.so.6');
  calls = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    bind: lib.func('int bind(int fd, const void *addr, uint32_t len)'),
    close: lib.func('int close(int fd)'),
  };
  return calls;
}

/** A `struct sockaddr_in` for ip:port. */
function sockaddr(ip: string, port: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(AF_INET, 0);
  b.writeUInt16BE(port, 2);
  ip.split('.').forEach((octet, i) => b.writeUInt8(Number(octet), 4 + i));
  return b;
}

/**
 * Binds a new IPv4 socket of the protocol to ip:port and returns its descriptor. Throws an
 * error with the errno's code: EADDRINUSE (taken), EADDRNOTAVAIL (not a host address),
 * EACCES, EPROTONOSUPPORT (no SCTP in this kernel).
 */
export function bindPortSocket(proto: 'tcp' | 'udp' | 'sctp', ip: string, port: number): number {
  if (!isIPv4(ip)) throw Object.assign(new Error(`bind ${ip}:${port}: not an IPv4 address`), { code: 'EINVAL' });
  const c = load();
  const type = (proto === 'udp' ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC;
  const fd = c.socket(AF_INET, type, proto === 'sctp' ? IPPROTO_SCTP : 0);
  if (fd < 0) throw errnoError('socket', `${proto}`);
  const addr = sockaddr(ip, port);
  if (c.bind(fd, addr, addr.length) !== 0) {
    const err = errnoError('bind', `${ip}:${port}/${proto}`);
    c.close(fd);
    throw err;
  }
  return fd;
}

/** Closes a descriptor from bindPortSocket, freeing its port. */
export function closePortSocket(fd: number): void {
  load().close(fd);
}
