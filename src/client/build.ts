/** Build endpoints of the Engine API: `POST /build` (a tar context in, JSON lines out) and `POST /build/prune`. */
import type { Readable } from 'node:stream';
import { encodeFilters } from './containers';
import { readJsonLines, type Transport } from './transport';
import type { JsonMessage } from './types';

export interface BuildQuery {
  tags?: string[];
  dockerfile?: string;
  buildArgs?: Record<string, string | null>;
  target?: string;
  noCache?: boolean;
  pull?: boolean;
  labels?: Record<string, string>;
  quiet?: boolean;
  networkMode?: string;
  extraHosts?: string[];
  platform?: string;
  cacheFrom?: string[];
}

/** A build stream message; `errorDetail.code` is a failed RUN's exit code. */
export interface BuildMessage extends JsonMessage {
  errorDetail?: { code?: number; message?: string };
}

export interface BuildCachePruneReport { CachesDeleted: string[] | null; SpaceReclaimed: number }

export class BuildApi {
  constructor(private readonly t: Transport) {}

  /** Sends the context; every message (errors included, which end the build) goes to onMessage. */
  async build(context: Readable, q: BuildQuery, onMessage: (m: BuildMessage) => void): Promise<void> {
    const json = (v: object | undefined) => (v && Object.keys(v).length ? JSON.stringify(v) : undefined);
    const res = await this.t.request('POST', '/build', {
      query: {
        t: q.tags, dockerfile: q.dockerfile, buildargs: json(q.buildArgs), target: q.target, nocache: q.noCache,
        pull: q.pull, labels: json(q.labels), q: q.quiet, networkmode: q.networkMode, extrahosts: q.extraHosts,
        platform: q.platform, rm: '1', cachefrom: q.cacheFrom?.length ? JSON.stringify(q.cacheFrom) : undefined,
      },
      body: context,
      headers: { 'Content-Type': 'application/x-tar' },
    });
    await readJsonLines(res, onMessage);
  }

  prune(o: { all?: boolean; filters?: Record<string, string[]>; keepStorage?: number } = {}): Promise<BuildCachePruneReport> {
    return this.t.json('POST', '/build/prune', { query: { all: o.all, filters: encodeFilters(o.filters), 'keep-storage': o.keepStorage } });
  }
}
