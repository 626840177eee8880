// Typing replay: a simulated user types regions of real source files keystroke by keystroke, in virtual time,
// through the real CompletionEngine (debounce, cache, typed-through reuse, abort, early stop) against a
// simulated server whose latency follows measured speeds. Counts what a request economy is made of.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionRequest } from '../../src/backend/types';
import { createNodeContextProvider } from '../../src/context/index';
import type { ContextProvider } from '../../src/context/types';
import type { DocumentSnapshot, Position } from '../../src/document/types';
import type { InfillConfig } from '../../src/config/types';
import type { Postprocessor } from '../../src/postprocess/types';
import { loadCorpus, openTabsFor, pickRegions, type CorpusFile, type ReplayRegion } from './corpus';
import { createReplayEngine, INFILL_VARIANT, PEER_VARIANTS, type ReplayVariant, type Suggestion } from './engineAdapter';
import { defaultLatencyModel, type LatencyModel } from './latencyModel';
import { loadPipelineParts, type PipelineParts } from './pipelineParts';
import type { RequestKind } from '../../src/decisions';
import { calibrate, realisticOutput, type ModelCalibration } from './realisticModel';
import { RegionTruth } from './regionTruth';
import { serverUse, type ServerUse } from './serverUse';
import { summarize } from './summary';

export { percentile } from './summary';
import { idealModel, SimulatedBackend, type OutputModel, type StreamRecord } from './simulatedBackend';
import { DEFAULT_TYPIST, nextKeyText, Typist, type TypistOptions } from './typist';
import { VirtualClock } from './virtualClock';

export interface ReplayOptions {
  /** Regions per file (default 8: fewer make the figures swing with one typo's timing) and lines per region. */
  regionsPerFile?: number;
  linesPerRegion?: number;
  /** Limit the number of corpus files (quick mode). */
  maxFiles?: number;
  latency?: LatencyModel;
  typist?: Partial<TypistOptions>;
  variants?: ReplayVariant[];
  /** Settings for every variant (before the variant's own changes). */
  config?: Partial<InfillConfig>;
  log?: (line: string) => void;
  /** How many typists (seeds typist.seed, +1, +2, ...) replay each variant; their runs are summed. Default 5. */
  typists?: number;
  /** FIM template family for the prompts (decides what the server's KV cache can keep). Default 'qwen'. */
  templateFamily?: string;
  /**
   * What the server answers: 'ideal' (the file's true continuation) or 'realistic' (right only as often as real
   * models are, wrong the way they are: realisticModel.ts). Default 'ideal'.
   */
  server?: ServerModel;
  /** The realistic model's figures (default: measured on the real outputs now). */
  calibration?: ModelCalibration;
}

export type ServerModel = 'ideal' | 'realistic';

export interface VariantResult {
  id: string;
  label: string;
  keystrokes: number;
  typedChars: number;
  acceptedChars: number;
  accepts: number;
  totalChars: number;
  /** Share of the replayed characters the user took from suggestions. */
  acceptedShare: number;
  /** Replayed and accepted characters per language. */
  byLanguage: Record<string, { chars: number; accepted: number }>;
  provideCalls: number;
  suggestionsShown: number;
  shownBySource: { model: number; cache: number; typedThrough: number };
  /** Shown suggestions served without a model request (cache + typed-through), over all shown. */
  reuseShare: number;
  cacheShare: number;
  typedThroughShare: number;
  modelRequests: number;
  requestsPer100Keys: number;
  /** Requests per 100 characters of code written (typed or accepted): does not reward typing less. */
  requestsPer100Chars: number;
  /** Model request time, stream start to end, for requests that ran to their end or early stop. */
  requestLatencyP50Ms: number;
  abortedRequests: number;
  generatedTokens: number;
  /** Tokens the server would still have generated for streams the early stop ended. */
  earlyStopSavedTokens: number;
  /** earlyStopSaved / (generated + earlyStopSaved). */
  earlyStopSavedShare: number;
  earlyStops: number;
  /** Time from the keystroke to the ghost text, over every shown suggestion, and over new model text. */
  ttgP50Ms: number;
  ttgP95Ms: number;
  modelTtgP50Ms: number;
  modelTtgP95Ms: number;
  /**
   * Model request start (after the debounce) to the first ghost text made of its output, over requests whose
   * output was shown: what the user waits for once a request is sent.
   */
  requestToGhostP50Ms: number;
  requestToGhostP95Ms: number;
  /**
   * After a Tab that took a whole suggestion, with more code to write: time to the next ghost text at that place,
   * p50, the share shown before the user's next key, and how many such accepts there were.
   */
  afterAcceptP50Ms: number;
  afterAcceptShownShare: number;
  afterAcceptSamples: number;
  serverUse: ServerUse;
  /** Background server time (speculation, prefill) whose result was never used, over all server busy time. */
  wastedBackgroundShare: number;
  /** Prompt tokens reused from the previous request, over consecutive requests on the same line. */
  sameLinePromptReuse: number;
  sameLinePairs: number;
  /** Mean prompt size the server saw (tokens, estimated), and the share it could take from its KV cache overall. */
  meanPromptTokens: number;
  promptReuseAll: number;
  virtualMinutes: number;
  engineCounters: Record<string, number>;
  /** What became of the model requests: server output empty (e.g. asked at a line end), emptied by the post-processor, ... */
  requestOutcomes: { emptyOutput: number; emptiedByPostprocessor: number; withText: number; aborted: number; failed: number };
  errors: number;
}

