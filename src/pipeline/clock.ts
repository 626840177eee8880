// All engine timing goes through a Clock so the bench can replay keystrokes in virtual time and tests can
// drive debounce and timeouts without waiting.
import { sleep } from '../util/abort';

export interface Clock {
  /** Milliseconds, monotonic within a run. */
  now(): number;
  /** Resolves after `ms`, or rejects with an AbortError when `signal` fires. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, signal),
};
