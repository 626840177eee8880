// The post-processor: one chain of small pure stages that turns a raw model output into the suggestion.
// The provider and `cli.js postprocess` both use createPostprocessor(), so benchmarks measure exactly
// what users get.
//
//   chat artefacts -> (single-line mode: first line) -> a restarted definition -> scope exit (indentation: a new top-level item,
//   the end of an opened block) -> (on an empty line) the end of the first line's block, one definition ->
//   suffix echo / rest of line / closer collision / closing lines (each
//   checked against the parse) -> the cut at a line end with the fewest parse errors, longest on a tie,
//   no more errors than prefix + suffix alone -> trailing whitespace
//
// Parses run on a bounded window around the cursor (syntaxCheck.ts), so cost does not grow with the file.
import type { PostprocessInput, Postprocessor } from './types';
import { cutAtEndToken, stripChatArtefacts } from './artefacts';
import { findCloserCollision, findClosingLines, findRestOfLine, findSuffixEcho, type EchoCut } from './echo';
import { cutAtBlockEnd, type BlockCut } from './block';
import { dropRestartedDefinition } from './restart';
import { cutAtScopeExit } from './scope';
import { spliceChecker, type SpliceChecker } from './syntaxCheck';
import { insideProse, isIndentLanguage, stripLineComment } from '../text/code';
import { isBlank, linePrefixOf, lineSuffixOf } from '../text/lines';
import { bracketBalance } from './text';
import { finalizeWhitespace, keepFirstLine } from './whitespace';
import { followIndentation, indentationOf, lineEndingOf, stripUnsafeCharacters, toLf, withLineEnding, type LineEnding } from './documentStyle';

export type { PostprocessInput, Postprocessor } from './types';
export { stripChatArtefacts, cutAtEndToken, stripThinkBlocks, stripMarkdownFence } from './artefacts';
export { findSuffixEcho, findRestOfLine, findCloserCollision, findClosingLines, isEchoOfSuffix } from './echo';
export { cutAtScopeExit, scopeFloor, emptyBlockHeaderIndent } from './scope';
export { finalizeWhitespace, keepFirstLine } from './whitespace';

/** Which rules changed the text, in order; for tests, the streaming stop and debugging. */
export type Rule =
  | EchoCut['rule'] | BlockCut['rule'] | 'restart' | 'unsafe-characters' | 'indentation' | 'artefacts' | 'truncated' | 'scope-exit'
  | 'syntax-cut' | 'syntax-empty' | 'single-line';

export interface ProcessResult {
  completion: string;
  rules: Rule[];
  parses: number;
}

/** At most this many candidate cuts are parsed per suggestion (keeps p95 latency bounded). */
const MAX_SYNTAX_TRIALS = 8;

/**
 * The most output the rules look at: more lines than the largest token limit (infill.maxTokensMultiline allows
 * 4096) can produce, and a generous number of characters per token. Parses of long broken text are slow.
 */
export const MAX_OUTPUT_LINES = 4096;
export const MAX_OUTPUT_CHARS = 128 * 1024;

/** `text` up to the output bound (its first MAX_OUTPUT_LINES lines, at most MAX_OUTPUT_CHARS characters). */
function withinOutputBound(text: string): string {
  let end = Math.min(text.length, MAX_OUTPUT_CHARS);
  let lineEnd = -1;
  for (let lines = 0; lines < MAX_OUTPUT_LINES; lines++) {
    lineEnd = text.indexOf('\n', lineEnd + 1);
    if (lineEnd < 0 || lineEnd >= end) return text.slice(0, end);
  }
  return text.slice(0, Math.min(end, lineEnd + 1));
}

interface CutCandidate {
  text: string;
  /** The candidate was cut at a line break, which may or may not belong to it. */
  atNewline: boolean;
}

function withNewlineVariants(candidate: CutCandidate, input: PostprocessInput): string[] {
  if (!candidate.atNewline || isBlank(lineSuffixOf(input.suffix))) return [candidate.text];
  // The suffix continues the line: the model's line break either separates the completion from it (whole
  // lines inserted before existing code) or was the start of what we cut. The parse decides when it can;
  // on a tie, the break stays when whole lines are being inserted: the cursor is at column 0, or the rest
  // of the line starts with indentation (it is a line of its own, not the end of this one).
  const restIsLine = /^(?:\t| {2,})\S/.test(lineSuffixOf(input.suffix));
  const wholeLines = linePrefixOf(input.prefix) === '' || restIsLine;
  return wholeLines ? [candidate.text + '\n', candidate.text] : [candidate.text, candidate.text + '\n'];
}

/** A cut is safe when the splice parses no worse (or strictly better, for cuts that drop whole lines). */
async function cutIsSafe(cut: EchoCut, before: string, getChecker: () => Promise<SpliceChecker | undefined>): Promise<boolean> {
  const check = await getChecker();
  if (!check) {
    if (cut.mustImprove) return false;
    return bracketBalance(cut.keep).depth <= Math.max(0, bracketBalance(before).depth);
  }
  const after = check.errorsWith(cut.keep);
  const now = check.errorsWith(before);
  return cut.mustImprove ? after < now : after <= now;
}

