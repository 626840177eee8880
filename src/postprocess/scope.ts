// Stage: stop where the completion leaves the scope the cursor is in, judged by indentation alone.
// This is the fallback where no grammar exists, and the rule that catches a model running on into
// unrelated code that happens to parse (a new top-level function after the one being written).
import { isIndentLanguage, stripLineComment, tripleQuoteAfter } from '../text/code';
import { firstLines, indentWidth, isBlank, lastLines, linePrefixOf, lineSuffixOf } from '../text/lines';
import { bracketBalance } from './text';

export interface ScopeInput {
  languageId: string;
  prefix: string;
  suffix: string;
}

export interface ScopeCut {
  /** Kept text, without the newline that ended its last line. */
  keep: string;
  /** True when the completion was cut at a line break (the kept text ended a line there). */
  atNewline: boolean;
}

const DEFINITION = /^\s*(?:async\s+def|def|class)\b/;
const CLAUSE = /^\s*(?:elif|else|except|finally|case)\b/;
const PREFIX_SCAN_LINES = 400;

/** Prefix lines (oldest first) with a flag for lines that start inside a Python triple-quoted string. */
function prefixLinesOutsideStrings(prefix: string): { text: string; inString: boolean }[] {
  const lines = lastLines(prefix, PREFIX_SCAN_LINES);
  let open: string | undefined;
  return lines.map(text => {
    const inString = open !== undefined;
    open = tripleQuoteAfter(open, text);
    return { text, inString };
  });
}

/** Indentation of the suffix's next code line: the cursor's own line counts when the cursor is at its start. */
export function nextSuffixIndent(prefix: string, suffix: string): number | undefined {
  const linePrefix = linePrefixOf(prefix);
  const lines = firstLines(suffix, 60);
  if (isBlank(linePrefix)) {
    if (!isBlank(lines[0] ?? '')) return indentWidth(linePrefix + lines[0]);
  }
  for (let i = 1; i < lines.length; i++) if (!isBlank(lines[i])) return indentWidth(lines[i]);
  return undefined;
}

/**
 * The indentation at or below which a completion line has left the cursor's scope, or -1 for no limit.
 * Python: the innermost enclosing `def`/`class` that also encloses the suffix's next line (so a hole that
 * legitimately crosses out of a nested helper is not cut); brace languages: top level when the cursor is
 * nested.
 */
export function scopeFloor(input: ScopeInput, cursorIndent: number): number {
  const linePrefix = linePrefixOf(input.prefix);
  if (!isIndentLanguage(input.languageId)) return cursorIndent > 0 ? 0 : -1;
  // Enclosing definitions, innermost first.
  const defs: { indent: number; isClass: boolean }[] = [];
  const note = (line: string) => defs.push({ indent: indentWidth(line), isClass: /^\s*class\b/.test(line) });
  if (!isBlank(linePrefix) && DEFINITION.test(linePrefix)) note(linePrefix);
  const lines = prefixLinesOutsideStrings(input.prefix);
  let limit = cursorIndent;
  for (let i = lines.length - 2; i >= 0 && limit > 0; i--) {
    const { text, inString } = lines[i];
    if (inString || isBlank(text) || text.trimStart().startsWith('#')) continue;
    const width = indentWidth(text);
    if (width >= limit) continue;
    limit = width;
    if (DEFINITION.test(text)) note(text);
  }
  if (defs.length === 0) return -1;
  // The function being written is the outermost function (a nested helper is part of it); a method's
  // scope is the method, not its class. Without a function, the innermost class.
  let index = -1;
  for (let i = defs.length - 1; i >= 0; i--) if (!defs[i].isClass) { index = i; break; }
  if (index < 0) index = 0;
  // When the suffix continues outside that scope (the hole crosses its end), widen to a scope that
  // encloses the suffix too.
  const suffixIndent = nextSuffixIndent(input.prefix, input.suffix);
  while (suffixIndent !== undefined && suffixIndent <= defs[index].indent && index + 1 < defs.length) index++;
  return defs[index].indent;
}

/**
 * The indentation the enclosing scopes are searched from: the cursor's line when it has code, else one
 * deeper than the last code line above (the cursor may be in that line's block).
 */
export function cursorIndentOf(prefix: string): number {
  const linePrefix = linePrefixOf(prefix);
  if (!isBlank(linePrefix)) return indentWidth(linePrefix);
  const lines = lastLines(prefix, 60);
  for (let i = lines.length - 2; i >= 0; i--) if (!isBlank(lines[i])) return indentWidth(lines[i]) + 1;
  return indentWidth(linePrefix);
}

