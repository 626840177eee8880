// The completion engine: what happens between a keystroke and ghost text, with no VS Code in sight.
// The VS Code provider, the CLI and the bench all drive this one class.
//
//   provide() ─┬─ typed-through reuse of the last suggestion ─────────────────────────┐
//              ├─ the request already streaming, if the user typed along it ─────────┤
//              ├─ cache for this cursor region ──────────────────────────────────────┤──> Suggestion
//              └─ adaptive debounce ─> template + context ─> backend stream           │
//                   (early stop as soon as the post-processor says done) ─> process ─┘
import type { Backend, BackendErrorKind, CompletionRequest, CompletionStats } from '../backend/types';
import { BackendError } from '../backend/types';
import { CompletionCache } from '../cache/completionCache';
import {
  anchorOf, compatibleWithStream, remainderAfter, typedSince, typedThroughRemainder,
  type SuggestionAnchor, type TypedAhead,
} from '../cache/typedThrough';
import type { InfillConfig } from '../config/types';
import type { ContextProvider, ContextSnippet } from '../context/types';
import { buildDocumentContext, documentBlocker } from '../document/documentContext';
import type { DocumentContext, DocumentSnapshot, Position } from '../document/types';
import type { Postprocessor } from '../postprocess/types';
import { buildCompletionRequest, type PromptMode } from '../prompt/buildRequest';
import { estimateTokens } from '../prompt/tokens';
import type { FimTemplate } from '../prompt/types';
import { isAbortError, throwIfAborted } from '../util/abort';
import type { Logger } from '../util/log';
import { realClock, type Clock } from './clock';
import { AdaptiveDebounce } from './debounce';
import { isFinishedLine } from './finishedLine';
import { errorMessage } from '../util/errors';

export type { Clock } from './clock';

/** The template for the configured model, or why there is none (shape shared with the VS Code services). */
export type TemplateResult =
  | {
    template: FimTemplate;
    /**
     * Let the server lay out the FIM prompt itself (Ollama `suffix`, llama.cpp /infill): set when the model's
     * family is unknown but the server fills in the middle natively. The template then only gives stops.
     */
    native?: boolean;
    /** How the template was chosen, for the log. */
    reason?: string;
  }
  | { error: string; chatOnly: boolean; kind?: BackendErrorKind };

export interface MultilineInput {
  languageId: string;
  prefix: string;
  suffix: string;
}

/** Request-economy features, all on by default. The bench switches them off to model peers. */
export interface EngineFeatures {
  /** The per-region suggestion cache. */
  cache: boolean;
  /** Showing the rest of a suggestion (finished or still streaming) when the user types into it. */
  typedThrough: boolean;
  /** Aborting the stream as soon as the post-processor says the suggestion is complete. */
  earlyStop: boolean;
  /**
   * Showing a multi-line suggestion's complete lines while the rest still streams: a small model on a CPU takes
   * seconds for a whole function, and the line the user is about to type is ready after a fraction of that.
   */
  progressive: boolean;
}

export interface EngineDeps {
  /** Current settings, read at every request so changes apply at once. */
  config(): InfillConfig;
  backend(): Promise<Backend>;
  template(signal: AbortSignal): Promise<TemplateResult>;
  context: ContextProvider;
  postprocessor: Postprocessor;
  decideMultiline(input: MultilineInput): boolean;
  log: Logger;
  /** Real time by default; the bench and tests pass a virtual clock. */
  clock?: Clock;
  /** Workspace name for repo-level prompt templates. */
  repoName?: string;
  /** Overrides the maxTokens settings (CLI --max-tokens). */
  maxTokens?: number;
  /** Overrides the prompt mode chosen from the backend kind (see buildRequest.ts). */
  promptMode?: PromptMode;
  /** Longest wait for related context before the request goes without it. Default 250 ms. */
  contextTimeoutMs?: number;
  /** Switch request-economy features off (bench peer models). Default: all on. */
  features?: Partial<EngineFeatures>;
}

export type SuggestionSource = 'cache' | 'typed-through' | 'model';

