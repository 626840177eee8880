// A small time-to-live cache that serves a stale value while it refreshes in the background: a file whose stat
// expired costs the request nothing, and a change on disk is seen by the next request. The file store keeps its
// stats and folder listings in one, the imports source its resolutions.

interface CachedAnswer<T> {
  at: number;
  value: Promise<T>;
  settled?: T;
}

export interface StaleCacheOptions {
  /** Wall clock (ms) the time-to-live is measured on. */
  now: () => number;
  /** How long an answer is fresh (ms). */
  ttlMs: number;
  /** Entries kept; the oldest goes first. */
  maxEntries: number;
}

/** A negative answer (nothing: missing, unreadable, or too slow) is trusted for a second at most. */
const NEGATIVE_TTL_MS = 1000;

function isNegative(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

export class StaleCache<T> {
  private readonly entries = new Map<string, CachedAnswer<T>>();

  constructor(private readonly options: StaleCacheOptions) {}

  /** The cached answer for `key`, a stale one while `load` refreshes it, or `load`'s answer when there is none. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const { now, ttlMs } = this.options;
    const hit = this.entries.get(key);
    const t = now();
    if (hit) {
      if (t - hit.at < ttlMs) return hit.value;
      if (!isNegative(hit.settled)) {
        // A stale answer serves while the fresh one loads; a stale "nothing there" (maybe a timeout) does not.
        hit.at = t; // one refresh at a time
        const fresh = load();
        fresh.then(v => { if (this.entries.get(key) === hit) this.entries.set(key, this.settle({ at: t, value: fresh }, v)); }, () => {});
        return hit.value;
      }
    }
    const entry: CachedAnswer<T> = { at: t, value: load() };
    entry.value.then(v => this.settle(entry, v), () => {});
    this.entries.set(key, entry);
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry.value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private settle(entry: CachedAnswer<T>, value: T): CachedAnswer<T> {
    entry.settled = value;
    if (isNegative(value)) entry.at = Math.min(entry.at, this.options.now() - this.options.ttlMs + NEGATIVE_TTL_MS);
    return entry;
  }
}
