// Where the block rule cuts (block.ts), the edges the other block tests leave open: a header less indented than the
// code below (trailing spaces and comments, brace languages deep in a block), spaced async definitions, block
// comments in the suffix. One behaviour per case.
import * as assert from 'assert';
import { cutAtBlockEnd, suffixCodeIndent } from '../../../src/postprocess/block';

const exit = { blockExit: true };

describe('postprocess/block: a header where the completion meets the code below', () => {
  // The cursor ends an inner block; the suffix goes on one level out, deeper than the completion's last line.
  const py = { languageId: 'python', prefix: 'def f(x):\n    if x:\n        if y:\n            a = 1\n', suffix: '\n        c = 3\n' };

  it('a header is kept, trailing spaces or a comment after its colon included (the code below is its body)', () => {
    for (const header of ['    else:', '    else:  ', '    else:  # why']) {
      assert.deepStrictEqual(cutAtBlockEnd(`            b = 2\n${header}\n        c = 3\n`, py, exit), { keep: `            b = 2\n${header}`, rule: 'block-exit' }, header);
    }
  });

  it('a header at the suffix\'s own level is cut: the code below is not its body', () => {
    assert.deepStrictEqual(cutAtBlockEnd('            b = 2\n        else:\n            d = 4\n', py, exit), { keep: '            b = 2', rule: 'block-exit' });
  });

  it('a line that opens no block is where the completion leaves: it is cut', () => {
    assert.deepStrictEqual(cutAtBlockEnd('            b = 2\n    return b\n        c = 3\n', py, exit), { keep: '            b = 2', rule: 'block-exit' });
  });

  it('brace languages too, far enough into a block that the braces above are out of sight', () => {
    const ts = { languageId: 'typescript', prefix: `function f(x) {\n  if (x) {\n    if (y) {\n${'      a();\n'.repeat(30)}`, suffix: '\n    c();\n  }\n}\n' };
    assert.deepStrictEqual(cutAtBlockEnd('      b();\n  if (z) {\n    c();\n', ts, exit), { keep: '      b();\n  if (z) {', rule: 'block-exit' });
    assert.deepStrictEqual(cutAtBlockEnd('      b();\n  z();\n    c();\n', ts, exit), { keep: '      b();', rule: 'block-exit' });
  });
});

describe('postprocess/block: a definition is one item', () => {
  it('an async definition with any spacing', () => {
    const out = '    async  def b(self):\n        return 1\n\n    def c(self):\n        return 2\n';
    const input = { languageId: 'python', prefix: 'class A:\n    x = 1\n', suffix: '\n' };
    assert.deepStrictEqual(cutAtBlockEnd(out, input), { keep: '    async  def b(self):\n        return 1', rule: 'one-item' });
  });

  it('in a class body, whatever comment lines stand between the class and the cursor', () => {
    const out = '    def b(self):\n        return 1\n\n    def c(self):\n        return 2\n';
    const input = { languageId: 'python', prefix: 'class A:\n  # note\n    x = 1\n', suffix: '\n' };
    assert.deepStrictEqual(cutAtBlockEnd(out, input), { keep: '    def b(self):\n        return 1', rule: 'one-item' });
  });

  it('a comment between the decorator and the definition does not hide the definition', () => {
    const out = '    @property\n    # note\n    def b(self):\n        return 1\n\n    def c(self):\n        return 2\n';
    const input = { languageId: 'python', prefix: 'class A:\n    x = 1\n', suffix: '\n' };
    assert.deepStrictEqual(cutAtBlockEnd(out, input), { keep: '    @property\n    # note\n    def b(self):\n        return 1', rule: 'one-item' });
  });
});

describe('postprocess/block: strings', () => {
  it('brace languages have no triple-quoted strings: lines after `"""` in a comment are code', () => {
    const topLevel = { languageId: 'typescript', prefix: 'const a = 1;\n', suffix: '\nconst z = 2;\n' };
    assert.deepStrictEqual(cutAtBlockEnd('// """\n  y();\nw();\n', topLevel, exit), { keep: '// """\n  y();', rule: 'block-exit' });
  });
});

describe('postprocess/block: the suffix\'s level', () => {
  it('skips block-comment lines (` * ...`) below the cursor', () => {
    assert.strictEqual(suffixCodeIndent('\n   * doc\n  x\n', false), 2);
  });
});