export interface Suggestion {
  /** The text to insert at the cursor. */
  text: string;
  /**
   * What replaces `range`. When text stands right of the cursor, the range runs to the line end and
   * insertText = text + that rest of the line (VS Code then renders the suggestion mid-line and the existing
   * closing brackets are not doubled); otherwise the range is empty at the cursor and insertText = text.
   */
  insertText: string;
  range: { start: Position; end: Position };
  source: SuggestionSource;
  /** The model request the text came from (0 if none in this engine, e.g. a cache entry from a past run). */
  requestId: number;
}

export interface RequestTimings {
  /** Time to first token, from the moment the request left the debounce. */
  ttftMs: number;
  totalMs: number;
  /** Tokens generated (server figure when it sends one, else streamed chunks). */
  tokens: number;
  promptTokens: number;
  cachedPromptTokens: number;
  earlyStopped: boolean;
  /** maxTokens minus tokens generated when the stream was stopped early, else 0. */
  tokensSaved: number;
  /** The server's own figures, when it sends them (Ollama, llama.cpp): model load, prompt reading, generation. */
  server?: { loadMs?: number; promptMs?: number; generationMs?: number };
}

export type EngineState = 'idle' | 'working' | 'error';

export interface EngineStatus {
  state: EngineState;
  /** For 'error': a user-facing message. For 'idle': why there is no completion here, when there is a reason. */
  reason?: string;
  errorKind?: BackendErrorKind | 'timeout' | 'chat-only' | 'internal';
  /** The last finished request's figures. */
  timings?: RequestTimings;
}

export type RequestOutcome = 'done' | 'early-stop' | 'aborted' | 'timeout' | 'error';

/** One finished model request, for logs and the bench. */
export interface RequestRecord {
  id: number;
  editorId: string;
  uri: string;
  outcome: RequestOutcome;
  request?: CompletionRequest;
  /** Raw streamed text (as far as it came) and the post-processed suggestion. */
  raw: string;
  text?: string;
  timings?: RequestTimings;
  error?: string;
}

export interface EngineCounters {
  provideCalls: number;
  requestsStarted: number;
  requestsAborted: number;
  requestsFailed: number;
  requestsTimedOut: number;
  cacheHits: number;
  /** Reuse of a finished suggestion the user typed into. */
  typedThroughHits: number;
  /** Reuse of a request still streaming when the user typed along it (also counted in typedThroughHits). */
  inflightReuses: number;
  tokensGenerated: number;
  /** Upper-bound estimate: maxTokens minus generated, for each stream stopped early. */
  tokensSavedByEarlyStop: number;
  earlyStops: number;
  /** Automatic requests not sent because the cursor ends a finished line (see finishedLine). */
  skippedFinishedLines: number;
}

export interface ProvideOptions {
  /** One request in flight per editor; defaults to the document uri. */
  editorId?: string;
  /** Explicitly invoked (keyboard shortcut, CLI): no debounce, no error back-off. */
  explicit?: boolean;
}

type Listener<T> = (event: T) => void;

class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  constructor(private readonly log: Logger) {}
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: T): void {
    for (const listener of [...this.listeners]) {
      try { listener(event); } catch (err) { this.log.error(`Infill: event listener failed: ${String(err)}`); }
    }
  }
}

interface InFlight {
  id: number;
  editorId: string;
  doc: DocumentContext;
  anchor: SuggestionAnchor;
  controller: AbortController;
  /** Raw text streamed so far. */
  streamed: string;
  /** The post-processed suggestion, or undefined. Never rejects. */
  result: Promise<string | undefined>;
  done: boolean;
  /** Progressive mode: the suggestion made of the complete lines streamed so far (grows as lines arrive). */
  partial?: string;
  /** Length of the longest partial suggestion handed to a caller before the request ended. */
  shownPartialLength?: number;
  /** Resolved (and replaced) whenever `partial` grows or the request ends. */
  changed: Promise<void>;
  notify: () => void;
  abortReason?: 'diverged' | 'early-stop' | 'timeout' | 'disposed';
  /**
   * What the user has typed since the anchor, as of the latest keystroke that chose to wait for this request.
   * The user may type ahead of the stream; each new chunk is checked against it so a stream that turns out
   * to diverge stops at once instead of running to its end.
   */
  typedAhead?: TypedAhead;
}

