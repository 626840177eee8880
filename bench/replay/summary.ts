// Sums one variant's runs (one per typist) into the figures the report shows.
import type { ReplayVariant } from './engineAdapter';
import type { RawRun, VariantResult } from './replay';
import { addServerUse, emptyServerUse } from './serverUse';
import type { StreamRecord } from './simulatedBackend';

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function summarize(variant: ReplayVariant, runs: RawRun[]): VariantResult {
  const sum = (f: (r: RawRun) => number) => runs.reduce((a, r) => a + f(r), 0);
  const keystrokes = sum(r => r.keystrokes), totalChars = sum(r => r.totalChars), acceptedChars = sum(r => r.acceptedChars);
  const streams = runs.flatMap(r => r.streams);
  const afterAccept = runs.flatMap(r => r.afterAccept);
  const use = runs.reduce((a, r) => addServerUse(a, r.serverUse), emptyServerUse());
  const busy = use.busyMs.user + use.busyMs.speculative + use.busyMs.prefill;
  const ttg = runs.flatMap(r => r.ttg), modelTtg = runs.flatMap(r => r.modelTtg), requestToGhost = runs.flatMap(r => r.requestToGhost);
  const shownBySource = { model: sum(r => r.shownBySource.model), cache: sum(r => r.shownBySource.cache), typedThrough: sum(r => r.shownBySource.typedThrough) };
  const byLanguage: RawRun['byLanguage'] = {};
  for (const r of runs) for (const [lang, v] of Object.entries(r.byLanguage)) {
    const to = (byLanguage[lang] ??= { chars: 0, accepted: 0 });
    to.chars += v.chars;
    to.accepted += v.accepted;
  }
  const outcomes = { emptyOutput: 0, emptiedByPostprocessor: 0, withText: 0, aborted: 0, failed: 0 };
  for (const r of runs) for (const k of Object.keys(outcomes) as (keyof typeof outcomes)[]) outcomes[k] += r.outcomes[k];
  const counters: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.counters)) counters[k] = (counters[k] ?? 0) + v;
  const generatedTokens = streams.reduce((a, s) => a + s.generatedTokens, 0);
  const earlyStopped = streams.filter(s => s.earlyStopSignalled && s.aborted);
  const saved = earlyStopped.reduce((a, s) => a + (s.fullTokens - s.generatedTokens), 0);
  // Pairs of consecutive requests never straddle two runs.
  const reuseParts = runs.map(r => sameLineReuse(r.streams));
  const reuseTotal = reuseParts.reduce((a, p) => a + p.total, 0);
  const shownTotal = shownBySource.model + shownBySource.cache + shownBySource.typedThrough;
  return {
    id: variant.id, label: variant.label, keystrokes, typedChars: sum(r => r.typedChars), acceptedChars, accepts: sum(r => r.accepts), totalChars,
    acceptedShare: totalChars ? acceptedChars / totalChars : 0,
    byLanguage,
    provideCalls: sum(r => r.provideCalls), suggestionsShown: shownTotal, shownBySource,
    reuseShare: shownTotal ? (shownBySource.cache + shownBySource.typedThrough) / shownTotal : 0,
    cacheShare: shownTotal ? shownBySource.cache / shownTotal : 0,
    typedThroughShare: shownTotal ? shownBySource.typedThrough / shownTotal : 0,
    modelRequests: streams.length,
    requestsPer100Keys: keystrokes ? (100 * streams.length) / keystrokes : 0,
    requestsPer100Chars: totalChars ? (100 * streams.length) / totalChars : 0,
    requestLatencyP50Ms: percentile(streams.filter(s => s.endedAt !== undefined && (!s.aborted || s.earlyStopSignalled)).map(s => s.endedAt! - s.startedAt), 50),
    abortedRequests: streams.filter(s => s.aborted && !s.earlyStopSignalled).length,
    generatedTokens,
    earlyStopSavedTokens: saved,
    earlyStopSavedShare: generatedTokens + saved ? saved / (generatedTokens + saved) : 0,
    earlyStops: earlyStopped.length,
    ttgP50Ms: percentile(ttg, 50), ttgP95Ms: percentile(ttg, 95),
    modelTtgP50Ms: percentile(modelTtg, 50), modelTtgP95Ms: percentile(modelTtg, 95),
    requestToGhostP50Ms: percentile(requestToGhost, 50), requestToGhostP95Ms: percentile(requestToGhost, 95),
    afterAcceptP50Ms: percentile(afterAccept.map(a => a.ms), 50),
    afterAcceptShownShare: afterAccept.length ? afterAccept.filter(a => a.shown).length / afterAccept.length : 0,
    afterAcceptSamples: afterAccept.length,
    serverUse: use,
    wastedBackgroundShare: busy ? use.wastedBackgroundMs / busy : 0,
    sameLinePromptReuse: reuseTotal ? reuseParts.reduce((a, p) => a + p.reused, 0) / reuseTotal : 0,
    sameLinePairs: reuseParts.reduce((a, p) => a + p.pairs, 0),
    meanPromptTokens: streams.length ? streams.reduce((a, s) => a + s.promptTokens, 0) / streams.length : 0,
    promptReuseAll: streams.reduce((a, s) => a + s.reusedPromptTokens, 0) / Math.max(1, streams.reduce((a, s) => a + s.promptTokens, 0)),
    virtualMinutes: sum(r => r.virtualMs) / 60_000,
    engineCounters: counters,
    requestOutcomes: outcomes,
    errors: sum(r => r.errors),
  };
}

function sameLineReuse(streams: StreamRecord[]): { reused: number; total: number; pairs: number } {
  let reused = 0, total = 0, pairs = 0;
  for (let i = 1; i < streams.length; i++) {
    const a = streams[i - 1], b = streams[i];
    if (a.cursorLine < 0 || a.cursorLine !== b.cursorLine) continue;
    reused += b.reusedPromptTokens;
    total += b.promptTokens;
    pairs++;
  }
  return { reused, total, pairs };
}
