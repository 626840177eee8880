// Virtual time for the typing replay: minutes of typing run in seconds. The engine's debounce and the simulated
// server's latency sleep on this clock; the replay moves it forward from one event to the next, letting every
// promise chain settle before each step so the order of events is the one real time would give.
import type { Clock } from '../../src/pipeline/clock';
import { abortError } from '../../src/util/abort';

interface Timer { at: number; seq: number; fire: () => void }

/** Lets pending promise callbacks (and anything they start) run before virtual time moves on. */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>(resolve => setImmediate(resolve));
}

export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: Timer[] = [];
  private readonly realWork = new Set<Promise<unknown>>();

  /**
   * Work that takes real time (file reads for related context) and should take none in virtual time: the clock
   * does not move on until it has finished. Its real cost is what the overhead bench measures.
   */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(() => {}, () => {});
    this.realWork.add(settled);
    void settled.then(() => this.realWork.delete(settled));
    return work;
  }

  private async settleAll(): Promise<void> {
    for (;;) {
      await settle();
      if (this.realWork.size === 0) return;
      await Promise.all([...this.realWork]);
    }
  }

  now(): number { return this.t; }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const timer: Timer = {
        at: this.t + Math.max(0, ms), seq: this.seq++,
        fire: () => { signal?.removeEventListener('abort', onAbort); resolve(); },
      };
      const onAbort = () => { this.remove(timer); reject(abortError()); };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.insert(timer);
    });
  }

  /** Fires every timer due up to `until` in time order, settling in between, then sets the time to `until`. */
  async advanceTo(until: number): Promise<void> {
    await this.settleAll();
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fire();
      await this.settleAll();
    }
    this.t = Math.max(this.t, until);
    await this.settleAll();
  }

  /** Runs until no timer is left (or `limit` ms of virtual time pass): lets in-flight work finish. */
  async drain(limitMs = 60_000): Promise<void> {
    const end = this.t + limitMs;
    while (this.timers.length && this.timers[0].at <= end) await this.advanceTo(this.timers[0].at);
  }

  get pendingTimers(): number { return this.timers.length; }

  private insert(timer: Timer): void {
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1].at > timer.at || (this.timers[i - 1].at === timer.at && this.timers[i - 1].seq > timer.seq))) i--;
    this.timers.splice(i, 0, timer);
  }

  private remove(timer: Timer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }
}