export interface ReplayResult {
  files: { label: string; languageId: string; regions: number; chars: number }[];
  missingFiles: string[];
  latencySource: string;
  server: ServerModel;
  /** The realistic model's figures and where they come from (realistic server only). */
  calibration?: ModelCalibration;
  provenance: PipelineParts['provenance'];
  typist: TypistOptions;
  /** The typists' seeds: each variant was replayed once per seed and the runs summed. */
  seeds: number[];
  variants: VariantResult[];
  /** Each peer variant's figures divided by Infill's. */
  ratios: Record<string, { requests: number; requestsPer100Keys: number; acceptedChars: number; generatedTokens: number; ttgP50: number }>;
  wallMs: number;
}


interface Shown { text: string; at: number; pos: number }

/** What one typist's pass over the regions produced, before it is summed with the other passes. */
export interface RawRun {
  keystrokes: number; typedChars: number; acceptedChars: number; accepts: number; totalChars: number;
  provideCalls: number; errors: number;
  byLanguage: Record<string, { chars: number; accepted: number }>;
  shownBySource: { model: number; cache: number; typedThrough: number };
  ttg: number[]; modelTtg: number[]; requestToGhost: number[];
  /** After each Tab accept where more code follows: time to the next ghost text there (or to the next key, if none came). */
  afterAccept: { ms: number; shown: boolean }[];
  serverUse: ServerUse;
  streams: StreamRecord[];
  outcomes: VariantResult['requestOutcomes'];
  counters: Record<string, number>;
  virtualMs: number;
}

/**
 * One variant, replayed by several typists (seeds) with a fresh engine each, summed. One typist's run swings
 * with the timing of a few typos; the sum over several does not.
 */
/** Everything a variant's replay shares with the others. */
interface ReplaySetup {
  regions: ReplayRegion[];
  parts: PipelineParts;
  latency: LatencyModel;
  typist: TypistOptions;
  seeds: number[];
  baseConfig: Partial<InfillConfig>;
  corpus: CorpusFile[];
  /** The server's answers for one typist's run (seeded by it). */
  model(seed: number): OutputModel;
}

async function replayVariant(setup: ReplaySetup, variant: ReplayVariant): Promise<VariantResult> {
  const runs: RawRun[] = [];
  for (const seed of setup.seeds) runs.push(await replayOnce(setup, variant, seed));
  return summarize(variant, runs);
}