interface EditorState {
  /** Bumped by every provide(): a provide that wakes from its debounce to find a newer one gives way. */
  generation: number;
  inflight?: InFlight;
  /** The last suggestion shown (or computed) here, for typed-through reuse. */
  shown?: { anchor: SuggestionAnchor; text: string; requestId: number };
}

const ABORTED = Symbol('aborted');
const MAX_EDITORS = 64;
/** Error back-off: after n consecutive failures wait min(MAX, BASE * 2^(n-1)) before the next automatic request. */
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 10_000;

export class CompletionEngine {
  private readonly clock: Clock;
  private readonly cache = new CompletionCache();
  private readonly debounce: AdaptiveDebounce;
  private readonly editors = new Map<string, EditorState>();
  private readonly statusEmitter: Emitter<EngineStatus>;
  private readonly requestEmitter: Emitter<RequestRecord>;
  private readonly grewEmitter: Emitter<{ editorId: string }>;
  private nextRequestId = 0;
  /** Model requests running now (all editors): the status is 'working' while there is one. */
  private activeRequests = 0;
  private consecutiveErrors = 0;
  private backoffUntil = 0;
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
    this.debounce = new AdaptiveDebounce(() => {
      const c = deps.config();
      return { minMs: c.debounceMinMs, maxMs: c.debounceMaxMs };
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
    const shown = this.editors.get(editorId)?.shown;
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
    return this.debounce.delayMs();
  }

  /** Forget cached suggestions and error back-off (after a settings change or a model pull). */
  reset(): void {
    this.cache.clear();
    for (const editor of this.editors.values()) {
      editor.shown = undefined;
      // Started under the old settings: their answers must not be cached or shown under the new ones.
      this.abortInflight(editor, 'disposed');
    }
    this.consecutiveErrors = 0;
    this.backoffUntil = 0;
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
    const editor = this.editorState(editorId);
    const generation = ++editor.generation;
    const now = this.clock.now();
    if (!explicit) this.debounce.keystroke(now);

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
      if (now < this.backoffUntil) return undefined;
      if (this.finishedLine(doc)) {
        this.countersValue.skippedFinishedLines++;
        return undefined;
      }
      try {
        await this.clock.sleep(this.debounce.delayMs(), signal);
      } catch {
        return undefined;
      }
      if (editor.generation !== generation || this.disposed) return undefined;
    }

    // A concurrent provide() may have started a request meanwhile.
    const again = await this.awaitCompatibleInflight(editor, doc, signal);
    if (again === ABORTED || editor.generation !== generation) return undefined;
    if (again) return again;

    // 5. Ask the model.
    const inflight = this.startRequest(editor, editorId, doc, config);
    // Asked explicitly (a shortcut, the CLI): the whole suggestion. Automatic: its first complete lines may do.
    const text = await raceAbort(explicit ? inflight.result : this.textAhead(inflight, ''), signal);
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
    const text = await raceAbort(this.textAhead(inflight, ahead.typed), signal);
    if (text === ABORTED) return ABORTED;
    if (text === undefined) return undefined;
    const rest = remainderAfter(text, ahead);
    if (rest === undefined) return undefined;
    if (!inflight.done) this.showPartial(editor, inflight, text);
    this.countersValue.typedThroughHits++;
    this.countersValue.inflightReuses++;
    return makeSuggestion(doc, rest, 'typed-through', inflight.id);
  }

