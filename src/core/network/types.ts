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

/** A started container's network namespace, as its record keeps it. */
export interface SandboxRef {
  /** A network namespace path, or 'host'. */
  netns: string;
  /** True when the namespace is the container's own, to release when it stops. */
  owned: boolean;
  endpoint?: Endpoint;
}

/** Where a started container's network lives, and what its /etc files need from it. */
export interface SandboxInfo extends SandboxRef {
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
  /** Releases an owned namespace and the endpoint's address; idempotent. */
  detach(sandbox: SandboxRef): Promise<void>;
  /**
   * At daemon start: keeps the sandboxes of containers that kept running and releases every
   * other namespace a previous run left behind.
   */
  restore(live: SandboxRef[]): Promise<void>;
  /** Releases what the attacher holds for later use (prepared namespaces). */
  close(): Promise<void>;
}
