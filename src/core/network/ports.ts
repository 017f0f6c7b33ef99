/**
 * Published ports. Vocabulary: a *binding* is what the user asked for (Docker's PortBindings
 * entry: a host address and a host port, a range or none); a *mapping* is one binding made
 * concrete while the container runs: one host address and port forwarded to one container port.
 */

export type PortProto = 'tcp' | 'udp' | 'sctp';

/** One published port of a running container. `hostIp` 0.0.0.0 stands for every host address. */
export interface PortMapping {
  proto: PortProto;
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

/** A container's mappings, and where its traffic goes. */
export interface PublishRequest {
  containerId: string;
  /** The endpoint's address on its bridge. */
  containerIp: string;
  /** The Linux bridge the endpoint is plugged into (berth's own), and its subnet (CIDR). */
  bridge: string;
  subnet: string;
  /**
   * The container's side of its veth: its bridge port is put in hairpin mode, so that the
   * container reaches its own published ports through the host's addresses.
   */
  link?: { netns: string; ifname: string };
  mappings: PortMapping[];
}

/**
 * Forwards host ports to containers with the kernel's NAT: from other hosts and from
 * containers (the container itself included: hairpin) to any host address, and from the host
 * itself, loopback included. A container's rules are tagged with its ID, so exactly they are
 * removed.
 */
export interface PortMapper {
  /** Adds the container's rules, all or none; Internal naming the cause when the kernel refuses. */
  publish(req: PublishRequest): Promise<void>;
  /** Removes the container's rules; a container without rules is not an error. */
  unpublish(containerId: string): Promise<void>;
  /** At daemon start: rules for exactly these containers, every other rule of a previous run removed. */
  restore(live: PublishRequest[]): Promise<void>;
}

/** A host port held for a container, so no other program can bind it. */
export interface HeldPort {
  /** Frees the port; idempotent. */
  release(): void;
}

export interface HostPortReserver {
  /**
   * Holds proto hostIp:hostPort. Throws a Node-style error whose `code` is the errno:
   * EADDRINUSE (another socket has it), EADDRNOTAVAIL (not an address of this host), EACCES.
   */
  reserve(m: Pick<PortMapping, 'proto' | 'hostIp' | 'hostPort'>): HeldPort;
}
