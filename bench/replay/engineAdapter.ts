// Builds the project's real CompletionEngine for the replay, in virtual time, against the simulated server.
// Peer-like variants switch features off through the engine's own `features` option (cache, typed-through,
// early stop) and its settings (a fixed debounce is debounceMinMs = debounceMaxMs); nothing is patched.
import type { Backend } from '../../src/backend/types';
import { DEFAULT_CONFIG, type InfillConfig } from '../../src/config/types';
import { noContext, type ContextProvider } from '../../src/context/types';
import { CompletionEngine, type EngineCounters, type EngineFeatures, type RequestRecord, type Suggestion } from '../../src/pipeline/engine';
import type { Postprocessor } from '../../src/postprocess/types';
import { silentLogger } from '../../src/util/log';
import type { PipelineParts } from './pipelineParts';
import type { VirtualClock } from './virtualClock';

export type { EngineFeatures, Suggestion } from '../../src/pipeline/engine';

export interface ReplayVariant {
  id: string;
  label: string;
  /** Settings changed from the defaults (the fixed debounce: debounceMinMs = debounceMaxMs). */
  config: Partial<InfillConfig>;
  /** Passed to the engine as-is; every one is spelled out so a variant reads as a full description. */
  features: EngineFeatures;
  /** 'always': every request asks for several lines (no single-line mode, so no finished-line skip either). */
  multiline?: 'always' | ((input: { languageId: string; prefix: string; suffix: string }, decide: (input: { languageId: string; prefix: string; suffix: string }) => boolean) => boolean);
  /**
   * The server reads the cursor line's typed text after the middle token (llama.cpp /infill's `prompt` field), so
   * typing along a line leaves the rest of the prompt cached.
   */
  lineAfterMiddle?: boolean;
}

export const INFILL_VARIANT: ReplayVariant = {
  id: 'infill', label: 'Infill (defaults)', config: {}, features: { cache: true, typedThrough: true, earlyStop: true, progressive: true, speculate: true, prefill: true },
};

export const PEER_VARIANTS: ReplayVariant[] = [
  {
    // What a plain provider does: wait a fixed time after each key, then ask; nothing reused from earlier answers.
    id: 'fixed-debounce-no-cache', label: 'peer: fixed 350 ms debounce, no cache, no typed-through',
    config: { debounceMinMs: 350, debounceMaxMs: 350, promptReadTargetMs: 0 }, features: { cache: false, typedThrough: false, earlyStop: true, progressive: false, speculate: false, prefill: false },
  },
  {
    id: 'fixed-debounce-typed-through', label: 'fixed 350 ms debounce, no cache (typed-through kept)',
    config: { debounceMinMs: 350, debounceMaxMs: 350, promptReadTargetMs: 0 }, features: { cache: false, typedThrough: true, earlyStop: true, progressive: false, speculate: false, prefill: false },
  },
  { id: 'no-typed-through', label: 'no typed-through reuse', config: {}, features: { cache: true, typedThrough: false, earlyStop: true, progressive: true, speculate: true, prefill: true } },
  { id: 'no-early-stop', label: 'no early stop', config: {}, features: { cache: true, typedThrough: true, earlyStop: false, progressive: true, speculate: true, prefill: true } },
  {
    id: 'no-progressive', label: 'no progressive display (whole suggestion at once)', config: {},
    features: { cache: true, typedThrough: true, earlyStop: true, progressive: false, speculate: true, prefill: true },
  },
  {
    id: 'no-speculation', label: 'no speculation (next suggestion not prepared before Tab)', config: {},
    features: { cache: true, typedThrough: true, earlyStop: true, progressive: true, speculate: false, prefill: true },
  },
  {
    // With the default no-wait debounce there is no pause to read a prompt in: prefill is measured under the old one.
    id: 'no-prefill', label: 'adaptive debounce 75-400 ms without prefill', config: { debounceMinMs: 75, debounceMaxMs: 400 },
    features: { cache: true, typedThrough: true, earlyStop: true, progressive: true, speculate: true, prefill: false },
  },
  {
    // The defaults before 2026-12-03: wait for a pause in the typing (75-400 ms, adaptive), and a new place's prompt
    // read by the server meanwhile (prefill). Same multi-line decision as the defaults.
    id: 'debounce-adaptive', label: 'adaptive debounce 75-400 ms with prefill (the defaults before 2026-12-03)', config: { debounceMinMs: 75, debounceMaxMs: 400 },
    features: { cache: true, typedThrough: true, earlyStop: true, progressive: true, speculate: true, prefill: true },
  },
  {
    id: 'no-prompt-sizing', label: 'no prompt sizing (whole prefix whatever the server\'s speed)', config: { promptReadTargetMs: 0 },
    features: { cache: true, typedThrough: true, earlyStop: true, progressive: true, speculate: true, prefill: true },
  },
];

