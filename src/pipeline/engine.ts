// The completion engine: what happens between a keystroke and ghost text, with no VS Code in sight.
// The VS Code provider, the CLI and the bench all drive this one class.
//
//   provide() ─┬─ typed-through reuse of the last suggestion ─────────────────────────┐
//              ├─ the request already streaming, if the user typed along it ─────────┤
//              ├─ cache for this cursor region ──────────────────────────────────────┤──> Suggestion
//              └─ scheduler (debounce, back-off, the server slot) ─> modelRequest     │
//                   (prompt, stream, early stop, post-process) ──────────────────────┘
//
// Public shapes live in engineTypes.ts, scheduling in scheduler.ts, one request's run in modelRequest.ts and the
// pre-request decisions in src/decisions.
import { CompletionCache } from '../cache/completionCache';
import {
  anchorOf, compatibleWithStream, remainderAfter, typedSince, typedThroughRemainder,
} from '../cache/typedThrough';
import type { InfillConfig } from '../config/types';
import { multilineAt, skipAutomaticAt, type RequestKind } from '../decisions';
import { buildDocumentContext, documentBlocker } from '../document/documentContext';
import type { DocumentContext, DocumentSnapshot, Position } from '../document/types';
import { isAbortError } from '../util/abort';
import { errorMessage } from '../util/errors';
import { realClock, type Clock } from './clock';
import {
  emptyCounters, makeSuggestion, type EngineCounters, type EngineDeps, type EngineFeatures, type EngineStatus,
  type ProvideOptions, type RequestRecord, type RequestTimings, type Suggestion,
} from './engineTypes';
import { Emitter, type Listener } from './events';
import { EditorStates, type EditorState } from './editors';
import { newInFlight, runModelRequest, textAhead, type InFlight, type RunResult } from './modelRequest';
import { Scheduler, type SlotTicket } from './scheduler';

export type { Clock } from './clock';
export * from './engineTypes';

const ABORTED = Symbol('aborted');

