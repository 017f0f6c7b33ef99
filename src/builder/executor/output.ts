/**
 * Build output. The sink receives what Docker's legacy builder streams (`{"stream": ...}`,
 * stderr lines in red, `{"aux": {"ID": ...}}`). Stages that run in parallel write to lanes;
 * a lane's output reaches the sink live once every lane before it is done and is held until
 * then, so the stream reads as if the stages ran one after another.
 */

export interface BuildOutput {
  /** Text for `{"stream": text}`. */
  stream(text: string): void;
  /** A step process's stderr (the edge colours it as Docker does). */
  stderr(text: string): void;
  /** `{"aux": {"ID": imageId}}`, once per finished stage. */
  aux(imageId: string): void;
}

type Held = { kind: 'stream' | 'stderr' | 'aux'; text: string };

/** One stage's output. */
export class Lane implements BuildOutput {
  private held: Held[] = [];
  private live = false;
  private closed = false;

  constructor(private readonly sink: BuildOutput, private readonly onClose: () => void) {}

  private put(kind: Held['kind'], text: string): void {
    if (this.live) this.emit({ kind, text });
    else this.held.push({ kind, text });
  }

  private emit(h: Held): void {
    if (h.kind === 'aux') this.sink.aux(h.text);
    else this.sink[h.kind](h.text);
  }

  stream(text: string): void { this.put('stream', text); }
  stderr(text: string): void { this.put('stderr', text); }
  aux(imageId: string): void { this.put('aux', imageId); }

  /** Sends what was held and writes through from now on. */
  goLive(): void {
    if (this.live) return;
    this.live = true;
    for (const h of this.held) this.emit(h);
    this.held = [];
  }

  /** The stage is done (or failed): the next lane may go live. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  get isClosed(): boolean { return this.closed; }
}

/** Lanes in stage order over one sink. */
export class OrderedOutput {
  private readonly lanes: Lane[] = [];
  private next = 0;

  constructor(private readonly sink: BuildOutput) {}

  /** A new lane after the existing ones; the first one is live at once. */
  lane(): Lane {
    const l = new Lane(this.sink, () => this.advance());
    this.lanes.push(l);
    if (this.lanes.length - 1 === this.next) l.goLive();
    return l;
  }

  private advance(): void {
    while (this.next < this.lanes.length && this.lanes[this.next].isClosed) {
      this.next++;
      this.lanes[this.next]?.goLive();
    }
  }

  /** Sends what lanes up to `last` hold, in order (a failed build's last words); later lanes stay held. */
  flushThrough(last: Lane): void {
    const end = this.lanes.indexOf(last);
    for (let i = this.next; i <= end; i++) this.lanes[i].goLive();
  }
}
