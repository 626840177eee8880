// Long outputs: every stage reads the output in one pass (time linear in its length), and the rules never look
// past the output bound. A server that ignores the token limit used to make the post-processor quadratic
// (16k lines took seconds; a 10k-line indented output exhausted a 4 GB heap).
//
// Work is counted, not timed: every string and array a stage copies (slice, split, join, substring) is added up,
// and a stage that copies more than a few times the output's length fails at once (the old quadratic stages
// copied the rest of the output once per line, and would have run for hours here). Speed figures are in
// bench/ (npm run bench:postprocess-speed -- --long).
import * as assert from 'assert';
import { stripChatArtefacts } from '../../../src/postprocess/artefacts';
import { findCloserCollision, findClosingLines, findRestOfLine, findSuffixEcho } from '../../../src/postprocess/echo';
import { cutAtScopeExit } from '../../../src/postprocess/scope';
import { finalizeWhitespace, keepFirstLine } from '../../../src/postprocess/whitespace';
import { createPostprocessor, cutsAtLineEnds, MAX_OUTPUT_CHARS, MAX_OUTPUT_LINES, processDetailed } from '../../../src/postprocess';

const LINES = 100_000;

/**
 * Runs `work` counting the characters and elements copied by slice/split/join/substring; throws as soon as
 * the count passes `budget`. The built-ins are restored afterwards.
 */
async function withCopyBudget<T>(budget: number, work: () => T | Promise<T>): Promise<T> {
  const originals = {
    slice: String.prototype.slice,
    substring: String.prototype.substring,
    split: String.prototype.split,
    arraySlice: Array.prototype.slice,
    join: Array.prototype.join,
  };
  let copied = 0;
  const count = (n: number) => {
    copied += n;
    if (copied > budget) throw new Error(`copied more than ${budget} characters/elements: not one pass`);
  };
  String.prototype.slice = function (this: string, ...args: [number?, number?]) {
    const result = originals.slice.apply(this, args);
    count(result.length);
    return result;
  };
  String.prototype.substring = function (this: string, ...args: [number, number?]) {
    const result = originals.substring.apply(this, args);
    count(result.length);
    return result;
  };
  String.prototype.split = function (this: string, ...args: unknown[]) {
    count(this.length);
    return (originals.split as (...a: unknown[]) => string[]).apply(this, args);
  } as typeof String.prototype.split;
  Array.prototype.slice = function (this: unknown[], ...args: [number?, number?]) {
    const result = originals.arraySlice.apply(this, args);
    count(result.length);
    return result;
  };
  Array.prototype.join = function (this: unknown[], separator?: string) {
    const result = originals.join.call(this, separator);
    count(result.length);
    return result;
  };
  try {
    return await work();
  } finally {
    String.prototype.slice = originals.slice;
    String.prototype.substring = originals.substring;
    String.prototype.split = originals.split;
    Array.prototype.slice = originals.arraySlice;
    Array.prototype.join = originals.join;
  }
}

/** A budget of `times` copies of the output (the rules copy it a bounded number of times). */
const copies = (text: string, times = 20) => text.length * times + 100_000;

function lines(count: number, line: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => line(i)).join('\n');
}

