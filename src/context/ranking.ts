// Scoring and selection of context candidates: identifier-token Jaccard similarity against the code around the
// cursor, plus a prior per source, then a greedy fill of the token budget. Everything here is deterministic:
// ties are broken by path and line, never by insertion order or chance.
import { estimateTokens } from '../prompt/tokens';
import type { ContextSnippet, SnippetSource } from './types';

/** Words that say nothing about what code is about (keywords and very common names across our languages). */
const STOPWORDS = new Set(
  ('abstract and as assert async await break case catch class const continue def default del defer delete do elif '
    + 'else enum except export extends false fi final finally fn for from func function go goto if impl implements import '
    + 'in instanceof interface is let loop match mod mut new nil none not null of or package pass pub private protected '
    + 'public raise readonly return self static struct super switch this throw throws true try type typeof undefined '
    + 'use var void while with yield string number boolean int bool str float any err ok some None True False Self '
    + 'crate where dyn ref trait chan map range select fallthrough lambda nonlocal global int32 int64 uint usize i32 i64 u8 f64')
    .split(' '),
);

const IDENT = /[A-Za-z_$][A-Za-z0-9_$]*/g;

/** Identifier tokens of a text, as a set (keywords and one-letter names dropped). */
export function identifierTokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(IDENT)) {
    const t = m[0];
    if (t.length > 1 && !STOPWORDS.has(t)) out.add(t);
  }
  return out;
}

/**
 * Token sets as integer arrays, for the hot loop of the ranking. Every identifier seen gets a number
 * once (the table grows with the workspace's vocabulary, tens of thousands of names); a set's array is made once
 * and kept as long as the set itself (windows and definitions are cached per file version).
 */
const tokenNumbers = new Map<string, number>();
const idsOfSet = new WeakMap<ReadonlySet<string>, Int32Array>();

function tokenNumber(t: string): number {
  let n = tokenNumbers.get(t);
  if (n === undefined) { n = tokenNumbers.size; tokenNumbers.set(t, n); }
  return n;
}

// The arrays are cut from shared blocks, so the windows of one file, made together, lie together in memory: the
// ranking reads thousands of them after an idle pause, when little of it is in the CPU's caches.
let block = new Int32Array(1 << 16);
let blockUsed = 0;

function newIds(n: number): Int32Array {
  if (n > block.length - blockUsed) { block = new Int32Array(Math.max(1 << 16, n)); blockUsed = 0; }
  blockUsed += n;
  return block.subarray(blockUsed - n, blockUsed);
}

function idsOf(tokens: ReadonlySet<string>): Int32Array {
  let ids = idsOfSet.get(tokens);
  if (!ids) {
    ids = newIds(tokens.size);
    let i = 0;
    for (const t of tokens) ids[i++] = tokenNumber(t);
    idsOfSet.set(tokens, ids);
  }
  return ids;
}

/** One similarity function per query: the ranking and the stickiness check of one gathering share it. */
const similarityTo = new WeakMap<ReadonlySet<string>, (candidate: ContextCandidate) => number>();

/**
 * Jaccard similarity of many sets against one query: a membership table of the query's numbers makes each
 * intersection a walk over plain integers instead of thousands of string-keyed lookups.
 */
function jaccardAgainst(queryTokens: ReadonlySet<string>): (candidate: ContextCandidate) => number {
  let similarity = similarityTo.get(queryTokens);
  if (!similarity) { similarity = newJaccardAgainst(queryTokens); similarityTo.set(queryTokens, similarity); }
  return similarity;
}

