import * as assert from 'assert';
import { createPostprocessor, isCompleteOutput } from '../../../src/postprocess';

import { py } from './inputs';

describe('postprocess/isComplete', () => {
  it('single-line mode: complete once a line break follows text', async () => {
    assert.strictEqual(await isCompleteOutput(py('return 1', { multiline: false })), false);
    assert.strictEqual(await isCompleteOutput(py('return 1\n', { multiline: false })), true);
  });
  it('an end token means complete', async () => {
    assert.strictEqual(await isCompleteOutput(py('return 1<|endoftext|>')), true);
  });
  it('a line past the function (new top-level code) means complete', async () => {
    assert.strictEqual(await isCompleteOutput(py('total = sum(xs)\n    return total\n')), false);
    assert.strictEqual(await isCompleteOutput(py('total = sum(xs)\n    return total\n\n\ndef g():\n')), true);
  });
  it('an echoed suffix line means complete', async () => {
    const suffix = '\n    return total\n';
    assert.strictEqual(await isCompleteOutput(py('total = sum(xs)\n', { suffix })), false);
    assert.strictEqual(await isCompleteOutput(py('total = sum(xs)\n    return total\n', { suffix })), true);
  });
  it('an unfinished multi-line statement is not complete', async () => {
    assert.strictEqual(await isCompleteOutput(py('total = sum(\n        xs,\n')), false);
  });
  it('brace languages: a line after the closing brace of the block means complete', async () => {
    const input = { languageId: 'typescript', prefix: 'function f() {\n  ', suffix: '\n}\n', output: 'return 1;\n}\n\nfunction g() {\n' };
    assert.strictEqual(await isCompleteOutput(input), true);
    assert.strictEqual(await isCompleteOutput({ ...input, output: 'const a = 1;\n  return a;\n' }), false);
  });
  it('the postprocessor memoizes per completed line and still sees end tokens in the partial line', async () => {
    const postprocessor = createPostprocessor();
    const base = py('total = sum(xs)\n    ret');
    assert.strictEqual(await postprocessor.isComplete(base), false);
    assert.strictEqual(await postprocessor.isComplete({ ...base, output: base.output + 'urn total' }), false);
    assert.strictEqual(await postprocessor.isComplete({ ...base, output: base.output + 'urn total<|endoftext|>' }), true);
  });
});