async function replayOnce(setup: ReplaySetup, variant: ReplayVariant, seed: number): Promise<RawRun> {
  const { regions, parts, latency, baseConfig, corpus } = setup;
  const typistOptions: TypistOptions = { ...setup.typist, seed };
  const clock = new VirtualClock();
  const context = relatedContext(corpus, clock);
  let truth = new RegionTruth('');
  const backend = new SimulatedBackend(clock, latency, { continuationFor: r => truth.continuationFor(r) }, setup.model(seed));
  // The engine's early stop is the post-processor saying "complete" on a running stream: note it on that stream.
  const postprocessor: Postprocessor = {
    process: async i => {
      const out = await parts.postprocessor.process(i);
      // BENCH_TRACE_PP=file: every post-processing case as JSON Lines, to replay with `cli.js postprocess`.
      if (process.env.BENCH_TRACE_PP) {
        require('node:fs').appendFileSync(process.env.BENCH_TRACE_PP, JSON.stringify({ variant: variant.id, ...i, completion: out }) + '\n');
      }
      return out;
    },
    isComplete: async i => {
      const done = await parts.postprocessor.isComplete(i);
      if (done) backend.markEarlyStop();
      return done;
    },
  };
  const engine = createReplayEngine({ clock, backend, parts, postprocessor, variant, config: baseConfig, context });
  const typist = new Typist(typistOptions);
  const outcomes = { emptyOutput: 0, emptiedByPostprocessor: 0, withText: 0, aborted: 0, failed: 0 };
  engine.onRequest(r => {
    if (r.kind === 'prefill') return; // reads a prompt, has no output
    if (r.outcome === 'aborted' || r.outcome === 'timeout') outcomes.aborted++;
    else if (r.outcome === 'error') outcomes.failed++;
    else if (r.raw.trim() === '') outcomes.emptyOutput++;
    else if (!r.text || r.text.trim() === '') outcomes.emptiedByPostprocessor++;
    else outcomes.withText++;
  });
  // BENCH_TRACE_REQUESTS=file: every model request (prompt parts, raw output, suggestion) as JSON Lines.
  if (process.env.BENCH_TRACE_REQUESTS) {
    const file = process.env.BENCH_TRACE_REQUESTS;
    engine.onRequest(r => fs.appendFileSync(file, JSON.stringify({
      variant: variant.id, id: r.id, kind: r.kind ?? 'user', at: Math.round(clock.now()), outcome: r.outcome, abortReason: r.abortReason, maxTokens: r.request?.maxTokens,
      prefix: r.request?.prefix, suffix: r.request?.suffix, raw: r.raw, text: r.text, timings: r.timings, seed, prompt: r.request?.prompt, startAt: r.timings ? Math.round(clock.now() - r.timings.totalMs) : undefined,
    }) + '\n'));
  }
  if (process.env.BENCH_TRACE) {
    engine.onRequest(r => process.stderr.write(`[trace ${variant.id}] t=${Math.round(clock.now())} #${r.id} ${r.outcome} `
      + `line=${JSON.stringify(r.request?.prefix.slice(r.request.prefix.lastIndexOf('\n') + 1))} max=${r.request?.maxTokens} `
      + `raw=${JSON.stringify(r.raw.slice(0, 80))} text=${JSON.stringify(r.text?.slice(0, 80))}\n`));
  }
  const ttg: number[] = [], modelTtg: number[] = [];
  const seenRequests = new Set<number>();
  // When each request started (known at its end: end time less its total time) and when its text first showed.
  const requestStartedAt = new Map<number, number>(), firstShownAt = new Map<number, number>();
  const kinds = new Map<CompletionRequest, { id: number; kind: RequestKind }>();
  engine.onRequest(r => {
    // Request start to ghost text is what the user waits for once a request is sent: their own requests only.
    if (r.timings && (r.kind ?? 'user') === 'user') requestStartedAt.set(r.id, clock.now() - r.timings.totalMs);
    if (r.request) kinds.set(r.request, { id: r.id, kind: r.kind ?? 'user' });
  });
  const afterAccept: RawRun['afterAccept'] = [];
  let pendingAccept: { at: number; pos: number } | undefined;
  const byLanguage: Record<string, { chars: number; accepted: number }> = {};
  const shownBySource = { model: 0, cache: 0, typedThrough: 0 };
  let keystrokes = 0, typedChars = 0, acceptedChars = 0, accepts = 0, totalChars = 0, provideCalls = 0, errors = 0;
  let version = 0;

  for (const region of regions) {
    const { file } = region;
    const text = file.text;
    truth = new RegionTruth(text, region);
    totalChars += region.end - region.start;
    const lang = (byLanguage[file.languageId] ??= { chars: 0, accepted: 0 });
    lang.chars += region.end - region.start;
    let pos = region.start;
    let line = region.startLine;
    let shown: Shown | undefined;
    let controller: AbortController | undefined;
    let latest = 0;

    /** Asks the engine at the cursor; `typo` is a wrong character standing right before it (not yet erased). */
    const provide = (typo = '') => {
      controller?.abort(); // VS Code cancels the previous call on every edit
      const ctl = new AbortController();
      controller = ctl;
      const call = ++latest;
      const calledAt = clock.now();
      const at = pos;
      const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
      const snapshot: DocumentSnapshot = {
        uri: file.path, relativePath: path.relative(file.root, file.path).split(path.sep).join('/'), languageId: file.languageId,
        text: text.slice(0, pos) + typo + text.slice(region.end), version: ++version,
      };
      const position: Position = { line, character: pos - lineStart + typo.length };
      if (!typo) truth.visit(pos, line); // after a typo the server has no true continuation: it answers nothing
      provideCalls++;
      engine.provide(snapshot, position, ctl.signal, { editorId: 'bench-editor', explicit: false }).then((s: Suggestion | undefined) => {
        if (call !== latest || ctl.signal.aborted || !s || s.text.length === 0 || typo) return;
        shown = { text: s.text, at: clock.now(), pos: at };
        if (pendingAccept?.pos === at) { afterAccept.push({ ms: clock.now() - pendingAccept.at, shown: true }); pendingAccept = undefined; }
        const ms = clock.now() - calledAt;
        ttg.push(ms);
        // New model text: the first time a request's output reaches the screen, whichever path brought it.
        if (s.requestId > 0 && !seenRequests.has(s.requestId)) {
          seenRequests.add(s.requestId); modelTtg.push(ms); firstShownAt.set(s.requestId, clock.now());
          if (process.env.BENCH_TRACE_TTG) fs.appendFileSync(process.env.BENCH_TRACE_TTG, JSON.stringify({ variant: variant.id, seed, id: s.requestId, ms: Math.round(ms), source: s.source, at: Math.round(clock.now()), lines: s.text.split('\n').length, line: text.slice(lineStart, at) }) + '\n');
        }
        if (s.source === 'model') shownBySource.model++;
        else if (s.source === 'cache') shownBySource.cache++;
        else shownBySource.typedThrough++;
      }, () => { errors++; });
    };

    provide(); // the editor asks as soon as the cursor lands on the empty line
    let nextAt = clock.now() + typist.gapAfter('\n');
    while (pos < region.end) {
      await clock.advanceTo(nextAt);
      const upcoming = text.slice(pos, region.end);
      const visible = shown && shown.pos === pos && clock.now() - shown.at >= typist.options.reactionMs ? shown : undefined;
      const take = visible ? typist.acceptLength(visible.text, upcoming) : 0;
      // An accept that ended a line: the place where the next suggestion is wanted is past the Enter.
      const enterAfterAccept = take === 0 && pendingAccept?.pos === pos && text[pos] === '\n';
      if (pendingAccept && !enterAfterAccept) { afterAccept.push({ ms: clock.now() - pendingAccept.at, shown: false }); pendingAccept = undefined; }
      const before = pos;
      let gap: number;
      if (take > 0) {
        for (let i = pos; i < pos + take; i++) if (text[i] === '\n') line++;
        pos += take;
        acceptedChars += take;
        lang.accepted += take;
        accepts++;
        keystrokes++; // Tab
        gap = typist.gapAfterAccept();
      } else {
        const key = nextKeyText(text, pos, region.end);
        const wrong = typist.typoFor(key);
        if (wrong) {
          // Wrong letter, a moment to notice, Backspace: the cursor is back where it was, the document too.
          keystrokes += 2;
          shown = undefined;
          provide(wrong);
          await clock.advanceTo(clock.now() + typist.gapAfterTypo());
          provide();
          await clock.advanceTo(clock.now() + typist.gapAfter(key));
        }
        if (key.startsWith('\n')) line++;
        pos += key.length;
        typedChars += key.length;
        keystrokes++;
        gap = typist.gapAfter(key);
      }
      // VS Code itself keeps showing ghost text the user types into, whatever the provider does meanwhile.
      const inserted = text.slice(before, pos);
      shown = shown && shown.pos === before && shown.text.startsWith(inserted) && shown.text.length > inserted.length
        ? { text: shown.text.slice(inserted.length), at: shown.at, pos }
        : undefined;
      // The tab-tab flow: the whole suggestion taken, and more code to write after it.
      if (take > 0 && take === visible?.text.length && text.slice(pos, region.end).trim() !== '') pendingAccept = { at: clock.now(), pos };
      else if (enterAfterAccept && pendingAccept) pendingAccept = { at: clock.now(), pos };
      provide();
      nextAt = clock.now() + gap;
    }
    pendingAccept = undefined;
    // The user moves on: whatever is still running is cancelled, and the clock runs it out.
    await clock.advanceTo(clock.now() + 2000);
    controller?.abort();
    await clock.drain();
  }
  engine.dispose();
  await clock.drain();

  const requestToGhost = [...firstShownAt].filter(([id]) => requestStartedAt.has(id)).map(([id, at]) => at - requestStartedAt.get(id)!);
  return {
    afterAccept, serverUse: serverUse(backend.streams, kinds, seenRequests),
    keystrokes, typedChars, acceptedChars, accepts, totalChars, provideCalls, errors, byLanguage, shownBySource, ttg, modelTtg, requestToGhost,
    streams: backend.streams, outcomes, counters: engine.counters() as unknown as Record<string, number>, virtualMs: clock.now(),
  };
}

