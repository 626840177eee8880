// Stage: at the start of a line of code (only indentation left of the cursor, code right of it), a suggestion of
// whole lines goes above that code. The rules judge it as written on an empty line right above the code (the
// layout they know best: the block the first line picks, the code below reached, the parse), and the suggestion
// then ends with the line break and indentation that keep the code on its own line.
import type { PostprocessInput } from './types';
import { isBlank, linePrefixOf, lineSuffixOf } from '../text/lines';

export interface LinesAbove {
  /** The same request with the cursor on an empty line above the code. */
  input: PostprocessInput;
  /** The suggestion for the real cursor: the lines, then the break and indentation before the code. */
  finish(completion: string): string;
}

/**
 * Defined in the editor's multi-line mode when the cursor is at the start of a line of code and the model wrote
 * a line break (whole lines); text on the cursor's line alone is inserted there as it is.
 */
export function asLinesAbove(input: PostprocessInput): LinesAbove | undefined {
  if (input.multiline !== true || !input.output.includes('\n')) return undefined;
  const linePrefix = linePrefixOf(input.prefix);
  if (!isBlank(linePrefix) || isBlank(lineSuffixOf(input.suffix))) return undefined;
  return {
    input: { ...input, suffix: '\n' + linePrefix + input.suffix },
    finish: completion => (isBlank(completion) ? '' : completion.replace(/\s+$/, '') + '\n' + linePrefix),
  };
}
