// Line helpers over plain strings, shared by every stage (prefixes and suffixes can be huge: nothing here
// splits a whole text to look at a few lines).

/** Leading whitespace width; a tab counts as 4 columns so mixed files still compare sensibly. */
export function indentWidth(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width += 1;
    else if (ch === '\t') width += 4;
    else break;
  }
  return width;
}

/** True for an empty or whitespace-only string; stops at the first character that is not (suffixes are big). */
export function isBlank(line: string): boolean {
  return !/\S/.test(line);
}

/** The text of the cursor's line left of the cursor. */
export function linePrefixOf(prefix: string): string {
  return prefix.slice(prefix.lastIndexOf('\n') + 1);
}

/** The text of the cursor's line right of the cursor (the first line of the suffix). */
export function lineSuffixOf(suffix: string): string {
  const end = suffix.indexOf('\n');
  return end < 0 ? suffix : suffix.slice(0, end);
}

/** The first `count` lines of `text`, without reading the rest (suffixes can be huge). */
export function firstLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count && start <= text.length) {
    const end = text.indexOf('\n', start);
    if (end < 0) {
      lines.push(text.slice(start));
      break;
    }
    lines.push(text.slice(start, end));
    start = end + 1;
  }
  return lines;
}

/** The last `count` lines of `text` (the last one is the cursor's line), oldest first. */
export function lastLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let end = text.length;
  while (lines.length < count) {
    // At offset 0 the line before the first newline is the text's first line: nothing before it.
    const start = end === 0 ? -1 : text.lastIndexOf('\n', end - 1);
    lines.push(text.slice(start + 1, end));
    if (start < 0) break;
    end = start;
  }
  return lines.reverse();
}
