import type { ObjectStore, StoreEvent, StoreEventType } from './object-store.js';
import type { StoredObject } from './stored-object.js';

export interface WatchFilter {
  namespace: string;
  matches: (object: StoredObject) => boolean;
}

export interface WatchDelivery {
  type: StoreEventType;
  object: StoredObject;
}

interface Watcher {
  storage: string;
  filter: WatchFilter;
  deliver: (event: WatchDelivery) => void;
}

/** A bounded history of one storage's events, for watches that start at a resourceVersion. */
class History {
  private readonly events: StoreEvent[] = [];
  private start = 0;
  /** Highest resourceVersion that fell out of the window (0 while nothing did). */
  droppedUpTo = 0;

  constructor(private readonly capacity: number) {}

  push(event: StoreEvent): void {
    this.events.push(event);
    if (this.events.length - this.start > this.capacity) {
      this.droppedUpTo = (this.events[this.start] as StoreEvent).object.rv;
      this.start++;
      // Compact now and then rather than shifting on every push.
      if (this.start > this.capacity) {
        this.events.splice(0, this.start);
        this.start = 0;
      }
    }
  }

  since(rv: number): StoreEvent[] {
    const out: StoreEvent[] = [];
    for (let i = this.start; i < this.events.length; i++) {
      const e = this.events[i] as StoreEvent;
      if (e.object.rv > rv) out.push(e);
    }
    return out;
  }
}

/**
 * Fans store events out to watches, translating them per watch as the real server does: an
 * object that stops matching a watch's selectors is DELETED for it, one that starts is ADDED.
 */
export class WatchHub {
  private readonly histories = new Map<string, History>();
  private readonly watchers = new Set<Watcher>();

  constructor(store: ObjectStore, private readonly historySize: number) {
    store.onEvent((event) => this.onStoreEvent(event));
  }

  private history(storage: string): History {
    let h = this.histories.get(storage);
    if (!h) this.histories.set(storage, (h = new History(this.historySize)));
    return h;
  }

  private onStoreEvent(event: StoreEvent): void {
    this.history(event.storage).push(event);
    for (const w of this.watchers) {
      if (w.storage !== event.storage) continue;
      const translated = translate(event, w.filter);
      if (translated) w.deliver(translated);
    }
  }

  /** The oldest resourceVersion a watch can still start from, or undefined if `rv` is too old. */
  tooOld(storage: string, rv: number): number | undefined {
    const h = this.history(storage);
    return rv < h.droppedUpTo ? h.droppedUpTo + 1 : undefined;
  }

  /** Replays events after `rv` and then streams new ones; returns the function that stops it. */
  subscribe(storage: string, fromRv: number | undefined, filter: WatchFilter, deliver: (e: WatchDelivery) => void): () => void {
    if (fromRv !== undefined) {
      for (const event of this.history(storage).since(fromRv)) {
        const translated = translate(event, filter);
        if (translated) deliver(translated);
      }
    }
    const watcher: Watcher = { storage, filter, deliver };
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  closeAll(): void {
    this.watchers.clear();
  }
}

function inScope(object: StoredObject, filter: WatchFilter): boolean {
  return (filter.namespace === '' || object.namespace === filter.namespace) && filter.matches(object);
}

function translate(event: StoreEvent, filter: WatchFilter): WatchDelivery | undefined {
  const now = inScope(event.object, filter);
  if (event.type === 'ADDED') return now ? { type: 'ADDED', object: event.object } : undefined;
  if (event.type === 'DELETED') {
    const before = event.previous ? inScope(event.previous, filter) : now;
    return before ? { type: 'DELETED', object: event.object } : undefined;
  }
  const before = event.previous ? inScope(event.previous, filter) : false;
  if (now && before) return { type: 'MODIFIED', object: event.object };
  if (now) return { type: 'ADDED', object: event.object };
  if (before) return { type: 'DELETED', object: event.object };
  return undefined;
}
