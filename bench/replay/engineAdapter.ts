// Builds the project's real CompletionEngine for the replay, in virtual time, against the simulated server.
// Peer-like variants switch features off through the engine's deps and settings, never through a copy of it.
import type { Backend } from '../../src/backend/types';
import { DEFAULT_CONFIG, type InfillConfig } from '../../src/config/types';
import { noContext, type ContextProvider } from '../../src/context/types';
import { CompletionEngine, type EngineCounters, type RequestRecord, type Suggestion } from '../../src/pipeline/engine';
import type { Postprocessor } from '../../src/postprocess/types';
import { silentLogger } from '../../src/util/log';
import type { PipelineParts } from './pipelineParts';
import type { VirtualClock } from './virtualClock';

export type { Suggestion } from '../../src/pipeline/engine';

export interface EngineFeatures {
  /** The per-region suggestion cache. */
  cache: boolean;
  /** Showing the rest of a suggestion (finished or still streaming) when the user types into it. */
  typedThrough: boolean;
  /** Aborting the stream as soon as the post-processor says the suggestion is complete. */
  earlyStop: boolean;
}

export interface ReplayVariant {
  id: string;
  label: string;
  /** Settings changed from the defaults. */
  config: Partial<InfillConfig>;
  features: EngineFeatures;
}

export const INFILL_VARIANT: ReplayVariant = {
  id: 'infill', label: 'Infill (defaults)', config: {}, features: { cache: true, typedThrough: true, earlyStop: true },
};

export const PEER_VARIANTS: ReplayVariant[] = [
  {
    // What a plain provider does: wait a fixed time after each key, then ask; nothing reused from earlier answers.
    id: 'fixed-debounce-no-cache', label: 'peer: fixed 350 ms debounce, no cache, no typed-through',
    config: { debounceMinMs: 350, debounceMaxMs: 350 }, features: { cache: false, typedThrough: false, earlyStop: true },
  },
  {
    id: 'fixed-debounce-typed-through', label: 'fixed 350 ms debounce, no cache (typed-through kept)',
    config: { debounceMinMs: 350, debounceMaxMs: 350 }, features: { cache: false, typedThrough: true, earlyStop: true },
  },
  { id: 'no-typed-through', label: 'no typed-through reuse', config: {}, features: { cache: true, typedThrough: false, earlyStop: true } },
  { id: 'no-early-stop', label: 'no early stop', config: {}, features: { cache: true, typedThrough: true, earlyStop: false } },
];

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

/** Post-processor that never reports "complete": the stream runs to its stop sequence or token limit. */
function withoutEarlyStop(p: Postprocessor): Postprocessor {
  return { process: i => p.process(i), isComplete: async () => false };
}

export function createReplayEngine(setup: EngineSetup): ReplayEngine {
  const config: InfillConfig = { ...DEFAULT_CONFIG, ...setup.config, ...setup.variant.config };
  const features = setup.variant.features;
  const engine = new CompletionEngine({
    config: () => config,
    backend: async () => setup.backend,
    template: async () => ({ template: setup.parts.template }),
    context: setup.context ?? noContext,
    postprocessor: features.earlyStop ? setup.postprocessor : withoutEarlyStop(setup.postprocessor),
    decideMultiline: setup.parts.decideMultiline,
    log: silentLogger,
    clock: setup.clock,
  });
  disableFeatures(engine, features);
  return {
    provide: (snapshot, position, signal, opts) => engine.provide(snapshot, position, signal, opts),
    counters: () => engine.counters,
    onRequest: listener => engine.onRequest(listener),
    dispose: () => engine.dispose(),
  };
}

/**
 * The engine has no switches for its cache and typed-through reuse, so the peer variants turn them off on the
 * instance: the cache answers nothing, a shown suggestion is never remembered, and a streaming request is
 * stopped at the next keystroke. Checked loudly so an engine refactor breaks the bench, not its figures.
 */
function disableFeatures(engine: CompletionEngine, features: EngineFeatures): void {
  const e = engine as unknown as Record<string, unknown>;
  if (!features.cache) {
    const cache = e['cache'] as { get?: unknown; set?: unknown } | undefined;
    if (!cache || typeof cache.get !== 'function') throw new Error('bench: CompletionEngine has no cache to switch off (engine changed?)');
    cache.get = () => undefined;
    cache.set = () => {};
  }
  if (!features.typedThrough) {
    const editorState = e['editorState'] as ((id: string) => Record<string, unknown>) | undefined;
    const abortInflight = e['abortInflight'] as ((editor: unknown, reason: string) => void) | undefined;
    if (typeof editorState !== 'function' || typeof abortInflight !== 'function' || typeof e['awaitCompatibleInflight'] !== 'function') {
      throw new Error('bench: CompletionEngine internals for typed-through reuse not found (engine changed?)');
    }
    e['editorState'] = (id: string) => {
      const state = editorState.call(engine, id);
      if (!Object.getOwnPropertyDescriptor(state, 'shown')?.set) {
        Object.defineProperty(state, 'shown', { get: () => undefined, set: () => {}, configurable: true });
      }
      return state;
    };
    e['awaitCompatibleInflight'] = async (editor: unknown) => { abortInflight.call(engine, editor, 'diverged'); return undefined; };
  }
}
