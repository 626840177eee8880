// Stage: the model started by writing again the code right above the cursor (chat-tuned models restate the context
// before they answer). Those lines are already in the document: they go, and the rules judge what follows them.
import type { PostprocessInput } from './types';
import { isBlank, lastLines, linePrefixOf } from '../text/lines';
import { isClosingLine } from './text';

/** How far back a restatement may start. */
const ABOVE_LINES = 20;

export interface RepeatedLines {
  /** The output without the repeated lines (undefined while streaming when the repeat may still go on). */
  rest?: string;
}

/**
 * At the start of a line, the completion's first code lines equal, in order, the code lines that end right above the
 * cursor (same text, same indentation; a lone closing line is no evidence: `}` closes one block after another):
 * `rest` is what follows them. With `streaming`, lines that so far repeat a stretch above that has not yet reached
 * the cursor give a result without `rest` (wait for more). Undefined when the completion repeats nothing.
 */
export function dropRepeatedLinesAbove(text: string, input: PostprocessInput, options: { streaming?: boolean } = {}): RepeatedLines | undefined {
  const linePrefix = linePrefixOf(input.prefix);
  if (!isBlank(linePrefix)) return undefined;
  const above = lastLines(input.prefix, ABOVE_LINES + 1).slice(0, -1).filter(line => !isBlank(line)).map(line => line.trimEnd());
  const lines = text.split('\n');
  const code: number[] = [];
  for (let i = 0; i < lines.length && code.length < above.length; i++) if (!isBlank(lines[i])) code.push(i);
  const at = (i: number) => (i === 0 ? linePrefix + lines[0] : lines[i]).trimEnd();
  for (let k = Math.min(code.length, above.length); k >= 1; k--) {
    const tail = above.slice(above.length - k);
    if (!tail.every((line, j) => at(code[j]) === line)) continue;
    if (k === 1 && isClosingLine(tail[0])) return undefined;
    // The line break after the last repeated line goes with it.
    return { rest: lines.slice(code[k - 1] + 1).join('\n') };
  }
  if (!options.streaming || code.length === 0) return undefined;
  // Streaming: the lines so far repeat a stretch above that goes on towards the cursor.
  for (let start = 0; start + code.length < above.length; start++) {
    if (code.every((i, j) => at(i) === above[start + j])) return {};
  }
  return undefined;
}

/** Shorter code left of the cursor (`x`, `if`) may begin the model's own text by chance. */
const MIN_LINE_CODE = 4;

/**
 * Mid-line: the completion starts with the code left of the cursor on its line (the model wrote the line again from
 * its start, as chat-tuned models do): that text goes, and the rest continues the line. Undefined otherwise.
 */
export function dropRestatedLinePrefix(text: string, prefix: string): string | undefined {
  const linePrefix = linePrefixOf(prefix);
  const code = linePrefix.trim();
  if (code.length < MIN_LINE_CODE) return undefined;
  const start = text.length - text.trimStart().length;
  // Only a restatement of the whole line: at the output's start, or after the line's own indentation.
  if (start > 0 && text.slice(0, start) !== linePrefix.slice(0, linePrefix.length - linePrefix.trimStart().length)) return undefined;
  if (!text.startsWith(code, start)) return undefined;
  const rest = text.slice(start + code.length);
  // `result = ` + `result = f()`: the space the cursor already has is not written twice.
  return /\s$/.test(linePrefix) ? rest.replace(/^[^\S\n]+/, '') : rest;
}