/**
 * On an empty line the document leaves the cursor's block open (the end of the block above, or a block around it,
 * down to the suffix's level): the completion's first code line picks it by its indentation. Elsewhere, and when
 * that line sits below every level open here, the indentation from the document (cursorIndentOf).
 */
export function cursorIndentWith(lines: string[], input: ScopeInput): number {
  const fromDocument = cursorIndentOf(input.prefix);
  const linePrefix = linePrefixOf(input.prefix);
  if (!isBlank(linePrefix) || !isBlank(lineSuffixOf(input.suffix))) return fromDocument;
  const first = lines.findIndex(line => !isBlank(line));
  if (first < 0) return fromDocument;
  const width = indentWidth(first === 0 ? linePrefix + lines[0] : lines[first]);
  const next = nextSuffixIndent(input.prefix, input.suffix);
  return next !== undefined && width < next ? fromDocument : Math.min(width, fromDocument);
}

/**
 * Python-like languages: when the cursor opens a block that is still empty (`if x:` with nothing indented
 * below it), the block's header indentation; undefined otherwise.
 */
export function emptyBlockHeaderIndent(input: ScopeInput): number | undefined {
  const linePrefix = linePrefixOf(input.prefix);
  if (!isBlank(lineSuffixOf(input.suffix))) return undefined;
  let header: string | undefined;
  if (!isBlank(linePrefix)) header = linePrefix;
  else {
    const lines = lastLines(input.prefix, 30);
    for (let i = lines.length - 2; i >= 0; i--) {
      if (!isBlank(lines[i])) {
        header = lines[i];
        break;
      }
    }
  }
  if (header === undefined) return undefined;
  const indentLanguage = isIndentLanguage(input.languageId);
  const code = stripLineComment(header, indentLanguage).trimEnd();
  const opens = indentLanguage ? code.endsWith(':') : code.endsWith('{');
  if (!opens) return undefined;
  const headerIndent = indentWidth(header);
  const suffixIndent = nextSuffixIndent(input.prefix, input.suffix);
  if (suffixIndent !== undefined && suffixIndent > headerIndent) return undefined;
  return headerIndent;
}

/** A comment line (block-comment continuation included) or a decorator: it belongs to the item below it. */
function isHeadLine(line: string, indentLanguage: boolean): boolean {
  const t = line.trimStart();
  return t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || t.startsWith('@') || (indentLanguage && t.startsWith('#'));
}

/** A code line that leaves something open for the next line (a block, brackets, an operator, a continuation). */
const OPENS_NEXT_LINE = /(?:[{([,:=+\-*/%&|^<>?\.]|=>)\s*$/;

/**
 * True when the cursor is on a blank line at top level between two items: the code above ends a top-level
 * item (or, in Python, the suffix resumes at column 0, so the hole is past the end of the definition above)
 * and leaves nothing open. A new top-level item is then what the user is writing, not a scope exit.
 */
export function atTopLevelGap(input: ScopeInput): boolean {
  if (!isBlank(linePrefixOf(input.prefix))) return false;
  const indentLanguage = isIndentLanguage(input.languageId);
  const lines = lastLines(input.prefix, 60);
  let above: string | undefined;
  for (let i = lines.length - 2; i >= 0; i--) {
    if (!isBlank(lines[i]) && !isHeadLine(lines[i], indentLanguage)) { above = lines[i]; break; }
  }
  if (above === undefined) return lines.length < 60; // the file's first item (beyond 60 lines we do not know)
  if (OPENS_NEXT_LINE.test(stripLineComment(above, indentLanguage))) return false;
  if (indentWidth(above) === 0) return true;
  if (!indentLanguage) return false;
  const next = nextSuffixIndent(input.prefix, input.suffix);
  return next === undefined || next === 0;
}

/**
 * At a top-level gap, the completion's first item (with its comments and decorators) is kept and cut before
 * the next line that starts another item at column 0; closers, `else`-like clauses and lines inside open
 * brackets or strings belong to the item. Undefined when the completion holds a single item.
 */
function cutAfterFirstTopLevelItem(lines: string[], indentLanguage: boolean): ScopeCut | undefined {
  let started = false;
  let depth = 0;
  let inString: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const wasInString = inString !== undefined;
    if (indentLanguage) inString = tripleQuoteAfter(inString, line);
    const depthBefore = depth;
    depth += bracketBalance(line).depth;
    if (wasInString || isBlank(line) || indentWidth(line) > 0 || depthBefore > 0) continue;
    if (!started) {
      if (!isHeadLine(line, indentLanguage)) started = true;
      continue;
    }
    if (/^[)\]}]/.test(line) || (indentLanguage ? CLAUSE.test(line) : /^(?:else|catch|finally)\b/.test(line))) continue;
    let end = i;
    while (end > 1 && isBlank(lines[end - 1])) end--;
    return { keep: lines.slice(0, end).join('\n'), atNewline: true };
  }
  return undefined;
}