/**
 * The project's real related-context provider, one per package (its folder is the workspace, the other corpus
 * files and a few siblings are the open tabs). Its file reads take no virtual time: the clock waits for them.
 */
function relatedContext(corpus: CorpusFile[], clock: VirtualClock): ContextProvider {
  const byFile = new Map<string, ContextProvider>();
  for (const f of corpus) {
    // No real-time budget: on a busy machine it would cut context short at random and make runs differ.
    byFile.set(f.path, createNodeContextProvider({ workspace: f.root, openFiles: openTabsFor(f, corpus), timeBudgetMs: 60_000 }));
  }
  return {
    gather: (doc, signal) => {
      const provider = byFile.get(doc.uri);
      return provider ? clock.track(provider.gather(doc, signal)) : Promise.resolve([]);
    },
  };
}

export async function runReplayBench(opts: ReplayOptions = {}): Promise<ReplayResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const corpus = loadCorpus();
  const files = corpus.files.slice(0, opts.maxFiles ?? corpus.files.length);
  const regions = files.flatMap(f => pickRegions(f, opts.regionsPerFile ?? 8, opts.linesPerRegion ?? 24));
  // The default model (Qwen2.5-Coder) lays its prompt out this way; the server speeds stay the 164M ones.
  const parts = loadPipelineParts(opts.templateFamily ?? 'qwen');
  // Grammars load lazily: warm them up so the first keystroke does not wait on a disk read in real time.
  for (const f of files) {
    await parts.postprocessor.process({ languageId: f.languageId, prefix: 'x = ', suffix: '\n', output: '1\n', multiline: false });
  }
  const latency = opts.latency ?? defaultLatencyModel();
  const typist: TypistOptions = { ...DEFAULT_TYPIST, ...opts.typist };
  const seeds = Array.from({ length: Math.max(1, opts.typists ?? 5) }, (_, i) => typist.seed + i);
  const variants = opts.variants ?? [INFILL_VARIANT, ...PEER_VARIANTS];
  const baseConfig: Partial<InfillConfig> = { backend: 'ollama', contextEnabled: true, ...opts.config };
  const calibration = opts.server === 'realistic' ? opts.calibration ?? calibrate() : undefined;
  const setup: ReplaySetup = {
    regions, parts, latency, typist, seeds, baseConfig, corpus: files,
    model: seed => (calibration
      ? (request, truth) => realisticOutput({
        fileText: truth.fileText, cursor: truth.cursor, suffix: request.suffix, multiline: !request.stop.includes('\n'), seed,
      }, calibration)
      : idealModel),
  };
  const results: VariantResult[] = [];
  for (const v of variants) {
    const t = performance.now();
    const r = await replayVariant(setup, v);
    results.push(r);
    log(`replay: ${v.label}: ${r.keystrokes} keys, ${r.modelRequests} requests (${r.requestsPer100Keys.toFixed(1)}/100 keys), `
      + `accepted ${(100 * r.acceptedShare).toFixed(1)}% of chars, ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const infill = results.find(r => r.id === INFILL_VARIANT.id) ?? results[0];
  const ratio = (a: number, b: number) => (b ? a / b : a ? Infinity : 1);
  const ratios: ReplayResult['ratios'] = {};
  for (const r of results) {
    if (r === infill) continue;
    ratios[r.id] = {
      requests: ratio(infill.modelRequests, r.modelRequests),
      requestsPer100Keys: ratio(infill.requestsPer100Keys, r.requestsPer100Keys),
      acceptedChars: ratio(infill.acceptedChars, r.acceptedChars),
      generatedTokens: ratio(infill.generatedTokens, r.generatedTokens),
      ttgP50: ratio(infill.ttgP50Ms, r.ttgP50Ms),
    };
  }
  return {
    files: files.map(f => ({
      label: f.label, languageId: f.languageId,
      regions: regions.filter(r => r.file === f).length,
      chars: regions.filter(r => r.file === f).reduce((a, r) => a + r.end - r.start, 0),
    })),
    missingFiles: corpus.missing,
    latencySource: latency.source,
    server: opts.server ?? 'ideal',
    calibration,
    provenance: parts.provenance,
    typist, seeds,
    variants: results,
    ratios,
    wallMs: performance.now() - t0,
  };
}
