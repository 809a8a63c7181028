import { createHash, type Hash } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import type { TraceKind } from './traceEvent.ts';
import { CanonicalEncoder } from './canonicalEncoder.ts';

/** How much of a run is traced. `hash` keeps only the hashes; `full` also keeps the bytes. */
export type TraceLevel = 'off' | 'hash' | 'full';

/** Where full trace bytes go: a file writer or memory. Chunks arrive in order. */
export interface TraceSink {
  write(chunk: Uint8Array): void;
  close(): void;
}

/** Keeps trace bytes in memory (tests, the in-process half of the determinism check). */
export class MemorySink implements TraceSink {
  readonly chunks: Uint8Array[] = [];
  write(chunk: Uint8Array): void {
    this.chunks.push(chunk);
  }
  close(): void {}
  /** All bytes written so far, concatenated. */
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** Called for every event before it is encoded (fault triggers and online checkers use this). */
export type TraceListener = (timeUs: number, kind: TraceKind, node: string, data: unknown) => void;

const BATCH_BYTES = 64 * 1024;

/**
 * The event log of a run. Each event is encoded canonically as the msgpack array
 * `[timeUs, kind, node, data]`; the concatenation of those encodings is the trace file, and
 * `traceHash` is the SHA-256 of exactly those bytes. `historyHash` covers only client
 * invoke/complete events, so two runs that behave the same for clients can be compared even
 * when their internals differ.
 */
export class Trace {
  private readonly events = new CanonicalEncoder();
  private readonly historyEvents = new CanonicalEncoder(4096);
  private readonly hash: Hash | undefined;
  private readonly history: Hash | undefined;
  private listeners: TraceListener[] = [];
  /** True while listeners are being told of an event; records made then are deferred. */
  private dispatching = false;
  private deferred: [TraceKind, string, unknown, boolean][] = [];
  /** Events recorded so far. */
  count = 0;
  /**
   * Whether an event's data would be looked at: encoded (trace on) or shown to a listener. When
   * it would not, a hot caller may skip building the data array and call {@link skip} instead,
   * so a run with the trace off allocates nothing per event for it. (Not while listeners are
   * being told of an event: records made then are deferred, and must stay in order.) A field
   * kept up to date rather than a getter: hot paths ask several times per event.
   */
  wanted: boolean;

  constructor(
    private readonly clock: Clock,
    readonly level: TraceLevel = 'hash',
    private readonly sink?: TraceSink,
  ) {
    if (level !== 'off') {
      this.hash = createHash('sha256');
      this.history = createHash('sha256');
    }
    if (level === 'full' && sink === undefined) throw new Error('trace level "full" needs a sink');
    this.wanted = level !== 'off';
  }

  private updateWanted(): void {
    this.wanted = this.level !== 'off' || this.listeners.length > 0 || this.dispatching;
  }

  /** Registers a listener; returns a function that removes it. */
  listen(listener: TraceListener): () => void {
    this.listeners = [...this.listeners, listener];
    this.updateWanted();
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
      this.updateWanted();
    };
  }

  /** Counts an event that is not wanted (see {@link wanted}) without building it: `count` stays exact. */
  skip(): void {
    this.count++;
  }

  /**
   * Records one event at the current simulated time. An event recorded while listeners are
   * still being told of another (a fault trigger that crashes a node from inside a listener) is
   * queued and recorded right after that one, so the trace and every listener see the cause
   * before its effects.
   */
  record(kind: TraceKind, node: string, data?: unknown): void {
    this.enter(kind, node, data, false);
  }

  /** Records a client history event: it enters both the trace and the history hash. */
  recordHistory(kind: 'invoke' | 'complete', node: string, data: unknown): void {
    this.enter(kind, node, data, true);
  }

  private enter(kind: TraceKind, node: string, data: unknown, history: boolean): void {
    if (this.dispatching) {
      this.deferred.push([kind, node, data, history]);
      return;
    }
    this.dispatching = true;
    this.wanted = true;
    try {
      this.emit(kind, node, data, history);
      // Listeners may queue more while these are emitted; the loop picks them up in order.
      for (let i = 0; i < this.deferred.length; i++) {
        const d = this.deferred[i]!;
        this.emit(d[0], d[1], d[2], d[3]);
      }
    } finally {
      // Setting an array's length is a runtime call, not a store: skip it when nothing was deferred.
      if (this.deferred.length !== 0) this.deferred.length = 0;
      this.dispatching = false;
      this.updateWanted();
    }
  }

  private emit(kind: TraceKind, node: string, data: unknown, history: boolean): void {
    this.count++;
    const timeUs = this.clock.nowUs();
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(timeUs, kind, node, data);
    if (this.level === 'off') return;
    this.events.appendEvent(timeUs, kind, node, data ?? null);
    if (this.events.length >= BATCH_BYTES) this.flush();
    if (!history) return;
    this.historyEvents.appendEvent(timeUs, kind, node, data ?? null);
    this.history!.update(this.historyEvents.bytes());
    this.historyEvents.reset();
  }

  private flush(): void {
    if (this.events.length === 0) return;
    const chunk = this.events.bytes();
    this.hash!.update(chunk);
    if (this.level === 'full') this.sink!.write(Buffer.from(chunk));
    this.events.reset();
  }

  /** SHA-256 (hex) of every event so far. Empty string when tracing is off. */
  traceHash(): string {
    if (this.hash === undefined) return '';
    return this.hash.copy().update(this.events.bytes()).digest('hex');
  }

  /** SHA-256 (hex) of the client history so far. */
  historyHash(): string {
    return this.history === undefined ? '' : this.history.copy().digest('hex');
  }

  /** Flushes buffered bytes to the sink and closes it. */
  close(): void {
    if (this.level === 'off') return;
    this.flush();
    this.sink?.close();
  }
}
