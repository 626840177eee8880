// Stage: the model restarted the definition the cursor is in. Base models sometimes answer a hole right after a
// function's header (and docstring) by writing that header again, then the docstring again, then the body; the
// repeated lines are code the document already has, so they go and what follows them is the suggestion.
import { isIndentLanguage, tripleQuoteAfter } from '../text/code';
import { indentWidth, isBlank, lastLines, linePrefixOf } from '../text/lines';
import { suffixCodeIndent } from './block';

const PREFIX_LINES = 200;
const PYTHON_DEFINITION = /^(?:async\s+def|def|class)\s+\w+/;
/** A brace-language line that opens a function or class body: a name and a parameter list or a type, then `{`. */
const BRACE_DEFINITION = /^[\w$<>[\],.\s@:]*\b[\w$]+\s*(?:\([^;]*\))?[^;=]*\{$/;
/** Longer first lines are never a definition's header; the pattern above backtracks quadratically on one long word. */
const MAX_HEADER_CHARS = 1000;

export interface RestartInput {
  languageId: string;
  prefix: string;
  /** Needed for a restart under another name (the code below must be the definition's body). */
  suffix?: string;
}

/**
 * The completion without a leading copy of an enclosing definition's header line and of the lines that followed it
 * above the cursor (compared without indentation and blank lines); undefined when it does not start that way.
 */
export function dropRestartedDefinition(text: string, input: RestartInput, options: { streaming?: boolean } = {}): string | undefined {
  if (!isBlank(linePrefixOf(input.prefix))) return undefined;
  const lines = text.split('\n');
  const first = lines.findIndex(line => !isBlank(line));
  if (first < 0) return undefined;
  const header = lines[first].trim();
  const definition = isIndentLanguage(input.languageId) ? PYTHON_DEFINITION : BRACE_DEFINITION;
  if (header.length > MAX_HEADER_CHARS || !definition.test(header)) return undefined;
  const above = lastLines(input.prefix, PREFIX_LINES);
  let at = -1;
  for (let i = above.length - 1; i >= 0; i--) {
    if (above[i].trim() === header) {
      at = i;
      break;
    }
  }
  const headerLine = linePrefixOf(input.prefix) + lines[first];
  const renamed = at < 0 && isIndentLanguage(input.languageId) ? renamedDefinition(above, headerLine, input.suffix) : undefined;
  if (renamed !== undefined) at = renamed;
  if (at < 0) return undefined;
  // The header, then as many of the lines after it above the cursor as the output repeats, in order.
  const expected = above.slice(at + 1).map(line => line.trim()).filter(line => line !== '');
  // Under another name, only over a definition that has only a docstring so far: the header goes, and the model's
  // docstring when it wrote one (while streaming, a docstring not yet there or not yet closed: nothing new yet).
  if (renamed !== undefined) {
    if (!isDocstringOnly(expected)) return undefined;
    const after = lines.slice(first + 1).find(line => !isBlank(line));
    if (after === undefined) return options.streaming ? '' : undefined;
    if (!DOCSTRING_OPEN.test(after.trim())) return restAfter(lines, first + 1);
    if (docstringEnd(lines, first + 1) === undefined) return options.streaming ? '' : undefined;
  }
  let next = 0;
  let end = first + 1;
  let diverged = false;
  for (let i = first + 1; i < lines.length && next < expected.length; i++) {
    if (isBlank(lines[i])) continue;
    if (lines[i].trim() !== expected[next]) {
      diverged = true;
      break;
    }
    next++;
    end = i + 1;
  }
  // While streaming, a copy that has matched every line so far may still be on its way: nothing new yet.
  if (options.streaming && !diverged && next < expected.length) return '';
  // A copy whose docstring was reworded: when the document has only a docstring between the header and the cursor,
  // the model's docstring after the repeated header goes too, whatever its words.
  if (diverged && isIndentLanguage(input.languageId) && isDocstringOnly(expected)) {
    const docEnd = docstringEnd(lines, first + 1);
    if (docEnd !== undefined) return restAfter(lines, docEnd);
    // Still inside the model's docstring while streaming: what follows it decides.
    if (options.streaming && DOCSTRING_OPEN.test(lines.slice(first + 1).find(line => !isBlank(line))?.trim() ?? '')) return '';
  }
  // Only a header (Python's def or class), or the header and everything after it: a copy that stops part-way is not
  // a clean restart, and in brace languages a line like the header can be new code.
  const whole = next === expected.length && expected.length > 0;
  if (!whole && !(next === 0 && isIndentLanguage(input.languageId))) return undefined;
  return restAfter(lines, end);
}

const PYTHON_SIGNATURE = /^(?:async\s+def|def)\s+\w+(\(.*)$/;

/**
 * The line above of the innermost definition around the cursor, whose body the code below is, when the header line
 * has its indentation and its signature (parameters and return annotation) under another name: a base model
 * restarting a function often renames it (`digits` to `digits2`), the signature stays. Only the innermost definition,
 * and only a function; a helper nested inside it is indented deeper.
 */
function renamedDefinition(above: string[], headerLine: string, suffix: string | undefined): number | undefined {
  const signature = PYTHON_SIGNATURE.exec(headerLine.trim())?.[1];
  if (signature === undefined || suffix === undefined) return undefined;
  // The code below is the definition's body (deeper than its header): a stub above followed by a new definition
  // with the same signature (methods of a protocol, each with only a docstring) is no restart.
  const body = suffixCodeIndent(suffix, true);
  if (body === undefined || body <= indentWidth(headerLine)) return undefined;
  for (let i = above.length - 1; i >= 0; i--) {
    const line = above[i].trim();
    if (!PYTHON_DEFINITION.test(line)) continue;
    const sameIndent = indentWidth(above[i]) === indentWidth(headerLine);
    return sameIndent && PYTHON_SIGNATURE.exec(line)?.[1] === signature ? i : undefined;
  }
  return undefined;
}

/** The lines from `end` on, without the blank lines that start them. */
function restAfter(lines: string[], end: number): string {
  while (end < lines.length && lines[end] === '') end++;
  return lines.slice(end).join('\n');
}

const DOCSTRING_OPEN = /^[rRuUbB]?("""|''')/;

/** The line after the docstring that the first non-blank line from `start` opens; undefined when it is none or does not close. */
function docstringEnd(lines: string[], start: number): number | undefined {
  const at = lines.findIndex((line, i) => i >= start && !isBlank(line));
  if (at < 0 || !DOCSTRING_OPEN.test(lines[at].trim())) return undefined;
  let open: string | undefined;
  for (let i = at; i < lines.length; i++) {
    open = tripleQuoteAfter(open, lines[i]);
    if (open === undefined) return i + 1;
  }
  return undefined;
}

/** The lines (trimmed, no blank ones) are one docstring and nothing else. */
function isDocstringOnly(expected: string[]): boolean {
  if (expected.length === 0 || !DOCSTRING_OPEN.test(expected[0])) return false;
  let open: string | undefined;
  for (let i = 0; i < expected.length; i++) {
    open = tripleQuoteAfter(open, expected[i]);
    if (open === undefined) return i === expected.length - 1;
  }
  return false;
}
