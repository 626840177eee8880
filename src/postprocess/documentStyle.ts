// The document's conventions, applied around the rules: they work on LF text (a CRLF document's prefix, suffix
// and output are read as LF, and the suggestion goes back with CRLF), on characters that belong in code (control
// and bidirectional-override characters never reach the editor), and with the document's indentation (tabs
// where the file uses tabs, its indent width where it uses spaces).
import { guessIndentation, type IndentStyle } from '../text/indentation';
import { firstLines, lastLines } from '../text/lines';

export type LineEnding = '\n' | '\r\n';

/** Lines read around the cursor to tell the document's indentation (bounded: documents can be huge). */
const INDENT_SAMPLE_LINES = 200;

/** The document's line ending, from the line breaks nearest the cursor; LF when it has none. */
export function lineEndingOf(prefix: string, suffix: string): LineEnding {
  const after = suffix.indexOf('\n');
  if (after >= 0) return after > 0 && suffix[after - 1] === '\r' ? '\r\n' : '\n';
  const before = prefix.lastIndexOf('\n');
  if (before >= 0) return before > 0 && prefix[before - 1] === '\r' ? '\r\n' : '\n';
  return '\n';
}

export function toLf(text: string): string {
  return text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text;
}

export function withLineEnding(text: string, eol: LineEnding): string {
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

/**
 * C0 and C1 control characters except tab and line feed (NUL, a lone CR, escape sequences, ...) and the
 * bidirectional embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069), which can make
 * code read differently from what it does ("Trojan Source").
 */
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** The output without the characters that never belong in a suggestion (after CRLF became LF). */
export function stripUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, '');
}

/** How the code around the cursor is indented (text/indentation's guess over the lines near it). */
export function indentationOf(prefix: string, suffix: string): IndentStyle | undefined {
  return guessIndentation([...lastLines(prefix, INDENT_SAMPLE_LINES), ...firstLines(suffix, INDENT_SAMPLE_LINES).slice(1)]);
}

/** `indent` (tabs and spaces) redone in the document's style: a tab or `width` spaces make one level. */
function reindent(indent: string, style: IndentStyle): string {
  if (style.tabs ? !indent.includes(' ') : !indent.includes('\t')) return indent;
  let columns = 0;
  for (const ch of indent) columns += ch === '\t' ? style.width : 1;
  if (!style.tabs) return ' '.repeat(columns);
  return '\t'.repeat(Math.floor(columns / style.width)) + ' '.repeat(columns % style.width);
}

/**
 * The output with the leading whitespace of its lines in the document's style. The first line is part of the
 * cursor's line: its indentation is redone only together with what is left of the cursor, when that is only
 * indentation in the document's own style. Line by line, with nothing taken from the output itself, so a
 * line comes out the same whatever follows it (the streaming stop relies on it).
 */
export function followIndentation(text: string, linePrefix: string, style: IndentStyle | undefined): string {
  if (!style) return text;
  return text.replace(/(^|\n)([ \t]+)/g, (match, start: string, indent: string, offset: number) => {
    if (offset > 0 || start === '\n') return start + reindent(indent, style);
    if (!/^[ \t]*$/.test(linePrefix)) return match;
    const whole = reindent(linePrefix + indent, style);
    return whole.startsWith(linePrefix) ? whole.slice(linePrefix.length) : match;
  });
}