  /**
   * The request's suggestion once it ends, or sooner (progressive mode) its complete lines so far as soon as they
   * reach past what the user has typed since the request started. Never rejects.
   */
  private async textAhead(inflight: InFlight, typed: string): Promise<string | undefined> {
    for (;;) {
      if (inflight.done) return inflight.result;
      const partial = inflight.partial;
      if (partial !== undefined && partial.startsWith(typed) && partial.slice(typed.length).trim() !== '') return partial;
      await inflight.changed;
    }
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

  private startRequest(editor: EditorState, editorId: string, doc: DocumentContext, config: InfillConfig): InFlight {
    this.abortInflight(editor, 'diverged');
    const inflight: InFlight = {
      id: ++this.nextRequestId,
      editorId,
      doc,
      anchor: anchorOf(doc),
      controller: new AbortController(),
      streamed: '',
      result: Promise.resolve(undefined),
      done: false,
      changed: Promise.resolve(),
      notify: () => {},
    };
    resetChanged(inflight);
    this.countersValue.requestsStarted++;
    editor.inflight = inflight;
    inflight.result = this.runRequest(inflight, config)
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

  /** Runs one model request to its end. Resolves the post-processed suggestion; never rejects. */
  private async runRequest(inflight: InFlight, config: InfillConfig): Promise<string | undefined> {
    const { doc, controller } = inflight;
    const signal = controller.signal;
    const log = this.deps.log;
    const started = this.clock.now();
    const record: RequestRecord = { id: inflight.id, editorId: inflight.editorId, uri: doc.uri, outcome: 'aborted', raw: '' };
    this.activeRequests++;
    let active = true;
    const release = () => { if (active) { active = false; this.activeRequests--; } };
    this.setStatus({ state: 'working', timings: this.lastTimings });

    // The timeout runs on the engine clock, so virtual-time replays time out in virtual time.
    const timer = new AbortController();
    let timedOut = false;
    this.clock.sleep(config.requestTimeoutMs, timer.signal).then(
      () => { timedOut = true; inflight.abortReason ??= 'timeout'; controller.abort(); },
      () => { /* cancelled: the request ended first */ },
    );

    let request: CompletionRequest | undefined;
    let multiline = false;
    try {
      const [templateResult, backend] = await Promise.all([this.deps.template(signal), this.deps.backend()]);
      throwIfAborted(signal);
      if ('error' in templateResult) {
        release();
        record.outcome = 'error';
        record.error = templateResult.error;
        this.failed(templateResult.error, templateResult.chatOnly ? 'chat-only' : templateResult.kind ?? 'no-fim');
        return undefined;
      }
      const snippets = await this.gatherContext(doc, config, signal);
      throwIfAborted(signal);
      multiline = this.decideMultiline(doc);
      request = buildCompletionRequest({
        doc, snippets, template: templateResult.template, config, multiline,
        mode: this.deps.promptMode ?? (templateResult.native ? 'native' : undefined), repoName: this.deps.repoName, maxTokens: this.deps.maxTokens,
      });
      record.request = request;
      const promptEstimate = estimateTokens(request.prompt ?? request.prefix + request.suffix, doc.languageId);
      log.debug(`request #${inflight.id} ${doc.relativePath}:${doc.position.line + 1}:${doc.position.character + 1} `
        + `${multiline ? 'multi-line' : 'single-line'} ~${promptEstimate} prompt tokens, ${snippets.length} snippets, `
        + `maxTokens ${request.maxTokens}`);

      let ttftMs: number | undefined;
      let chunks = 0;
      let stats: CompletionStats | undefined;
      let earlyStopped = false;
      try {
        for await (const chunk of backend.stream(request, signal)) {
          if (chunk.stats) stats = chunk.stats;
          if (chunk.text) {
            ttftMs ??= this.clock.now() - started;
            chunks++;
            inflight.streamed += chunk.text;
            if (inflight.typedAhead && !compatibleWithStream(inflight.streamed, inflight.typedAhead)) {
              // The user typed ahead of the stream and it has now gone another way.
              inflight.abortReason ??= 'diverged';
              controller.abort();
              throwIfAborted(signal);
            }
            if (multiline && this.features.progressive && chunk.text.includes('\n')) await this.updatePartial(inflight, multiline);
            if (this.features.earlyStop && await this.isComplete(doc, inflight.streamed, multiline)) {
              earlyStopped = true;
              inflight.abortReason ??= 'early-stop';
              // Abort first so the connection closes even if the backend's cleanup would wait on the body.
              controller.abort();
              break;
            }
          }
          throwIfAborted(signal);
        }
      } catch (err) {
        // Closing a stream we stopped on purpose may throw (an AbortError from the backend's cleanup).
        if (!earlyStopped) throw err;
      }
      throwIfAbortedUnlessEarly(signal, inflight);

      const tokens = stats?.generatedTokens ?? chunks;
      const tokensSaved = earlyStopped ? Math.max(0, request.maxTokens - tokens) : 0;
      // Stopped by the token limit (Ollama and OpenAI say "length", llama.cpp "limit"; without a reason, a stream
      // that used the whole budget).
      const truncated = !earlyStopped && (stats?.stopReason !== undefined ? /^(?:length|limit)$/.test(stats.stopReason) : tokens >= request.maxTokens);
      const text = await this.deps.postprocessor.process({
        languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix, output: inflight.streamed, multiline, truncated,
      });
      const totalMs = this.clock.now() - started;
      const timings: RequestTimings = {
        ttftMs: ttftMs ?? totalMs,
        totalMs,
        tokens,
        promptTokens: stats?.promptTokens ?? promptEstimate,
        cachedPromptTokens: stats?.cachedPromptTokens ?? 0,
        earlyStopped,
        tokensSaved,
        server: stats && { loadMs: stats.loadMs, promptMs: stats.promptMs, generationMs: stats.generationMs },
      };
      if (this.features.cache) this.cache.set(doc, text);
      this.countersValue.tokensGenerated += tokens;
      if (earlyStopped) {
        this.countersValue.earlyStops++;
        this.countersValue.tokensSavedByEarlyStop += tokensSaved;
      }
      this.debounce.latency(totalMs);
      this.consecutiveErrors = 0;
      this.backoffUntil = 0;
      this.lastTimings = timings;
      Object.assign(record, { outcome: earlyStopped ? 'early-stop' : 'done', raw: inflight.streamed, text, timings });
      log.debug(`request #${inflight.id} ${earlyStopped ? 'stopped early' : 'done'}: ttft ${Math.round(timings.ttftMs)} ms, `
        + `total ${Math.round(totalMs)} ms, ${tokens} tokens${earlyStopped ? ` (~${tokensSaved} saved)` : ''}, `
        + `prompt ${timings.promptTokens} (${timings.cachedPromptTokens} cached), ${text.length} chars shown`);
      release();
      this.setStatus({ state: this.activeRequests > 0 ? 'working' : 'idle', timings });
      return text;
    } catch (err) {
      release();
      record.raw = inflight.streamed;
      if (timedOut) {
        record.outcome = 'timeout';
        this.countersValue.requestsTimedOut++;
        const message = `No answer from ${config.endpoint} within ${Math.round(config.requestTimeoutMs / 1000)} s `
          + `(setting infill.requestTimeoutMs)`;
        record.error = message;
        this.failed(message, 'timeout');
      } else if (signal.aborted || isAbortError(err)) {
        record.outcome = 'aborted';
        this.countersValue.requestsAborted++;
        log.debug(`request #${inflight.id} aborted (${inflight.abortReason ?? 'cancelled'})`);
        if (this.lastStatus.state === 'working' && this.activeRequests === 0) this.setStatus({ state: 'idle', timings: this.lastTimings });
      } else if (err instanceof BackendError) {
        record.outcome = 'error';
        record.error = err.message;
        this.failed(err.message, err.kind);
      } else {
        record.outcome = 'error';
        record.error = errorMessage(err);
        log.error(`Infill: request #${inflight.id} failed: ${errorMessage(err)}`);
        this.failed(`Internal error: ${errorMessage(err)}`, 'internal');
      }
      return undefined;
    } finally {
      release();
      timer.abort();
      this.requestEmitter.emit(record);
    }
  }

  private failed(message: string, kind: NonNullable<EngineStatus['errorKind']>): void {
    this.countersValue.requestsFailed++;
    this.consecutiveErrors++;
    const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (this.consecutiveErrors - 1));
    this.backoffUntil = this.clock.now() + wait;
    this.deps.log.warn(`Infill: ${message}`);
    this.setStatus({ state: 'error', reason: message, errorKind: kind, timings: this.lastTimings });
  }

  private async gatherContext(doc: DocumentContext, config: InfillConfig, signal: AbortSignal): Promise<ContextSnippet[]> {
    if (!config.contextEnabled) return [];
    const limit = new AbortController();
    const onAbort = () => limit.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const timeout = this.clock.sleep(this.deps.contextTimeoutMs ?? 250, limit.signal).then(() => {
        this.deps.log.debug('Infill: related context took too long; sending the request without it');
        return [] as ContextSnippet[];
      });
      return await Promise.race([this.deps.context.gather(doc, limit.signal), timeout]);
    } catch (err) {
      if (!signal.aborted) this.deps.log.debug(`Infill: related context failed: ${errorMessage(err)}`);
      return [];
    } finally {
      signal.removeEventListener('abort', onAbort);
      limit.abort();
    }
  }

