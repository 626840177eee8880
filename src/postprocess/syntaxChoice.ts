// The cut at a line end that the syntax chooses: the longest candidate that leaves the file with no more parse
// errors than it had, judged with what a token limit left open closed when the output was cut short.
import type { PostprocessInput } from './types';
import type { EchoCut } from './echo';
import type { SpliceChecker } from './syntaxCheck';
import type { Rule } from './index';
import { isIndentLanguage, stripLineComment } from '../text/code';
import { finalizeWhitespace } from './whitespace';
import { isBlank, linePrefixOf, lineSuffixOf } from '../text/lines';

/** At most this many candidate cuts are parsed per suggestion (keeps p95 latency bounded). */
const MAX_SYNTAX_TRIALS = 8;

export interface CutCandidate {
  text: string;
  /** The candidate was cut at a line break, which may or may not belong to it. */
  atNewline: boolean;
}

export function withNewlineVariants(candidate: CutCandidate, input: PostprocessInput): string[] {
  if (!candidate.atNewline || isBlank(lineSuffixOf(input.suffix))) return [candidate.text];
  // The suffix continues the line: the model's line break either separates the completion from it (whole
  // lines inserted before existing code) or was the start of what we cut. The parse decides when it can;
  // on a tie, the break stays when whole lines are being inserted: the cursor is at column 0, or the rest
  // of the line starts with indentation (it is a line of its own, not the end of this one).
  const restIsLine = /^(?:\t| {2,})\S/.test(lineSuffixOf(input.suffix));
  const wholeLines = linePrefixOf(input.prefix) === '' || restIsLine;
  return wholeLines ? [candidate.text + '\n', candidate.text] : [candidate.text, candidate.text + '\n'];
}

/**
 * The longest cut at a line end that leaves the file with no more parse errors than it had (not run in prose,
 * an open docstring or block comment, where the parse says only that the string is open).
 */
export function syntaxCut(work: CutCandidate, input: PostprocessInput, options: { rules: Rule[]; check: SpliceChecker; truncated: boolean; alternative?: EchoCut }):
  'empty' | undefined {
  const { rules, check, alternative } = options;
  let chosen = chooseBySyntax(work, input, check);
  if (options.truncated && input.multiline !== false) {
    // A block the limit cut short is unclosed, so every long cut has parse errors: judge the lines with what
    // they left open closed, and keep the longer reading.
    const open = chooseTruncated(work, check, input);
    if (open !== undefined && (chosen === undefined || open.length > chosen.length)) chosen = open;
  }
  if (alternative && check.errorsWith(alternative.keep) < (chosen ? check.errorsWith(chosen) : check.baselineErrors + 1)) {
    rules.push(alternative.rule);
    work.text = alternative.keep;
  } else if (chosen === undefined) {
    rules.push('syntax-empty');
    return 'empty';
  } else {
    if (chosen !== work.text + (work.atNewline ? '\n' : '') && chosen !== work.text) rules.push('syntax-cut');
    work.text = chosen;
  }
  return undefined;
}

/**
 * The whole text, then its cuts at line ends, longest first, made one at a time: only the first few are ever
 * parsed, and building them all is quadratic in the output's length. Exported for tests.
 */
export function* cutsAtLineEnds(whole: CutCandidate, input: PostprocessInput): Generator<CutCandidate> {
  yield whole;
  // A last line of only indentation matters when the suffix continues that line; otherwise skip it.
  const lineContinues = !isBlank(lineSuffixOf(input.suffix));
  for (let lineEnd = whole.text.lastIndexOf('\n'); lineEnd > 0; lineEnd = whole.text.lastIndexOf('\n', lineEnd - 1)) {
    const line = whole.text.slice(whole.text.lastIndexOf('\n', lineEnd - 1) + 1, lineEnd);
    if (isBlank(line) && !(lineContinues && line !== '')) continue;
    yield { text: whole.text.slice(0, lineEnd), atNewline: true };
  }
}

