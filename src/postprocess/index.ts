// The post-processor: one chain of small pure stages that turns a raw model output into the suggestion.
// The provider and `cli.js postprocess` both use createPostprocessor(), so benchmarks measure exactly
// what users get.
//
//   chat artefacts -> (single-line mode: first line) -> a restarted definition -> the lines above written again -> scope exit (indentation: a new top-level item,
//   the end of an opened block) -> (on an empty line) the end of the first line's block, one definition, a lone
//   header moved out to own the code below -> suffix echo / the suffix's next two lines reached (one line at the
//   completion's block level in multi-line mode) / rest of line /
//   closer collision / closing lines (each
//   checked against the parse) -> the cut at a line end with the fewest parse errors, longest on a tie,
//   no more errors than prefix + suffix alone -> trailing whitespace
//
// Parses run on a bounded window around the cursor (syntaxCheck.ts), so cost does not grow with the file.
import type { PostprocessInput, Postprocessor } from './types';
import { cutAtEndToken, isChatPreamble, stripChatArtefacts } from './artefacts';
import { findCloserCollision, findClosingLines, findRestOfLine, findSuffixEcho, findSuffixLine, type EchoCut } from './echo';
import { cutAtBlockEnd, type BlockCut } from './block';
import { dropRestartedDefinition } from './restart';
import { dedentLoneHeader } from './headerIndent';
import { cutAtStatementEnd } from './statementEnd';
import { asLinesAbove } from './linesAbove';
import { dropRepeatedLinesAbove, dropRestatedLinePrefix } from './linesRepeated';
import { cutAtScopeExit } from './scope';
import { spliceChecker, type SpliceChecker } from './syntaxCheck';
import { syntaxCut, withNewlineVariants } from './syntaxChoice';
import { insideProse } from '../text/code';
import { isBlank, linePrefixOf } from '../text/lines';
import { bracketBalance } from './text';
import { finalizeWhitespace, keepFirstLine } from './whitespace';
import { followIndentation, indentationOf, lineEndingOf, stripUnsafeCharacters, toLf, withLineEnding, type LineEnding } from './documentStyle';

export type { PostprocessInput, Postprocessor } from './types';
export { stripChatArtefacts, cutAtEndToken, stripThinkBlocks, stripMarkdownFence } from './artefacts';
export { findSuffixEcho, findRestOfLine, findCloserCollision, findClosingLines, isEchoOfSuffix } from './echo';
export { cutAtScopeExit, scopeFloor, emptyBlockHeaderIndent } from './scope';
export { finalizeWhitespace, keepFirstLine } from './whitespace';
export { cutsAtLineEnds } from './syntaxChoice';

/** Which rules changed the text, in order; for tests, the streaming stop and debugging. */
export type Rule =
  | EchoCut['rule'] | BlockCut['rule'] | 'restart' | 'unsafe-characters' | 'indentation' | 'artefacts' | 'truncated' | 'scope-exit'
  | 'syntax-cut' | 'syntax-empty' | 'single-line' | 'header-dedent' | 'statement-end' | 'lines-above' | 'repeated-above';

export interface ProcessResult {
  completion: string;
  rules: Rule[];
  parses: number;
}

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

/**
 * A cut is safe when the splice parses no worse (without a grammar: opens no more brackets). Cuts that must
 * improve the parse never come here: they compete with the syntax cut (echoCuts).
 */
async function cutIsSafe(cut: EchoCut, before: string, getChecker: () => Promise<SpliceChecker | undefined>): Promise<boolean> {
  const check = await getChecker();
  if (!check) return bracketBalance(cut.keep).depth <= Math.max(0, bracketBalance(before).depth);
  return check.errorsWith(cut.keep) <= check.errorsWith(before);
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
  const above = asLinesAbove(prepared.input);
  if (above) prepared.rules.push('lines-above');
  const result = await processPrepared(above?.input ?? prepared.input, prepared.rules);
  const completion = above ? above.finish(result.completion) : result.completion;
  return { ...result, completion: withLineEnding(completion, prepared.eol) };
}

/** The parse check, made the first time a rule needs it (most outputs never do). */
function lazyChecker(input: PostprocessInput) {
  let checker: SpliceChecker | undefined | null = null;
  return {
    get: async (): Promise<SpliceChecker | undefined> => {
      if (checker === null) checker = await spliceChecker(input.languageId, input.prefix, input.suffix);
      return checker;
    },
    parses: (): number => (checker ? checker.parses : 0),
  };
}

