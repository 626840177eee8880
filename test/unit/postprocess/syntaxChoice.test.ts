// The cut the syntax chooses (syntaxChoice.ts), judged with a scripted checker: each test says how many parse
// errors each candidate has, so the choice itself (order, ties, trial limits, truncated outputs) is what is tested.
import * as assert from 'assert';
import type { Rule } from '../../../src/postprocess';
import type { SpliceChecker } from '../../../src/postprocess/syntaxCheck';
import { cutsAtLineEnds, syntaxCut, type CutCandidate } from '../../../src/postprocess/syntaxChoice';
import type { PostprocessInput } from '../../../src/postprocess/types';
import type { EchoCut } from '../../../src/postprocess/echo';

interface Script {
  /** Errors of the splice with this completion (default `others`, else 0). */
  errors?: Record<string, number>;
  others?: number;
  baseline?: number;
  /** Errors of the code up to the cursor with this completion, closed (default 5; '' is the limit). */
  closed?: Record<string, number>;
  emptyBody?: (text: string) => boolean;
}

function scripted(script: Script): { check: SpliceChecker; judged: string[] } {
  const judged: string[] = [];
  const check: SpliceChecker = {
    baselineErrors: script.baseline ?? 0,
    parses: 0,
    errorsWith: text => {
      judged.push(text);
      return script.errors?.[text] ?? script.others ?? 0;
    },
    leavesEmptyBody: text => script.emptyBody?.(text) ?? false,
    errorsClosed: text => script.closed?.[text] ?? 5,
  };
  return { check, judged };
}

function input(suffix = '', extra: Partial<PostprocessInput> = {}): PostprocessInput {
  return { languageId: 'typescript', prefix: 'x = ', suffix, output: '', multiline: true, ...extra };
}

