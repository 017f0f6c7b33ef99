/** A container's place on a network once it runs. */
export interface Endpoint {
  networkName: string;
  networkId: string;
  endpointId: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
}

/** Where a started container's network lives, and what its /etc files need from it. */
export interface SandboxInfo {
  /** A network namespace path, or 'host'. */
  netns: string;
  endpoint?: Endpoint;
  /** The resolv.conf to derive the container's from. */
  resolvConf: string;
  /** `name:ip` entries for /etc/hosts beyond the defaults. */
  extraHosts: string[];
}

export interface AttachRequest {
  containerId: string;
  /** Docker's NetworkMode: bridge, host, none, container:<id>. */
  mode: string;
  /** For container:<id> mode: the other container's namespace path. */
  peerNetns?: string;
}

/** Gives containers their network. Errors use Docker's words (`network x not found`). */
export interface NetworkAttacher {
  /** Checks a mode at create time. */
  validate(mode: string): void;
  attach(req: AttachRequest): Promise<SandboxInfo>;
  /** Releases namespace and address; idempotent. */
  detach(containerId: string, endpoint?: Endpoint): Promise<void>;
  /** The namespace path a running container with this ID has. */
  netnsPath(containerId: string): string;
  /** Marks addresses in use by containers that kept running across a daemon restart. */
  restore(endpoints: Endpoint[]): void;
}
