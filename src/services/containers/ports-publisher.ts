import type { HeldPort, HostPortReserver, PortMapper, PortMapping, PortProto, PublishRequest } from '../../core/network/ports';
import { Internal, hasErrno } from '../../errdefs';
import { log } from '../../lib/logger';
import type { WantedPort } from './ports';

export interface PortPublisherOptions {
  mapper: PortMapper;
  reserver: HostPortReserver;
  /** Where ports are picked for bindings without a host port (the kernel's ephemeral range). */
  ephemeral: { start: number; end: number };
}

/** A running container's endpoint, as publishing needs it. */
export interface PublishTarget {
  containerId: string;
  /** For Docker's error text: `on endpoint <name> (<endpoint id>)`. */
  containerName: string;
  endpointId: string;
  ip: string;
  bridge: string;
  /** The endpoint's subnet (CIDR). */
  subnet: string;
  /** The container's side of its veth (for hairpin mode). */
  link?: { netns: string; ifname: string };
}

interface Holding { mappings: PortMapping[]; held: HeldPort[] }

const request = (t: PublishTarget, mappings: PortMapping[]): PublishRequest => ({
  containerId: t.containerId, containerIp: t.ip, bridge: t.bridge, subnet: t.subnet, ...(t.link ? { link: t.link } : {}), mappings,
});

/** Why a host port cannot be had; `taken` lets a range or a pick move on to the next port. */
class PortRefused extends Error {
  constructor(message: string, readonly taken: boolean) { super(message); }
}

const SOCKET_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use', EADDRNOTAVAIL: 'cannot assign requested address', EACCES: 'permission denied',
};

/**
 * Host ports for running containers: picks them (a range's first free one; the ephemeral
 * range in order, after the last picked, as Docker's allocator), holds each with a bound
 * socket until the container stops, and has the mapper forward them. A start either gets all
 * its ports or none, with Docker's error: `driver failed programming external connectivity on
 * endpoint web (<id>): Bind for 0.0.0.0:8080 failed: port is already allocated` when berth
 * holds the port, `...: listen tcp4 0.0.0.0:8080: bind: address already in use` when another
 * program does.
 */
export class PortPublisher {
  private holdings = new Map<string, Holding>();
  private last = new Map<PortProto, number>();

  constructor(private readonly o: PortPublisherOptions) {}

  /** Picks, holds and maps the wanted ports; returns the mappings made. Internal on failure. */
  async publish(t: PublishTarget, wanted: WantedPort[]): Promise<PortMapping[]> {
    await this.unpublish(t.containerId);
    if (!wanted.length) return [];
    const h: Holding = { mappings: [], held: [] };
    try {
      for (const w of wanted) this.take(t.containerId, h, w);
      await this.o.mapper.publish(request(t, h.mappings));
    } catch (e) {
      h.held.forEach((p) => p.release());
      const reason = e instanceof PortRefused ? e.message : (e as Error).message;
      throw new Internal(`driver failed programming external connectivity on endpoint ${t.containerName} (${t.endpointId}): ${reason}`, { cause: e });
    }
    this.holdings.set(t.containerId, h);
    return h.mappings;
  }

  /** Removes the container's rules and frees its ports; idempotent. */
  async unpublish(containerId: string): Promise<void> {
    const h = this.holdings.get(containerId);
    this.holdings.delete(containerId);
    h?.held.forEach((p) => p.release());
    await this.o.mapper.unpublish(containerId);
  }

  /**
   * At daemon start: holds the ports of the containers still running again and rebuilds the
   * rules for exactly them. A port another program took meanwhile is logged and left mapped.
   */
  async restore(live: (PublishTarget & { mappings: PortMapping[] })[]): Promise<void> {
    for (const t of live) {
      const h: Holding = { mappings: t.mappings, held: [] };
      for (const m of t.mappings) {
        try { h.held.push(this.o.reserver.reserve(m)); } catch (e) {
          log.warn('published port no longer held', { id: t.containerId, port: `${m.hostIp}:${m.hostPort}/${m.proto}`, error: String(e) });
        }
      }
      this.holdings.set(t.containerId, h);
    }
    await this.o.mapper.restore(live.map((t) => request(t, t.mappings)));
  }

  /** Holds one wanted port into h: its fixed port, the first free of its range, or a picked one. */
  private take(id: string, h: Holding, w: WantedPort): void {
    const candidates = w.hostPorts ? this.span(w.hostPorts.start, w.hostPorts.end) : this.picks(w.proto);
    let refused: PortRefused | undefined;
    for (const port of candidates) {
      const m: PortMapping = { proto: w.proto, hostIp: w.hostIp, hostPort: port, containerPort: w.containerPort };
      try {
        this.hold(id, h, m);
        if (!w.hostPorts) this.last.set(w.proto, port);
        return;
      } catch (e) {
        if (!(e instanceof PortRefused) || !e.taken) throw e;
        refused ??= e;
        if (w.hostPorts && w.hostPorts.start === w.hostPorts.end) throw e;
      }
    }
    if (!w.hostPorts) throw new PortRefused('all ports are allocated', true);
    throw refused ?? new PortRefused('all ports are allocated', true);
  }

  private hold(id: string, h: Holding, m: PortMapping): void {
    const mine = [...this.holdings.values(), h].some((x) => x.mappings.some((o) => o.proto === m.proto && o.hostPort === m.hostPort && o.hostIp === m.hostIp));
    if (mine) throw new PortRefused(`Bind for ${m.hostIp}:${m.hostPort} failed: port is already allocated`, true);
    try {
      h.held.push(this.o.reserver.reserve(m));
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      const net = m.proto === 'udp' ? 'udp4' : m.proto === 'sctp' ? 'sctp4' : 'tcp4';
      const text = `listen ${net} ${m.hostIp}:${m.hostPort}: bind: ${SOCKET_ERRORS[code] ?? (e as Error).message}`;
      throw new PortRefused(text, hasErrno(e, 'EADDRINUSE'));
    }
    h.mappings.push(m);
    log.debug('host port held', { id, port: `${m.hostIp}:${m.hostPort}/${m.proto}` });
  }

  private *span(start: number, end: number): Generator<number> {
    for (let p = start; p <= end; p++) yield p;
  }

  /** The ephemeral range once round, starting after the last port picked for the protocol. */
  private *picks(proto: PortProto): Generator<number> {
    const { start, end } = this.o.ephemeral;
    const size = end - start + 1;
    const from = (this.last.get(proto) ?? start - 1) + 1;
    for (let i = 0; i < size; i++) yield start + ((from - start + i) % size);
  }
}