function cut(text: string, script: Script, options: { input?: PostprocessInput; truncated?: boolean; atNewline?: boolean; alternative?: EchoCut } = {}) {
  const { check, judged } = scripted(script);
  const work: CutCandidate = { text, atNewline: options.atNewline ?? false };
  const rules: Rule[] = [];
  const outcome = syntaxCut(work, options.input ?? input(), { rules, check, truncated: options.truncated ?? false, alternative: options.alternative });
  return { text: outcome === 'empty' ? undefined : work.text, rules, judged };
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}`).join('\n');

describe('postprocess/syntaxChoice: cuts at line ends', () => {
  it('yields the whole text, then each cut before a line break, longest first, skipping blank lines', () => {
    const cuts = [...cutsAtLineEnds({ text: 'a\n  \nb\n\nc', atNewline: false }, input())];
    assert.deepStrictEqual(cuts, [
      { text: 'a\n  \nb\n\nc', atNewline: false },
      { text: 'a\n  \nb', atNewline: true },
      { text: 'a', atNewline: true },
    ]);
  });

  it('keeps a line of indentation when the suffix continues the cursor\'s line (still not an empty line)', () => {
    const cuts = [...cutsAtLineEnds({ text: 'a\n  \nb\n\nc', atNewline: false }, input('x'))].map(c => c.text);
    assert.deepStrictEqual(cuts, ['a\n  \nb\n\nc', 'a\n  \nb', 'a\n  ', 'a']);
  });

  it('a text that starts with a line break has no cut before it', () => {
    assert.deepStrictEqual([...cutsAtLineEnds({ text: '\nb', atNewline: false }, input())].map(c => c.text), ['\nb']);
  });
});

describe('postprocess/syntaxChoice: the syntax cut', () => {
  it('keeps a whole text that parses, judged once, with no syntax-cut rule', () => {
    const result = cut('a\nb', {});
    assert.strictEqual(result.text, 'a\nb');
    assert.deepStrictEqual(result.rules, []);
    assert.deepStrictEqual(result.judged, ['a\nb'], 'stops at the first error-free splice');
  });

  it('the longest cut with the fewest errors wins, and says so', () => {
    const result = cut('a\nb\nc', { errors: { 'a\nb\nc': 2, 'a\nb': 1, a: 1 }, baseline: 1 });
    assert.strictEqual(result.text, 'a\nb');
    assert.deepStrictEqual(result.rules, ['syntax-cut']);
  });

  it('the model\'s line break kept before a suffix that continues the line is no cut', () => {
    const result = cut('a', {}, { input: input('foo()\n', { prefix: 'x\n' }), atNewline: true });
    assert.strictEqual(result.text, 'a\n');
    assert.deepStrictEqual(result.rules, []);
  });

  it('parses at most 8 candidates', () => {
    const result = cut(lines(10), { baseline: 1, ...allErrors(lines(10), 1, ['l1\nl2']) });
    assert.strictEqual(result.judged.length, 8);
    assert.strictEqual(result.text, lines(10), 'the 2-line cut (9th) is never judged: the whole text, first on a tie');
  });

  it('in multi-line mode a cut that writes a header without its body is never chosen', () => {
    const emptyBody = (t: string) => t.endsWith('{');
    assert.strictEqual(cut('a\nb {', { emptyBody }).text, 'a');
    assert.strictEqual(cut('a\nb {', { emptyBody }, { input: input('', { multiline: false }) }).text, 'a\nb {');
    assert.strictEqual(cut('a\nb {', { emptyBody }, { input: input('', { multiline: undefined }) }).text, 'a');
  });

  it('when every cut parses worse: the first line alone if it only leaves open what it opened', () => {
    const worse = { others: 3, baseline: 0 };
    assert.strictEqual(cut('a\nb', { ...worse, closed: { '': 1, a: 1 } }).text, 'a');
    assert.strictEqual(cut('a\nb', { ...worse, closed: { '': 1, a: 2, 'a\nb': 0 } }).text, undefined);
    assert.deepStrictEqual(cut('a\nb', { ...worse, closed: { '': 1, a: 2 } }).rules, ['syntax-empty']);
    // Never when the suffix continues the line (the closed reading ignores the suffix).
    assert.strictEqual(cut('a\nb', { ...worse, closed: { '': 1, a: 1 } }, { input: input('z') }).text, undefined);
  });

  it('a first line that is empty or a block header with no body below is no single-line fallback', () => {
    assert.strictEqual(cut('\nb', { errors: { '\nb': 3 }, closed: { '': 1, '\nb': 1 } }).text, undefined);
    assert.strictEqual(cut('b {', { errors: { 'b {': 3 }, closed: { '': 1, 'b {': 1 } }).text, undefined);
    assert.strictEqual(cut('b {', { errors: { 'b {': 3 }, closed: { '': 1, 'b {': 1 } }, { input: input('', { multiline: false }) }).text, 'b {');
  });
});

/** Script entries giving every cut of `text` `n` errors except those listed. */
function allErrors(text: string, n: number, except: string[]): { errors: Record<string, number> } {
  const errors: Record<string, number> = {};
  const parts = text.split('\n');
  for (let end = 1; end <= parts.length; end++) {
    const t = parts.slice(0, end).join('\n');
    errors[t] = except.includes(t) ? 0 : n;
  }
  return { errors };
}

describe('postprocess/syntaxChoice: an alternative echo cut', () => {
  const alternative: EchoCut = { keep: 'alt', rule: 'closer-collision', confident: false, mustImprove: true };

  it('wins only with strictly fewer errors than the syntax\'s choice', () => {
    const better = cut('a\nb', { errors: { 'a\nb': 1, a: 1, alt: 0 }, baseline: 1 }, { alternative });
    assert.strictEqual(better.text, 'alt');
    assert.deepStrictEqual(better.rules, ['closer-collision']);
    const tie = cut('a\nb', { errors: { 'a\nb': 1, a: 1, alt: 1 }, baseline: 1 }, { alternative });
    assert.strictEqual(tie.text, 'a\nb');
    assert.deepStrictEqual(tie.rules, []);
  });

  it('with no syntax choice, it wins when it parses no worse than prefix + suffix alone', () => {
    const worse = { 'a\nb': 3, a: 3 };
    assert.strictEqual(cut('a\nb', { errors: { ...worse, alt: 1 }, others: 3, baseline: 1 }, { alternative, input: input('z') }).text, 'alt');
    assert.strictEqual(cut('a\nb', { errors: { ...worse, alt: 2 }, others: 3, baseline: 1 }, { alternative, input: input('z') }).text, undefined);
  });
});

describe('postprocess/syntaxChoice: output cut by the token limit', () => {
  const truncated = true;

  it('the longest cut that parses no worse once closed, when it is longer than the syntax\'s choice', () => {
    const script = { errors: { 'a\nb\nc': 3, 'a\nb': 2, a: 0 }, closed: { '': 1, 'a\nb\nc': 1, 'a\nb': 0, a: 0 } };
    assert.strictEqual(cut('a\nb\nc', script, { truncated }).text, 'a\nb\nc');
    assert.strictEqual(cut('a\nb\nc', script).text, 'a', 'not truncated: the syntax alone');
    assert.strictEqual(cut('a\nb\nc', script, { truncated, input: input('', { multiline: false }) }).text, 'a', 'single-line mode: the syntax alone');
  });

  it('no truncated reading parses: the syntax\'s choice stands', () => {
    assert.strictEqual(cut('a\nb', { closed: { '': 0 } }, { truncated }).text, 'a\nb');
    const script = { errors: { 'a\nb\nc': 3, 'a\nb': 2, a: 0 }, closed: { '': 0, 'a\nb\nc': 3, 'a\nb': 3 } };
    assert.strictEqual(cut('a\nb\nc', script, { truncated }).text, 'a', 'more errors than the code before the cursor');
    assert.strictEqual(cut('a\nb\nc', { closed: { '': 0, 'a\nb': 0 } }, { truncated }).text, 'a\nb\nc', 'a shorter truncated reading does not replace a longer choice');
  });

  it('a two-line cut is the shortest truncated reading (one line is the syntax\'s business)', () => {
    const worse = { others: 3 };
    assert.strictEqual(cut('a\nb', { ...worse, closed: { '': 0, 'a\nb': 0 } }, { truncated, input: input('z') }).text, 'a\nb');
    assert.strictEqual(cut('a\nb', { ...worse, closed: { '': 0, a: 0 } }, { truncated, input: input('z') }).text, undefined);
  });

  it('tries at most 8 cuts, blank lines not counted', () => {
    const text = lines(12);
    const fourLines = lines(4);
    const worse = { others: 3 };
    assert.strictEqual(cut(text, { ...worse, closed: { '': 0, [lines(5)]: 0 } }, { truncated, input: input('z') }).text, lines(5));
    assert.strictEqual(cut(text, { ...worse, closed: { '': 0, [fourLines]: 0 } }, { truncated, input: input('z') }).text, undefined);
    const gapped = 'l1\nl2\nl3\n\n\n\nl4\nl5\nl6\nl7\nl8';
    const gappedWorse = { others: 3 };
    assert.strictEqual(cut(gapped, { ...gappedWorse, closed: { '': 0, 'l1\nl2\nl3': 0 } }, { truncated, input: input('z') }).text, 'l1\nl2\nl3');
  });

  it('never ends on a block header whose body is not there', () => {
    const text = 'a\nb\nc {\nd';
    const script = { others: 3, closed: { '': 0, 'a\nb\nc {': 0, 'a\nb': 0 } };
    assert.strictEqual(cut(text, script, { truncated, input: input('z') }).text, 'a\nb');
    const indented = '        a\n        b\nc {\nd';
    const indentedScript = { others: 3, closed: { '': 0, '        a\n        b\nc {': 0, '        a\n        b': 0 } };
    assert.strictEqual(cut(indented, indentedScript, { truncated, input: input('z') }).text, '        a\n        b');
    const python = 'a\nif b:  # why\nc';
    const pythonScript = { others: 3, closed: { '': 0, 'a\nif b:  # why': 0 } };
    assert.strictEqual(cut(python, pythonScript, { truncated, input: input('z', { languageId: 'python' }) }).text, undefined);
    const pythonBody = 'a\nb\nc';
    const bodyScript = { others: 3, closed: { '': 0, 'a\nb': 0 } };
    assert.strictEqual(cut(pythonBody, bodyScript, { truncated, input: input('z', { languageId: 'python' }) }).text, 'a\nb');
  });
});
