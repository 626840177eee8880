// What the statistics view shows, computed from the record's rows: totals, acceptance and server speed per
// day, the distribution of time to ghost text with its p50/p95, and per-language bars. Plain data in, plain data
// out: the webview only draws it.
import { addCounters, emptyCounters, emptyHistogram, HISTOGRAM_EDGES_MS, type Counters, type StatsRow } from './record';

export interface DaySummary {
  day: string;
  shown: number;
  accepted: number;
  /** Accepted (whole or in part) per shown, 0..1; undefined without suggestions that day. */
  acceptanceRate?: number;
  /** The server's prompt reading and generation speed that day (tokens/s), when it reported its timings. */
  promptTokensPerSecond?: number;
  generationTokensPerSecond?: number;
}

export interface LanguageSummary {
  language: string;
  shown: number;
  acceptedWhole: number;
  acceptedPartly: number;
  acceptanceRate?: number;
  shownMultiline: number;
  acceptedMultiline: number;
}

export interface Distribution {
  /** Bucket labels ("≤ 100 ms", ..., "> 30 s") and counts. */
  labels: string[];
  counts: number[];
  total: number;
  p50Ms?: number;
  p95Ms?: number;
}

export interface StatsSummary {
  /** First and last day with data. */
  from?: string;
  to?: string;
  totals: Counters;
  acceptanceRate?: number;
  promptTokensPerSecond?: number;
  generationTokensPerSecond?: number;
  days: DaySummary[];
  languages: LanguageSummary[];
  ghostText: Distribution;
  firstToken: Distribution;
}

export function summarize(rows: readonly StatsRow[]): StatsSummary {
  const totals = emptyCounters();
  const ghost = emptyHistogram();
  const firstToken = emptyHistogram();
  const byDay = new Map<string, Counters>();
  const byLanguage = new Map<string, Counters>();
  for (const row of rows) {
    addCounters(totals, row.counters);
    addCounters(entry(byDay, row.day), row.counters);
    addCounters(entry(byLanguage, row.language), row.counters);
    row.ghostTextMs.forEach((n, i) => { ghost[i] += n; });
    row.firstTokenMs.forEach((n, i) => { firstToken[i] += n; });
  }
  const days = [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, c]): DaySummary => ({
    day, shown: c.shown, accepted: accepted(c), acceptanceRate: acceptanceRate(c), ...speeds(c),
  }));
  const languages = [...byLanguage.entries()].map(([language, c]): LanguageSummary => ({
    language, shown: c.shown, acceptedWhole: c.acceptedWhole, acceptedPartly: c.acceptedPartly,
    acceptanceRate: acceptanceRate(c), shownMultiline: c.shownMultiline, acceptedMultiline: c.acceptedMultiline,
  })).sort((a, b) => b.shown - a.shown || a.language.localeCompare(b.language));
  return {
    from: days[0]?.day,
    to: days[days.length - 1]?.day,
    totals,
    acceptanceRate: acceptanceRate(totals),
    ...speeds(totals),
    days,
    languages,
    ghostText: distribution(ghost),
    firstToken: distribution(firstToken),
  };
}

export function accepted(c: Counters): number {
  return c.acceptedWhole + c.acceptedPartly;
}

export function acceptanceRate(c: Counters): number | undefined {
  return c.shown > 0 ? Math.min(1, accepted(c) / c.shown) : undefined;
}

export function speeds(c: Counters): { promptTokensPerSecond?: number; generationTokensPerSecond?: number } {
  return {
    promptTokensPerSecond: c.serverPromptMs > 0 && c.serverPromptTokens > 0 ? c.serverPromptTokens / (c.serverPromptMs / 1000) : undefined,
    generationTokensPerSecond: c.serverGenerationMs > 0 && c.serverGeneratedTokens > 0
      ? c.serverGeneratedTokens / (c.serverGenerationMs / 1000) : undefined,
  };
}

export function distribution(counts: readonly number[]): Distribution {
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    labels: bucketLabels(),
    counts: [...counts],
    total,
    p50Ms: percentile(counts, 0.5),
    p95Ms: percentile(counts, 0.95),
  };
}

/**
 * The q-quantile (0..1) of a histogram with HISTOGRAM_EDGES_MS buckets, interpolated linearly inside its bucket;
 * undefined when empty. Above the last edge it answers the last edge (the histogram knows no more).
 */
export function percentile(counts: readonly number[], q: number): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (n > 0 && below + n >= rank) {
      if (i >= HISTOGRAM_EDGES_MS.length) return HISTOGRAM_EDGES_MS[HISTOGRAM_EDGES_MS.length - 1];
      const low = i === 0 ? 0 : HISTOGRAM_EDGES_MS[i - 1];
      const high = HISTOGRAM_EDGES_MS[i];
      return low + (high - low) * Math.max(0, Math.min(1, (rank - below) / n));
    }
    below += n;
  }
  return HISTOGRAM_EDGES_MS[HISTOGRAM_EDGES_MS.length - 1];
}

export function bucketLabels(): string[] {
  const fmt = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);
  return [...HISTOGRAM_EDGES_MS.map(edge => `≤ ${fmt(edge)}`), `> ${fmt(HISTOGRAM_EDGES_MS[HISTOGRAM_EDGES_MS.length - 1])}`];
}

function entry(map: Map<string, Counters>, key: string): Counters {
  let c = map.get(key);
  if (!c) map.set(key, c = emptyCounters());
  return c;
}
