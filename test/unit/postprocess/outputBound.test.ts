// The output bound and the whole chain's small decisions (index.ts), on outputs just past the bound and in a language
// without a grammar, so nothing is parsed (longOutput.test.ts covers 100k-line outputs; it is too slow for the
// mutation run). One behaviour per case.
import * as assert from 'assert';
import { isCompleteOutput, MAX_OUTPUT_CHARS, MAX_OUTPUT_LINES, processDetailed } from '../../../src/postprocess';

// Inside an open call: every line continues it, so no rule but the bound cuts.
const plain = (output: string, more: object = {}) => processDetailed({ languageId: 'plaintext', prefix: 'f(\n', suffix: '\n', output, ...more });
const lines = (n: number, line = '  a') => Array.from({ length: n }, () => line);

describe('postprocess: the output bound', () => {
  it('keeps the first MAX_OUTPUT_LINES lines of a longer output, as if the token limit had cut it', async () => {
    const out = await plain('  a\n'.repeat(MAX_OUTPUT_LINES + 10));
    assert.strictEqual(out.completion, lines(MAX_OUTPUT_LINES).join('\n'));
    assert.deepStrictEqual(out.rules, ['truncated']);
  });

  it('an output of exactly MAX_OUTPUT_LINES lines is whole; one more line, even unfinished, is past the bound', async () => {
    const exact = await plain('  a\n'.repeat(MAX_OUTPUT_LINES));
    assert.deepStrictEqual(exact.rules, []);
    const more = await plain('  a\n'.repeat(MAX_OUTPUT_LINES) + '  b');
    assert.deepStrictEqual(more.rules, ['truncated']);
    assert.strictEqual(more.completion, lines(MAX_OUTPUT_LINES).join('\n'));
  });

  it('past the character bound in the middle of a line, only the whole lines before it stay', async () => {
    const line = '  ' + 'y'.repeat(97);
    const out = await plain(`${line}\n`.repeat(2000));
    assert.strictEqual(out.completion, lines(Math.floor(MAX_OUTPUT_CHARS / 100), line).join('\n'));
    assert.deepStrictEqual(out.rules, ['truncated']);
  });

  it('the stream is complete once it passes the bound, not before', async () => {
    const input = { languageId: 'plaintext', prefix: 'f(\n', suffix: '\n' };
    assert.strictEqual(await isCompleteOutput({ ...input, output: '  a\n'.repeat(MAX_OUTPUT_LINES + 1) }), true);
    assert.strictEqual(await isCompleteOutput({ ...input, output: '  a\n'.repeat(10) }), false);
  });
});

describe('postprocess: small decisions of the chain', () => {
  it('a whitespace-only output: nothing in single-line mode, kept as indentation before the line\'s text otherwise', async () => {
    const input = { languageId: 'python', prefix: 'def f():\n', suffix: '  return 1\n', output: '  ' };
    assert.strictEqual((await processDetailed({ ...input, multiline: false })).completion, '');
    assert.strictEqual((await processDetailed({ ...input, multiline: true })).completion, '  ');
  });

  it('single-line mode at the start of a line with text after it keeps the line break (no grammar to ask)', async () => {
    const out = await processDetailed({ languageId: 'plaintext', prefix: 'x\n', suffix: 'c\n', output: 'a\nb', multiline: false });
    assert.strictEqual(out.completion, 'a\n');
    assert.deepStrictEqual(out.rules, ['single-line']);
  });

  it('a token-limit cut keeps whole lines only, and says so once', async () => {
    const out = await plain('  a = 1\n  b = 2\n  c = 3', { truncated: true });
    assert.strictEqual(out.completion, '  a = 1\n  b = 2');
    assert.deepStrictEqual(out.rules, ['truncated']);
    const one = await plain('  a = 1', { truncated: true });
    assert.strictEqual(one.completion, '  a = 1', 'a single line is kept: there is no whole line before it');
    const ended = await plain('  a = 1\n  b = 2\n', { truncated: true });
    assert.strictEqual(ended.completion, '  a = 1\n  b = 2', 'the last line ended: nothing to drop');
    assert.deepStrictEqual(ended.rules, []);
  });
});