/**
 * A peer built the way llama.vscode is (its documented design and defaults, not its code): no debounce, one request
 * at a time, 256 lines of prefix and 64 of suffix (about 10 tokens a line here), several lines asked for everywhere
 * (n_predict 128, cut by the server's limits, no client early stop, shown when the request ends), the cursor line's
 * text after the middle token, a cache it looks up along what the user typed (typed-through) and the suggestion after
 * the shown one asked for in the background (its "future suggestion" cache: Infill's speculation does the same).
 * Related code: the same snippets Infill sends (llama.vscode's ring of 16 chunks of 64 lines is pre-read into the
 * server's cache, so its size costs little time); t_max_prompt_ms 500 is not modelled, nor are Infill's prefill at a
 * new place and prompt sizing (its prefix is always 256 lines).
 */
export const LLAMA_VSCODE_VARIANT: ReplayVariant = {
  id: 'llama-vscode', label: 'peer: llama.vscode-style (no debounce, 256/64 lines, line after the middle token, future suggestion)',
  config: {
    debounceMinMs: 0, debounceMaxMs: 0, maxPrefixTokens: 2560, maxSuffixTokens: 640, maxTokensSingleLine: 128, maxTokensMultiline: 128, promptReadTargetMs: 0,
  },
  features: { cache: true, typedThrough: true, earlyStop: false, progressive: false, speculate: true, prefill: false },
  multiline: 'always',
  lineAfterMiddle: true,
};

export interface ReplayEngine {
  provide(snapshot: Parameters<CompletionEngine['provide']>[0], position: Parameters<CompletionEngine['provide']>[1],
    signal: AbortSignal, opts: { editorId: string; explicit: boolean }): Promise<Suggestion | undefined>;
  counters(): EngineCounters;
  /** Every finished model request (for diagnostics: `BENCH_TRACE=1`). */
  onRequest(listener: (record: RequestRecord) => void): () => void;
  dispose(): void;
}

export interface EngineSetup {
  clock: VirtualClock;
  backend: Backend;
  parts: PipelineParts;
  /** Wraps the post-processor (the replay watches isComplete to attribute early stops). */
  postprocessor: Postprocessor;
  context?: ContextProvider;
  variant: ReplayVariant;
  /** Base settings (bench defaults), before the variant's changes. */
  config?: Partial<InfillConfig>;
}

export function createReplayEngine(setup: EngineSetup): ReplayEngine {
  const config: InfillConfig = { ...DEFAULT_CONFIG, ...setup.config, ...setup.variant.config };
  const engine = new CompletionEngine({
    config: () => config,
    backend: async () => (setup.variant.lineAfterMiddle ? lineAfterMiddle(setup.backend) : setup.backend),
    template: async () => ({ template: setup.parts.template }),
    context: setup.context ?? noContext,
    postprocessor: setup.postprocessor,
    decideMultiline: multilineFor(setup.variant, setup.parts.decideMultiline),
    log: silentLogger,
    clock: setup.clock,
    features: { ...setup.variant.features },
  });
  return {
    provide: (snapshot, position, signal, opts) => engine.provide(snapshot, position, signal, opts),
    counters: () => engine.counters,
    onRequest: listener => engine.onRequest(listener),
    dispose: () => engine.dispose(),
  };
}

function multilineFor(variant: ReplayVariant, decide: PipelineParts['decideMultiline']): PipelineParts['decideMultiline'] {
  const m = variant.multiline;
  if (m === 'always') return () => true;
  return m ? input => m(input, decide) : decide;
}

/** The same server, sent the cursor line's typed text after the middle token instead of at the end of the prefix. */
function lineAfterMiddle(backend: Backend): Backend {
  return {
    kind: backend.kind, endpoint: backend.endpoint,
    modelInfo: (...args: Parameters<Backend['modelInfo']>) => backend.modelInfo(...args),
    stream(request, signal) {
      const line = request.prefix.slice(request.prefix.lastIndexOf('\n') + 1);
      const at = request.prompt?.lastIndexOf(request.prefix) ?? -1;
      if (!request.prompt || !line || at < 0) return backend.stream(request, signal);
      const end = at + request.prefix.length;
      // In place: the replay maps the request the server saw back to the engine's record by identity.
      request.prompt = request.prompt.slice(0, end - line.length) + request.prompt.slice(end) + line;
      return backend.stream(request, signal);
    },
  };
}
