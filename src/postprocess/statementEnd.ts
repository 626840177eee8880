// Stage: the cursor is inside brackets its line opened and left open (`print(`, `items = [`), where the editor asks
// for several lines because the expression may go on over them (decisions/multiline.ts). The expression, and with
// it the suggestion, ends on the line where those brackets close: what the model writes after that is the next
// statement, which the user did not start.
import { isBlank, linePrefixOf, lineSuffixOf } from '../text/lines';
import { BracketScan, bracketBalance, closersIn } from './text';

export interface StatementEndInput {
  prefix: string;
  suffix: string;
}

/** The completion up to the end of the line where the cursor line's open brackets close; undefined when it does not apply. */
export function cutAtStatementEnd(text: string, input: StatementEndInput): string | undefined {
  const linePrefix = linePrefixOf(input.prefix);
  if (isBlank(linePrefix)) return undefined;
  const open = bracketBalance(linePrefix).depth;
  const closedAfter = closersIn(lineSuffixOf(input.suffix));
  if (open <= closedAfter) return undefined;
  // One pass over the cursor's line and the completion, so strings and comments that started before the cursor count.
  const whole = linePrefix + text;
  const scan = new BracketScan();
  for (let i = 0; i < whole.length; i++) {
    if (whole[i] === '\n' && i > linePrefix.length && scan.depth <= closedAfter) {
      const end = i - linePrefix.length;
      return end < text.length ? text.slice(0, end) : undefined;
    }
    scan.step(whole, i);
  }
  return undefined;
}
