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
  type ProvideOptions, type RequestRecord, type Suggestion,
} from './engineTypes';
import { Emitter, type Listener } from './events';
import { abortInflight, EditorStates, showPartial, type EditorState } from './editors';
import { ServerState } from '../prompt/promptBudget';
import { ABORTED, newInFlight, prefillsWith, raceAbort, runModelRequest, textAhead, type InFlight, type RunResult } from './modelRequest';
import { Scheduler, type SlotTicket } from './scheduler';
import { Speculation } from './speculation';
import { StatusBoard } from './statusBoard';

export type { Clock } from './clock';
export * from './engineTypes';

export class CompletionEngine {
  private readonly clock: Clock;
  private readonly cache = new CompletionCache();
  private readonly scheduler: Scheduler;
  private readonly speculation: Speculation;
  private readonly editors = new EditorStates();
  private readonly statusBoard: StatusBoard;
  private readonly requestEmitter: Emitter<RequestRecord>;
  private readonly grewEmitter: Emitter<{ editorId: string }>;
  private nextRequestId = 0;
  private disposed = false;
  private countersValue: EngineCounters = emptyCounters();
  private readonly features: EngineFeatures;
  private readonly server = new ServerState();

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? realClock;
    this.features = { cache: true, typedThrough: true, earlyStop: true, progressive: true, speculate: true, prefill: true, ...deps.features };
    this.statusBoard = new StatusBoard(deps.log);
    this.requestEmitter = new Emitter(deps.log);
    this.grewEmitter = new Emitter(deps.log);
    this.scheduler = new Scheduler({
      clock: this.clock,
      debounceBounds: () => {
        const c = deps.config();
        return { minMs: c.debounceMinMs, maxMs: c.debounceMaxMs };
      },
    });
    this.speculation = new Speculation({
      start: (editorId, doc) => this.startRequest(this.editors.get(editorId), editorId, doc, deps.config(), 'speculative'),
      cached: doc => this.features.cache && this.cache.has(doc),
      budget: () => ({ prefixTokens: deps.config().maxPrefixTokens, suffixTokens: deps.config().maxSuffixTokens }),
    });
  }

  /** Status changes (idle / working / error). Returns an unsubscribe function. */
  onStatus(listener: Listener<EngineStatus>): () => void {
    return this.statusBoard.on(listener);
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
    return this.statusBoard.current;
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
    this.speculation.drop();
    this.cache.clear();
    this.speculation.forgetEntries();
    for (const editor of this.editors.values()) {
      editor.shown = undefined;
      // Started under the old settings: their answers must not be cached or shown under the new ones.
      abortInflight(editor, 'disposed');
    }
    this.scheduler.reset();
  }

  dispose(): void {
    this.disposed = true;
    this.speculation.drop();
    for (const editor of this.editors.values()) abortInflight(editor, 'disposed');
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
      const seen: { doc?: DocumentContext } = {};
      const suggestion = await this.provideInner(snapshot, position, signal, opts, seen);
      if (suggestion && seen.doc && this.features.speculate && !signal.aborted) {
        const editorId = opts.editorId ?? snapshot.uri;
        const editor = this.editors.get(editorId);
        // A suggestion whose request still streams is only its first lines: the aim waits for the whole text.
        const running = editor.inflight?.id === suggestion.requestId && !editor.inflight.done ? editor.inflight : undefined;
        const generation = editor.generation;
        this.speculation.offer({ editorId, snapshot, position, doc: seen.doc, text: suggestion.text, running, current: () => editor.generation === generation && !this.disposed });
      }
      return suggestion;
    } catch (err) {
      // Every expected failure is handled inside; this is the last guard against a bug reaching the editor.
      if (!isAbortError(err)) {
        this.deps.log.error(`Infill: unexpected failure: ${errorMessage(err)}`);
        this.statusBoard.error(`Internal error: ${errorMessage(err)}`, 'internal');
      }
      return undefined;
    }
  }

  private async provideInner(
    snapshot: DocumentSnapshot,
    position: Position,
    signal: AbortSignal,
    opts: ProvideOptions,
    seen: { doc?: DocumentContext },
  ): Promise<Suggestion | undefined> {
    if (this.disposed || signal.aborted) return undefined;
    const config = this.deps.config();
    this.countersValue.provideCalls++;
    const explicit = opts.explicit ?? false;
    if (!config.enabled && !explicit) return undefined;
    if (config.disabledLanguages.includes(snapshot.languageId) && !explicit) return undefined;

    const blocker = documentBlocker(snapshot, config.maxFileBytes);
    if (blocker) {
      this.statusBoard.idleBecause(blocker);
      return undefined;
    }
    this.statusBoard.clearReason();

    const editorId = opts.editorId ?? snapshot.uri;
    const editor = this.editors.get(editorId);
    const generation = ++editor.generation;
    const now = this.clock.now();
    if (!explicit) this.scheduler.keystroke(now);

    const doc = buildDocumentContext(snapshot, position, { prefixTokens: config.maxPrefixTokens, suffixTokens: config.maxSuffixTokens });
    seen.doc = doc;
    const moved = this.scheduler.moved(editorId, doc.uri, doc.position.line);
    // The user reached the place a speculative request is still working on: it is theirs now.
    const arrived = this.speculation.visit(editorId, doc);
    if (arrived) this.adopt(editor, arrived);

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

    // 3. This cursor region was completed before (an empty answer too: nothing to show here).
    const cached = this.cachedAt(editor, doc, explicit);
    if (cached !== undefined) return cached || undefined;

    // 4. Wait for a pause in the typing, unless asked explicitly (or speculation works for where the user goes).
    if (!explicit) {
      if (this.scheduler.backingOff(now) || this.speculation.leadsOn(editorId)) return undefined;
      if (skipAutomaticAt(doc, this.multiline(doc))) {
        this.countersValue.skippedFinishedLines++;
        return undefined;
      }
      // A new place: the server reads its prompt while the debounce waits (into a free slot only).
      if (moved && this.features.prefill && prefillsWith(config.backend) && this.scheduler.prefillWorthIt()) this.startRequest(editor, editorId, doc, config, 'prefill');
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
    if (!inflight.done) showPartial(editor, inflight, text, this.features.typedThrough);
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
      abortInflight(editor, 'diverged');
      return undefined;
    }
    inflight.typedAhead = ahead;
    const text = await raceAbort(textAhead(inflight, ahead.typed), signal);
    if (text === ABORTED) return ABORTED;
    if (text === undefined) return undefined;
    const rest = remainderAfter(text, ahead);
    if (rest === undefined) return undefined;
    if (!inflight.done) showPartial(editor, inflight, text, this.features.typedThrough);
    this.countersValue.typedThroughHits++;
    this.countersValue.inflightReuses++;
    return makeSuggestion(doc, rest, 'typed-through', inflight.id);
  }

  /** Starts a model request; a background one only into a free server slot (else undefined). */
  private startRequest(editor: EditorState, editorId: string, doc: DocumentContext, config: InfillConfig, kind: RequestKind): InFlight | undefined;
  private startRequest(editor: EditorState, editorId: string, doc: DocumentContext, config: InfillConfig): InFlight;
  private startRequest(editor: EditorState, editorId: string, doc: DocumentContext, config: InfillConfig, kind: RequestKind = 'user'): InFlight | undefined {
    const inflight = newInFlight({ id: this.nextRequestId + 1, editorId, kind, doc, anchor: anchorOf(doc) });
    let ticket: SlotTicket | undefined;
    if (kind === 'user') {
      abortInflight(editor, 'diverged');
      ticket = this.scheduler.claimForUser(inflight.controller);
      editor.inflight = inflight;
    } else {
      ticket = this.scheduler.claimForBackground(kind, inflight.controller);
      if (!ticket) return undefined;
      if (kind === 'speculative') this.countersValue.speculativeRequests++;
    }
    this.nextRequestId++;
    if (kind !== 'prefill') this.countersValue.requestsStarted++; // counted once sent (applyOutcome)
    inflight.result = this.run(inflight, config, ticket)
      .catch(err => {
        this.deps.log.error(`Infill: request #${inflight.id} failed unexpectedly: ${errorMessage(err)}`);
        return undefined;
      })
      .then(text => {
        inflight.done = true;
        inflight.notify();
        if (editor.inflight !== inflight) return text;
        editor.inflight = undefined;
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

  /** A background request the user has now reached becomes the editor's request in flight. */
  private adopt(editor: EditorState, inflight: InFlight): void {
    abortInflight(editor, 'diverged');
    this.scheduler.promote(inflight.controller);
    this.countersValue.speculativeHits++;
    editor.inflight = inflight;
  }

  /** Runs one request in the server slot and applies its outcome (status, cache, back-off, counters). */
  private async run(inflight: InFlight, config: InfillConfig, ticket: SlotTicket): Promise<string | undefined> {
    // Background work is the engine's own business: it shows in no status and earns no back-off.
    const user = inflight.kind === 'user';
    if (user) this.statusBoard.requestStarted();
    let result: RunResult | undefined;
    try {
      result = await runModelRequest(inflight, { deps: this.deps, features: this.features, clock: this.clock, config, server: this.server });
      this.applyOutcome(inflight, result, user);
      return result.text;
    } finally {
      if (!result && user) this.statusBoard.requestEnded();
      this.scheduler.release(ticket);
      if (result) this.requestEmitter.emit({ ...result.record, kind: inflight.kind });
      // The slot is free: a speculation that had to wait may go now.
      if (!this.disposed) this.speculation.tryStart();
    }
  }

  private applyOutcome(inflight: InFlight, result: RunResult, user: boolean): void {
    const { record, text, timings, failure } = result;
    const c = this.countersValue;
    if (inflight.kind === 'prefill' && record.request) c.requestsStarted++, c.prefillRequests++;
    if (inflight.kind === 'prefill' && !failure) return;
    if (failure) {
      if (record.outcome === 'timeout') c.requestsTimedOut++;
      c.requestsFailed++;
      if (!user) {
        this.deps.log.debug(`Infill: background request #${inflight.id} failed: ${failure.message}`);
        return;
      }
      this.scheduler.failed();
      this.deps.log.warn(`Infill: ${failure.message}`);
      this.statusBoard.requestFailed(failure.message, failure.kind);
      return;
    }
    if (record.outcome === 'aborted' || text === undefined || !timings) {
      c.requestsAborted++;
      if (user) this.statusBoard.requestEnded();
      return;
    }
    if (this.features.cache) this.cache.set(inflight.doc, text);
    if (inflight.kind === 'speculative' && text.trim() !== '') this.speculation.remember(inflight);
    c.tokensGenerated += timings.tokens;
    if (timings.earlyStopped) {
      c.earlyStops++;
      c.tokensSavedByEarlyStop += timings.tokensSaved;
    }
    if (!user) return;
    this.scheduler.latency(timings.totalMs);
    this.scheduler.succeeded();
    this.statusBoard.requestEnded(timings);
  }

  /** The cached suggestion here ('' = the model had nothing here), or undefined. Explicit requests ask again after ''. */
  private cachedAt(editor: EditorState, doc: DocumentContext, explicit: boolean): Suggestion | '' | undefined {
    const cached = this.features.cache ? this.cache.get(doc) : undefined;
    if (cached === undefined || (explicit && cached.trim() === '')) return undefined;
    this.countersValue.cacheHits++;
    if (cached.trim() === '') return '';
    const requestId = this.speculation.entryAt(doc) ?? 0;
    if (requestId) this.countersValue.speculativeHits++;
    editor.shown = { anchor: anchorOf(doc), text: cached, requestId };
    return makeSuggestion(doc, cached, 'cache', requestId);
  }

  private multiline(doc: DocumentContext): boolean {
    return multilineAt(doc, this.deps.decideMultiline, err => this.deps.log.debug(`Infill: multiline decision failed: ${errorMessage(err)}`));
  }
}
