// Stage: drop what the model repeated from the text that already follows the cursor.
// Each finder returns where the kept text would end, or undefined; the orchestrator (index.ts) checks the
// cut against the syntax tree when the rule alone is not sure, so an innocent `)` is never removed.
import { firstLines, indentWidth, isBlank, lineSuffixOf } from '../text/lines';
import { BracketScan, bracketBalance, isCloser, isClosingLine } from './text';

export interface EchoCut {
  /** The text to keep (everything before the echo). */
  keep: string;
  rule: 'suffix-echo' | 'rest-of-line' | 'closer-collision' | 'closing-lines';
  /** False when the rule can misfire on legitimate code and the cut needs a syntax (or bracket) check. */
  confident: boolean;
  /**
   * The cut drops whole lines after a match that legitimate code also produces (a `)` ending a line), so it
   * must make the file parse strictly better, not merely no worse. Without a grammar such cuts are skipped.
   */
  mustImprove?: boolean;
}

/**
 * True when `rest` repeats the beginning of `suffix` line by line (trailing whitespace ignored). The last
 * line of `rest` may stop part-way (the model was cut off mid-echo) once a full line has matched.
 */
export function isEchoOfSuffix(rest: string, suffix: string): boolean {
  return echoesSuffixAt(rest, 0, suffix, lastContentIndex(rest));
}

/** Index of the last character that is not whitespace, -1 for blank text. */
function lastContentIndex(text: string): number {
  let i = text.length - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i;
}

/** End of the line `start..end` without its trailing whitespace. */
function trimmedLineEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/**
 * isEchoOfSuffix for `text.slice(start)`, without copying it: walks the rest's lines beside the suffix's and
 * stops at the first difference, so the cost is what matches, not what follows (outputs can be long).
 * Trailing blank lines of the rest are not content: the last line is the one with nothing but whitespace after it.
 */
function echoesSuffixAt(text: string, start: number, suffix: string, lastContent: number): boolean {
  if (lastContent < start) return false;
  let lineStart = start;
  let suffixStart = 0;
  for (let index = 0; ; index++) {
    if (suffixStart > suffix.length) return false;
    const breakAt = text.indexOf('\n', lineStart);
    const lineEnd = breakAt < 0 ? text.length : breakAt;
    const suffixBreak = suffix.indexOf('\n', suffixStart);
    const suffixLine = suffix.slice(suffixStart, suffixBreak < 0 ? suffix.length : suffixBreak).trimEnd();
    const end = trimmedLineEnd(text, lineStart, lineEnd);
    const same = end - lineStart === suffixLine.length && text.startsWith(suffixLine, lineStart);
    if (breakAt < 0 || lastContent < breakAt) {
      // The last line: equal, or (after a full line) the start of the suffix's line.
      if (same) return true;
      // (The last line holds the last content character, so it is never blank here.)
      return index > 0 && suffixLine.startsWith(text.slice(lineStart, end));
    }
    if (!same) return false;
    lineStart = breakAt + 1;
    suffixStart = suffixBreak < 0 ? suffix.length + 1 : suffixBreak + 1;
  }
}

