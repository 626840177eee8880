// Stage: a lone block header written at the indentation of the code right below the cursor. Models continue the
// level of the lines above (`            if n == 0:` after `            n -= 1`), but the line below the cursor is
// then no deeper than the header and cannot be its body: in an indentation language that is an error, and the one
// placement that makes the code below the header's body is the enclosing block's indentation. The header moves
// out to it (only where the cursor stands left of that indentation, since inserted text cannot remove any).
import { isIndentLanguage, stripLineComment } from '../text/code';
import { indentWidth, isBlank, lastLines, linePrefixOf, lineSuffixOf } from '../text/lines';
import { suffixCodeIndent } from './block';

export interface HeaderIndentInput {
  languageId: string;
  prefix: string;
  suffix: string;
}

const PREFIX_LINES = 200;

/** The completion's single line, a block header, moved out to the enclosing indentation; undefined when it does not apply. */
export function dedentLoneHeader(text: string, input: HeaderIndentInput): string | undefined {
  if (!isIndentLanguage(input.languageId)) return undefined;
  const linePrefix = linePrefixOf(input.prefix);
  if (!isBlank(linePrefix) || !isBlank(lineSuffixOf(input.suffix))) return undefined;
  const header = text.replace(/\s+$/, '');
  if (header.includes('\n') || isBlank(header) || !stripLineComment(header, true).trimEnd().endsWith(':')) return undefined;
  const body = suffixCodeIndent(input.suffix, true);
  if (body === undefined || indentWidth(linePrefix + header) < body) return undefined;
  // The nearest line above whose indentation is less than the code below's: the block that code is in.
  const enclosing = lastLines(input.prefix, PREFIX_LINES)
    .reverse()
    .find(line => !isBlank(line) && !line.trimStart().startsWith('#') && indentWidth(line) < body);
  if (enclosing === undefined) return undefined;
  const indentation = enclosing.slice(0, enclosing.length - enclosing.trimStart().length);
  if (!indentation.startsWith(linePrefix)) return undefined;
  return indentation.slice(linePrefix.length) + header.trimStart();
}
