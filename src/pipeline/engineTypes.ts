// The engine's public shapes: what callers pass in (deps, features, options) and what comes out (suggestions,
// status, request records, counters). Kept apart from engine.ts so the engine file holds only behaviour.
import type { Backend, BackendErrorKind, CompletionRequest } from '../backend/types';
import type { InfillConfig } from '../config/types';
import type { ContextProvider } from '../context/types';
import type { MultilineInput, RequestKind } from '../decisions';
import type { DocumentContext, Position } from '../document/types';
import type { Postprocessor } from '../postprocess/types';
import type { PromptMode } from '../prompt/buildRequest';
import type { FimTemplate } from '../prompt/types';
import type { Logger } from '../util/log';
import type { Clock } from './clock';

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
  | {
    error: string;
    chatOnly: boolean;
    kind?: BackendErrorKind;
    /** The model exists, but neither the server nor its id tells its FIM format: the user can name it once. */
    familyUnknown?: boolean;
  };

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
  /** Asking in the background, while a suggestion is shown, for the one where accepting it leads (speculation.ts). */
  speculate: boolean;
  /** At a new place (Enter, a click, a jump), sending its prompt to be read into the server's cache during the debounce. */
  prefill: boolean;
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
  /** Who waited for it: the user, or nobody yet (speculative, prefill; see decisions/index.ts). Default 'user'. */
  kind?: RequestKind;
  /** Why an aborted request was stopped (undefined: its caller went away). */
  abortReason?: 'diverged' | 'early-stop' | 'timeout' | 'disposed' | 'yielded';
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
  /** Background requests for the place accepting a shown suggestion leads to, and cache hits on their answers. */
  speculativeRequests: number;
  speculativeHits: number;
  /** Prompts read into the server's cache at a new place, generating nothing (counted in requestsStarted too). */
  prefillRequests: number;
}

export interface ProvideOptions {
  /** One request in flight per editor; defaults to the document uri. */
  editorId?: string;
  /** Explicitly invoked (keyboard shortcut, CLI): no debounce, no error back-off. */
  explicit?: boolean;
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

export function emptyCounters(): EngineCounters {
  return {
    provideCalls: 0, requestsStarted: 0, requestsAborted: 0, requestsFailed: 0, requestsTimedOut: 0,
    cacheHits: 0, typedThroughHits: 0, inflightReuses: 0, tokensGenerated: 0, tokensSavedByEarlyStop: 0,
    earlyStops: 0, skippedFinishedLines: 0, speculativeRequests: 0, speculativeHits: 0, prefillRequests: 0,
  };
}