/** Longest completion before an echo of the suffix (the next 1..n suffix lines, possibly mid-line). */
export function findSuffixEcho(text: string, suffix: string): EchoCut | undefined {
  if (isBlank(suffix)) return undefined;
  const first = suffix[0];
  const suffixFirstLine = lineSuffixOf(suffix).trimEnd();
  const lastContent = lastContentIndex(text);
  // The line around the candidate, found once per line (outputs can be long, and suffixes often start with
  // whitespace that matches everywhere).
  let lineEnd = -1;
  let lineContentEnd = -1;
  for (let p = text.indexOf(first); p >= 0; p = text.indexOf(first, p + 1)) {
    if (p > lineEnd) {
      const breakAt = text.indexOf('\n', p);
      lineEnd = breakAt < 0 ? text.length : breakAt;
      lineContentEnd = trimmedLineEnd(text, p, lineEnd);
    }
    const restFirstLength = Math.max(0, lineContentEnd - p);
    // Cheap test on the first line before the full comparison: the whole line when the output goes on,
    // a start of it when the output stops there.
    if (lineEnd < text.length) {
      if (restFirstLength !== suffixFirstLine.length || !text.startsWith(suffixFirstLine, p)) continue;
    } else if (restFirstLength > suffixFirstLine.length || !text.startsWith(suffixFirstLine.slice(0, restFirstLength), p)) continue;
    if (!echoesSuffixAt(text, p, suffix, lastContent)) continue;
    // Only indentation before a one-line "echo": more likely the model wrote that line one level deeper
    // (a different statement) than that it only meant to indent the suffix. Several lines are an echo.
    // (Without a line break after it, the output stops where the line's rest begins: an echo again.)
    // The same holds after a line's indentation part-way through the output.
    const lineStart = text.lastIndexOf('\n', p - 1) + 1;
    const keepIsBlank = !/\S/.test(text.slice(0, p));
    const shifted = p > lineStart && isBlank(text.slice(lineStart, p));
    const oneLine = lineEnd === text.length - 1;
    if (p > 0 && (keepIsBlank || shifted) && oneLine) continue;
    // A line-aligned echo of a line with real content is safe; a few characters mid-line (`)`, `x`) may be
    // the model's own code that happens to match, so those get checked.
    const atLineStart = p === 0 || text[p - 1] === '\n';
    const echoed = text.slice(p).trim();
    const confident = atLineStart && !isClosingLine(echoed.split('\n', 1)[0]) && echoed.replace(/\s/g, '').length >= 4;
    return { keep: text.slice(0, p), rule: 'suffix-echo', confident };
  }
  return undefined;
}

/** Shorter lines (`pass`, `x++;`) are too common to say the model reached the code below. */
const MIN_SUFFIX_LINE = 5;

