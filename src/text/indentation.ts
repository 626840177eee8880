// How a piece of code is indented, guessed from its lines. One guess for the whole project: the
// post-processor follows it around the cursor, and Generate Function follows it over a whole file.

/** Tabs, or spaces `width` to a level. */
export interface IndentStyle {
  tabs: boolean;
  width: number;
}

/** How many columns a tab takes when a tab-indented file's level is measured in spaces. */
export const SPACES_PER_TAB = 4;

/**
 * Tabs when more indented lines start with a tab than with spaces; else spaces, as many a level as the most
 * common step from a line to a deeper next one (on a tie the smaller: a continuation line often indents two
 * levels at once; steps over 8 are alignment, not levels). Blank lines and block-comment ` * ` lines do not
 * count. Undefined when no line is indented: nothing to follow.
 */
export function guessIndentation(lines: Iterable<string>): IndentStyle | undefined {
  let tabLines = 0;
  let spaceLines = 0;
  const steps = new Map<number, number>();
  let previous: number | undefined;
  for (const line of lines) {
    if (!/\S/.test(line) || /^[ \t]*\*/.test(line)) continue;
    const lead = /^[ \t]*/.exec(line)![0];
    if (lead.startsWith('\t')) tabLines++;
    else if (lead.length >= 2) spaceLines++;
    const spaces = lead.includes('\t') ? undefined : lead.length;
    if (spaces !== undefined && previous !== undefined && spaces > previous && spaces - previous <= 8) {
      steps.set(spaces - previous, (steps.get(spaces - previous) ?? 0) + 1);
    }
    previous = spaces;
  }
  if (tabLines === 0 && spaceLines === 0) return undefined;
  if (tabLines > spaceLines) return { tabs: true, width: SPACES_PER_TAB };
  let width = 0;
  let seen = 0;
  for (const [step, count] of steps) {
    if (count > seen || (count === seen && step < width)) [width, seen] = [step, count];
  }
  return { tabs: false, width: width || 4 };
}