  /** A finished line (see finishedLine.ts) where only a single line would be asked for. */
  private finishedLine(doc: DocumentContext): boolean {
    return isFinishedLine({ languageId: doc.languageId, prefix: doc.prefix, lineSuffix: doc.lineSuffix }) && !this.decideMultiline(doc);
  }

  private decideMultiline(doc: DocumentContext): boolean {
    try {
      return this.deps.decideMultiline({ languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix });
    } catch (err) {
      this.deps.log.debug(`Infill: multiline decision failed: ${errorMessage(err)}`);
      return false;
    }
  }

  /** Progressive mode: post-processes the complete lines streamed so far, as if the stream had stopped there. */
  private async updatePartial(inflight: InFlight, multiline: boolean): Promise<void> {
    const doc = inflight.doc;
    const lines = inflight.streamed.slice(0, inflight.streamed.lastIndexOf('\n') + 1);
    try {
      const text = await this.deps.postprocessor.process({
        languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix, output: lines, multiline, truncated: true,
      });
      // Only growth is shown: a snapshot that takes back lines (a later rule cut them) waits for the end.
      if (text.trim() !== '' && text.length > (inflight.partial?.length ?? 0) && text.startsWith(inflight.partial ?? '')) {
        inflight.partial = text;
        inflight.notify();
      }
    } catch (err) {
      this.deps.log.debug(`Infill: partial post-processing failed: ${errorMessage(err)}`);
    }
  }

