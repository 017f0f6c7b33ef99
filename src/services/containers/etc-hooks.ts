/** The daemon's parts a container's /etc files and links use, injected into ContainerContext. */
import type { SandboxInfo } from '../../core/network';
import type { ContainerRecord } from './types';

/** A link's firewall view: parent and child addresses and the child's exposed ports. */
export interface LinkRule { parentIp: string; childIp: string; ports: { port: number; proto: string }[] }

/** What berthd adds to a container's /etc files and links beyond the records; all optional. */
export interface EtcHooks {
  /**
   * The embedded DNS: starts serving the user-defined networks of the sandbox (idempotent) and
   * returns the address its resolv.conf names, or undefined when none of its networks has one.
   */
  dns?: { serverFor(rec: ContainerRecord, sandbox: SandboxInfo): Promise<string | undefined> };
  /** What `host-gateway` stands for: daemon.json's host-gateway-ip, else the default bridge's gateway. */
  hostGateway?: () => string | undefined;
  /** With icc=false: keeps the bridge open between linked containers only; called with every running link. */
  linkFirewall?: { sync(links: LinkRule[]): Promise<void> };
  /** The host's resolv.conf, for files rewritten while a container runs (default /etc/resolv.conf). */
  hostResolvConf?: string;
}

/** The files bound over the container's /etc/hosts, /etc/hostname and /etc/resolv.conf. */
export interface EtcFiles { hosts: string; hostname: string; resolvConf: string }
