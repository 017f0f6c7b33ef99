/**
 * Pull and push for `/images/create?fromImage=` and `/images/{name}/push`: one registry
 * client per request (its credentials are the request's), one distribution metadata
 * record per data root.
 */
import type { Reference } from '../../core/images';
import type { RegistryAuth } from '../../core/remotes';
import { RegistryClient, type EndpointOptions } from '../../plugins/registry-client';
import type { ImageStore } from './image-store';
import { DistributionMetadata } from './image-push-metadata';
import { pullImage } from './image-pull';
import { pushImage } from './image-push';
import type { Progress } from './image-pull-progress';

export interface DistributionOptions extends EndpointOptions {
  /** Docker's image events (`pull`, `push`) with the familiar name. */
  events?: (action: 'pull' | 'push', id: string, name: string) => void;
}

export interface PullRequest { ref: Reference; allTags?: boolean; platform?: string; auth: RegistryAuth; signal?: AbortSignal }
export interface PushRequest { ref: Reference; auth: RegistryAuth; signal?: AbortSignal }

export class ImageDistribution {
  private readonly metadata: DistributionMetadata;

  constructor(private readonly store: ImageStore, private readonly opts: DistributionOptions = {}) {
    this.metadata = new DistributionMetadata(store.dataRoot);
  }

  private client(auth: RegistryAuth): RegistryClient {
    return new RegistryClient({ auth, insecure: this.opts.insecure, certsDir: this.opts.certsDir ?? '/etc/berth/certs.d' });
  }

  pull(req: PullRequest, emit: Progress): Promise<void> {
    return pullImage({
      store: this.store, registry: this.client(req.auth), metadata: this.metadata,
      onPulled: (id, name) => this.opts.events?.('pull', id, name),
    }, req, emit);
  }

  push(req: PushRequest, emit: Progress): Promise<void> {
    return pushImage({
      store: this.store, registry: this.client(req.auth), metadata: this.metadata,
      onPushed: (id, name) => this.opts.events?.('push', id, name),
    }, req, emit);
  }
}