/** A line that opens a block (a Python header's colon, a brace): what follows it is part of the statement. */
const OPENS_BLOCK = /[:{]$/;  // tested on trimmed lines

export interface SuffixLineOptions {
  /**
   * The editor's multi-line mode, where a suggestion is the rest of the block the cursor is in: there one line equal
   * to the suffix's next code line at the completion's own block level is enough (see findSuffixLine).
   */
  blockLevel?: boolean;
}

/**
 * The model reached the code below the cursor: two lines of the completion after the cursor's line equal the
 * suffix's next two code lines, indentation included (blank lines skipped). Keep what comes before them, however
 * the model went on after them (an echo that later diverges is still an echo). One equal line is not enough: a
 * statement written in two branches (`return 0`, `append(c)`) is legitimate code. When the cursor's line has code
 * before the cursor, only from the completion's second line on, and the code right of the cursor is no line of its own.
 * With `blockLevel`, one line is enough where the suffix goes on in the completion's own block and the model writes
 * that line at that block's level (outside brackets it opened): the code below is already there, so the suggestion
 * ends before it, as a line written twice in a row would duplicate it (a statement in another branch is deeper).
 * Not for a block header: its body, the rest of the statement, may be the model's own.
 */
export function findSuffixLine(text: string, suffix: string, linePrefix: string, options: SuffixLineOptions = {}): EchoCut | undefined {
  const cursorLineBlank = isBlank(linePrefix);
  const suffixLines = suffix.split('\n', 60);
  // At the start of the cursor's line, the code right of the cursor is the next line (with the indentation before it).
  const below = cursorLineBlank ? [linePrefix + suffixLines[0], ...suffixLines.slice(1)] : suffixLines.slice(1);
  const [target, then] = below.filter(line => !isBlank(line)).map(line => line.trimEnd());
  if (target === undefined || isClosingLine(target)) return undefined;
  const lines = text.split('\n');
  const at = (i: number) => (i === 0 ? linePrefix + lines[0] : lines[i]).trimEnd();
  const first = lines.findIndex(line => !isBlank(line));
  if (first < 0) return undefined;
  const start = cursorLineBlank ? 0 : 1;
  const cutBefore = (i: number): EchoCut => ({ keep: i > 0 ? lines.slice(0, i).join('\n') + '\n' : '', rule: 'suffix-echo', confident: false });
  if (options.blockLevel) {
    const once = lineReachedOnce(lines, { start, first, target, at });
    if (once !== undefined) return cutBefore(once);
  }
  // Code below that is deeper than where the completion starts is the body of a header the completion writes,
  // where the model's own body lines may look the same.
  if (indentWidth(target) > indentWidth(at(first))) return undefined;
  if (then === undefined || target.trim().length < MIN_SUFFIX_LINE) return undefined;
  for (let i = start; i < lines.length; i++) {
    if (at(i) !== target) continue;
    const next = lines.findIndex((line, j) => j > i && !isBlank(line));
    if (next < 0 || lines[next].trimEnd() !== then) continue;
    return cutBefore(i);
  }
  return undefined;
}

/**
 * Multi-line mode: the line (outside brackets the completion opened) equal to the suffix's next code line `target`
 * where one such line says the model reached the code below; undefined for none.
 * - At the completion's block level: that line is the code below, written again (not a block header after the
 *   completion's first line: the model may write its own body under the same `for` line).
 * - Deeper than the completion's first line: the code below is the body of a header the completion writes; that
 *   line right under the header, as its first body line, is the body written again (unless a later header of the
 *   completion, less indented than that code, takes it as its body: `if a:` / `x += 1` / `elif b:` over `x += 1`).
 */
function lineReachedOnce(lines: string[], context: { start: number; first: number; target: string; at: (i: number) => string }): number | undefined {
  const { start, first, target, at } = context;
  const i = firstAtBlockLevel(lines, start, target, at);
  if (i === undefined) return undefined;
  const level = indentWidth(at(first));
  const depth = indentWidth(target);
  if (depth === level) return i === first || !OPENS_BLOCK.test(target.trim()) ? i : undefined;
  if (depth < level || i === first) return undefined;
  let header = i - 1;
  while (header > 0 && isBlank(lines[header])) header--;
  const ownsBelow = (line: string) => !isBlank(line) && indentWidth(line) < depth && OPENS_BLOCK.test(line.trim());
  if (!ownsBelow(at(header))) return undefined;
  return lines.slice(i + 1).some(ownsBelow) ? undefined : i;
}

/**
 * The first line from `start` equal to `target` outside the parentheses and square brackets the completion opened
 * before it (braces open blocks, whose lines are statements).
 */
function firstAtBlockLevel(lines: string[], start: number, target: string, at: (i: number) => string): number | undefined {
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i >= start && depth <= 0 && at(i) === target) return i;
    depth += bracketBalance(lines[i], ')').depth + bracketBalance(lines[i], ']').depth;
  }
  return undefined;
}

/**
 * The model wrote the rest of the cursor's line (text already right of the cursor, e.g. an auto-closed `)`)
 * and possibly went on past it: keep what comes before it. Only mid-line, where a repeated rest of line is
 * unambiguous; a whole repeated line is the suffix-echo rule's job.
 */
export function findRestOfLine(text: string, suffix: string): EchoCut | undefined {
  const rest = lineSuffixOf(suffix).trim();
  if (!rest) return undefined;
  // The output ends with the rest of the line (the usual case: the model completed the line it was in).
  // Only indentation before it counts too when nothing follows (no line break: the output stops where the
  // line's own text begins).
  const trimmed = text.trimEnd();
  if (trimmed.endsWith(rest)) {
    const p = trimmed.length - rest.length;
    const lineStart = trimmed.lastIndexOf('\n', p - 1) + 1;
    const before = trimmed.slice(lineStart, p);
    if (p > 0 && (!isBlank(before) || text.endsWith(rest))) return { keep: text.slice(0, p), rule: 'rest-of-line', confident: false };
  }
  // The rest of the line at the end of an earlier line, then more lines: the model went on past the
  // cursor's line. Legitimate lines also end with `)` or `:`, so this one must fix a parse error.
  // (Only whitespace may follow the match on its line, which only one match per line has: checked first.)
  for (let p = text.indexOf(rest, 1); p >= 0; p = text.indexOf(rest, p + 1)) {
    let lineEnd = p + rest.length;
    while (lineEnd < text.length && text[lineEnd] !== '\n' && /\s/.test(text[lineEnd])) lineEnd++;
    if (lineEnd >= text.length || text[lineEnd] !== '\n') continue;
    const lineStart = text.lastIndexOf('\n', p - 1) + 1;
    if (isBlank(text.slice(lineStart, p))) continue;
    return { keep: text.slice(0, p), rule: 'rest-of-line', confident: false, mustImprove: true };
  }
  return undefined;
}

