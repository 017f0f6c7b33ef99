/** Container file endpoints: `docker cp` (archive), export and diff. */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Transport } from './transport';

const enc = encodeURIComponent;

/** `X-Docker-Container-Path-Stat`, decoded. `mode` is a Go os.FileMode. */
export interface ContainerPathStat { name: string; size: number; mode: number; mtime: string; linkTarget: string }
export interface ContainerChange { Path: string; Kind: 0 | 1 | 2 }

function decodeStat(res: IncomingMessage): ContainerPathStat {
  const h = res.headers['x-docker-container-path-stat'];
  const text = Buffer.from(typeof h === 'string' ? h : '', 'base64').toString() || '{}';
  return JSON.parse(text) as ContainerPathStat;
}

export class ArchiveApi {
  constructor(private readonly t: Transport) {}

  async statPath(id: string, path: string): Promise<ContainerPathStat> {
    const res = await this.t.request('HEAD', `/containers/${enc(id)}/archive`, { query: { path } });
    res.resume();
    return decodeStat(res);
  }
  /** The tar of a container path, and its stat. */
  async copyFrom(id: string, path: string): Promise<{ stat: ContainerPathStat; tar: IncomingMessage }> {
    const res = await this.t.request('GET', `/containers/${enc(id)}/archive`, { query: { path } });
    return { stat: decodeStat(res), tar: res };
  }
  /** Extracts a tar into the container directory `path`. */
  copyTo(id: string, path: string, tar: Readable, o: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean } = {}): Promise<void> {
    return this.t.send('PUT', `/containers/${enc(id)}/archive`, {
      query: { path, noOverwriteDirNonDir: o.noOverwriteDirNonDir, copyUIDGID: o.copyUIDGID },
      body: tar, headers: { 'Content-Type': 'application/x-tar' },
    });
  }
  export(id: string): Promise<IncomingMessage> {
    return this.t.request('GET', `/containers/${enc(id)}/export`);
  }
  changes(id: string): Promise<ContainerChange[]> {
    return this.t.json('GET', `/containers/${enc(id)}/changes`);
  }
}
