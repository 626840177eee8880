// Scheduling: when a model request may start, and which one the server works on. A local server has one slot
// (llama.cpp and Ollama run one completion at a time per model), so the order of requests is the user's latency.
//
//   user request        waits for a pause in the typing (adaptive debounce) and an error back-off; takes the
//                        slot at once, stopping any background work in it
//   speculative request the suggestion where accepting the shown one leads; only into a free slot
//   prefill request     reads the prompt of a new place into the server's cache; only into a free slot
//
// The one user request in flight per editor is the engine's (it may reuse it while the user types along it);
// this module only knows who holds the server and for what.
import type { RequestKind } from '../decisions';
import type { Clock } from './clock';
import { AdaptiveDebounce } from './debounce';

/** Error back-off: after n consecutive failures wait min(MAX, BASE * 2^(n-1)) before the next automatic request. */
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 10_000;

/** One request holding (or sharing) the server slot. */
export interface SlotTicket {
  kind: RequestKind;
  /** Aborted when a request the user waits for needs the slot. */
  readonly controller: AbortController;
}

export interface SchedulerOptions {
  clock: Clock;
  /** Debounce bounds from the settings, read at every request. */
  debounceBounds(): { minMs: number; maxMs: number };
}

export class Scheduler {
  private readonly debounce: AdaptiveDebounce;
  private readonly tickets = new Set<SlotTicket>();
  private consecutiveErrors = 0;
  private backoffUntil = 0;
  /** Where each editor's cursor was at its last keystroke (document and line). */
  private readonly places = new Map<string, { uri: string; line: number }>();
  /** Background requests stopped to free the slot for the user, and refused because it was busy. */
  private yieldedValue = 0;
  private refusedValue = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.debounce = new AdaptiveDebounce(options.debounceBounds);
  }

  // --- the pause in the typing ---

  /** Records a keystroke (an automatic completion request from the editor). */
  keystroke(now = this.options.clock.now()): void {
    this.debounce.keystroke(now);
  }

  /** Records how long a model request took to its suggestion (slow servers wait longer). */
  latency(ms: number): void {
    this.debounce.latency(ms);
  }

  /** The delay the next automatic request would wait. */
  delayMs(): number {
    return this.debounce.delayMs();
  }

  /** Waits the debounce delay; false when `signal` fired first (a newer keystroke). */
  async pause(signal: AbortSignal): Promise<boolean> {
    try {
      await this.options.clock.sleep(this.debounce.delayMs(), signal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Records where the editor's cursor is at a keystroke; true when it reached a new place since the last one (another
   * line or document: Enter, a click, a jump), where a prefill can read the new prompt while the debounce waits.
   */
  moved(editorId: string, uri: string, line: number): boolean {
    const before = this.places.get(editorId);
    if (this.places.size >= 64 && before === undefined) this.places.delete(this.places.keys().next().value!);
    this.places.set(editorId, { uri, line });
    // The next line (Enter) is not counted: a prefill there cost more requests than it saved in the replay.
    return !before || before.uri !== uri || Math.abs(before.line - line) > 1;
  }

  /** A prefill at a new place is worth sending: the debounce leaves the server time to read the prompt. */
  prefillWorthIt(): boolean {
    return this.debounce.delayMs() > 0;
  }

  // --- error back-off ---

  /** True while automatic requests wait out a run of failures. */
  backingOff(now = this.options.clock.now()): boolean {
    return now < this.backoffUntil;
  }

  /** A request failed: the next automatic one waits longer. Returns the wait. */
  failed(now = this.options.clock.now()): number {
    this.consecutiveErrors++;
    const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (this.consecutiveErrors - 1));
    this.backoffUntil = now + wait;
    return wait;
  }

  succeeded(): void {
    this.consecutiveErrors = 0;
    this.backoffUntil = 0;
  }

  // --- the server slot ---

  /** A request the user waits for: always granted; background work in the slot is stopped first. */
  claimForUser(controller: AbortController): SlotTicket {
    for (const t of [...this.tickets]) {
      if (t.kind === 'user') continue;
      this.yieldedValue++;
      this.tickets.delete(t);
      t.controller.abort();
    }
    const ticket: SlotTicket = { kind: 'user', controller };
    this.tickets.add(ticket);
    return ticket;
  }

  /** Background work: only into a free slot (nothing else running), else undefined and nothing is sent. */
  claimForBackground(kind: Exclude<RequestKind, 'user'>, controller: AbortController): SlotTicket | undefined {
    if (this.tickets.size > 0) {
      this.refusedValue++;
      return undefined;
    }
    const ticket: SlotTicket = { kind, controller };
    this.tickets.add(ticket);
    return ticket;
  }

  /** Background work the user has now reached (they wait for it): it keeps the slot like a user request. */
  promote(controller: AbortController): void {
    for (const t of this.tickets) if (t.controller === controller) t.kind = 'user';
  }

  release(ticket: SlotTicket | undefined): void {
    if (ticket) this.tickets.delete(ticket);
  }

  /** True while a request the user waits for holds the slot. */
  get userWaiting(): boolean {
    for (const t of this.tickets) if (t.kind === 'user') return true;
    return false;
  }

  /** Stops all background work (settings changed, engine disposed). */
  stopBackground(): void {
    for (const t of [...this.tickets]) {
      if (t.kind === 'user') continue;
      this.tickets.delete(t);
      t.controller.abort();
    }
  }

  reset(): void {
    this.succeeded();
    this.stopBackground();
  }

  get stats(): { yielded: number; refused: number } {
    return { yielded: this.yieldedValue, refused: this.refusedValue };
  }
}
