/** Image endpoints of the Engine API. */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { encodeFilters } from './containers';
import type { Transport } from './transport';
import type { ImageDeleteItem, ImageHistoryItem, ImagesPruneReport, ImageSummary, JsonMessage } from './types';

export class ImagesApi {
  constructor(private readonly t: Transport) {}

  list(o: { all?: boolean; digests?: boolean; filters?: Record<string, string[]> } = {}): Promise<ImageSummary[]> {
    return this.t.json('GET', '/images/json', { query: { all: o.all, digests: o.digests, filters: encodeFilters(o.filters) } });
  }
  inspect(name: string): Promise<Record<string, unknown>> {
    return this.t.json('GET', `/images/${name}/json`);
  }
  history(name: string): Promise<ImageHistoryItem[]> {
    return this.t.json('GET', `/images/${name}/history`);
  }
  tag(source: string, o: { repo: string; tag?: string }): Promise<void> {
    return this.t.send('POST', `/images/${source}/tag`, { query: { repo: o.repo, tag: o.tag } });
  }
  remove(name: string, o: { force?: boolean; noprune?: boolean } = {}): Promise<ImageDeleteItem[]> {
    return this.t.json('DELETE', `/images/${name}`, { query: { force: o.force, noprune: o.noprune } });
  }
  /** `POST /commit`: a container's changes as a new image; returns its ID. */
  async commit(container: string, o: { repo?: string; tag?: string; comment?: string; author?: string; changes?: string[]; pause?: boolean } = {}): Promise<string> {
    const r = await this.t.json<{ Id: string }>('POST', '/commit', {
      query: { container, repo: o.repo, tag: o.tag, comment: o.comment, author: o.author, changes: o.changes, pause: o.pause === false ? '0' : undefined },
      body: {},
    });
    return r.Id;
  }
  /** `POST /images/load`: a tar in, JSON-lines progress out. */
  load(tar: Readable, o: { quiet?: boolean }, onMessage: (m: JsonMessage) => void): Promise<void> {
    return this.t.jsonLines('POST', '/images/load', {
      query: { quiet: o.quiet }, body: tar, headers: { 'Content-Type': 'application/x-tar' },
    }, onMessage);
  }
  /** `GET /images/get?names=..`: the tar stream. */
  save(names: string[]): Promise<IncomingMessage> {
    return this.t.request('GET', '/images/get', { query: { names } });
  }
  /**
   * `POST /images/create?fromSrc=`: a rootfs tar in (source `-`), or a URL the daemon
   * downloads; JSON-lines progress out.
   */
  import(source: Readable | string, o: { repo?: string; tag?: string; message?: string; changes?: string[] },
    onMessage: (m: JsonMessage) => void): Promise<void> {
    const url = typeof source === 'string';
    return this.t.jsonLines('POST', '/images/create', {
      query: { fromSrc: url ? source : '-', repo: o.repo, tag: o.tag, message: o.message, changes: o.changes },
      ...(url ? {} : { body: source, headers: { 'Content-Type': 'application/x-tar' } }),
    }, onMessage);
  }
  prune(filters: Record<string, string[]>): Promise<ImagesPruneReport> {
    return this.t.json('POST', '/images/prune', { query: { filters: encodeFilters(filters) } });
  }
  /** `POST /images/create?fromImage=`; registryAuth is the X-Registry-Auth header (anonymous when absent). */
  pull(o: { fromImage: string; tag?: string; platform?: string; registryAuth?: string }, onMessage: (m: JsonMessage) => void): Promise<void> {
    return this.t.jsonLines('POST', '/images/create', {
      query: { fromImage: o.fromImage, tag: o.tag, platform: o.platform }, headers: { 'X-Registry-Auth': o.registryAuth ?? 'e30=' },
    }, onMessage);
  }
  /** `POST /images/{name}/push?tag=`: no tag pushes every tag of the repository; JSON-lines progress out. */
  push(name: string, o: { tag?: string; registryAuth?: string }, onMessage: (m: JsonMessage) => void): Promise<void> {
    return this.t.jsonLines('POST', `/images/${name}/push`, { query: { tag: o.tag }, headers: { 'X-Registry-Auth': o.registryAuth ?? 'e30=' } }, onMessage);
  }
}
