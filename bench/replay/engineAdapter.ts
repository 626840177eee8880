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
}

export const INFILL_VARIANT: ReplayVariant = {
  id: 'infill', label: 'Infill (defaults)', config: {}, features: { cache: true, typedThrough: true, earlyStop: true, progressive: true },
};

export const PEER_VARIANTS: ReplayVariant[] = [
  {
    // What a plain provider does: wait a fixed time after each key, then ask; nothing reused from earlier answers.
    id: 'fixed-debounce-no-cache', label: 'peer: fixed 350 ms debounce, no cache, no typed-through',
    config: { debounceMinMs: 350, debounceMaxMs: 350 }, features: { cache: false, typedThrough: false, earlyStop: true, progressive: false },
  },
  {
    id: 'fixed-debounce-typed-through', label: 'fixed 350 ms debounce, no cache (typed-through kept)',
    config: { debounceMinMs: 350, debounceMaxMs: 350 }, features: { cache: false, typedThrough: true, earlyStop: true, progressive: false },
  },
  { id: 'no-typed-through', label: 'no typed-through reuse', config: {}, features: { cache: true, typedThrough: false, earlyStop: true, progressive: true } },
  { id: 'no-early-stop', label: 'no early stop', config: {}, features: { cache: true, typedThrough: true, earlyStop: false, progressive: true } },
  {
    id: 'no-progressive', label: 'no progressive display (whole suggestion at once)', config: {},
    features: { cache: true, typedThrough: true, earlyStop: true, progressive: false },
  },
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

export function createReplayEngine(setup: EngineSetup): ReplayEngine {
  const config: InfillConfig = { ...DEFAULT_CONFIG, ...setup.config, ...setup.variant.config };
  const engine = new CompletionEngine({
    config: () => config,
    backend: async () => setup.backend,
    template: async () => ({ template: setup.parts.template }),
    context: setup.context ?? noContext,
    postprocessor: setup.postprocessor,
    decideMultiline: setup.parts.decideMultiline,
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