function newJaccardAgainst(queryTokens: ReadonlySet<string>): (candidate: ContextCandidate) => number {
  const queryIds = idsOf(queryTokens);
  const member = new Uint8Array(tokenNumbers.size);
  for (const id of queryIds) member[id] = 1;
  const q = queryIds.length;
  return c => {
    // Kept on the candidate: the next request's ranking reads the array without the set or the map.
    const ids = c.ids ??= idsOf(c.tokens);
    if (!q || !ids.length) return 0;
    let inter = 0;
    // A number past the table's end was made after the query's: it cannot be one of the query's tokens.
    for (let i = 0; i < ids.length; i++) if (ids[i] < member.length && member[ids[i]]) inter++;
    return inter / (q + ids.length - inter);
  };
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size || !b.size) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const t of small) if (large.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Tokens a snippet costs in the prompt: its text plus the path header and separators the templates add. */
export function snippetCost(relativePath: string, content: string, languageId?: string): number {
  return estimateTokens(content, languageId) + estimateTokens(relativePath) + 4;
}

// A candidate's cost, kept with it: open-tab windows live as long as their file version, and a full budget makes the
// selection look at most of them at every new line.
const costs = new WeakMap<ContextCandidate, { languageId?: string; cost: number }>();

function candidateCost(c: ContextCandidate, languageId?: string): number {
  const known = costs.get(c);
  if (known && known.languageId === languageId) return known.cost;
  const cost = snippetCost(c.relativePath, c.content, languageId);
  costs.set(c, { languageId, cost });
  return cost;
}

export interface ContextCandidate {
  relativePath: string;
  source: SnippetSource;
  /** 0-based inclusive line range in its file. */
  startLine: number;
  endLine: number;
  content: string;
  /** Source prior (import definitions > recent edits > open tabs > viewed); added to the similarity. */
  prior: number;
  tokens: ReadonlySet<string>;
  /** The tokens as numbers, filled in by the ranking the first time it scores the candidate. */
  ids?: Int32Array;
  /** When true the candidate is kept only if it shares tokens with the query (windows of open tabs, views). */
  needsOverlap?: boolean;
}

export interface SelectionInput {
  candidates: ContextCandidate[];
  queryTokens: ReadonlySet<string>;
  maxTokens: number;
  maxSnippets?: number;
  /** Text already in the prompt (prefix + suffix): a candidate contained in it is dropped. */
  promptText?: string;
  /** For token estimates. */
  languageId?: string;
  /** Lines of the current file already in the prompt: candidates from them are dropped. */
  currentFile?: { relativePath: string; startLine: number; endLine: number };
}

export function scoreCandidate(c: ContextCandidate, queryTokens: ReadonlySet<string>): number {
  return c.prior + jaccard(c.tokens, queryTokens);
}

function compareScored(a: { score: number; c: ContextCandidate }, b: { score: number; c: ContextCandidate }): number {
  return b.score - a.score
    || (a.c.relativePath < b.c.relativePath ? -1 : a.c.relativePath > b.c.relativePath ? 1 : 0)
    || a.c.startLine - b.c.startLine
    || a.c.endLine - b.c.endLine
    || (a.c.source < b.c.source ? -1 : a.c.source > b.c.source ? 1 : 0);
}

const NON_BLANK = /\S/;
/** Below this many tokens left, no snippet worth sending fits (a path header alone costs several). */
const MIN_SNIPPET_TOKENS = 8;

/** Rank, deduplicate and fill the budget. Best first. */
export function selectSnippets(input: SelectionInput): ContextSnippet[] {
  // One pass, no copies: this runs on every new line over thousands of open-tab windows.
  const scored: { c: ContextCandidate; score: number }[] = [];
  const similarity = jaccardAgainst(input.queryTokens);
  for (const c of input.candidates) {
    const sim = similarity(c);
    if (c.needsOverlap && sim <= 0) continue;
    // Rounded so that float noise can never reorder equal candidates between two runs.
    scored.push({ c, score: Math.round((c.prior + sim) * 1e6) / 1e6 });
  }

  const chosen: ContextSnippet[] = [];
  const taken = new Map<string, Array<[number, number]>>();
  const seenContent = new Set<string>();
  let budget = input.maxTokens;
  const maxSnippets = input.maxSnippets ?? 16;
  const cur = input.currentFile;
  // Past the first few dozen, only candidates that still fit the budget are worth sorting (it only shrinks).
  const mayFit = ({ c }: { c: ContextCandidate }) => candidateCost(c, input.languageId) <= budget;
  for (const { c, score } of bestFirst(scored, compareScored, { stillWanted: mayFit })) {
    if (chosen.length >= maxSnippets || budget < MIN_SNIPPET_TOKENS) break;
    if (cur && c.relativePath === cur.relativePath && c.startLine <= cur.endLine && c.endLine >= cur.startLine) continue;
    // Cheap tests first: once the budget is nearly spent most candidates fail on cost, and the content
    // tests below copy and search kilobytes each.
    if (!NON_BLANK.test(c.content)) continue;
    const cost = candidateCost(c, input.languageId);
    if (cost > budget) continue; // a smaller, lower-ranked snippet may still fit
    const ranges = taken.get(c.relativePath) ?? [];
    if (ranges.some(([s, e]) => c.startLine <= e && c.endLine >= s)) continue;
    const key = c.content.trim();
    if (seenContent.has(key)) continue;
    if (input.promptText && key.length >= 20 && input.promptText.includes(key)) continue;
    budget -= cost;
    ranges.push([c.startLine, c.endLine]);
    taken.set(c.relativePath, ranges);
    seenContent.add(key);
    chosen.push({ relativePath: c.relativePath, content: c.content, source: c.source, score, startLine: c.startLine, endLine: c.endLine });
  }
  return chosen;
}

/**
 * The total score of an earlier selection against a new query, or undefined when one of its snippets is no longer
 * among the candidates (its file changed, or it is no longer offered).
 */
export function selectionScore(snippets: readonly ContextSnippet[], candidates: readonly ContextCandidate[], queryTokens: ReadonlySet<string>): number | undefined {
  // One pass over the candidates (thousands), each asked about by path (a map lookup), not one pass per snippet.
  const wanted = new Map<string, ContextSnippet[]>();
  for (const s of snippets) wanted.set(s.relativePath, [...(wanted.get(s.relativePath) ?? []), s]);
  const found = new Map<ContextSnippet, ContextCandidate>();
  for (const c of candidates) {
    const inFile = wanted.get(c.relativePath);
    if (!inFile) continue;
    for (const s of inFile) {
      if (!found.has(s) && c.startLine === s.startLine && c.endLine === s.endLine && c.content === s.content) found.set(s, c);
    }
  }
  if (found.size < new Set(snippets).size) return undefined;
  const similarity = jaccardAgainst(queryTokens);
  let total = 0;
  for (const s of snippets) {
    const c = found.get(s)!;
    total += c.prior + similarity(c);
  }
  return total;
}

/**
 * The items in `cmp` order, sorting only as far as the caller reads. The budget is usually full after a few dozen
 * candidates out of thousands, so the best `k` are picked in one pass (most items lose a single comparison with
 * the k-th) and the rest is sorted only if the caller asks for more, without the items `stillWanted` rejects at that
 * point. `cmp` must be a total order, so the sequence is exactly that of a full sort (minus the rejected).
 */
export function* bestFirst<T>(items: T[], cmp: (a: T, b: T) => number, options: { stillWanted?: (x: T) => boolean; k?: number } = {}): Generator<T> {
  const { stillWanted = () => true, k = 64 } = options;
  if (items.length <= 2 * k) { yield* items.sort(cmp); return; }
  const top: T[] = [];
  for (const x of items) {
    if (top.length === k && cmp(x, top[k - 1]) >= 0) continue;
    let lo = 0, hi = top.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(top[mid], x) <= 0) lo = mid + 1; else hi = mid; }
    top.splice(lo, 0, x);
    if (top.length > k) top.pop();
  }
  yield* top;
  const inTop = new Set(top);
  yield* items.filter(x => !inTop.has(x) && stillWanted(x)).sort(cmp);
}

/**
 * Fixed windows over a file's lines (size lines, overlapping by half), each with its tokens. Used for open tabs
 * and viewed files, where we do not know which part matters.
 */
export function slidingWindows(lines: string[], size = 30, step = 15): Array<{ startLine: number; endLine: number; content: string; tokens: Set<string> }> {
  const out = [];
  for (let start = 0; start < lines.length; start += step) {
    const end = Math.min(lines.length, start + size) - 1;
    const content = lines.slice(start, end + 1).join('\n');
    if (content.trim()) out.push({ startLine: start, endLine: end, content, tokens: identifierTokens(content) });
    if (end >= lines.length - 1) break;
  }
  return out;
}
