// Splices candidate completions between prefix and suffix and counts parse errors, on a window of the
// document around the cursor (never the whole file): a bounded number of lines back to the start of the
// enclosing top-level region, and forward to the next top-level line. The window of prefix + suffix is
// parsed once and cached; each candidate is an incremental reparse of a copy of that tree.
import { Edit, type Node, type Point, type Tree } from 'web-tree-sitter';
import { getParser } from '../syntax/parser';
import { countErrors } from '../syntax/errors';
import { isIndentLanguage } from '../text/code';
import { indentWidth, isBlank, lastLines } from '../text/lines';
import { bracketBalance, closingTail, emptyPythonBody, isClosingLine } from './text';

const MAX_PREFIX_LINES = 60;
const MAX_SUFFIX_LINES = 30;
const CACHE_SIZE = 8;

/** Start offset of the window in `prefix`: the last top-level line within reach, else the reach limit. */
export function windowStart(prefix: string): number {
  let end = prefix.lastIndexOf('\n');
  if (end < 0) return 0;
  // The cursor's own line, when it starts a top-level item, is the best start: the item above is whole.
  if (startsTopLevelItem(prefix.slice(end + 1))) return end + 1;
  let earliest = 0;
  for (let n = 0; n < MAX_PREFIX_LINES; n++) {
    const start = prefix.lastIndexOf('\n', end - 1) + 1;
    const line = prefix.slice(start, end);
    earliest = start;
    if (startsTopLevelItem(line)) return start;
    if (start === 0) return 0;
    end = start - 1;
  }
  return earliest;
}

/**
 * A line at column 0 that can begin an item: not a string or comment continuation, and not a closer such as
 * `): Promise<T> => {` that continues a header started above.
 */
function startsTopLevelItem(line: string): boolean {
  return !isBlank(line) && indentWidth(line) === 0 && !/^\s*["'`#/*)\]}]/.test(line);
}

/** End offset of the window in `suffix`: before the next top-level line after the cursor's line. */
export function windowEnd(suffix: string): number {
  let start = suffix.indexOf('\n');
  if (start < 0) return suffix.length;
  start++;
  for (let n = 0; n < MAX_SUFFIX_LINES; n++) {
    if (start >= suffix.length) return suffix.length;
    const next = suffix.indexOf('\n', start);
    const end = next < 0 ? suffix.length : next;
    const line = suffix.slice(start, end);
    if (!isBlank(line) && indentWidth(line) === 0 && !isClosingLine(line)) return start;
    if (next < 0) return suffix.length;
    start = next + 1;
  }
  return start;
}

function pointAfter(text: string, base: Point): Point {
  let row = base.row;
  let column = base.column;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      row++;
      column = 0;
    } else column++;
  }
  return { row, column };
}

/**
 * Python's own indentation rules, which tree-sitter's error recovery accepts silently: the code line after
 * the insertion (the completion's last line joined with the rest of the cursor's line, or the next suffix
 * line) must be deeper than a preceding block header and no deeper than a preceding plain statement.
 * Returns 1 for a violation, else 0.
 */