/** The one single-line candidate among cutsAtLineEnds: the whole text when it is one line, else its first line. */
function singleLineCut(whole: CutCandidate): CutCandidate | undefined {
  const firstBreak = whole.text.indexOf('\n');
  const candidate = firstBreak < 0 ? whole : { text: whole.text.slice(0, firstBreak), atNewline: true };
  return isBlank(candidate.text) ? undefined : candidate;
}

/**
 * Picks, among the whole text and its cuts at line ends (longest first), the one whose splice has the
 * fewest parse errors, the longest on a tie; undefined when even that has more errors than prefix + suffix
 * alone (nothing useful is left). Stops at the first error-free splice.
 */
function chooseBySyntax(whole: CutCandidate, input: PostprocessInput, check: SpliceChecker): string | undefined {
  const limit = check.baselineErrors;
  let best: string | undefined;
  let bestErrors = Number.MAX_SAFE_INTEGER;
  let trials = 0;
  trial: for (const candidate of cutsAtLineEnds(whole, input)) {
    for (const raw of withNewlineVariants(candidate, input)) {
      if (trials++ >= MAX_SYNTAX_TRIALS) break trial;
      // Judge the text as it will be shown (trailing whitespace and blank lines already settled).
      const variant = finalizeWhitespace(raw, input.suffix);
      const errors = check.errorsWith(variant);
      if (input.multiline !== false && check.leavesEmptyBody(variant)) continue;
      if (errors < bestErrors) {
        best = variant;
        bestErrors = errors;
      }
    }
    if (bestErrors === 0) break;
  }
  if (bestErrors <= limit) return best;
  // Judged without the suffix, so only where the suffix does not continue the cursor's line.
  return isBlank(lineSuffixOf(input.suffix)) ? chooseOpenLine(singleLineCut(whole), input, check) : undefined;
}

/** The text's last line opens a block (`:` in Python, `{` elsewhere) whose body is not there. */
function endsWithBlockHeader(text: string, languageId: string): boolean {
  const last = stripLineComment(text.trimEnd().slice(text.trimEnd().lastIndexOf('\n') + 1), isIndentLanguage(languageId)).trimEnd();
  return isIndentLanguage(languageId) ? last.endsWith(':') : last.endsWith('{');
}

/**
 * Output stopped by the token limit: the longest cut at a line end (whole text first) that parses no worse than
 * the code before the cursor once what is open on both sides is closed. Undefined when none does.
 */
function chooseTruncated(whole: CutCandidate, check: SpliceChecker, input: PostprocessInput): string | undefined {
  const limit = check.errorsClosed('');
  const lines = whole.text.replace(/\n+$/, '').split('\n');
  let trials = 0;
  for (let end = lines.length; end >= 2 && trials < MAX_SYNTAX_TRIALS; end--) {
    if (isBlank(lines[end - 1])) continue;
    const variant = finalizeWhitespace(lines.slice(0, end).join('\n'), input.suffix);
    if (endsWithBlockHeader(variant, input.languageId)) continue;
    trials++;
    if (check.errorsClosed(variant) <= limit) return variant;
  }
  return undefined;
}

/**
 * When every cut parses worse than prefix + suffix alone: a single line that only leaves open what it
 * opened (a block header, an argument list continued on the next line) or continues what the prefix left
 * open is still a good suggestion. Judged on the code up to the cursor with what is open closed on both
 * sides (with and without the line), it parses no worse; garbage still does.
 */
function chooseOpenLine(candidate: CutCandidate | undefined, input: PostprocessInput, check: SpliceChecker): string | undefined {
  if (!candidate) return undefined;
  const limit = check.errorsClosed('');
  if (input.multiline !== false && endsWithBlockHeader(candidate.text, input.languageId)) return undefined;
  for (const raw of withNewlineVariants(candidate, input)) {
    const variant = finalizeWhitespace(raw, input.suffix);
    if (check.errorsClosed(variant) <= limit) return variant;
  }
  return undefined;
}

