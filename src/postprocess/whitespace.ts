// Stage: trailing whitespace. Whitespace at the end of a line goes; at the very end it goes too unless the
// cursor's line continues after the insertion point, where the completion's tail (a line break, the
// indentation of the next line, a space before the next word) is part of the code.
import { isBlank, lineSuffixOf } from '../text/lines';

export function finalizeWhitespace(text: string, suffix: string): string {
  const lines = text.split('\n');
  const last = lines.length - 1;
  for (let i = 0; i < last; i++) lines[i] = lines[i].trimEnd();
  if (isBlank(lineSuffixOf(suffix))) return lines.join('\n').trimEnd();
  // The suffix's text will follow the last line: blank lines right before it are noise.
  if (lines[last] === '') {
    let end = last;
    while (end > 1 && lines[end - 1] === '') end--;
    lines.splice(end, last - end);
  }
  // Whitespace alone is kept here: it is the line break and indentation the suffix's text needs.
  return lines.join('\n');
}

/** Single-line mode: the first line only (keeping a line break when the cursor's line continues after it). */
export function keepFirstLine(text: string, suffix: string, prefix: string): string {
  const lines = text.split('\n');
  // A completion that starts with a line break (cursor at the end of a line) keeps its first real line.
  let first = 0;
  while (first < lines.length - 1 && isBlank(lines[first])) first++;
  if (lines.length === 1) return text;
  const head = lines.slice(0, first + 1).join('\n');
  const continues = !isBlank(lineSuffixOf(suffix)) && isBlank(prefix.slice(prefix.lastIndexOf('\n') + 1));
  return continues && first + 1 < lines.length ? head + '\n' : head;
}
