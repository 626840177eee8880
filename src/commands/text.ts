// Small offset/line helpers over a plain string, so the command logic never needs a vscode.TextDocument.

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}

// Offsets and positions: one implementation for the whole pipeline.
export { offsetAt, positionAt } from '../document/documentContext';

/** The whitespace at the start of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** `s` as a literal inside a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Removes the indentation all non-blank lines share. */
export function dedent(text: string): string {
  const lines = text.split('\n');
  let common: string | undefined;
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (common === undefined || !indent.startsWith(common)) {
      let i = 0;
      while (common !== undefined && i < common.length && i < indent.length && common[i] === indent[i]) i++;
      common = common === undefined ? indent : common.slice(0, i);
    }
  }
  if (!common) return text;
  return lines.map(l => (l.startsWith(common!) ? l.slice(common!.length) : l.trimStart())).join('\n');
}

/** Adds `indent` to every non-blank line after the first (the first line sits after the insertion point's indent). */
export function reindent(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 || !l.trim() ? l : indent + l))
    .join('\n');
}
