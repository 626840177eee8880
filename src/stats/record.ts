// The statistics record: per day, language and model, counts and timing histograms of what completion did.
// Counts and timings only: no code, no file names, nothing that leaves the machine. Plain data, so the store can
// merge what several VS Code windows recorded, and export it as JSON or CSV.

/** Every counter of a row, in the order the CSV export writes them. */
export const COUNTER_NAMES = [
  /** Suggestions that appeared as ghost text (a suggestion typed along counts once). */
  'shown',
  'shownMultiline',
  /** Shown suggestions accepted whole (Tab), possibly after accepting a part first. */
  'acceptedWhole',
  /** Shown suggestions of which only a part (word or line) was accepted. */
  'acceptedPartly',
  /** Shown multi-line suggestions accepted whole or in part. */
  'acceptedMultiline',
  /** Partial-accept actions (Ctrl+Right and the like), by the unit they took. */
  'partialWordAccepts',
  'partialLineAccepts',
  /** Shown suggestions that went without any accept: typed over, replaced by another, or the cursor left. */
  'dismissed',
  /** Characters inserted by accepting suggestions, and characters the user typed (keystroke-sized edits). */
  'charsAccepted',
  'charsTyped',
  /** Answers that needed no model request: the region's cache, or the rest of a suggestion typed along. */
  'cacheAnswers',
  'typedThroughAnswers',
  /** Model requests by how they ended. */
  'requests',
  'requestsFinished',
  'earlyStops',
  'requestsCancelled',
  'requestsFailed',
  /** Over finished requests: prompt tokens sent, and those the server took from its cache. */
  'promptTokens',
  'cachedPromptTokens',
  /** Over the same requests: the code before the cursor, in (estimated) tokens. */
  'prefixTokens',
  /** The server's own figures, over finished requests that reported them. */
  'serverPromptTokens',
  'serverPromptMs',
  'serverGeneratedTokens',
  'serverGenerationMs',
  /** Requests that waited for the model to load (the server reported a load of LOAD_MS_COUNTED or more). */
  'modelLoads',
  'modelLoadMs',
] as const;

export type CounterName = typeof COUNTER_NAMES[number];
export type Counters = Record<CounterName, number>;

/** A server load time above this means the model was (re)loaded, e.g. after Ollama's keepAlive expired. */
export const LOAD_MS_COUNTED = 500;

/**
 * Upper edges (ms) of the timing histogram's buckets; a last bucket holds everything above the last edge.
 * Fixed edges keep a day's distribution in 20 numbers, and p50/p95 are read back from them.
 */
export const HISTOGRAM_EDGES_MS = [25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 15_000, 30_000] as const;

export interface StatsRow {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  language: string;
  model: string;
  counters: Counters;
  /** Time from the keystroke that asked to the ghost text, for new suggestions (bucket counts). */
  ghostTextMs: number[];
  /** Time from a model request's start to its first token (bucket counts). */
  firstTokenMs: number[];
}

/** What the adapter reports; each event belongs to one day, language and model. */
export type StatsEvent = { language: string; model: string; at: number } & (
  | { kind: 'shown'; multiline: boolean; source: 'model' | 'cache'; ghostTextMs: number }
  | { kind: 'typedThrough' }
  /** `replaces`: the outcome this suggestion was counted under before (a part accepted first, or seen as dismissed). */
  | { kind: 'acceptedWhole'; chars: number; multiline: boolean; replaces?: 'partly' | 'dismissed' }
  | { kind: 'acceptedPart'; chars: number; unit: 'word' | 'line'; multiline: boolean; first: boolean }
  | { kind: 'dismissed' }
  | { kind: 'typed'; chars: number }
  | { kind: 'request'; outcome: 'finished' | 'early-stop' | 'cancelled' | 'failed'; timings?: RequestFigures }
);

/** A finished request's figures (from the engine's RequestTimings). */
export interface RequestFigures {
  ttftMs: number;
  promptTokens: number;
  cachedPromptTokens: number;
  /** Estimated tokens of the code before the cursor in the prompt. */
  prefixTokens?: number;
  tokens: number;
  server?: { loadMs?: number; promptMs?: number; generationMs?: number };
}

