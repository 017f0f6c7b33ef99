/**
 * berthd's API listeners, one per `-H`: unix sockets (0660, group `berth` when the host has
 * one, else root) and tcp:// addresses, served only with TLS and verified client certificates
 * (`--tlsverify`), or in plain HTTP on a loopback address with the explicit `--insecure-tcp`.
 */
import { chmod, chown, mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { connect, isIP } from 'node:net';
import type { Server } from 'node:http';
import { InvalidArgument, hasErrno } from '../errdefs';
import { log } from '../lib/logger';
import type { TlsFiles } from '../server/tls-options';
import { lookupAccount } from '../sys/subid';

export interface TlsSettings {
  verify: boolean;
  caCert: string; cert: string; key: string;
  /** Plain HTTP over TCP, allowed on loopback addresses only. */
  insecureTcp: boolean;
}

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number; url: string };

/** `unix:///path`, `tcp://host:port` (port 2376 with TLS, 2375 without, as dockerd). */
export function parseListenAddress(raw: string, tls: boolean): ListenAddress {
  if (raw.startsWith('unix://')) return { kind: 'unix', path: raw.slice('unix://'.length) || '/run/berth/berth.sock' };
  if (raw.startsWith('/')) return { kind: 'unix', path: raw };
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]*)(?::(\d+))?\/?$/.exec(raw);
  if (!m) throw new InvalidArgument(`invalid daemon host ${raw}: berthd listens on unix:// and tcp:// addresses`);
  const host = (m[1] || '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  const port = m[2] ? Number(m[2]) : (tls ? 2376 : 2375);
  return { kind: 'tcp', host, port, url: `tcp://${m[1] || '127.0.0.1'}:${port}` };
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Refuses a tcp:// host berthd must not serve: no TLS verification and not an explicit loopback. */
export function checkTcpAllowed(addr: Extract<ListenAddress, { kind: 'tcp' }>, tls: TlsSettings): void {
  if (tls.verify) return;
  if (!tls.insecureTcp) throw new InvalidArgument(`refusing to listen on ${addr.url} without --tlsverify: the API gives root on this host; pass --tlsverify with --tlscacert, --tlscert and --tlskey (or --insecure-tcp on a loopback address)`);
  if (!isLoopback(addr.host)) throw new InvalidArgument(`--insecure-tcp is allowed on loopback addresses only, not ${addr.url}`);
}

/** Every `-H` parsed and checked, so that a refused tcp:// host opens no listener at all. */
export function checkedAddresses(hosts: string[], tls: TlsSettings): ListenAddress[] {
  const addrs = hosts.map((h) => parseListenAddress(h, tls.verify));
  for (const a of addrs) if (a.kind === 'tcp') checkTcpAllowed(a, tls);
  return addrs;
}

/** True when something already answers on the unix socket. */
function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

/** The gid of group `berth` from /etc/group, or undefined. */
async function berthGid(): Promise<number | undefined> {
  return (await lookupAccount('group', 'berth').catch(() => undefined))?.id;
}

function listen(server: Server, ...args: unknown[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    (server.listen as (...a: unknown[]) => void)(...args, () => { server.off('error', reject); resolve(); });
  });
}

/** Listens on a unix socket: 0660, owned root:berth when the group exists. */
export async function listenUnix(server: Server, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (await socketAlive(path)) throw new Error(`another daemon is already listening on ${path}`);
  await unlink(path).catch((e) => { if (!hasErrno(e, 'ENOENT')) throw e; });
  await listen(server, path);
  await chmod(path, 0o660);
  const gid = await berthGid();
  if (gid !== undefined) await chown(path, 0, gid);
}

export async function readTlsFiles(tls: TlsSettings): Promise<TlsFiles> {
  const read = (what: string, p: string) => readFile(p).catch((e: Error) => { throw new InvalidArgument(`could not load ${what} ${p}: ${e.message}`); });
  const [ca, cert, key] = await Promise.all([read('CA certificate', tls.caCert), read('server certificate', tls.cert), read('server key', tls.key)]);
  return { ca, cert, key };
}

/** Listens on a checked tcp:// address; the server was made with TLS options when verifying. */
export async function listenTcp(server: Server, addr: Extract<ListenAddress, { kind: 'tcp' }>, tls: TlsSettings): Promise<void> {
  if (!tls.verify) {
    log.warn('Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network.', { host: addr.url });
    log.warn('Binding to an IP address, even on localhost, can also give access to scripts run in a browser. Be safe out there!', { host: addr.url });
  }
  await listen(server, addr.port, addr.host);
}