export interface ScopeOptions {
  /** Also end the completion with the empty block the cursor opens (the editor's multi-line mode). */
  endWithOpenedBlock?: boolean;
}

/** Cuts the completion before its first line that leaves the cursor's scope; undefined when none does. */
export function cutAtScopeExit(text: string, input: ScopeInput, options: ScopeOptions = {}): ScopeCut | undefined {
  const linePrefix = linePrefixOf(input.prefix);
  const atLineStart = isBlank(linePrefix);
  const lines = text.split('\n');
  const indentLanguage = isIndentLanguage(input.languageId);
  // A new top-level item where the cursor stands between items: one item, not a scope exit.
  const firstCode = lines.find(l => !isBlank(l) && !isHeadLine(l, indentLanguage));
  if ((firstCode === undefined || indentWidth(firstCode) === 0) && atTopLevelGap(input)) return cutAfterFirstTopLevelItem(lines, indentLanguage);
  const cursorIndent = cursorIndentWith(lines, input);
  let floor = scopeFloor(input, cursorIndent);
  let clausesAllowedAt = -1;
  if (options.endWithOpenedBlock) {
    const header = emptyBlockHeaderIndent(input);
    if (header !== undefined && header > floor) {
      floor = header;
      clausesAllowedAt = header;
    }
  }
  if (!indentLanguage) {
    const closed = cutAfterEnclosingBlockCloses(lines);
    if (closed) return closed;
  }
  if (floor < 0) return undefined;
  // Lines inside a triple-quoted string are text, not code. (Open brackets are not tracked: the suffix
  // may close them, and code inside brackets still never sits at or left of its scope's header.)
  let inString: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const startsLine = i > 0 || atLineStart;
    const wasInString = inString !== undefined;
    if (indentLanguage) inString = tripleQuoteAfter(inString, line);
    if (!startsLine || wasInString || isBlank(line)) continue;
    const width = indentWidth(i === 0 ? linePrefix + line : line);
    if (width > floor) continue;
    if (indentLanguage && width === clausesAllowedAt && CLAUSE.test(line)) continue;
    if (!indentLanguage && /^\s*[)\]}]/.test(line)) {
      // The closer of the enclosing block belongs to the completion (unless the suffix has it, which the
      // closing-lines rule decides); whatever follows it is outside.
      const keep = lines.slice(0, i + 1).join('\n');
      if (lines.slice(i + 1).every(isBlank)) return undefined;
      return { keep, atNewline: true };
    }
    if (i === 0) return { keep: '', atNewline: false };
    // Empty lines before the cut are the model's spacing before the next item, not part of this one; a
    // line of only indentation may be the start of the suffix's line, so it stays.
    let end = i;
    while (end > 1 && lines[end - 1] === '') end--;
    return { keep: lines.slice(0, end).join('\n'), atNewline: true };
  }
  return undefined;
}

/**
 * Brace languages: the line whose `}` closes the block the cursor is in ends the unit; what follows (the
 * next method, the next function) is outside it. Undefined when nothing follows that line.
 */
function cutAfterEnclosingBlockCloses(lines: string[]): ScopeCut | undefined {
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const curly = curlyBalance(line);
    depth += curly.depth;
    // `} else {` keeps the block open; a line that leaves it closed ends it.
    if (depth < 0) {
      if (!/^\s*}/.test(line)) return undefined;
      if (lines.slice(i + 1).every(isBlank)) return undefined;
      return { keep: lines.slice(0, i + 1).join('\n'), atNewline: true };
    }
  }
  return undefined;
}

/** Curly-brace depth change over a line, skipping string literals and line comments. */
function curlyBalance(line: string): { depth: number } {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '/' && line[i + 1] === '/') break;
    else if (ch === '{') depth++;
    else if (ch === '}') depth--;
  }
  return { depth };
}