/**
 * The cursor stands before closing brackets (typed or auto-closed, e.g. `foo(|)`), and the completion closes
 * them itself, then goes on (`x > 0) {`), or ends with part of them (`x]` before `])`). Keep the part before
 * the first closer that the completion does not open itself.
 */
export function findCloserCollision(text: string, suffix: string): EchoCut | undefined {
  const rest = lineSuffixOf(suffix).trim();
  if (!rest || !isCloser(rest[0])) return undefined;
  const run = /^[)\]}]+/.exec(rest)![0];
  // One pass with the bracket balance of everything before `p` (bracketBalance's rules, kept as it goes).
  const scan = new BracketScan();
  for (let p = 0; p < text.length; scan.step(text, p++)) {
    if (!isCloser(text[p])) continue;
    // (Every closer at depth 0 returns below, so the balance never goes negative before one.)
    if (scan.depth !== 0) continue;
    const tail = text.slice(p).trimEnd();
    if (rest.startsWith(tail)) return { keep: text.slice(0, p), rule: 'closer-collision', confident: false };
    // The completion goes on after closing (`x > 0) {`). It is a collision only if, all told, the completion
    // closes brackets opened before the cursor; `…)).hexdigest(` reopens what the suffix's `)` closes.
    if (text.startsWith(run, p) && bracketBalance(text, run[0]).depth < 0) {
      return { keep: text.slice(0, p), rule: 'closer-collision', confident: false };
    }
    // The first unopened closer that does not match the suffix: the completion closes something else.
    return undefined;
  }
  return undefined;
}

/**
 * Closing-bracket lines at the end of the completion that the suffix already has on its next lines
 * (`}` of the block the cursor is in, `});` that VS Code or the user already typed).
 */
export function findClosingLines(text: string, suffix: string, matchIndentation: boolean): EchoCut | undefined {
  const lines = text.split('\n');
  // The closing lines at the end of the completion, blank lines among and after them skipped.
  let start = lines.length;
  while (start > 0 && (isClosingLine(lines[start - 1]) || isBlank(lines[start - 1]))) start--;
  const tail = lines.slice(start).filter(line => !isBlank(line));
  // The suffix's next non-blank lines (after the rest of the cursor's line when that is blank).
  const upcoming = firstLines(suffix, 40).filter(line => !isBlank(line));
  const same = (a: string, b: string) => (matchIndentation ? a.trimEnd() === b.trimEnd() : a.trim() === b.trim());
  // Drop the longest tail of closing lines that equals the start of the upcoming lines.
  for (let k = Math.min(tail.length, upcoming.length); k > 0; k--) {
    const candidate = tail.slice(tail.length - k);
    if (candidate.every((line, i) => same(line, upcoming[i]))) {
      // Find where those k non-blank lines start in `lines`.
      let seen = 0;
      let cutLine = lines.length;
      while (seen < k) {
        cutLine--;
        if (!isBlank(lines[cutLine])) seen++;
      }
      const keep = lines.slice(0, cutLine).join('\n');
      return { keep: cutLine > 0 ? keep + '\n' : '', rule: 'closing-lines', confident: false };
    }
  }
  return undefined;
}
