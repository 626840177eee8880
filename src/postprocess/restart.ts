// Stage: the model restarted the definition the cursor is in. Base models sometimes answer a hole right after a
// function's header (and docstring) by writing that header again, then the docstring again, then the body; the
// repeated lines are code the document already has, so they go and what follows them is the suggestion.
import { isIndentLanguage } from '../text/code';
import { isBlank, lastLines, linePrefixOf } from '../text/lines';

const PREFIX_LINES = 200;
const PYTHON_DEFINITION = /^(?:async\s+def|def|class)\s+\w+/;
/** A brace-language line that opens a function or class body: a name and a parameter list or a type, then `{`. */
const BRACE_DEFINITION = /^[\w$<>[\],.\s@:]*\b[\w$]+\s*(?:\([^;]*\))?[^;=]*\{$/;

export interface RestartInput {
  languageId: string;
  prefix: string;
}

/**
 * The completion without a leading copy of an enclosing definition's header line and of the lines that followed it
 * above the cursor (compared without indentation and blank lines); undefined when it does not start that way.
 */
export function dropRestartedDefinition(text: string, input: RestartInput, options: { streaming?: boolean } = {}): string | undefined {
  if (!isBlank(linePrefixOf(input.prefix))) return undefined;
  const lines = text.split('\n');
  const first = lines.findIndex(line => !isBlank(line));
  if (first < 0) return undefined;
  const header = lines[first].trim();
  const definition = isIndentLanguage(input.languageId) ? PYTHON_DEFINITION : BRACE_DEFINITION;
  if (!definition.test(header)) return undefined;
  const above = lastLines(input.prefix, PREFIX_LINES);
  let at = -1;
  for (let i = above.length - 1; i >= 0; i--) {
    if (above[i].trim() === header) {
      at = i;
      break;
    }
  }
  if (at < 0) return undefined;
  // The header, then as many of the lines after it above the cursor as the output repeats, in order.
  const expected = above.slice(at + 1).map(line => line.trim()).filter(line => line !== '');
  let next = 0;
  let end = first + 1;
  let diverged = false;
  for (let i = first + 1; i < lines.length && next < expected.length; i++) {
    if (isBlank(lines[i])) continue;
    if (lines[i].trim() !== expected[next]) {
      diverged = true;
      break;
    }
    next++;
    end = i + 1;
  }
  // While streaming, a copy that has matched every line so far may still be on its way: nothing new yet.
  if (options.streaming && !diverged && next < expected.length) return '';
  // Only a header (Python's def or class), or the header and everything after it: a copy that stops part-way is not
  // a clean restart, and in brace languages a line like the header can be new code.
  const whole = next === expected.length && expected.length > 0;
  if (!whole && !(next === 0 && isIndentLanguage(input.languageId))) return undefined;
  while (end < lines.length && lines[end] === '') end++;
  return lines.slice(end).join('\n');
}
