import * as assert from 'assert';
import { decideMultiline, stopSequencesFor, maxTokensFor } from '../../../src/decisions';
import { atCursor } from '../../support/cursor';

const at = (marked: string, languageId = 'python') => {
  const { prefix, suffix } = atCursor(marked);
  return { languageId, prefix, suffix };
};

describe('decisions/decideMultiline', () => {
  it('multi-line on a fresh line below a block header (the block is empty)', () => {
    assert.strictEqual(decideMultiline(at('def f(x):\n    ┃\n')), true);
    assert.strictEqual(decideMultiline(at('function f() {\n  ┃\n}\n', 'typescript')), true);
  });
  it('multi-line right after an opener with only auto-closed brackets to the right', () => {
    assert.strictEqual(decideMultiline(at('function f() {┃}\n', 'typescript')), true);
    assert.strictEqual(decideMultiline(at('items.forEach((x) => {┃});\n', 'javascript')), true);
    assert.strictEqual(decideMultiline(at('def f(x):┃\n')), true);
  });
  it('single-line after an opener whose block already has a body', () => {
    assert.strictEqual(decideMultiline(at('def f(x):┃\n    return x\n')), false);
  });
  it('multi-line on an empty line inside a block', () => {
    assert.strictEqual(decideMultiline(at('def f(x):\n    y = 1\n    ┃\n    return y\n')), true);
  });
  it('multi-line inside brackets the line opened and left open, where the expression may go on over lines', () => {
    assert.strictEqual(decideMultiline(at('    print(┃\n    return total\n')), true);
    assert.strictEqual(decideMultiline(at('items = [┃\n')), true);
    assert.strictEqual(decideMultiline(at('  res.writeHead(200, ┃\n', 'javascript')), true);
    // Two open, one auto-closed: one is still open.
    assert.strictEqual(decideMultiline(at('x = foo(bar(┃)\n')), true);
  });
  it('multi-line at the end of a line, finished or not: the lines below come with it', () => {
    assert.strictEqual(decideMultiline(at('const total = ┃\n', 'typescript')), true);
    assert.strictEqual(decideMultiline(at('x = foo(a) + ┃\n')), true);
    assert.strictEqual(decideMultiline(at('x = "(" + ┃\n')), true);
    assert.strictEqual(decideMultiline(at('def f(xs):\n    total = sum(xs)┃\n    return total\n')), true);
    assert.strictEqual(decideMultiline(at('  const el = document.getElementById(\'app\');┃  \n', 'javascript')), true);
    assert.strictEqual(decideMultiline(at('    # sum the items┃\n')), true);
  });
  it('multi-line at the start of a line of code: whole lines go above it', () => {
    assert.strictEqual(decideMultiline(at('def f():\n┃    return 1\n')), true);
    assert.strictEqual(decideMultiline(at('def f():\n    ┃return 1\n')), true);
    assert.strictEqual(decideMultiline(at('function f() {\n  ┃}\n', 'typescript')), true);
    // Code left of the cursor too: the rest of the line, one line.
    assert.strictEqual(decideMultiline(at('def f():\n    x┃return 1\n')), false);
  });
  it('single-line with code to the right, or closers to the right that leave nothing open', () => {
    assert.strictEqual(decideMultiline(at('x = foo(┃)\n')), false);
    assert.strictEqual(decideMultiline(at('if (┃) {\n', 'typescript')), false);
    assert.strictEqual(decideMultiline(at('console.log(┃);\n', 'typescript')), false);
    assert.strictEqual(decideMultiline(at('x = foo(a) + ┃ + b\n')), false);
    assert.strictEqual(decideMultiline(at('const total = ┃;\n', 'typescript')), false);
  });
  it('stop sequences: the line break for one line, two blank lines for a block', () => {
    assert.deepStrictEqual(stopSequencesFor(false, 'python'), ['\n']);
    assert.deepStrictEqual(stopSequencesFor(true, 'python'), ['\n\n\n']);
    assert.strictEqual(maxTokensFor(true, { singleLine: 64, multiline: 256 }), 256);
    assert.strictEqual(maxTokensFor(false, { singleLine: 64, multiline: 256 }), 64);
  });
});