/**
 * The input as the rules see it: LF line ends (whatever the document uses), no unsafe characters in the output,
 * and the output indented like the document. Also the document's line ending, for the way out.
 */
function prepare(input: PostprocessInput): { input: PostprocessInput; eol: LineEnding; rules: Rule[] } {
  const prefix = toLf(input.prefix);
  const suffix = toLf(input.suffix);
  const lf = toLf(input.output);
  const rules: Rule[] = [];
  let output = stripUnsafeCharacters(lf);
  if (output !== lf) rules.push('unsafe-characters');
  const indented = followIndentation(output, linePrefixOf(prefix), indentationOf(prefix, suffix));
  if (indented !== output) {
    rules.push('indentation');
    output = indented;
  }
  return { input: { ...input, prefix, suffix, output }, eol: lineEndingOf(input.prefix, input.suffix), rules };
}

export async function processDetailed(input: PostprocessInput): Promise<ProcessResult> {
  const prepared = prepare(input);
  const result = await processPrepared(prepared.input, prepared.rules);
  return { ...result, completion: withLineEnding(result.completion, prepared.eol) };
}

async function processPrepared(input: PostprocessInput, rules: Rule[]): Promise<ProcessResult> {
  let checker: SpliceChecker | undefined | null = null;
  const getChecker = async () => {
    if (checker === null) checker = await spliceChecker(input.languageId, input.prefix, input.suffix);
    return checker;
  };
  const done = (completion: string): ProcessResult => ({ completion, rules, parses: checker ? checker.parses : 0 });

  let text = stripChatArtefacts(input.output);
  if (text !== input.output) rules.push('artefacts');
  // Longer than any token limit allows: a server that ignored it. What is past the bound is dropped as if the
  // limit had cut it, so the rules below (and their parses) never see more than the bound.
  let truncated = input.truncated === true;
  const bounded = withinOutputBound(text);
  if (bounded !== text) {
    text = bounded;
    truncated = true;
    rules.push('truncated');
  }
  // Cut off by the token limit: the last line may end inside a word or a string. Only whole lines are kept.
  if (truncated && input.multiline !== false && text.includes('\n') && !text.endsWith('\n')) {
    text = text.slice(0, text.lastIndexOf('\n') + 1);
    if (!rules.includes('truncated')) rules.push('truncated');
  }
  // Only whitespace: worth keeping only as the indentation or separator of text that follows on the line.
  if (isBlank(text)) return done(input.multiline === false ? '' : finalizeWhitespace(text, input.suffix));
  let atNewline = false;

  // Single-line mode: only the first line can be shown, so only it goes through the rules.
  if (input.multiline === false) {
    const first = keepFirstLine(text, input.suffix, input.prefix);
    if (first !== text) {
      rules.push('single-line');
      atNewline = /\n$/.test(first) || (!first.includes('\n') && text.length > first.length);
      text = first.replace(/\n$/, '');
    }
  }

  // The model restarted the definition the cursor is in: the repeated lines go.
  if (input.multiline !== false) {
    const restarted = dropRestartedDefinition(text, input);
    if (restarted !== undefined) {
      rules.push('restart');
      text = restarted;
      if (isBlank(text)) return done('');
    }
  }

  // Leaving the cursor's scope (a new top-level item, a dedent below the enclosing definition).
  const scoped = cutAtScopeExit(text, input, { endWithOpenedBlock: input.multiline === true });
  if (scoped) {
    rules.push('scope-exit');
    text = scoped.keep;
    atNewline = scoped.atNewline;
  }

  // On an empty line: the block the first line is in ends the completion, and a definition is one item.
  if (input.multiline !== false) {
    const block = cutAtBlockEnd(text, input, { blockExit: input.multiline === true });
    if (block) {
      rules.push(block.rule);
      text = block.keep;
      atNewline = true;
    }
  }

  // Suffix duplication. Each rule's cut is kept only if it does not make the file parse worse.
  // A cut that drops whole lines on a weak match competes with the syntax cut below instead.
  let alternative: EchoCut | undefined;
  for (const find of [findSuffixEcho, findRestOfLine, findCloserCollision]) {
    const cut = find(text, input.suffix);
    if (!cut) continue;
    if (cut.mustImprove) {
      alternative ??= cut;
      continue;
    }
    if (!cut.confident && !(await cutIsSafe(cut, text, getChecker))) continue;
    rules.push(cut.rule);
    // A line break right before the echo is the model's own break before the suffix's text: it stays.
    text = cut.keep;
    atNewline = false;
    if (isBlank(text)) return done(finalizeWhitespace(text, input.suffix));
  }

  // Closing lines the suffix already has (checked, since an inner block's `}` looks the same).
  const closing = findClosingLines(text + (atNewline ? '\n' : ''), input.suffix, false);
  if (closing) {
    if (await cutIsSafe(closing, text + (atNewline ? '\n' : ''), getChecker)) {
      rules.push(closing.rule);
      text = closing.keep;
      atNewline = false;
      if (isBlank(text)) return done('');
    }
  }

  // The longest cut at a line end that leaves the file with no more parse errors than it had. Not in prose (an
  // open docstring or block comment): there the parse says nothing about the text, only that the string is open.
  const check = insideProse(input.prefix, input.languageId) ? undefined : await getChecker();
  if (check) {
    let chosen = chooseBySyntax({ text, atNewline }, input, check);
    if (truncated && input.multiline !== false) {
      // A block the limit cut short is unclosed, so every long cut has parse errors: judge the lines with what
      // they left open closed, and keep the longer reading.
      const open = chooseTruncated({ text, atNewline }, check, input);
      if (open !== undefined && (chosen === undefined || open.length > chosen.length)) chosen = open;
    }
    if (alternative && check.errorsWith(alternative.keep) < (chosen ? check.errorsWith(chosen) : check.baselineErrors + 1)) {
      rules.push(alternative.rule);
      text = alternative.keep;
    } else if (chosen === undefined) {
      rules.push('syntax-empty');
      return done('');
    } else {
      if (chosen !== text + (atNewline ? '\n' : '') && chosen !== text) rules.push('syntax-cut');
      text = chosen;
    }
  } else if (atNewline) {
    text = withNewlineVariants({ text, atNewline }, input)[0];
  }

  let completion = finalizeWhitespace(text, input.suffix);
  if (input.multiline === false) completion = keepFirstLine(completion, input.suffix, input.prefix);
  return done(completion);
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

/** Rules that cut text the model wrote past the suggestion's end: once one fires, the rest of the stream is not needed. */
const ENDING_RULES = new Set<Rule>(['suffix-echo', 'rest-of-line', 'closer-collision', 'closing-lines', 'scope-exit', 'block-exit', 'one-item']);

/** Streaming: has the output already gone past the end of the suggestion? */
export async function isCompleteOutput(raw: PostprocessInput): Promise<boolean> {
  const { input, rules } = prepare(raw);
  // The model emitted an end token: nothing after it belongs to the suggestion.
  if (cutAtEndToken(input.output).length < input.output.length) return true;
  const text = stripChatArtefacts(input.output);
  // Past the output bound nothing the server adds can change the suggestion: the rules never look there.
  if (withinOutputBound(text) !== text) return true;
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak < 0) return false;
  let completed = text.slice(0, lastBreak + 1);
  if (input.multiline === false) return !isBlank(completed);
  // A restarted definition (or one on its way) says nothing yet: the rules judge what follows the repeat.
  const restarted = dropRestartedDefinition(completed, input, { streaming: true });
  if (restarted !== undefined) completed = restarted;
  if (isBlank(completed)) return false;
  // Cheap text rules first: a confident echo of the suffix or a line past the scope has arrived.
  const echo = findSuffixEcho(completed, input.suffix);
  if (echo?.confident) return true;
  if (cutAtScopeExit(completed, input, { endWithOpenedBlock: input.multiline === true })) return true;
  if (cutAtBlockEnd(completed, input, { blockExit: input.multiline === true })) return true;
  // Then the full chain on the completed lines only (the caller only calls again when text grew; a new
  // line completing is what makes this worth a parse).
  const result = await processPrepared({ ...input, output: completed }, [...rules]);
  return result.rules.some(rule => ENDING_RULES.has(rule));
}

/** Memoizes isComplete per completed-lines state, so the parse runs once per new line, not per chunk. */
class DefaultPostprocessor implements Postprocessor {
  private last: { prefix: string; suffix: string; completed: string; multiline?: boolean; result: boolean } | undefined;

  async process(input: PostprocessInput): Promise<string> {
    return (await processDetailed(input)).completion;
  }

  async isComplete(input: PostprocessInput): Promise<boolean> {
    const lastBreak = input.output.lastIndexOf('\n');
    const completed = lastBreak < 0 ? '' : input.output.slice(0, lastBreak + 1);
    const last = this.last;
    if (last && last.prefix === input.prefix && last.suffix === input.suffix && last.completed === completed && last.multiline === input.multiline) {
      // Same complete lines as last time: only an end token in the new partial line can change the answer.
      if (last.result) return true;
      const tail = input.output.slice(completed.length);
      if (stripChatArtefacts(tail) === tail) return false;
    }
    const result = await isCompleteOutput(input);
    this.last = { prefix: input.prefix, suffix: input.suffix, completed, multiline: input.multiline, result };
    return result;
  }
}

export function createPostprocessor(): Postprocessor {
  return new DefaultPostprocessor();
}
