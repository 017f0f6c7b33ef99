import { EventEmitter } from 'node:events';

/** One event in Docker's shape (with the legacy status/id/from fields old clients read). */
export interface EngineEvent {
  Type: 'container' | 'image' | 'network' | 'volume' | 'daemon';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
  status?: string;
  id?: string;
  from?: string;
}

/** Publishes engine events to subscribers and keeps the last ones for `since` queries. */
export class EventBus {
  private emitter = new EventEmitter().setMaxListeners(0);
  private recent: EngineEvent[] = [];

  publish(type: EngineEvent['Type'], action: string, id: string, attributes: Record<string, string> = {}): void {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const ev: EngineEvent = {
      Type: type, Action: action, Actor: { ID: id, Attributes: attributes }, scope: 'local',
      time: Number(nowNs / 1_000_000_000n), timeNano: Number(nowNs),
      ...(type === 'container' ? { status: action, id, from: attributes.image } : {}),
    };
    this.recent.push(ev);
    if (this.recent.length > 1000) this.recent.shift();
    this.emitter.emit('event', ev);
  }

  /** Events at or after sinceSec (unix seconds, fractions count: `--since 1700000000.5`) that are kept. */
  since(sinceSec: number): EngineEvent[] { return this.recent.filter((e) => e.timeNano >= sinceSec * 1e9); }

  subscribe(cb: (e: EngineEvent) => void): () => void {
    this.emitter.on('event', cb);
    return () => this.emitter.off('event', cb);
  }
}
