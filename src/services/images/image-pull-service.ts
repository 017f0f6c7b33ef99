/**
 * Pull and push for `/images/create?fromImage=` and `/images/{name}/push`: one registry
 * client per request (its credentials are the request's), one distribution metadata
 * record per data root.
 */
import type { Reference } from '../../core/images';
import type { EndpointResolver, RegistryAuth } from '../../core/remotes';
import { RegistryClient, type EndpointOptions } from '../../plugins/registry-client';
import type { ImageStore } from './image-store';
import { DistributionMetadata } from './image-push-metadata';
import { pullImage } from './image-pull';
import { pushImage } from './image-push';
import type { Progress } from './image-pull-progress';

export interface DistributionOptions extends EndpointOptions {
  /** The daemon's registry endpoints (mirrors, insecure-registries, certs.d). */
  endpoints?: EndpointResolver;
  /** Docker's image events: action `pull`/`push`, Actor.ID the familiar reference, attribute name the repository. */
  events?: (action: 'pull' | 'push', ref: string, attributes: Record<string, string>) => void;
}

export interface PullRequest { ref: Reference; allTags?: boolean; platform?: string; auth: RegistryAuth; signal?: AbortSignal }
export interface PushRequest { ref: Reference; auth: RegistryAuth; signal?: AbortSignal }

export class ImageDistribution {
  private readonly metadata: DistributionMetadata;

  constructor(private readonly store: ImageStore, private readonly opts: DistributionOptions = {}) {
    this.metadata = new DistributionMetadata(store.dataRoot);
  }

  private client(auth: RegistryAuth): RegistryClient {
    return new RegistryClient({ auth, endpoints: this.opts.endpoints, insecure: this.opts.insecure, certsDir: this.opts.certsDir ?? '/etc/berth/certs.d' });
  }

  pull(req: PullRequest, emit: Progress): Promise<void> {
    return pullImage({
      store: this.store, registry: this.client(req.auth), metadata: this.metadata,
      onPulled: (_id, name) => this.opts.events?.('pull', name, { name: name.replace(/[:@][^:/@]*$/, '') }),
    }, req, emit);
  }

  push(req: PushRequest, emit: Progress): Promise<void> {
    return pushImage({
      store: this.store, registry: this.client(req.auth), metadata: this.metadata,
      onPushed: (_id, name) => this.opts.events?.('push', name, { name: name.replace(/[:@][^:/@]*$/, '') }),
    }, req, emit);
  }
}