/** The text being cut, and whether it stopped where the output had a line break. */
interface Working {
  text: string;
  atNewline: boolean;
}

/** The rule chain, top to bottom; each stage records the rules that fired. */
async function processPrepared(input: PostprocessInput, rules: Rule[]): Promise<ProcessResult> {
  const checks = lazyChecker(input);
  const done = (completion: string): ProcessResult => ({ completion, rules, parses: checks.parses() });
  const { text, truncated } = boundedOutput(input, rules);
  // Only whitespace: worth keeping only as the indentation or separator of text that follows on the line.
  if (isBlank(text)) return done(input.multiline === false ? '' : finalizeWhitespace(text, input.suffix));
  const work: Working = { text, atNewline: false };
  if (structuralCuts(work, input, rules) === 'empty') return done('');
  const echo = await echoCuts(work, input, rules, checks.get);
  if (echo.finished !== undefined) return done(echo.finished);
  const check = insideProse(input.prefix, input.languageId) ? undefined : await checks.get();
  if (check && syntaxCut(work, input, { rules, check, truncated, alternative: echo.alternative }) === 'empty') return done('');
  if (!check && work.atNewline) work.text = withNewlineVariants(work, input)[0];
  let completion = finalizeWhitespace(work.text, input.suffix);
  if (input.multiline === false) completion = keepFirstLine(completion, input.suffix, input.prefix);
  return done(completion);
}

/** Chat artefacts removed, and the output held to what a token limit allows (whole lines when it was cut). */
function boundedOutput(input: PostprocessInput, rules: Rule[]): { text: string; truncated: boolean } {
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
  return { text, truncated };
}

/** Cuts decided by the code's structure: the single line, a restarted definition, the scope, the block. */
function structuralCuts(work: Working, input: PostprocessInput, rules: Rule[]): 'empty' | undefined {
  // The model wrote the cursor's line again from its start: the code already there goes.
  const restated = dropRestatedLinePrefix(work.text, input.prefix);
  if (restated !== undefined) {
    rules.push('repeated-above');
    work.text = restated;
    if (isBlank(work.text)) return 'empty';
  }
  // Single-line mode: only the first line can be shown, so only it goes through the rules.
  if (input.multiline === false) {
    const first = keepFirstLine(work.text, input.suffix, input.prefix);
    if (first !== work.text) {
      rules.push('single-line');
      work.atNewline = /\n$/.test(first) || (!first.includes('\n') && work.text.length > first.length);
      work.text = first.replace(/\n$/, '');
    }
  }
  // The model restarted the definition the cursor is in: the repeated lines go.
  if (input.multiline !== false) {
    const restarted = dropRestartedDefinition(work.text, input);
    if (restarted !== undefined) {
      rules.push('restart');
      work.text = restarted;
      if (isBlank(work.text)) return 'empty';
    }
  }
  // The model wrote the code right above the cursor again: those lines go.
  if (input.multiline !== false) {
    const repeated = dropRepeatedLinesAbove(work.text, input)?.rest;
    if (repeated !== undefined) {
      rules.push('repeated-above');
      work.text = repeated;
      if (isBlank(work.text)) return 'empty';
    }
  }
  // Inside brackets the cursor's line left open: the expression ends where they close. Only in the editor's
  // multi-line mode, which asks for several lines there; without the decision, what parses is kept.
  if (input.multiline === true) {
    const statement = cutAtStatementEnd(work.text, input);
    if (statement !== undefined) {
      rules.push('statement-end');
      work.text = statement;
      work.atNewline = true;
    }
  }
  // Leaving the cursor's scope (a new top-level item, a dedent below the enclosing definition).
  const scoped = cutAtScopeExit(work.text, input, { endWithOpenedBlock: input.multiline === true });
  if (scoped) {
    rules.push('scope-exit');
    work.text = scoped.keep;
    work.atNewline = scoped.atNewline;
  }
  // On an empty line: the block the first line is in ends the completion, and a definition is one item.
  if (input.multiline !== false) {
    const block = cutAtBlockEnd(work.text, input, { blockExit: input.multiline === true });
    if (block) {
      rules.push(block.rule);
      work.text = block.keep;
      work.atNewline = true;
    }
    // A lone header at the indentation of the code below: out to the enclosing block, which makes that code its body.
    const dedented = dedentLoneHeader(work.text, input);
    if (dedented !== undefined) {
      rules.push('header-dedent');
      work.text = dedented;
    }
  }
  return undefined;
}