export function emptyCounters(): Counters {
  return Object.fromEntries(COUNTER_NAMES.map(name => [name, 0])) as Counters;
}

export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_EDGES_MS.length + 1).fill(0);
}

export function emptyRow(day: string, language: string, model: string): StatsRow {
  return { day, language, model, counters: emptyCounters(), ghostTextMs: emptyHistogram(), firstTokenMs: emptyHistogram() };
}

/** The bucket a duration falls in. */
export function bucketOf(ms: number): number {
  const index = HISTOGRAM_EDGES_MS.findIndex(edge => ms <= edge);
  return index === -1 ? HISTOGRAM_EDGES_MS.length : index;
}

/** The local calendar day of an epoch-ms time, YYYY-MM-DD. */
export function dayOf(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Adds one event to its row (the row must be the event's day, language and model). */
export function applyEvent(row: StatsRow, event: StatsEvent): void {
  const c = row.counters;
  switch (event.kind) {
    case 'shown':
      c.shown++;
      if (event.multiline) c.shownMultiline++;
      if (event.source === 'cache') c.cacheAnswers++;
      row.ghostTextMs[bucketOf(event.ghostTextMs)]++;
      break;
    case 'typedThrough':
      c.typedThroughAnswers++;
      break;
    case 'acceptedWhole':
      c.acceptedWhole++;
      c.charsAccepted += event.chars;
      // A suggestion counted under another outcome before is now accepted whole: it moves from one to the other.
      if (event.replaces === 'partly') c.acceptedPartly = Math.max(0, c.acceptedPartly - 1);
      else if (event.multiline) c.acceptedMultiline++;
      if (event.replaces === 'dismissed') c.dismissed = Math.max(0, c.dismissed - 1);
      break;
    case 'acceptedPart':
      c.charsAccepted += event.chars;
      if (event.unit === 'word') c.partialWordAccepts++;
      else c.partialLineAccepts++;
      if (event.first) {
        c.acceptedPartly++;
        if (event.multiline) c.acceptedMultiline++;
      }
      break;
    case 'dismissed':
      c.dismissed++;
      break;
    case 'typed':
      c.charsTyped += event.chars;
      break;
    case 'request':
      applyRequest(row, event.outcome, event.timings);
      break;
  }
}

function applyRequest(row: StatsRow, outcome: 'finished' | 'early-stop' | 'cancelled' | 'failed', t: RequestFigures | undefined): void {
  const c = row.counters;
  c.requests++;
  if (outcome === 'cancelled') { c.requestsCancelled++; return; }
  if (outcome === 'failed') { c.requestsFailed++; return; }
  c.requestsFinished++;
  if (outcome === 'early-stop') c.earlyStops++;
  if (!t) return;
  row.firstTokenMs[bucketOf(t.ttftMs)]++;
  c.promptTokens += t.promptTokens;
  c.cachedPromptTokens += t.cachedPromptTokens;
  c.prefixTokens += t.prefixTokens ?? 0;
  const server = t.server ?? {};
  if (server.promptMs !== undefined && server.promptMs > 0) {
    // Tokens the server actually read: what it took from its cache cost it nothing.
    c.serverPromptTokens += Math.max(0, t.promptTokens - t.cachedPromptTokens);
    c.serverPromptMs += server.promptMs;
  }
  if (server.generationMs !== undefined && server.generationMs > 0 && t.tokens > 0) {
    c.serverGeneratedTokens += t.tokens;
    c.serverGenerationMs += server.generationMs;
  }
  if (server.loadMs !== undefined && server.loadMs >= LOAD_MS_COUNTED) {
    c.modelLoads++;
    c.modelLoadMs += server.loadMs;
  }
}

/** Adds `from` into `into` (same day, language and model). */
export function addRow(into: StatsRow, from: StatsRow): void {
  addCounters(into.counters, from.counters);
  addHistogram(into.ghostTextMs, from.ghostTextMs);
  addHistogram(into.firstTokenMs, from.firstTokenMs);
}

export function addCounters(into: Counters, from: Counters): void {
  for (const name of COUNTER_NAMES) into[name] += from[name] ?? 0;
}

/** All rows' counters added up. */
export function sumCounters(rows: readonly StatsRow[]): Counters {
  const c = emptyCounters();
  for (const row of rows) addCounters(c, row.counters);
  return c;
}

function addHistogram(into: number[], from: number[]): void {
  for (let i = 0; i < into.length; i++) into[i] += from[i] ?? 0;
}

export function rowKey(day: string, language: string, model: string): string {
  return JSON.stringify([day, language, model]);
}

/** Days kept: older rows are dropped when the record is written. */
export const MAX_DAYS = 90;
/** Language-and-model combinations kept per day; the rest are folded into language "other". */
export const MAX_ROWS_PER_DAY = 40;

/**
 * Merges rows that share a day, language and model, drops days older than `maxDays` before `today`, and folds
 * a day's smallest language rows into "other" beyond `maxRowsPerDay`: the record stays bounded whatever happens.
 * Returns new rows sorted by day, language, model.
 */
export function normalizeRows(rows: readonly StatsRow[], today: string, maxDays = MAX_DAYS, maxRowsPerDay = MAX_ROWS_PER_DAY): StatsRow[] {
  const oldest = shiftDay(today, -(maxDays - 1));
  const merged = new Map<string, StatsRow>();
  for (const row of rows) {
    if (!isDay(row.day) || row.day < oldest) continue;
    const key = rowKey(row.day, row.language, row.model);
    let into = merged.get(key);
    if (!into) merged.set(key, into = emptyRow(row.day, row.language, row.model));
    addRow(into, row);
  }
  const byDay = new Map<string, StatsRow[]>();
  for (const row of merged.values()) {
    const list = byDay.get(row.day) ?? [];
    list.push(row);
    byDay.set(row.day, list);
  }
  const out: StatsRow[] = [];
  for (const [day, list] of byDay) {
    if (list.length <= maxRowsPerDay) { out.push(...list); continue; }
    list.sort((a, b) => activity(b) - activity(a));
    out.push(...list.slice(0, maxRowsPerDay - 1));
    const other = new Map<string, StatsRow>();
    for (const row of list.slice(maxRowsPerDay - 1)) {
      // One "other" row for the whole rest: the model of the row that folds first names it.
      const into = other.get('other') ?? emptyRow(day, 'other', row.model);
      other.set('other', into);
      addRow(into, row);
    }
    out.push(...other.values());
  }
  return out.sort((a, b) => a.day.localeCompare(b.day) || a.language.localeCompare(b.language) || a.model.localeCompare(b.model));
}

function activity(row: StatsRow): number {
  return row.counters.shown + row.counters.requests + row.counters.charsTyped;
}

/** YYYY-MM-DD plus `days` (negative: earlier). */
export function shiftDay(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return dayOf(new Date(y, m - 1, d + days, 12).getTime());
}

function isDay(day: unknown): day is string {
  return typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day);
}

/** A row read from disk, with missing or malformed fields repaired (an older or hand-edited file). */
export function sanitizeRow(raw: unknown): StatsRow | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (!isDay(r.day) || typeof r.language !== 'string' || typeof r.model !== 'string') return undefined;
  const row = emptyRow(r.day, r.language.slice(0, 100), r.model.slice(0, 200));
  const counters = (r.counters && typeof r.counters === 'object' ? r.counters : {}) as Record<string, unknown>;
  for (const name of COUNTER_NAMES) {
    const value = counters[name];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) row.counters[name] = value;
  }
  const histogram = (value: unknown, into: number[]) => {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < into.length; i++) {
      const n = value[i];
      if (typeof n === 'number' && Number.isFinite(n) && n >= 0) into[i] = n;
    }
  };
  histogram(r.ghostTextMs, row.ghostTextMs);
  histogram(r.firstTokenMs, row.firstTokenMs);
  return row;
}
