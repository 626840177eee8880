// The engine's status for the status bar: working while a request the user waits for runs, the last request's
// figures, an error until the next success, or why the current file gets no completion. Background requests
// (speculation) never show here.
import type { EngineStatus, RequestTimings } from './engineTypes';
import { Emitter, type Listener } from './events';
import type { Logger } from '../util/log';

export class StatusBoard {
  private last: EngineStatus = { state: 'idle' };
  private lastTimings: RequestTimings | undefined;
  /** User requests running now (all editors). */
  private active = 0;
  private readonly emitter: Emitter<EngineStatus>;

  constructor(log: Logger) {
    this.emitter = new Emitter(log);
  }

  on(listener: Listener<EngineStatus>): () => void {
    return this.emitter.on(listener);
  }

  get current(): EngineStatus {
    return this.last;
  }

  /** Idle, saying why there is no completion here (a blocked file). */
  idleBecause(reason: string): void {
    this.set({ state: 'idle', reason });
  }

  /** A file that is not blocked: forget the reason an earlier one was. */
  clearReason(): void {
    if (this.last.state === 'idle' && this.last.reason) this.set({ state: 'idle', timings: this.lastTimings });
  }

  requestStarted(): void {
    this.active++;
    this.set({ state: 'working', timings: this.lastTimings });
  }

  /** A user request ended: with its figures when it succeeded, else (aborted, failed) without. */
  requestEnded(timings?: RequestTimings): void {
    this.active = Math.max(0, this.active - 1);
    if (timings) {
      this.lastTimings = timings;
      this.set({ state: this.active > 0 ? 'working' : 'idle', timings });
    } else if (this.last.state === 'working' && this.active === 0) {
      this.set({ state: 'idle', timings: this.lastTimings });
    }
  }

  requestFailed(reason: string, errorKind: NonNullable<EngineStatus['errorKind']>): void {
    this.active = Math.max(0, this.active - 1);
    this.error(reason, errorKind);
  }

  error(reason: string, errorKind: NonNullable<EngineStatus['errorKind']>): void {
    this.set({ state: 'error', reason, errorKind, timings: this.lastTimings });
  }

  private set(status: EngineStatus): void {
    const last = this.last;
    this.last = status;
    // Idle-with-the-same-reason repeats on every keystroke in a blocked file: say it once.
    if (last.state === status.state && last.reason === status.reason && last.timings === status.timings) return;
    this.emitter.emit(status);
  }
}