/**
 * Suffix duplication, then closing lines the suffix already has. Each cut is kept only if it does not make the
 * file parse worse; a cut that drops whole lines on a weak match is returned to compete with the syntax cut.
 * `finished` is the completion when a cut left nothing more to decide.
 */
async function echoCuts(work: Working, input: PostprocessInput, rules: Rule[], getChecker: () => Promise<SpliceChecker | undefined>):
  Promise<{ finished?: string; alternative?: EchoCut }> {
  let alternative: EchoCut | undefined;
  const linePrefix = linePrefixOf(input.prefix);
  // In the editor's multi-line mode one line at the completion's block level is enough (findSuffixLine).
  const reachedSuffix = (text: string, suffix: string) => findSuffixLine(text, suffix, linePrefix, { blockLevel: input.multiline === true });
  for (const find of [findSuffixEcho, reachedSuffix, findRestOfLine, findCloserCollision]) {
    const cut = find(work.text, input.suffix);
    if (!cut) continue;
    if (cut.mustImprove) {
      alternative ??= cut;
      continue;
    }
    if (!cut.confident && !(await cutIsSafe(cut, work.text, getChecker))) continue;
    rules.push(cut.rule);
    // A line break right before the echo is the model's own break before the suffix's text: it stays.
    work.text = cut.keep;
    work.atNewline = false;
    if (isBlank(work.text)) return { finished: finalizeWhitespace(work.text, input.suffix) };
  }
  // Closing lines the suffix already has (checked, since an inner block's `}` looks the same).
  const withBreak = work.text + (work.atNewline ? '\n' : '');
  const closing = findClosingLines(withBreak, input.suffix, false);
  if (closing && await cutIsSafe(closing, withBreak, getChecker)) {
    rules.push(closing.rule);
    work.text = closing.keep;
    work.atNewline = false;
    if (isBlank(work.text)) return { finished: '' };
  }
  return { alternative };
}

/** Rules that cut text the model wrote past the suggestion's end: once one fires, the rest of the stream is not needed. */
const ENDING_RULES = new Set<Rule>(['statement-end', 'suffix-echo', 'rest-of-line', 'closer-collision', 'closing-lines', 'scope-exit', 'block-exit', 'one-item']);

/** Streaming: has the output already gone past the end of the suggestion? */
export async function isCompleteOutput(raw: PostprocessInput): Promise<boolean> {
  const prepared = prepare(raw);
  const { rules } = prepared;
  const input = asLinesAbove(prepared.input)?.input ?? prepared.input;
  // The model emitted an end token: nothing after it belongs to the suggestion.
  if (cutAtEndToken(input.output).length < input.output.length) return true;
  const text = stripChatArtefacts(input.output);
  // Past the output bound nothing the server adds can change the suggestion: the rules never look there.
  if (withinOutputBound(text) !== text) return true;
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak < 0) return false;
  let completed = text.slice(0, lastBreak + 1);
  completed = dropRestatedLinePrefix(completed, input.prefix) ?? completed;
  // A chat model's sentence before its code: the fence that follows says where the code is.
  if (isChatPreamble(completed)) return false;
  if (input.multiline === false) return !isBlank(completed);
  // A restarted definition (or one on its way) says nothing yet: the rules judge what follows the repeat.
  const restarted = dropRestartedDefinition(completed, input, { streaming: true });
  if (restarted !== undefined) completed = restarted;
  // So do lines that repeat the code above the cursor, or may still be on their way to it.
  const repeated = dropRepeatedLinesAbove(completed, input, { streaming: true });
  if (repeated) {
    if (repeated.rest === undefined) return false;
    completed = repeated.rest;
  }
  if (isBlank(completed)) return false;
  // Cheap text rules first: a confident echo of the suffix or a line past the scope has arrived.
  const echo = findSuffixEcho(completed, input.suffix);
  if (echo?.confident) return true;
  if (input.multiline === true && cutAtStatementEnd(completed, input) !== undefined) return true;
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
