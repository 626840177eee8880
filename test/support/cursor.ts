// One cursor marker for the whole suite (the one the golden files use), and a tagged template that lets a test's
// input read like the code it stands for: `code` dedents and finds the cursor (in the spirit of Tabby's testUtils
// and Cody's CURSOR_MARKER).
//
//   const doc = code`
//     def fib(n):
//         ┃
//   `;   // doc.text === 'def fib(n):\n    \n', doc.position === { line: 1, character: 4 }

export const CURSOR_MARKER = '┃';

export interface CursorText {
  /** The text without the marker. */
  text: string;
  /** Where the marker was. */
  offset: number;
  position: { line: number; character: number };
  /** The text before and after the cursor. */
  prefix: string;
  suffix: string;
}

/** Text holding exactly one CURSOR_MARKER: the text without it, and where it was. */
export function atCursor(marked: string): CursorText {
  const offset = marked.indexOf(CURSOR_MARKER);
  if (offset < 0 || marked.indexOf(CURSOR_MARKER, offset + 1) >= 0) {
    throw new Error(`expected exactly one ${CURSOR_MARKER} in ${JSON.stringify(marked)}`);
  }
  const prefix = marked.slice(0, offset);
  const suffix = marked.slice(offset + CURSOR_MARKER.length);
  const lines = prefix.split('\n');
  return { text: prefix + suffix, offset, position: { line: lines.length - 1, character: lines[lines.length - 1].length }, prefix, suffix };
}

/**
 * Removes the line break after the opening backtick, the indentation before the closing one (the text then ends
 * with a line break; close on the last code line for none), and the indentation all non-blank lines share.
 */
export function dedent(text: string): string {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[0].trim() === '') lines.shift();
  if (lines.length > 1 && lines[lines.length - 1].trim() === '') lines[lines.length - 1] = '';
  const indents = lines.filter(l => l.trim() !== '').map(l => /^[ \t]*/.exec(l)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map(l => (l.trim() === '' ? l.slice(Math.min(common, l.length)) : l.slice(common))).join('\n');
}

/** Tagged template: dedented code with one cursor marker. */
export function code(strings: TemplateStringsArray, ...values: unknown[]): CursorText {
  return atCursor(dedent(String.raw({ raw: strings }, ...values)));
}