describe('postprocess: 100k-line outputs in one pass', function () {
  this.timeout(30_000);

  it('suffix echo: a candidate on every line is judged by what matches, not by what follows', async () => {
    const body = lines(LINES, () => '    x += 1');
    const output = `${body}\n    return x\n`;
    const cut = await withCopyBudget(copies(output), () => findSuffixEcho(output, '\n    return x\n'));
    assert.ok(cut?.keep === body);
    assert.strictEqual(await withCopyBudget(copies(output), () => findSuffixEcho(`${body}\n`, '\n    return x\n')), undefined);
  });

  it('rest of line: every occurrence is checked on its own line only', async () => {
    const body = 'a\n' + lines(LINES, () => '  a) b');
    const output = `${body}\n  b)\nc`;
    const cut = await withCopyBudget(copies(output), () => findRestOfLine(output, ')\n'));
    assert.ok(cut?.keep === `${body}\n  b`);
    assert.strictEqual(cut?.mustImprove, true);
  });

  it('closer collision: the bracket balance is kept as the scan goes', async () => {
    const body = 'h(\n' + lines(LINES, () => '  g(x),');
    const output = `${body}\n))`;
    const cut = await withCopyBudget(copies(output), () => findCloserCollision(output, ')\n'));
    assert.ok(cut?.keep === `${body}\n)`);
  });

  it('closing lines: only as many as the suffix has are compared', async () => {
    const output = 'x;\n' + lines(LINES, () => '}');
    const cut = await withCopyBudget(copies(output), () => findClosingLines(output, '\n}\n', false));
    assert.ok(cut?.keep === 'x;\n' + lines(LINES - 1, () => '}') + '\n');
  });

  it('scope exit, artefacts, whitespace and the first line', async () => {
    const body = lines(LINES, i => (i % 3 === 0 ? `    if x > ${i}:` : `        y = ${i}`)).trimStart();
    const output = `${body}\nprint(1)\n`;
    const cut = await withCopyBudget(copies(output), () => cutAtScopeExit(output, { languageId: 'python', prefix: 'def f(x):\n    ', suffix: '\n' }));
    assert.ok(cut?.keep === body && cut.atNewline);
    const thinking = lines(LINES, () => '<think>a');
    assert.strictEqual(await withCopyBudget(copies(thinking), () => stripChatArtefacts(thinking)), '');
    const thought = lines(LINES, () => '<think>a</think>') + 'b';
    assert.strictEqual(await withCopyBudget(copies(thought), () => stripChatArtefacts(thought)), 'b');
    const spaced = lines(LINES, () => 'a  ');
    assert.strictEqual((await withCopyBudget(copies(spaced), () => finalizeWhitespace(spaced, '\n'))).length, LINES * 2 - 1);
    assert.strictEqual(await withCopyBudget(copies(body), () => keepFirstLine(body, '\n', '')), 'if x > 0:');
  });

  it('syntax candidates are made one at a time (only the first few are ever parsed)', async () => {
    const whole = { text: lines(LINES, i => `    y = ${i}`), atNewline: false };
    const taken = await withCopyBudget(copies(whole.text, 10), () => {
      const texts: string[] = [];
      for (const candidate of cutsAtLineEnds(whole, { languageId: 'python', prefix: '', suffix: '\n', output: '' })) {
        texts.push(candidate.text);
        if (texts.length === 8) break;
      }
      return texts;
    });
    assert.ok(taken[0] === whole.text);
    assert.ok(taken[7] === lines(LINES - 7, i => `    y = ${i}`));
  });

  it('the copy budget catches a stage that copies the rest of the output per line', async () => {
    const output = lines(LINES, () => 'x');
    await assert.rejects(withCopyBudget(copies(output), () => {
      for (let p = output.indexOf('\n'); p >= 0; p = output.indexOf('\n', p + 1)) output.slice(p);
    }), /not one pass/);
  });
});

describe('postprocess: the output bound', function () {
  this.timeout(30_000);

  it('a 100k-line body is judged on its first lines only, with a bounded number of parses', async () => {
    const body = lines(LINES, i => `    total += ${i}`);
    const input = { languageId: 'python', prefix: 'def f():\n    total = 0\n    ', suffix: '\n    return total\n', output: body.trimStart(), multiline: true };
    const result = await withCopyBudget(copies(body), () => processDetailed(input));
    assert.ok(result.completion === lines(MAX_OUTPUT_LINES, i => `    total += ${i}`).trimStart());
    assert.deepStrictEqual(result.rules, ['truncated', 'syntax-cut']);
    assert.ok(result.parses <= 20, `${result.parses} parses`);
  });

  it('the stream is complete once it passes the bound (nothing after it can change the suggestion)', async () => {
    const input = { languageId: 'python', prefix: 'def f():\n    total = 0\n    ', suffix: '\n    return total\n', multiline: true };
    const postprocessor = createPostprocessor();
    const within = lines(MAX_OUTPUT_LINES - 1, i => `    total += ${i}`).trimStart() + '\n';
    assert.strictEqual(await postprocessor.isComplete({ ...input, output: within }), false);
    const past = within + '    total += 1\n    total';
    assert.strictEqual(await postprocessor.isComplete({ ...input, output: past }), true);
    assert.strictEqual(await postprocessor.process({ ...input, output: past }), await postprocessor.process({ ...input, output: past + ' += 2\n' + within }));
    assert.strictEqual(await postprocessor.isComplete({ ...input, output: 'x'.repeat(MAX_OUTPUT_CHARS + 1) }), true);
  });

  it('one word as long as the character bound, in multi-line mode after an open bracket, in every brace language', async () => {
    // The restart rule's header pattern took 7 s on this (quadratic backtracking) before its length guard; the
    // timeout of this suite is what fails, every call now takes milliseconds.
    const output = 'x'.repeat(MAX_OUTPUT_CHARS);
    for (const languageId of ['typescript', 'javascript', 'java', 'csharp', 'go', 'plaintext']) {
      const result = await processDetailed({ languageId, prefix: 'const s = f(\n', suffix: '', output, multiline: true });
      assert.strictEqual(result.completion.length, MAX_OUTPUT_CHARS, languageId);
    }
  });

  it('a single line of megabytes is cut at the character bound, and broken text past it never parsed', async () => {
    const output = 'x'.repeat(4 * 1024 * 1024);
    const result = await withCopyBudget(copies(output), () => processDetailed({ languageId: 'typescript', prefix: 'const s = ', suffix: ';\n', output, multiline: false }));
    assert.ok(result.completion === 'x'.repeat(MAX_OUTPUT_CHARS));
    assert.deepStrictEqual(result.rules, ['truncated']);
  });
});
