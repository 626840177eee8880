// Request economy: lines at whose end an automatic single-line request cannot add anything. Such a request stops
// at the line break, so the model has nothing left to write there, and users pause at these line ends before
// pressing Enter; the request on the next line is the useful one. Text-only and cheap: it runs per keystroke.
// Every rule errs towards asking: a line that may still go on (`} else {`, `foo()` then `.bar()` in JavaScript,
// `return` then a value) is never called finished.

import { stripLineComment, tripleQuoteAfter } from '../text/code';
import { lastLines } from '../text/lines';

export interface LineInput {
  languageId: string;
  /** Text before the cursor (only its last few lines are read). */
  prefix: string;
  /** The rest of the cursor's line: must be blank for the line to be finished. */
  lineSuffix: string;
}

const PYTHON_LIKE = new Set(['python']);
const HASH_COMMENTS = new Set(['python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'coffeescript', 'elixir']);

/**
 * One pass over a line, string literals skipped: its net bracket depth (a closer without opener counts -1),
 * the brackets it leaves open (such closers ignored), and whether a string is still open at its end.
 */
function scanLine(line: string): { depth: number; unclosed: number; stringOpen: boolean } {
  let depth = 0;
  let unclosed = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') { depth++; unclosed++; }
    else if (c === ')' || c === ']' || c === '}') { depth--; unclosed = Math.max(0, unclosed - 1); }
  }
  return { depth, unclosed, stringOpen: quote !== undefined };
}

const bracketDepth = (line: string) => scanLine(line).depth;
/** No string literal is left open at the end of the line (`x = '` is not a finished string). */
const stringsClosed = (line: string) => !scanLine(line).stringOpen;
/** Brackets a line leaves open (closers without an opener on the line are ignored). */
export const unclosedBrackets = (line: string) => scanLine(line).unclosed;

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;

/** Comments are wrapped near 80 columns: past this width the next words go on the next line. */
const COMMENT_WRAP_COLUMN = 72;

/**
 * A comment line that ends a sentence, or that is already as wide as comments get: in single-line mode the
 * model could only start another sentence on it.
 */
function finishedCommentLine(line: string, languageId: string): boolean {
  const t = line.trimStart();
  const comment = HASH_COMMENTS.has(languageId)
    ? t.startsWith('#') && !t.startsWith('#!')
    : t.startsWith('//') || t.startsWith('/*') || (t.startsWith('*') && !t.startsWith('*/'));
  return comment && (endsSentence(t) || line.length >= COMMENT_WRAP_COLUMN);
}

function endsSentence(text: string): boolean {
  return /[.!?]$/.test(text) && !/\.\.\.$/.test(text);
}

/** Python: a line of docstring prose (the docstring is still open) that ends a sentence. */
function finishedDocstringSentence(lines: string[]): boolean {
  return tripleQuoteAfter(undefined, lines.join('\n')) !== undefined && endsSentence(lines[lines.length - 1].trimEnd());
}

/**
 * A lone `}` that ends a block nothing can continue on its line: not an `if`/`try`/`do` block (`else`, `catch`,
 * `finally`, `while` may follow), not an object literal or a callback (`,`, `;`, `)` may follow).
 */
function finishedBlockCloser(lines: string[]): boolean {
  const closer = lines[lines.length - 1];
  if (closer.trim() !== '}') return false;
  const indent = indentOf(closer);
  for (let i = lines.length - 2; i >= 0; i--) {
    const line = lines[i];
    if (!line.trim() || indentOf(line) > indent) continue;
    if (indentOf(line) < indent) return false; // no opener at this level in sight
    const code = line.replace(/\s*\/\/.*$/, '').trim();
    if (!code.endsWith('{')) return false;
    // After an `else` block nothing can follow; after `if`, `else if`, `try`, `catch` and `do` something can,
    // except an `else` after an `if` block that ends by leaving (`return`, `throw`, `continue`, `break`):
    // code written in that style does not add one.
    if (/^(?:}\s*)?(?:else\s+)?if\b/.test(code)) return endsByLeaving(lines.slice(i + 1, -1)) && unclosedBrackets(code) === 1;
    if (/^(?:}\s*)?(?:try|catch|do)\b/.test(code)) return false;
    if (/(?:[=:(,[]|\breturn)\s*\{$/.test(code)) return false;
    // The `{` must be the only thing the header leaves open (`foo(function () {` is still inside a call);
    // a header continued from above (`): Promise<T> {`) counts.
    return unclosedBrackets(code) === 1;
  }
  return false;
}

/** The block's last statement leaves it (so no `else` is written after it). */
function endsByLeaving(body: string[]): boolean {
  const last = body.filter(l => l.trim()).pop();
  return last !== undefined && /^\s*(?:return|throw|continue|break)\b/.test(last);
}

/** A Python statement that is over: balanced and ending in a call or subscript, or a bare pass/break/continue. */
function finishedPythonStatement(lines: string[]): boolean {
  const line = stripLineComment(lines[lines.length - 1], true).trimEnd();
  const t = line.trim();
  if (/^(?:pass|break|continue)$/.test(t)) return true;
  // Headers and decorators open what follows; `raise`, `assert` and `yield` lines are left alone.
  if (!/(?:[)\]]|[^\\]['"])$/.test(t) || /^(?:@|if|elif|while|for|with|def|class|except|raise|assert|yield|lambda|async)\b/.test(t)) return false;
  if (bracketDepth(line) !== 0 || !stringsClosed(line)) return false;
  // Not inside brackets opened above (a call spread over lines), nor after a backslash continuation. Lines
  // inside triple-quoted strings are prose: their brackets do not count.
  let depth = 0;
  let docstring: string | undefined;
  for (const l of lines) {
    const before = docstring;
    docstring = tripleQuoteAfter(docstring, l);
    if (before === undefined && docstring === undefined && !/"""|'''/.test(l)) depth = Math.max(0, depth + bracketDepth(stripLineComment(l, true)));
  }
  return depth === 0 && docstring === undefined && !/\\\s*$/.test(lines[lines.length - 2] ?? '');
}

/** Bracket depth at the start of the last line, from the lines above it (closers without opener ignored). */
function depthBeforeLastLine(lines: string[], hashComments: boolean): number {
  let depth = 0;
  for (const l of lines.slice(0, -1)) depth = Math.max(0, depth + bracketDepth(stripLineComment(l, hashComments)));
  return depth;
}

/** An item of a list spread over lines (arguments, an object literal, an array): the next item goes below. */
function finishedListItem(lines: string[], hashComments: boolean): boolean {
  const line = stripLineComment(lines[lines.length - 1], hashComments).trimEnd();
  return line.endsWith(',') && unclosedBrackets(line) === 0 && bracketDepth(line) >= 0 && depthBeforeLastLine(lines, hashComments) > 0;
}

const JS_LIKE = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

/**
 * JavaScript/TypeScript written without semicolons (none ends a line above): a balanced statement that ends
 * in a call, an index or a string is over. Headers (`if (x)`, `function f()`) are not.
 */
function finishedAsiStatement(lines: string[]): boolean {
  const line = stripLineComment(lines[lines.length - 1], false).trimEnd();
  if (!/[)\]'"`]$/.test(line) || !stringsClosed(line)) return false;
  const code = lines.slice(0, -1).map(l => stripLineComment(l, false).trimEnd()).filter(l => l.trim() && !/^\s*(?:\*|\/\*|\/\/)/.test(l));
  if (code.length < 10 || code.some(l => l.endsWith(';'))) return false;
  // Calls and arrays may spread over lines: the statement starts where the open parentheses and brackets
  // (blocks do not matter here) were last all closed, and must end on this line.
  let depth = 0;
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    if (depth === 0) start = i;
    depth = Math.max(0, depth + bracketDepth(stripLineComment(lines[i], false).replace(/[{}]/g, '')));
  }
  if (depth !== 0) return false;
  return !/^(?:if|for|while|switch|catch|function|class|else|do|with|async\s+function)\b/.test(lines[start].trim());
}

/**
 * True when the cursor stands at the end of a line that needs nothing more on it: a statement ended by `;`, a
 * block comment's end, a comment sentence, a block closer nothing can follow, or a finished Python statement.
 * The caller still asks when the request would be multi-line (a new block is opened).
 */
export function isFinishedLine(input: LineInput): boolean {
  if (input.lineSuffix.trim() !== '') return false;
  // The cursor's line alone decides most keystrokes; the lines above are read only when it may be finished.
  const line = input.prefix.slice(input.prefix.lastIndexOf('\n') + 1).trimEnd();
  if (!line.trim()) return false;
  if (line.endsWith(';') || line.endsWith('*/')) {
    // `for (let i = 0;` is not finished: an open bracket before the ";" means the statement goes on.
    return unclosedBrackets(line) === 0;
  }
  if (finishedCommentLine(line, input.languageId)) return true;
  // Every rule below needs one of these endings (a word being typed has none of them).
  if (!/[,)\]}'"`.!?]$/.test(line) && !/^\s*(?:pass|break|continue)$/.test(line)) return false;
  const lines = lastLines(input.prefix, 40);
  if (finishedListItem(lines, HASH_COMMENTS.has(input.languageId))) return true;
  if (PYTHON_LIKE.has(input.languageId)) return finishedDocstringSentence(lines) || finishedPythonStatement(lines);
  if (JS_LIKE.has(input.languageId) && finishedAsiStatement(lines)) return true;
  return finishedBlockCloser(lines);
}
