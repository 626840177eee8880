// Bracket helpers for the post-processing rules (cuts, echoes, syntax checks). Pure functions, no syntax trees;
// the line, comment and quote helpers every stage shares live in src/text/.
import { isIndentLanguage } from '../text/code';
import { indentWidth } from '../text/lines';

const OPENERS = '([{';
const CLOSERS = ')]}';

export function isCloser(ch: string): boolean {
  return CLOSERS.includes(ch);
}

/** The closing brackets in `text` (the rest of the cursor's line, typed or auto-closed). */
export function closersIn(text: string): number {
  return (text.match(/[)\]}]/g) ?? []).length;
}

/** True when the line holds only closing brackets and punctuation that follows them (`});`, `]`, `),`). */
export function isClosingLine(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && isCloser(t[0]) && /^[)\]}]+[;,)\]}]*$/.test(t);
}

/**
 * Net bracket depth change over `text` (all kinds, or only the kind of `onlyCloser`), skipping string
 * literals and line comments roughly (quotes and `#`/`//`). Rough on purpose: it only guards cuts.
 */
export function bracketBalance(text: string, onlyCloser?: string): { depth: number; minDepth: number } {
  const scan = new BracketScan(onlyCloser);
  for (let i = 0; i < text.length; i++) scan.step(text, i);
  return { depth: scan.depth, minDepth: scan.minDepth };
}

/**
 * bracketBalance one character at a time, for callers that need the balance before every position of a
 * long text in one pass (recomputing it per position is quadratic).
 */
export class BracketScan {
  depth = 0;
  minDepth = 0;
  private readonly opener: string | undefined;
  private quote: string | undefined;
  private escaped = false;
  private inComment = false;

  constructor(private readonly onlyCloser?: string) {
    this.opener = onlyCloser === undefined ? undefined : OPENERS[CLOSERS.indexOf(onlyCloser)];
  }

  /** Takes in `text[i]` (the text is passed whole so that `//` can be seen). */
  step(text: string, i: number): void {
    const ch = text[i];
    if (this.inComment) {
      if (ch === '\n') this.inComment = false;
    } else if (this.quote) {
      if (this.escaped) this.escaped = false;
      else if (ch === '\\') this.escaped = true;
      else if (ch === this.quote || ch === '\n') this.quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') this.quote = ch;
    else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) this.inComment = true;
    else if (this.onlyCloser !== undefined && ch !== this.opener && ch !== this.onlyCloser) return;
    else if (OPENERS.includes(ch)) this.depth++;
    else if (CLOSERS.includes(ch)) {
      this.depth--;
      if (this.depth < this.minDepth) this.minDepth = this.depth;
    }
  }
}

/**
 * The closers that would end what is still open at the end of `text` (brackets, a block comment, and in
 * indentation languages a block header's missing body), as text to append after it. Rough like
 * bracketBalance: it only tells a line that opens something apart from a line that is broken.
 */
export function closingTail(text: string, languageId: string): string {
  const indentLanguage = isIndentLanguage(languageId);
  const stack: string[] = [];
  let quote: string | undefined;
  let inBlockComment = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inBlockComment) {
      if (ch === '*' && text[i + 1] === '/') {
        inBlockComment = false;
        i++;
      }
      continue;
    }
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote || (ch === '\n' && quote !== '`')) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if ((indentLanguage && ch === '#') || (ch === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (!indentLanguage && ch === '/' && text[i + 1] === '*') {
      inBlockComment = true;
      i++;
    } else if (OPENERS.includes(ch)) stack.push(ch);
    else if (CLOSERS.includes(ch)) {
      // A stray closer (the window starts inside a block): forget it rather than guess.
      if (stack.length > 0 && OPENERS.indexOf(stack[stack.length - 1]) === CLOSERS.indexOf(ch)) stack.pop();
    }
  }
  let tail = '';
  if (inBlockComment) tail += ' */';
  else if (quote === '`') tail += '`';
  if (stack.length > 0) tail += '\n' + stack.reverse().map(open => CLOSERS[OPENERS.indexOf(open)]).join('');
  else if (indentLanguage && !inBlockComment) {
    // A block header without its body: give it one, one level deeper.
    const lastLine = text.slice(text.lastIndexOf('\n') + 1);
    if (/:\s*$/.test(lastLine.replace(/\s#[^'"]*$/, ''))) tail += emptyPythonBody(lastLine);
  }
  return tail;
}

/** An empty body for the Python block header `headerLine`, one level deeper. */
export function emptyPythonBody(headerLine: string): string {
  return '\n' + ' '.repeat(indentWidth(headerLine) + 4) + 'pass';
}