  private async isComplete(doc: DocumentContext, output: string, multiline: boolean): Promise<boolean> {
    try {
      return await this.deps.postprocessor.isComplete({
        languageId: doc.languageId, prefix: doc.prefix, suffix: doc.suffix, output, multiline,
      });
    } catch (err) {
      this.deps.log.debug(`Infill: early-stop check failed: ${errorMessage(err)}`);
      return false;
    }
  }

  private setStatus(status: EngineStatus): void {
    const last = this.lastStatus;
    this.lastStatus = status;
    // Idle-with-the-same-reason repeats on every keystroke in a blocked file: say it once.
    if (last.state === status.state && last.reason === status.reason && last.timings === status.timings) return;
    this.statusEmitter.emit(status);
  }

  private editorState(editorId: string): EditorState {
    let state = this.editors.get(editorId);
    if (state) {
      // Map order doubles as recency order.
      this.editors.delete(editorId);
      this.editors.set(editorId, state);
      return state;
    }
    state = { generation: 0 };
    this.editors.set(editorId, state);
    if (this.editors.size > MAX_EDITORS) {
      for (const [id, old] of this.editors) {
        if (old.inflight && !old.inflight.done) continue;
        this.editors.delete(id);
        break;
      }
    }
    return state;
  }
}

/** The suggestion for `text` at the cursor of `doc` (see Suggestion.insertText for the range rule). */
export function makeSuggestion(doc: DocumentContext, text: string, source: SuggestionSource, requestId: number): Suggestion {
  const start = { line: doc.position.line, character: doc.position.character };
  if (doc.lineSuffix.trim() === '') {
    return { text, insertText: text, range: { start, end: start }, source, requestId };
  }
  const end = { line: start.line, character: start.character + doc.lineSuffix.length };
  return { text, insertText: text + doc.lineSuffix, range: { start, end }, source, requestId };
}

/** Gives the request a fresh `changed` promise; `notify` resolves the current one and makes the next. */
function resetChanged(inflight: InFlight): void {
  let resolve!: () => void;
  inflight.changed = new Promise<void>(r => { resolve = r; });
  inflight.notify = () => { resolve(); resetChanged(inflight); };
}

function emptyCounters(): EngineCounters {
  return {
    provideCalls: 0, requestsStarted: 0, requestsAborted: 0, requestsFailed: 0, requestsTimedOut: 0,
    cacheHits: 0, typedThroughHits: 0, inflightReuses: 0, tokensGenerated: 0, tokensSavedByEarlyStop: 0,
    earlyStops: 0, skippedFinishedLines: 0,
  };
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

function throwIfAbortedUnlessEarly(signal: AbortSignal, inflight: InFlight): void {
  if (inflight.abortReason === 'early-stop') return;
  throwIfAborted(signal);
}
