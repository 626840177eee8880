// Rough, parser-free facts about source text: which languages delimit blocks by indentation, line comments,
// Python triple-quoted strings and block comments. Used before a request (finished line, multi-line decision)
// and on the output (post-processing); rough on purpose, the syntax trees judge the rest.
import { lastLines } from './lines';

/** Languages whose blocks are delimited by indentation rather than braces. */
const INDENT_LANGUAGES = new Set(['python', 'yaml', 'coffeescript', 'nim', 'haml', 'pug', 'jade', 'fsharp']);

export function isIndentLanguage(languageId: string): boolean {
  return INDENT_LANGUAGES.has(languageId);
}

/** The Python triple-quoted string still open after `text`, given the one open before it (undefined: none). */
export function tripleQuoteAfter(open: string | undefined, text: string): string | undefined {
  for (const m of text.matchAll(/"""|'''/g)) {
    if (open === undefined) open = m[0];
    else if (open === m[0]) open = undefined;
  }
  return open;
}

/** The line without a trailing line comment (`#` in hash-comment languages, `//` otherwise). Rough: no string check. */
export function stripLineComment(line: string, hashComments: boolean): string {
  return line.replace(hashComments ? /\s+#.*$/ : /\s+\/\/.*$/, '');
}

/**
 * True when the cursor is inside prose a parser cannot judge: an open Python triple-quoted string or an open
 * block comment. Rough (quotes inside other strings fool it), like the rest of this file.
 */
export function insideProse(prefix: string, languageId: string): boolean {
  const recent = lastLines(prefix, 400).join('\n');
  if (isIndentLanguage(languageId)) return tripleQuoteAfter(undefined, recent) !== undefined;
  return recent.lastIndexOf('/*') > recent.lastIndexOf('*/');
}
