import * as assert from 'assert';
import { dropRepeatedLinesAbove, dropRestatedLinePrefix } from '../../../src/postprocess/linesRepeated';

describe('postprocess/linesRepeated: the code above the cursor written again', () => {
  const input = { languageId: 'python', prefix: 'def f(xs):\n    ys = sorted(xs)\n    n = len(ys)\n', suffix: '\n    return ys\n', output: '' };
  it('drops the first lines when they end with the line right above the cursor, in order, indentation included', () => {
    assert.deepStrictEqual(dropRepeatedLinesAbove('    n = len(ys)\n    ys.reverse()\n', input), { rest: '    ys.reverse()\n' });
    assert.deepStrictEqual(dropRepeatedLinesAbove('    ys = sorted(xs)\n\n    n = len(ys)\n    ys.reverse()', input), { rest: '    ys.reverse()' });
  });
  it('leaves other code alone: a stretch that stops short of the cursor, another indentation, text on the cursor\'s line', () => {
    assert.strictEqual(dropRepeatedLinesAbove('    ys = sorted(xs)\n    ys.reverse()\n', input), undefined);
    assert.strictEqual(dropRepeatedLinesAbove('        n = len(ys)\n', input), undefined);
    assert.strictEqual(dropRepeatedLinesAbove('n = len(ys)\n', { ...input, prefix: input.prefix + '    x = ' }), undefined);
  });
  it('a lone closing line is no evidence: one block closes after another', () => {
    assert.strictEqual(dropRepeatedLinesAbove('}\n', { ...input, languageId: 'typescript', prefix: 'if (a) {\n  if (b) {\n    f();\n  }\n}\n' }), undefined);
  });
  it('while streaming, waits while the lines may still be on their way to the cursor', () => {
    assert.deepStrictEqual(dropRepeatedLinesAbove('    ys = sorted(xs)\n', input, { streaming: true }), {});
    // Up to the cursor: nothing of the model's own yet.
    assert.deepStrictEqual(dropRepeatedLinesAbove('    ys = sorted(xs)\n    n = len(ys)\n', input, { streaming: true }), { rest: '' });
    assert.deepStrictEqual(dropRepeatedLinesAbove('    ys = sorted(xs)\n    n = len(ys)\n    ys.reverse()\n', input, { streaming: true }), { rest: '    ys.reverse()\n' });
    assert.strictEqual(dropRepeatedLinesAbove('    ys.reverse()\n', input, { streaming: true }), undefined);
  });
});
describe('postprocess/linesRepeated: the cursor\'s line written again from its start', () => {
  it('drops the code left of the cursor when the completion starts with it', () => {
    assert.strictEqual(dropRestatedLinePrefix('result = compute(a)', 'def f(a):\n    result = '), 'compute(a)');
    assert.strictEqual(dropRestatedLinePrefix('    result = compute(a)\n    return result', 'def f(a):\n    result = '), 'compute(a)\n    return result');
    assert.strictEqual(dropRestatedLinePrefix('total += x;', '  total +'), '= x;');
  });
  it('leaves the model\'s own text alone: short code left of the cursor, another start, text before it', () => {
    assert.strictEqual(dropRestatedLinePrefix('x = 1', '    x'), undefined);
    assert.strictEqual(dropRestatedLinePrefix('compute(a)', '    result = '), undefined);
    assert.strictEqual(dropRestatedLinePrefix('y = result = 2', '    result = '), undefined);
    assert.strictEqual(dropRestatedLinePrefix('  result = 2', '    result = '), undefined);
  });
});
