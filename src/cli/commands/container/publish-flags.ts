/**
 * `-p/--publish` and `--expose` as the docker CLI reads them (go-connections' nat.ParsePortSpec,
 * the CLI's long syntax and expose loop), with its messages. Errors are UsageError('parse'):
 * `berth: invalid hostPort: 99999`, exit 125.
 */
import { isIP } from 'node:net';
import type { PortBinding } from '../../../client';
import { UsageError } from '../../command-kit';

const fail = (message: string) => new UsageError(message, 'parse');

/** Go's strconv.ParseUint(s, 10, 16), with its error text. */
function parseUint16(s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n > 65535) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

/** nat.ParsePortRange: `80` or `8000-8005` (parts past the second ignored, as Go does). */
export function parsePortRange(ports: string): [number, number] {
  if (ports === '') throw new Error('empty string specified for ports');
  if (!ports.includes('-')) { const n = parseUint16(ports); return [n, n]; }
  const parts = ports.split('-');
  const start = parseUint16(parts[0]);
  const end = parseUint16(parts[1]);
  if (end < start) throw new Error(`invalid range specified for port: ${ports}`);
  return [start, end];
}

/** nat.SplitProtoPort: `80/udp` -> ['udp', '80']; `80` -> ['tcp', '80']; '' or `/udp` -> ['', '']. */
export function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if (parts[1] === '') return ['tcp', parts[0]];
  return [parts[1], parts[0]];
}

/** `[ip:][hostPort:]containerPort`: an IPv6 address may come bare, its colons included. */
function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  if (n === 1) return ['', '', parts[0]];
  if (n === 2) return ['', parts[0], parts[1]];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2], parts[n - 1]];
}

/** The long syntax `published=8080,target=80,protocol=udp` in the short one. */
function standardNotation(spec: string): string {
  if (!spec.includes('=')) return spec;
  const params: Record<string, string> = { protocol: 'tcp' };
  for (const param of spec.split(',')) {
    const i = param.indexOf('=');
    if (i <= 0) throw fail(`invalid publish opts format (should be name=value but got '${param}')`);
    params[param.slice(0, i)] = param.slice(i + 1);
  }
  return `${params.published ?? ''}:${params.target ?? ''}/${params.protocol}`;
}

/** One -p spec as (container port key, binding) pairs. */
export function parsePortSpec(raw: string): { port: string; binding: PortBinding }[] {
  let [ip, hostPort, containerPort] = splitParts(raw);
  const [rawProto, cport] = splitProtoPort(containerPort);
  containerPort = cport;
  if (ip.startsWith('[')) {
    const m = /^\[([^\]]*)\]$/.exec(ip);
    if (!m) throw fail(`invalid IP address ${ip}: address ${ip}:: missing ']' in address`);
    ip = m[1];
  }
  if (ip !== '' && !isIP(ip)) throw fail(`invalid IP address: ${ip}`);
  if (containerPort === '') throw fail(`no port specified: ${raw}<empty>`);
  let start: number; let end: number;
  try { [start, end] = parsePortRange(containerPort); } catch { throw fail(`invalid containerPort: ${containerPort}`); }
  let hostStart = 0; let hostEnd = 0;
  if (hostPort !== '') {
    try { [hostStart, hostEnd] = parsePortRange(hostPort); } catch { throw fail(`invalid hostPort: ${hostPort}`); }
    // A host range for one container port is where the daemon picks the host port.
    if (end - start !== hostEnd - hostStart && end !== start) {
      throw fail(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
    }
  }
  const proto = rawProto.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw fail(`invalid proto: ${proto}`);
  const count = end - start + 1;
  return Array.from({ length: count }, (_, i) => {
    let hp = '';
    if (hostPort !== '') hp = count === 1 && hostStart !== hostEnd ? `${hostStart + i}-${hostEnd}` : String(hostStart + i);
    return { port: `${start + i}/${proto}`, binding: { HostIp: ip, HostPort: hp } };
  });
}

/** Every -p and --expose flag as Config.ExposedPorts and HostConfig.PortBindings. */
export function parsePorts(publish: string[], expose: string[]): { exposed: Record<string, Record<string, never>>; bindings: Record<string, PortBinding[]> } {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const spec of publish.map(standardNotation)) {
    for (const { port, binding } of parsePortSpec(spec)) {
      exposed[port] = {};
      (bindings[port] ??= []).push(binding);
    }
  }
  for (const e of expose) {
    if (e.includes(':')) throw fail(`invalid port format for --expose: ${e}`);
    const [proto, port] = splitProtoPort(e);
    let start: number; let end: number;
    try { [start, end] = parsePortRange(port); } catch (err) { throw fail(`invalid range format for --expose: ${e}, error: ${(err as Error).message}`); }
    for (let p = start; p <= end; p++) exposed[`${p}/${proto}`] = {};
  }
  return { exposed, bindings };
}
