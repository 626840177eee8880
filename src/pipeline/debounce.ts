// Adaptive debounce: wait for the user to pause before spending a model request.
//
// A keystroke that follows a long pause (the user stopped, then pressed Enter or typed one character) gets the
// shortest delay: they are probably waiting for a suggestion. Inside a typing burst the delay follows the
// user's own rhythm: a gap between keys has to be clearly longer than their usual one before we call it a
// pause, so a fast burst waits longer than a lone keystroke. Slow models add to the delay because every
// wasted request costs more. Bounds come from the settings (debounceMinMs..debounceMaxMs).

/** A gap longer than this ends a typing burst (the typing-speed average starts over). */
export const BURST_GAP_MS = 1000;
/** How many of the user's usual inter-key gaps a pause must last inside a burst. */
export const TYPING_GAP_FACTOR = 1.6;
/** Share of the measured request latency added to the delay. */
export const LATENCY_FACTOR = 0.25;
/** Weight of the newest sample in the moving averages. */
const EMA_WEIGHT = 0.3;

export class AdaptiveDebounce {
  private lastKeyAt: number | undefined;
  private gapAverage: number | undefined;
  private latencyAverage: number | undefined;

  constructor(private readonly bounds: () => { minMs: number; maxMs: number }) {}

  /** Records a keystroke (a completion request from the editor) at time `now`. */
  keystroke(now: number): void {
    if (this.lastKeyAt !== undefined) {
      const gap = now - this.lastKeyAt;
      if (gap > BURST_GAP_MS || gap < 0) this.gapAverage = undefined;
      else this.gapAverage = this.gapAverage === undefined ? gap : ema(this.gapAverage, gap);
    }
    this.lastKeyAt = now;
  }

  /** Records how long a model request took to produce its suggestion. */
  latency(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    this.latencyAverage = this.latencyAverage === undefined ? ms : ema(this.latencyAverage, ms);
  }

  /** The delay to wait now before sending a request. */
  delayMs(): number {
    const { minMs, maxMs } = this.bounds();
    const lo = Math.max(0, Math.min(minMs, maxMs));
    const hi = Math.max(minMs, maxMs);
    const typing = this.gapAverage === undefined ? 0 : this.gapAverage * TYPING_GAP_FACTOR;
    const latency = (this.latencyAverage ?? 0) * LATENCY_FACTOR;
    return Math.round(Math.min(hi, Math.max(lo, typing) + latency));
  }

  /** For logs and the bench. */
  snapshot(): { gapAverageMs?: number; latencyAverageMs?: number } {
    return { gapAverageMs: this.gapAverage, latencyAverageMs: this.latencyAverage };
  }
}

function ema(average: number, sample: number): number {
  return average + EMA_WEIGHT * (sample - average);
}
