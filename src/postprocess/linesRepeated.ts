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
