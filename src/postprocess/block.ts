// Stage: on an empty line the document alone does not say which block the user is writing in (the end of the block
// above, or the block around it); the completion's first code line does, by its indentation. Two rules follow:
// - in the editor's multi-line mode, a line that leaves that block for a block the suffix goes on in ends the
//   completion: the code after the cursor in that block is already written (when that line is a header less indented
//   than the code below, it is kept: that code is its body);
// - a definition (Python `def` / `class`) is one item: the next line at its indentation that starts another
//   statement ends it.
// Every other line the model wrote that stays in the block is kept (and judged by the parse after this stage): on an
// empty line between two statements the user may be writing several, and a hole of several statements written
// exactly must come through whole.
import { isIndentLanguage, stripLineComment, tripleQuoteAfter } from '../text/code';
import { firstLines, indentWidth, isBlank, lastLines, linePrefixOf, lineSuffixOf } from '../text/lines';
import { bracketBalance } from './text';

export interface BlockInput {
  languageId: string;
  prefix: string;
  suffix: string;
}

export interface BlockOptions {
  /**
   * End the completion where it leaves the first line's block for the level the suffix resumes at: the editor's
   * multi-line mode, where a suggestion is the rest of the block the cursor is in. Without the editor's decision
   * (no line limit), what parses is kept: a hole of several statements across a dedent comes through whole.
   */
  blockExit?: boolean;
}

export interface BlockCut {
  /** Kept text, without the line break that ended its last line. */
  keep: string;
  rule: 'block-exit' | 'one-item';
}

/** A comment line, a decorator or annotation, a C# attribute: it belongs to the code below it. */
function isHeadLine(line: string, indentLanguage: boolean): boolean {
  const t = line.trimStart();
  if (t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || t.startsWith('@')) return true;
  return indentLanguage ? t.startsWith('#') : /^\[[^\]]*\]\s*$/.test(t);
}

/** The line opens a block: an indentation language's header colon, or a brace at its end. */
function opensBlock(line: string, indentLanguage: boolean): boolean {
  const code = stripLineComment(line, indentLanguage).trimEnd();
  return indentLanguage ? code.endsWith(':') : code.endsWith('{');
}

const DEFINITION = /^\s*(?:async\s+def|def|class)\b/;

/** Indentation of the suffix's first code line after the cursor's (empty) line; undefined when it has none. */
export function suffixCodeIndent(suffix: string, indentLanguage: boolean): number | undefined {
  const lines = firstLines(suffix, 60);
  for (let i = 1; i < lines.length; i++) {
    if (!isBlank(lines[i]) && !isHeadLine(lines[i], indentLanguage)) return indentWidth(lines[i]);
  }
  return undefined;
}

/**
 * Cuts the completion at the end of the block its first code line is in (see the top of the file); undefined when
 * the cursor is not on an empty line or nothing is cut.
 */
export function cutAtBlockEnd(text: string, input: BlockInput, options: BlockOptions = {}): BlockCut | undefined {
  const linePrefix = linePrefixOf(input.prefix);
  if (!isBlank(linePrefix) || !isBlank(lineSuffixOf(input.suffix))) return undefined;
  const indentLanguage = isIndentLanguage(input.languageId);
  // Inside brackets the code above left open, every line continues that expression.
  if (bracketBalance(lastLines(input.prefix, OPEN_BRACKET_LINES).join('\n')).depth > 0) return undefined;
  const lines = text.split('\n');
  const first = lines.findIndex(line => !isBlank(line) && !(isHeadLine(line, indentLanguage) && !line.trimStart().startsWith('@')));
  if (first < 0) return undefined;
  const width = (i: number) => indentWidth(i === 0 ? linePrefix + lines[i] : lines[i]);
  const blockIndent = width(first);
  const suffixIndent = suffixCodeIndent(input.suffix, indentLanguage);
  // A decorator's definition is the line below it. Only in a class body or at the top level is it one item: inside a
  // function, a helper is followed by the code that uses it.
  const definition = indentLanguage && DEFINITION.test(lines.slice(first).find(line => !isBlank(line) && !isHeadLine(line, true)) ?? '')
    && inClassOrModule(input.prefix, blockIndent);
  // Where each later statement at the first line's indentation starts, and where a line leaves the block.
  const starts: number[] = [];
  let exit: number | undefined;
  let depth = 0;
  let inString: string | undefined;
  let previous = lines[first];
  for (let i = 0; i < lines.length && exit === undefined; i++) {
    const line = lines[i];
    const wasInString = inString !== undefined;
    if (indentLanguage) inString = tripleQuoteAfter(inString, line);
    const depthBefore = depth;
    depth += bracketBalance(line).depth;
    if (i <= first || wasInString || isBlank(line) || depthBefore > 0) continue;
    const w = width(i);
    const after = previous;
    previous = line;
    if (w > blockIndent) continue;
    if (w < blockIndent) {
      // A closer of an enclosing block (brace languages) is the closing-lines and scope rules' business.
      if (!indentLanguage && /^\s*[)\]}]/.test(line)) break;
      // A line deeper than where the suffix resumes finishes a block the suffix is not in: the completion may do that.
      if (suffixIndent === undefined || w > suffixIndent || !options.blockExit) break;
      // A header less indented than the code below: that code is its body, so the header is where the completion meets it.
      // (Not when the suffix goes on in the completion's own block: it is that block's code, not the header's body.)
      exit = w < suffixIndent && suffixIndent !== blockIndent && opensBlock(line, indentLanguage) ? i + 1 : i;
    } else if (definition && !isHeadLine(after, true)) {
      // Any line at a definition's indentation after it starts another item: no clause can follow a definition in a
      // class body or at the top level, and a closer there ends brackets, whose lines are skipped above.
      starts.push(i);
    }
  }
  const keep = starts.length > 0 ? starts[0] : exit ?? lines.length;
  if (keep >= lines.length) return undefined;
  return cutBefore(lines, keep, keep === exit ? 'block-exit' : 'one-item');
}

const OPEN_BRACKET_LINES = 30;
const ENCLOSING_LINES = 200;

/** The code at `indent` below the prefix is in a class body or at the top level (not in a function). */
function inClassOrModule(prefix: string, indent: number): boolean {
  if (indent === 0) return true;
  const lines = lastLines(prefix, ENCLOSING_LINES);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (isBlank(line) || line.trimStart().startsWith('#') || indentWidth(line) >= indent) continue;
    return /^\s*class\b/.test(line);
  }
  return false;
}

/** The lines before `end`, without the blank lines (the model's spacing before the next item) right before it. */
function cutBefore(lines: string[], end: number, rule: BlockCut['rule']): BlockCut {
  while (end > 1 && isBlank(lines[end - 1])) end--;
  return { keep: lines.slice(0, end).join('\n'), rule };
}
