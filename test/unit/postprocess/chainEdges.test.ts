// The chain's own decisions (index.ts) that the golden cases do not pin: the output bound's line count from the
// first character, the streaming memo's key, a weak rest-of-line cut competing with the syntax. One behaviour per case.
import * as assert from 'assert';
import { createPostprocessor, isCompleteOutput, MAX_OUTPUT_LINES, processDetailed } from '../../../src/postprocess';

const py = (output: string, extra: { prefix?: string; suffix?: string; multiline?: boolean } = {}) => ({
  languageId: 'python',
  prefix: extra.prefix ?? 'def f(xs):\n    ',
  suffix: extra.suffix ?? '\n',
  output,
  multiline: extra.multiline,
});

describe('postprocess: the output bound counts lines from the first character', () => {
  const input = { languageId: 'plaintext', prefix: 'f(\n', suffix: '\n' };

  it('a line break at the very start is a line', async () => {
    assert.strictEqual(await isCompleteOutput({ ...input, output: '\n' + '  a\n'.repeat(MAX_OUTPUT_LINES) }), true);
    assert.strictEqual(await isCompleteOutput({ ...input, output: '\n' + '  a\n'.repeat(MAX_OUTPUT_LINES - 1) }), false);
  });

  it('so is a one-character first line', async () => {
    assert.strictEqual(await isCompleteOutput({ ...input, output: ' \n' + '  a\n'.repeat(MAX_OUTPUT_LINES) }), true);
    assert.strictEqual(await isCompleteOutput({ ...input, output: ' \n' + '  a\n'.repeat(MAX_OUTPUT_LINES - 1) }), false);
  });
});

describe('postprocess: the streaming memo', () => {
  const pastScope = 'total = sum(xs)\n    return total\n\n\ndef g():\n';

  it('a complete answer stays complete while the partial line grows', async () => {
    const postprocessor = createPostprocessor();
    assert.strictEqual(await postprocessor.isComplete(py(pastScope + 'pa')), true);
    assert.strictEqual(await postprocessor.isComplete(py(pastScope + 'pass')), true);
  });

  it('is kept per suffix, multi-line mode and completed lines', async () => {
    const echoed = 'total = sum(xs)\n    return total\n';
    const postprocessor = createPostprocessor();
    assert.strictEqual(await postprocessor.isComplete(py(echoed, { suffix: '\n    return total\n' })), true);
    assert.strictEqual(await postprocessor.isComplete(py(echoed)), false, 'another suffix');
    assert.strictEqual(await postprocessor.isComplete(py('return 1\n', { multiline: false })), true);
    assert.strictEqual(await postprocessor.isComplete(py('return 1\n')), false, 'another multi-line mode');
    assert.strictEqual(await postprocessor.isComplete(py('return 1\n', { multiline: false })), true);
    assert.strictEqual(await postprocessor.isComplete(py('return 1\nx', { multiline: false })), true);
    assert.strictEqual(await postprocessor.isComplete(py('return 1', { multiline: false })), false, 'fewer completed lines');
  });

  it('is kept per prefix', async () => {
    const postprocessor = createPostprocessor();
    const output = 'x\ndef g():\n';
    assert.strictEqual(await postprocessor.isComplete(py(output)), true, 'a new top-level item after the cursor\'s function');
    assert.strictEqual(await postprocessor.isComplete(py(output, { prefix: 'x = [\n' })), false, 'inside an open list');
  });
});

describe('postprocess: a rest-of-line cut past the cursor\'s line', () => {
  it('competes with the syntax cut and wins when it parses better', async () => {
    const out = await processDetailed(py('b:\n    go()', { prefix: 'if a and ', suffix: ':\n    pass\n' }));
    assert.strictEqual(out.completion, 'b');
    assert.deepStrictEqual(out.rules, ['rest-of-line']);
  });
});
