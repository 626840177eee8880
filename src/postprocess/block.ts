// Stage: on an empty line the document alone does not say which block the user is writing in (the end of the block
// above, or the block around it); the completion's first code line does, by its indentation. Two rules follow:
// - a line that leaves that block for a block the suffix goes on in ends the completion: the code after the cursor
//   in that block is already written;
// - between two statements of a block (the suffix goes on at the first line's indentation), and for a definition,
//   the completion is one statement: its first line with what is indented under it, its clauses and closers.
import { isIndentLanguage, stripLineComment, tripleQuoteAfter } from '../text/code';
import { firstLines, indentWidth, isBlank, lastLines, linePrefixOf, lineSuffixOf } from '../text/lines';
import { bracketBalance, isClosingLine } from './text';

export interface BlockInput {
  languageId: string;
  prefix: string;
  suffix: string;
}

export interface BlockCut {
  /** Kept text, without the line break that ended its last line. */
  keep: string;
  rule: 'block-exit' | 'one-statement';
}

/** A comment line, a decorator or annotation, a C# attribute: it belongs to the code below it. */
function isHeadLine(line: string, indentLanguage: boolean): boolean {
  const t = line.trimStart();
  if (t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || t.startsWith('@')) return true;
  return indentLanguage ? t.startsWith('#') : /^\[[^\]]*\]\s*$/.test(t);
}

/** A line that continues the statement above it at the same indentation: a clause, a closer, a chained call. */
function continuesStatement(line: string, indentLanguage: boolean): boolean {
  const t = line.trimStart();
  if (indentLanguage) return /^(?:elif|else|except|finally)\b/.test(t) || /^[)\]}]/.test(t);
  // `{` on a line of its own (Allman style), `} else {`, `.then(...)` chained below.
  return /^[{)\]}]/.test(t) || /^(?:else|catch|finally)\b/.test(t) || t.startsWith('.');
}

/** The line ends with what opens a block: `:` in indentation languages, `{` elsewhere. */
function opensBlock(line: string, indentLanguage: boolean): boolean {
  const code = stripLineComment(line, indentLanguage).trimEnd();
  return indentLanguage ? code.endsWith(':') : code.endsWith('{');
}

const DEFINITION = /^\s*(?:async\s+def|def|class)\b/;

/** Indentation of the suffix's first code line after the cursor's (empty) line; undefined when it has none. */
function suffixCodeIndent(suffix: string, indentLanguage: boolean): number | undefined {
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
export function cutAtBlockEnd(text: string, input: BlockInput): BlockCut | undefined {
  const linePrefix = linePrefixOf(input.prefix);
  if (!isBlank(linePrefix) || !isBlank(lineSuffixOf(input.suffix))) return undefined;
  const indentLanguage = isIndentLanguage(input.languageId);
  const lines = text.split('\n');
  const first = lines.findIndex(line => !isBlank(line) && !(isHeadLine(line, indentLanguage) && !line.trimStart().startsWith('@')));
  if (first < 0) return undefined;
  const width = (i: number) => indentWidth(i === 0 ? linePrefix + lines[i] : lines[i]);
  const blockIndent = width(first);
  const suffixIndent = suffixCodeIndent(input.suffix, indentLanguage);
  // A header whose body is already there (the suffix goes on deeper): the header is the whole completion.
  if (suffixIndent !== undefined && suffixIndent > blockIndent && opensBlock(lines[first], indentLanguage)) {
    return lines.slice(first + 1).every(isBlank) ? undefined : { keep: lines.slice(0, first + 1).join('\n'), rule: 'one-statement' };
  }
  const oneStatement = suffixIndent === blockIndent || (indentLanguage && DEFINITION.test(lines[first]));
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
      if (!indentLanguage && (isClosingLine(line) || /^\s*[)\]}]/.test(line))) break;
      // Only where the suffix resumes further out may the completion finish the blocks in between.
      if (suffixIndent === undefined || (w < suffixIndent && suffixIndent <= blockIndent)) break;
      exit = i;
    } else if (!continuesStatement(line, indentLanguage) && !isHeadLine(after, indentLanguage)) starts.push(i);
  }
  const end = exit ?? lines.length;
  let keep = end;
  if (oneStatement && starts.length > 0) {
    // One statement, and after it the statements that set up a name the code below needs.
    keep = starts[0];
    const definition = DEFINITION.test(lines[first]);
    for (let k = 0; k < starts.length && !definition; k++) {
      const next = starts[k + 1] ?? end;
      if (!introducesUsedName(lines.slice(starts[k], next).join('\n'), input, indentLanguage)) break;
      keep = next;
    }
  }
  if (keep >= lines.length) return undefined;
  return cutBefore(lines, keep, keep === exit ? 'block-exit' : 'one-statement');
}

const PREFIX_NAME_LINES = 200;
const SUFFIX_NAME_LINES = 60;

/** Names a statement assigns (rough, from the text): `a = `, `a, b = `, `a += `, `for a in`, `as a`, `def a`. */
export function assignedNames(statement: string, indentLanguage: boolean): string[] {
  const names = new Set<string>();
  const add = (list: string) => list.split(',').forEach(n => /^[A-Za-z_$][\w$]*$/.test(n.trim()) && names.add(n.trim()));
  for (const m of statement.matchAll(/([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)\s*(?:[-+*/%&|^@]|\/\/|\*\*|<<|>>|\?\?)?=(?![=>])/g)) add(m[1]);
  if (indentLanguage) {
    for (const m of statement.matchAll(/\bfor\s+([\w\s,]+?)\s+in\b/g)) add(m[1]);
    for (const m of statement.matchAll(/\b(?:as|def|class)\s+([A-Za-z_]\w*)/g)) add(m[1]);
  }
  return [...names];
}

/** The statement assigns a name that the code after the cursor uses and the code before it never mentions. */
function introducesUsedName(statement: string, input: BlockInput, indentLanguage: boolean): boolean {
  const names = assignedNames(statement, indentLanguage);
  if (names.length === 0) return false;
  const before = lastLines(input.prefix, PREFIX_NAME_LINES).join('\n');
  const after = firstLines(input.suffix, SUFFIX_NAME_LINES).join('\n');
  return names.some(name => {
    const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
    return word.test(after) && !word.test(before);
  });
}

/** The lines before `end`, without the blank lines (the model's spacing before the next item) right before it. */
function cutBefore(lines: string[], end: number, rule: BlockCut['rule']): BlockCut {
  while (end > 1 && isBlank(lines[end - 1])) end--;
  return { keep: lines.slice(0, end).join('\n'), rule };
}
