// The time a gathering may take, on the injected clock (the engine's): past it no new parse starts and the
// ranking takes what has arrived. Tests drive it with a fake clock instead of sleeping.
import type { Clock } from '../pipeline/clock';

/** When work that cannot be interrupted (a parse) should no longer start. */
export interface Deadline {
  passed(): boolean;
}

/** For work no request waits for (warming a file ahead of its first request). */
export const NO_DEADLINE: Deadline = { passed: () => false };

export class TimeBudget implements Deadline {
  private readonly startedAt: number;

  constructor(private readonly clock: Clock, private readonly budgetMs: number) {
    this.startedAt = clock.now();
  }

  /**
   * Parsing is synchronous, so this reads the clock rather than waiting for a timer: a timer could not even
   * fire during a burst of cached work.
   */
  passed(): boolean {
    return this.clock.now() > this.startedAt + this.budgetMs;
  }

  /** Milliseconds since the gathering started, for the log and the sources' statistics. */
  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  /**
   * Starts `work` (whose promise must never reject) and waits for it at most the budget's length, or until `signal`
   * fires. The wait starts first, so the work's own synchronous part counts. True when it stopped waiting before
   * the work was done: what arrives later only serves the next request.
   */
  async race(work: () => Promise<void>, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return true;
    let done = false;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const expired = this.clock.sleep(this.budgetMs, stop.signal).catch(() => {});
    try {
      await Promise.race([work().then(() => { done = true; }), expired]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort(); // the clock forgets the sleep
    }
    return !done;
  }
}