export function indentationErrors(before: string, after: string): number {
  const afterLines = after.split('\n', 40);
  const tail = lastLines(before, 40);
  const joined = tail[tail.length - 1] + afterLines[0];
  let line: string | undefined;
  let previous: string[];
  if (!isBlank(joined)) {
    line = joined;
    previous = tail.slice(0, -1);
  } else {
    line = afterLines.slice(1).find(l => !isBlank(l) && !l.trimStart().startsWith('#'));
    previous = tail;
  }
  if (line === undefined) return 0;
  let header: string | undefined;
  for (let i = previous.length - 1; i >= 0; i--) {
    if (!isBlank(previous[i]) && !previous[i].trimStart().startsWith('#')) {
      header = previous[i];
      break;
    }
  }
  if (header === undefined) return 0;
  const code = header.replace(/\s#[^'"]*$/, '').trimEnd();
  // A continuation line (open bracket, trailing comma or backslash, string) may sit anywhere.
  if (/[,\\([{]$/.test(code) || bracketBalance(code).depth !== 0 || /'''|"""/.test(code)) return 0;
  const width = indentWidth(line);
  if (code.endsWith(':')) {
    if (width <= indentWidth(header)) return 1;
  } else if (width > indentWidth(header)) return 1;
  // A dedent must land on the indentation of an enclosing line.
  if (width < indentWidth(header) && !previous.some(l => !isBlank(l) && indentWidth(l) === width)) return 1;
  // The line after it must fit too (a dedent to the left margin followed by indented code is not Python).
  const lineCode = line.replace(/\s#[^'"]*$/, '').trimEnd();
  if (lineCode.endsWith(':') || /[,\\([{]$/.test(lineCode) || bracketBalance(lineCode).depth !== 0 || /'''|"""/.test(lineCode)) return 0;
  const rest = line === joined ? afterLines.slice(1) : afterLines.slice(afterLines.indexOf(line) + 1);
  const next = rest.find(l => !isBlank(l) && !l.trimStart().startsWith('#'));
  return next !== undefined && indentWidth(next) > width ? 1 : 0;
}

/**
 * Python blocks without a statement whose header starts in [start, end): tree-sitter accepts a header with no body
 * (`else:` followed by a line at its own indentation), Python does not.
 */
export function emptyBodiesFrom(root: Node, start: number, end: number): number {
  let count = 0;
  for (const block of root.descendantsOfType('block')) {
    if (!block || block.namedChildren.some(child => child !== null && child.type !== 'comment')) continue;
    const header = block.parent;
    if (header && header.startIndex >= start && header.startIndex < end) count++;
  }
  return count;
}

interface Baseline {
  tree: Tree;
  errors: number;
  cursor: Point;
}

const baselines = new Map<string, Baseline>();

function cached(key: string): Baseline | undefined {
  const hit = baselines.get(key);
  if (hit) {
    baselines.delete(key);
    baselines.set(key, hit);
  }
  return hit;
}

function remember(key: string, value: Baseline): void {
  baselines.set(key, value);
  while (baselines.size > CACHE_SIZE) {
    const oldest = baselines.keys().next().value as string;
    baselines.get(oldest)?.tree.delete();
    baselines.delete(oldest);
  }
}

export interface SpliceChecker {
  /** Parse errors in the window with nothing inserted at the cursor. */
  readonly baselineErrors: number;
  /**
   * Parse errors in the window with `completion` inserted at the cursor; a block header the completion wrote
   * without a body counts as one.
   */
  errorsWith(completion: string): number;
  /** The completion writes a block header and no body for it (a cut that must never be chosen). */
  leavesEmptyBody(completion: string): boolean;
  /**
   * Parse errors of the window up to the cursor with `completion` appended and then closed: whatever is
   * still open at its end (brackets, a block comment, a block header's body) gets its closers. With '' this is the
   * measure for prefix + suffix alone, so a completion that only opens a block or continues an argument
   * list compares equal to what the user has, while a broken one still adds errors.
   */
  errorsClosed(completion: string): number;
  /** How many parses this checker ran (for benchmarks). */
  readonly parses: number;
}

/** A checker for this cursor position, or undefined when the language has no grammar. */
export async function spliceChecker(languageId: string, prefix: string, suffix: string): Promise<SpliceChecker | undefined> {
  const parser = await getParser(languageId);
  if (!parser) return undefined;
  const before = prefix.slice(windowStart(prefix));
  const after = suffix.slice(0, windowEnd(suffix));
  const key = `${languageId}\u0000${before}\u0000${after}`;
  let baseline = cached(key);
  if (!baseline) {
    const tree = parser.parse(before + after);
    if (!tree) return undefined;
    const errors = countErrors(tree.rootNode) + (isIndentLanguage(languageId) ? indentationErrors(before, after) : 0);
    baseline = { tree, errors, cursor: pointAfter(before, { row: 0, column: 0 }) };
    remember(key, baseline);
  }
  const base = baseline;
  const indentLanguage = isIndentLanguage(languageId);
  const memo = new Map<string, number>();
  const emptyBodies = new Map<string, number>();
  let parses = 0;
  const errorsWith = (completion: string): number => {
    if (completion === '') return base.errors;
    const known = memo.get(completion);
    if (known !== undefined) return known;
    const edited = base.tree.copy();
    edited.edit(
      new Edit({
        startIndex: before.length,
        oldEndIndex: before.length,
        newEndIndex: before.length + completion.length,
        startPosition: base.cursor,
        oldEndPosition: base.cursor,
        newEndPosition: pointAfter(completion, base.cursor),
      }),
    );
    const tree = parser.parse(before + completion + after, edited);
    parses++;
    edited.delete();
    let errors = tree ? countErrors(tree.rootNode) : Number.MAX_SAFE_INTEGER;
    if (indentLanguage) {
      const empty = tree ? emptyBodiesFrom(tree.rootNode, before.length, before.length + completion.length) : 0;
      emptyBodies.set(completion, empty);
      errors += indentationErrors(before + completion, after) + empty;
    }
    tree?.delete();
    memo.set(completion, errors);
    return errors;
  };
  return {
    baselineErrors: base.errors,
    get parses() {
      return parses;
    },
    errorsWith,
    leavesEmptyBody(completion: string): boolean {
      if (completion === '') return false;
      errorsWith(completion);
      return (emptyBodies.get(completion) ?? 0) > 0;
    },
    errorsClosed(completion: string): number {
      // Only the window up to the cursor: past a construct closed early the suffix parses as noise.
      const key = `\u0001${completion}`;
      const known = memo.get(key);
      if (known !== undefined) return known;
      const text = before + completion;
      const tail = closingTail(text, languageId);
      const countClosed = (closed: string) => {
        const tree = parser.parse(closed);
        parses++;
        const n = tree ? countErrors(tree.rootNode) : Number.MAX_SAFE_INTEGER;
        tree?.delete();
        return n;
      };
      let errors = countClosed(text + tail);
      // A header whose parameter list goes on below (`function f(`, `def f(`) also misses its body once the
      // brackets are closed: give it an empty one too, and take the better reading.
      if (errors > 0 && /^\n\)+$/.test(tail)) {
        errors = Math.min(errors, countClosed(text + tail + (indentLanguage ? ':' + emptyPythonBody(text.slice(text.lastIndexOf('\n') + 1)) : ' {}')));
      }
      memo.set(key, errors);
      return errors;
    },
  };
}