export class CompletionEngine {
  private readonly clock: Clock;
  private readonly cache = new CompletionCache();
  private readonly scheduler: Scheduler;
  private readonly editors = new EditorStates();
  private readonly statusEmitter: Emitter<EngineStatus>;
  private readonly requestEmitter: Emitter<RequestRecord>;
  private readonly grewEmitter: Emitter<{ editorId: string }>;
  private nextRequestId = 0;
  /** Model requests running now (all editors): the status is 'working' while there is one. */
  private activeRequests = 0;
  private lastStatus: EngineStatus = { state: 'idle' };
  private lastTimings: RequestTimings | undefined;
  private disposed = false;
  private countersValue: EngineCounters = emptyCounters();
  private readonly features: EngineFeatures;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? realClock;
    this.features = { cache: true, typedThrough: true, earlyStop: true, progressive: true, ...deps.features };
    this.statusEmitter = new Emitter(deps.log);
    this.requestEmitter = new Emitter(deps.log);
    this.grewEmitter = new Emitter(deps.log);
    this.scheduler = new Scheduler({
      clock: this.clock,
      debounceBounds: () => {
        const c = deps.config();
        return { minMs: c.debounceMinMs, maxMs: c.debounceMaxMs };
      },
    });
  }

  /** Status changes (idle / working / error). Returns an unsubscribe function. */
  onStatus(listener: Listener<EngineStatus>): () => void {
    return this.statusEmitter.on(listener);
  }

  /** Every model request when it ends, whatever the outcome. */
  onRequest(listener: Listener<RequestRecord>): () => void {
    return this.requestEmitter.on(listener);
  }

  /**
   * A request whose first lines were shown early (progressive mode) has ended with more: the editor shows the
   * lines it already has until asked again, so the adapter asks again (if hasSuggestionAt says it is worth it).
   */
  onSuggestionGrew(listener: Listener<{ editorId: string }>): () => void {
    return this.grewEmitter.on(listener);
  }

  /** True when this editor has a suggestion the user's text still leads into, without a model request. */
  hasSuggestionAt(snapshot: DocumentSnapshot, position: Position, editorId = snapshot.uri): boolean {
    const shown = this.editors.peek(editorId)?.shown;
    if (!shown || !this.features.typedThrough) return false;
    const config = this.deps.config();
    const doc = buildDocumentContext(snapshot, position, { prefixTokens: config.maxPrefixTokens, suffixTokens: config.maxSuffixTokens });
    const rest = typedThroughRemainder(shown, doc);
    return rest !== undefined && rest.trim() !== '';
  }

  get status(): EngineStatus {
    return this.lastStatus;
  }

  get counters(): EngineCounters {
    return { ...this.countersValue };
  }

  resetCounters(): void {
    this.countersValue = emptyCounters();
  }

  /** The delay the next automatic request would wait (for logs and the bench). */
  get debounceMs(): number {
    return this.scheduler.delayMs();
  }

  /** Forget cached suggestions and error back-off (after a settings change or a model pull). */
  reset(): void {
    this.cache.clear();
    for (const editor of this.editors.values()) {
      editor.shown = undefined;
      // Started under the old settings: their answers must not be cached or shown under the new ones.
      this.abortInflight(editor, 'disposed');
    }
    this.scheduler.reset();
  }

  dispose(): void {
    this.disposed = true;
    for (const editor of this.editors.values()) this.abortInflight(editor, 'disposed');
    this.editors.clear();
  }

  /**
   * A suggestion for the cursor, or undefined (nothing useful, cancelled, or failed: failures are reported
   * through onStatus, never thrown). `signal` is the caller's cancellation (VS Code's token): it stops the
   * wait, but a request already streaming keeps going as long as the user types along it.
   */
  async provide(
    snapshot: DocumentSnapshot,
    position: Position,
    signal: AbortSignal,
    opts: ProvideOptions = {},
  ): Promise<Suggestion | undefined> {
    try {
      return await this.provideInner(snapshot, position, signal, opts);
    } catch (err) {
      // Every expected failure is handled inside; this is the last guard against a bug reaching the editor.
      if (!isAbortError(err)) {
        this.deps.log.error(`Infill: unexpected failure: ${errorMessage(err)}`);
        this.setStatus({ state: 'error', reason: `Internal error: ${errorMessage(err)}`, errorKind: 'internal' });
      }
      return undefined;
    }
  }

  private async provideInner(
    snapshot: DocumentSnapshot,
    position: Position,
    signal: AbortSignal,
    opts: ProvideOptions,
  ): Promise<Suggestion | undefined> {
    if (this.disposed || signal.aborted) return undefined;
    const config = this.deps.config();
    this.countersValue.provideCalls++;
    const explicit = opts.explicit ?? false;
    if (!config.enabled && !explicit) return undefined;
    if (config.disabledLanguages.includes(snapshot.languageId) && !explicit) return undefined;

    const blocker = documentBlocker(snapshot, config.maxFileBytes);
    if (blocker) {
      this.setStatus({ state: 'idle', reason: blocker });
      return undefined;
    }
    if (this.lastStatus.state === 'idle' && this.lastStatus.reason) this.setStatus({ state: 'idle', timings: this.lastTimings });

    const editorId = opts.editorId ?? snapshot.uri;
    const editor = this.editors.get(editorId);
    const generation = ++editor.generation;
    const now = this.clock.now();
    if (!explicit) this.scheduler.keystroke(now);

    const doc = buildDocumentContext(snapshot, position, {
      prefixTokens: config.maxPrefixTokens,
      suffixTokens: config.maxSuffixTokens,
    });

    // 1. The user typed into the suggestion already shown: its remainder, no request.
    if (editor.shown && this.features.typedThrough) {
      const rest = typedThroughRemainder(editor.shown, doc);
      if (rest !== undefined) {
        this.countersValue.typedThroughHits++;
        return makeSuggestion(doc, rest, 'typed-through', editor.shown.requestId);
      }
    }

    // 2. A request still streaming for this editor: keep it if the typing goes along it, else stop it.
    const reused = await this.awaitCompatibleInflight(editor, doc, signal);
    if (reused === ABORTED || editor.generation !== generation) return undefined;
    if (reused) return reused;

    // 3. This cursor region was completed before.
    const cached = this.features.cache ? this.cache.get(doc) : undefined;
    // An explicit request asks the model again where the last answer was empty.
    if (cached !== undefined && !(explicit && cached.trim() === '')) {
      this.countersValue.cacheHits++;
      if (cached.trim() === '') return undefined;
      editor.shown = { anchor: anchorOf(doc), text: cached, requestId: 0 };
      return makeSuggestion(doc, cached, 'cache', 0);
    }

    // 4. Wait for a pause in the typing, unless asked explicitly.
    if (!explicit) {
      if (this.scheduler.backingOff(now)) return undefined;
      if (skipAutomaticAt(doc, this.multiline(doc))) {
        this.countersValue.skippedFinishedLines++;
        return undefined;
      }
      if (!await this.scheduler.pause(signal)) return undefined;
      if (editor.generation !== generation || this.disposed) return undefined;
    }

    // A concurrent provide() may have started a request meanwhile.
    const again = await this.awaitCompatibleInflight(editor, doc, signal);
    if (again === ABORTED || editor.generation !== generation) return undefined;
    if (again) return again;

    // 5. Ask the model.
    const inflight = this.startRequest(editor, editorId, doc, config);
    // Asked explicitly (a shortcut, the CLI): the whole suggestion. Automatic: its first complete lines may do.
    const text = await raceAbort(explicit ? inflight.result : textAhead(inflight, ''), signal);
    if (text === ABORTED || !text || text.trim() === '') return undefined;
    // A partial suggestion is what the user sees and types into until the request ends.
    if (!inflight.done) this.showPartial(editor, inflight, text);
    // A newer keystroke in this editor arrived meanwhile: this answer is for a document that is gone. (The
    // newer call reuses it through typed-through if the typing matched.)
    if (editor.generation !== generation) return undefined;
    return makeSuggestion(doc, text, 'model', inflight.id);
  }

  /**
   * When a request is streaming for this editor and the user's typing since it started matches what it
   * streams, waits for it and returns the remainder. Otherwise aborts it. Undefined = go on.
   */
  private async awaitCompatibleInflight(
    editor: EditorState,
    doc: DocumentContext,
    signal: AbortSignal,
  ): Promise<Suggestion | undefined | typeof ABORTED> {
    const inflight = editor.inflight;
    if (!inflight || inflight.done) return undefined;
    const ahead = this.features.typedThrough ? typedSince(inflight.anchor, doc) : undefined;
    if (!ahead || !compatibleWithStream(inflight.streamed, ahead)) {
      this.abortInflight(editor, 'diverged');
      return undefined;
    }
    inflight.typedAhead = ahead;
    const text = await raceAbort(textAhead(inflight, ahead.typed), signal);
    if (text === ABORTED) return ABORTED;
    if (text === undefined) return undefined;
    const rest = remainderAfter(text, ahead);
    if (rest === undefined) return undefined;
    if (!inflight.done) this.showPartial(editor, inflight, text);
    this.countersValue.typedThroughHits++;
    this.countersValue.inflightReuses++;
    return makeSuggestion(doc, rest, 'typed-through', inflight.id);
  }

  private showPartial(editor: EditorState, inflight: InFlight, text: string): void {
    inflight.shownPartialLength = Math.max(inflight.shownPartialLength ?? 0, text.length);
    if (this.features.typedThrough) editor.shown = { anchor: inflight.anchor, text, requestId: inflight.id };
  }

  private abortInflight(editor: EditorState, reason: NonNullable<InFlight['abortReason']>): void {
    const inflight = editor.inflight;
    if (!inflight || inflight.done) return;
    inflight.abortReason ??= reason;
    inflight.controller.abort();
    editor.inflight = undefined;
  }

  private startRequest(editor: EditorState, editorId: string, doc: DocumentContext, config: InfillConfig, kind: RequestKind = 'user'): InFlight {
    this.abortInflight(editor, 'diverged');
    const inflight = newInFlight({ id: ++this.nextRequestId, editorId, kind, doc, anchor: anchorOf(doc) });
    const ticket = this.scheduler.claimForUser(inflight.controller);
    this.countersValue.requestsStarted++;
    editor.inflight = inflight;
    inflight.result = this.run(inflight, config, ticket)
      .catch(err => {
        this.deps.log.error(`Infill: request #${inflight.id} failed unexpectedly: ${errorMessage(err)}`);
        return undefined;
      })
      .then(text => {
        inflight.done = true;
        inflight.notify();
        if (editor.inflight === inflight) editor.inflight = undefined;
        // Lines shown early from a request that then failed or came to nothing are not offered again.
        if ((text === undefined || text.trim() === '') && editor.shown?.requestId === inflight.id) editor.shown = undefined;
        if (text !== undefined && text.trim() !== '' && this.features.typedThrough) {
          // Computed means shown (or about to be): the user may type into it before asking again.
          editor.shown = { anchor: inflight.anchor, text, requestId: inflight.id };
          if (inflight.shownPartialLength !== undefined && text.length > inflight.shownPartialLength) this.grewEmitter.emit({ editorId });
        }
        return text;
      });
    return inflight;
  }

  /** Runs one request in the server slot and applies its outcome (status, cache, back-off, counters). */
  private async run(inflight: InFlight, config: InfillConfig, ticket: SlotTicket): Promise<string | undefined> {
    this.activeRequests++;
    this.setStatus({ state: 'working', timings: this.lastTimings });
    let result: RunResult | undefined;
    try {
      result = await runModelRequest(inflight, { deps: this.deps, features: this.features, clock: this.clock, config });
      this.activeRequests--;
      this.applyOutcome(inflight, result);
      return result.text;
    } finally {
      if (!result) this.activeRequests--;
      this.scheduler.release(ticket);
      if (result) this.requestEmitter.emit(result.record);
    }
  }

  private applyOutcome(inflight: InFlight, result: RunResult): void {
    const { record, text, timings, failure } = result;
    if (failure) {
      if (record.outcome === 'timeout') this.countersValue.requestsTimedOut++;
      this.failed(failure.message, failure.kind);
      return;
    }
    if (record.outcome === 'aborted' || text === undefined || !timings) {
      this.countersValue.requestsAborted++;
      if (this.lastStatus.state === 'working' && this.activeRequests === 0) this.setStatus({ state: 'idle', timings: this.lastTimings });
      return;
    }
    if (this.features.cache) this.cache.set(inflight.doc, text);
    this.countersValue.tokensGenerated += timings.tokens;
    if (timings.earlyStopped) {
      this.countersValue.earlyStops++;
      this.countersValue.tokensSavedByEarlyStop += timings.tokensSaved;
    }
    this.scheduler.latency(timings.totalMs);
    this.scheduler.succeeded();
    this.lastTimings = timings;
    this.setStatus({ state: this.activeRequests > 0 ? 'working' : 'idle', timings });
  }

  private failed(message: string, kind: NonNullable<EngineStatus['errorKind']>): void {
    this.countersValue.requestsFailed++;
    this.scheduler.failed();
    this.deps.log.warn(`Infill: ${message}`);
    this.setStatus({ state: 'error', reason: message, errorKind: kind, timings: this.lastTimings });
  }

  private multiline(doc: DocumentContext): boolean {
    return multilineAt(doc, this.deps.decideMultiline, err => this.deps.log.debug(`Infill: multiline decision failed: ${errorMessage(err)}`));
  }

  private setStatus(status: EngineStatus): void {
    const last = this.lastStatus;
    this.lastStatus = status;
    // Idle-with-the-same-reason repeats on every keystroke in a blocked file: say it once.
    if (last.state === status.state && last.reason === status.reason && last.timings === status.timings) return;
    this.statusEmitter.emit(status);
  }

}

/** Resolves with `promise`'s value, or ABORTED as soon as `signal` fires. `promise` must never reject. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise(resolve => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => { signal.removeEventListener('abort', onAbort); resolve(value); },
      () => { signal.removeEventListener('abort', onAbort); resolve(ABORTED); },
    );
  });
}
