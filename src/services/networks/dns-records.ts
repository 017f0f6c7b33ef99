import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import type { DnsNames } from './dns-names';

/** Docker's embedded DNS answers with this TTL. */
const TTL = 600;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
export type Rcode = keyof typeof RCODE;

export interface QueryContext {
  networkId: string;
  /** The querying container's address. */
  client: string;
  names: DnsNames;
  /** Where a name's addresses start this time: round-robin across queries for shared aliases. */
  rotation(name: string, count: number): number;
}

/**
 * What to do with one query: send `reply` (over UDP cut to `udpLimit` bytes), or forward the
 * raw query to the upstream servers.
 */
export type Decision = { reply: Buffer; udpLimit: number } | { forward: DecodedPacket };

/**
 * Answers a query from the network's names: A records for containers (NOERROR with no answer
 * for AAAA of a container's name, as berth's networks are IPv4), PTR for their addresses.
 * Everything else is forwarded. An unparsable message gets FORMERR when its ID can be read,
 * otherwise undefined (dropped); opcodes other than QUERY get NOTIMP.
 */
export function decide(query: Buffer, ctx: QueryContext): Decision | undefined {
  let q: DecodedPacket;
  try {
    q = dnsPacket.decode(query);
  } catch {
    return query.length >= 2 ? { reply: rawError(query.readUInt16BE(0), RCODE.FORMERR), udpLimit: 512 } : undefined;
  }
  if (q.type !== 'query') return undefined;
  const reply = (answers: Answer[], rcode: Rcode = 'NOERROR') => ({ reply: encodeReply(q, answers, rcode), udpLimit: udpLimit(q) });
  if ((q as { opcode?: string }).opcode !== 'QUERY') return reply([], 'NOTIMP');
  const question = q.questions?.[0];
  if (!question) return reply([], 'FORMERR');
  const name = question.name;
  if (question.type === 'A' || question.type === 'AAAA') {
    const ips = ctx.names.lookup(ctx.networkId, name, ctx.client);
    if (!ips.length) return { forward: q };
    if (question.type === 'AAAA') return reply([]);
    const start = ctx.rotation(name.toLowerCase(), ips.length);
    const ordered = [...ips.slice(start), ...ips.slice(0, start)];
    return reply(ordered.map((ip) => ({ type: 'A', name, ttl: TTL, data: ip })));
  }
  if (question.type === 'PTR') {
    const ip = ptrAddress(name);
    const target = ip && ctx.names.reverse(ctx.networkId, ip);
    if (target) return reply([{ type: 'PTR', name, ttl: TTL, data: target }]);
  }
  return { forward: q };
}

/** A reply to `q` with the answers and rcode; the RD bit copied, RA set, not authoritative. */
export function encodeReply(q: Packet & { flag_rd?: boolean }, answers: Answer[], rcode: Rcode = 'NOERROR'): Buffer {
  const flags = (q.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | dnsPacket.RECURSION_AVAILABLE | RCODE[rcode];
  return dnsPacket.encode({ type: 'response', id: q.id, flags, questions: q.questions ?? [], answers });
}

/** The largest UDP reply the client accepts: its EDNS payload size, else 512. */
export function udpLimit(q: DecodedPacket): number {
  const opt = q.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  return Math.max(512, Math.min(opt?.udpPayloadSize ?? 512, 65535));
}

/**
 * A reply cut to `limit` bytes for UDP: answers dropped from the end and the TC bit set, so the
 * client asks again over TCP. Replies that fit are returned unchanged.
 */
export function truncate(reply: Buffer, limit: number): Buffer {
  if (reply.length <= limit) return reply;
  const p = dnsPacket.decode(reply);
  const answers = [...(p.answers ?? [])];
  let out: Buffer;
  do {
    answers.pop();
    out = dnsPacket.encode({ ...p, answers, authorities: [], additionals: [], flags: (p.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE });
  } while (out.length > limit && answers.length > 0);
  return out;
}

/** 2.0.21.172.in-addr.arpa -> 172.21.0.2; undefined for other names. */
function ptrAddress(name: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa\.?$/i.exec(name);
  return m ? [m[4], m[3], m[2], m[1]].join('.') : undefined;
}

/** A header-only reply, for a message too broken to decode. */
function rawError(id: number, rcode: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(0x8000 | dnsPacket.RECURSION_AVAILABLE | rcode, 2);
  return b;
}

export const rcodeReply = (q: DecodedPacket, rcode: Rcode) => encodeReply(q, [], rcode);
