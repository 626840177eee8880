// Cuts the text around the cursor to the token budget. Runs on every keystroke, so it only walks the lines
// it needs (no split of the whole file).
import { tokensToChars } from '../prompt/tokens';
import type { ContextBudget, DocumentContext, DocumentSnapshot, Position } from './types';

/**
 * The first kept prefix line is rounded to a multiple of this many lines. Servers reuse their KV cache only
 * for a prompt's unchanged leading tokens: without quantising, the cut would move down by a line every few
 * keystrokes on a long file and every request would re-evaluate the whole prompt. With it, the cut moves
 * once per PREFIX_CUT_QUANTUM lines' worth of typing, at the price of up to that many lines of budget.
 */
export const PREFIX_CUT_QUANTUM = 8;

/** Git's binary heuristic: a NUL in the first 8000 characters. */
const BINARY_SNIFF_CHARS = 8000;

/**
 * Characters of the prefix budget kept for the cursor's own line (about two typical lines). A longer line
 * overruns the budget by the difference: budgets are soft, and a stable cut is worth more.
 */
function lineReserve(prefixChars: number): number {
  return Math.min(160, Math.floor(prefixChars / 4));
}

export interface BuildOptions {
  /** Overrides PREFIX_CUT_QUANTUM (1 = no quantising). */
  prefixCutQuantum?: number;
}

/**
 * Why a document gets no completion at all, or undefined when it may. The reason is short enough for a
 * status bar tooltip.
 */
export function documentBlocker(snapshot: DocumentSnapshot, maxFileBytes: number): string | undefined {
  const text = snapshot.text;
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit: decide from the length alone when we can (no O(n) count).
  const tooBig = text.length > maxFileBytes
    || (text.length * 3 > maxFileBytes && Buffer.byteLength(text, 'utf8') > maxFileBytes);
  if (tooBig) {
    return `File too large for completion (${formatBytes(Buffer.byteLength(text, 'utf8'))}, limit ${formatBytes(maxFileBytes)}: setting infill.maxFileBytes)`;
  }
  if (text.slice(0, BINARY_SNIFF_CHARS).includes('\0')) return 'Binary file: no completion';
  return undefined;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** Offset of `position` in `text`, clamped to the document (like VS Code's validatePosition). */
export function offsetAt(text: string, position: Position): number {
  return locate(text, position).offset;
}

/** The clamped position, its offset and its line's start, in one walk over the lines above it. */
function locate(text: string, position: Position): { offset: number; lineStart: number; line: number } {
  let lineStart = 0;
  for (let line = 0; line < position.line; line++) {
    const nl = text.indexOf('\n', lineStart);
    if (nl === -1) return { offset: lineEndAt(text, lineStart), lineStart, line };
    lineStart = nl + 1;
  }
  const lineEnd = lineEndAt(text, lineStart);
  return { offset: Math.min(lineStart + Math.max(0, position.character), lineEnd), lineStart, line: position.line };
}

/** End of the line starting at `lineStart`, before any "\r\n" / "\n". */
function lineEndAt(text: string, lineStart: number): number {
  let nl = text.indexOf('\n', lineStart);
  if (nl === -1) nl = text.length;
  return nl > lineStart && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** Position of `offset` in `text`. */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (;;) {
    const nl = text.indexOf('\n', lineStart);
    if (nl === -1 || nl >= offset) break;
    line++;
    lineStart = nl + 1;
  }
  return { line, character: offset - lineStart };
}

export function buildDocumentContext(
  snapshot: DocumentSnapshot,
  position: Position,
  budget: ContextBudget,
  options: BuildOptions = {},
): DocumentContext {
  const text = snapshot.text;
  const quantum = Math.max(1, Math.floor(options.prefixCutQuantum ?? PREFIX_CUT_QUANTUM));
  const { offset, lineStart, line } = locate(text, position);
  const cursor = { line, character: offset - lineStart };
  const lineEnd = lineEndAt(text, lineStart);
  const linePrefix = text.slice(lineStart, offset);
  const lineSuffix = text.slice(offset, lineEnd);
  const indent = /^[ \t]*/.exec(linePrefix + lineSuffix)![0];

  const prefixChars = tokensToChars(budget.prefixTokens, snapshot.languageId);
  const prefixStart = prefixStartFor(text, { offset, lineStart, line: cursor.line, linePrefix }, { chars: prefixChars, quantum });
  const suffixChars = tokensToChars(budget.suffixTokens, snapshot.languageId);
  const suffixEnd = suffixEndFor(text, { offset, lineEnd, lineSuffix }, suffixChars);

  return {
    uri: snapshot.uri,
    relativePath: snapshot.relativePath,
    languageId: snapshot.languageId,
    version: snapshot.version,
    position: cursor,
    offset,
    prefix: text.slice(prefixStart, offset),
    suffix: text.slice(offset, suffixEnd),
    linePrefix,
    lineSuffix,
    prefixTruncated: prefixStart > 0,
    suffixTruncated: suffixEnd < text.length,
    indent,
  };
}

/** The cursor's line, as the cuts need it. */
interface CursorLine {
  offset: number;
  lineStart: number;
  line: number;
  linePrefix: string;
}

/** Where the prefix starts: whole lines above the cursor line, as many as fit beside the current line's prefix. */
function prefixStartFor(text: string, at: CursorLine, budget: { chars: number; quantum: number }): number {
  const { offset, lineStart, line, linePrefix } = at;
  const { chars, quantum } = budget;
  // A single huge line (minified code): keep its tail.
  if (linePrefix.length >= chars) return offset - chars;
  if (lineStart <= chars - lineReserve(chars)) return 0;
  // Walk up line by line, remembering each line's start, until the budget is spent. The lines above get the
  // budget less a fixed reserve for the cursor's line, whatever its length so far: typing along the line
  // then never moves the cut (nor the server's reusable prompt start).
  const starts: number[] = [lineStart]; // starts[k] = start of line (line - k)
  const minStart = lineStart - (chars - lineReserve(chars));
  let s = lineStart;
  while (s > 0) {
    const prevStart = s >= 2 ? text.lastIndexOf('\n', s - 2) + 1 : 0;
    if (prevStart < minStart) break;
    starts.push(prevStart);
    s = prevStart;
  }
  const firstFittingLine = line - (starts.length - 1);
  // Round the first kept line up to a multiple of `quantum` so it stays put while the user types.
  let keptLine = Math.ceil(firstFittingLine / quantum) * quantum;
  if (keptLine > line) keptLine = line;
  return starts[line - keptLine];
}

/** Where the suffix ends: the rest of the current line, then whole lines below while they fit. */
function suffixEndFor(text: string, at: { offset: number; lineEnd: number; lineSuffix: string }, chars: number): number {
  const { offset, lineEnd, lineSuffix } = at;
  if (lineSuffix.length >= chars) return offset + chars;
  if (text.length - offset <= chars) return text.length;
  const maxEnd = offset + chars;
  let suffixEnd = lineEnd;
  for (;;) {
    const nl = text.indexOf('\n', suffixEnd);
    if (nl === -1) break;
    const nextEnd = lineEndAt(text, nl + 1);
    if (nextEnd > maxEnd) break;
    suffixEnd = nextEnd;
  }
  return suffixEnd;
}
