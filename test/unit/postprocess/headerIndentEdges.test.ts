// The lone-header dedent's edges (headerIndent.ts), one behaviour per case.
import * as assert from 'assert';
import { dedentLoneHeader } from '../../../src/postprocess/headerIndent';

describe('postprocess/headerIndent: edges', () => {
  const prefix = 'def f(n):\n    while True:\n        if ok(n):\n            n -= 1\n';
  const input = { languageId: 'python', prefix, suffix: '\n            return n\n' };

  it('only in indentation languages: a brace language\'s `case 2:` stays', () => {
    assert.strictEqual(dedentLoneHeader('            case 2:', { ...input, languageId: 'javascript' }), undefined);
  });

  it('only when the cursor\'s line has no text right of the cursor', () => {
    assert.strictEqual(dedentLoneHeader('            if n == 0:', { ...input, suffix: 'x\n            return n\n' }), undefined);
  });

  it('the code below is the first line past comments', () => {
    assert.strictEqual(dedentLoneHeader('            if n == 0:', { ...input, suffix: '\n        # note\n            return n\n' }), '        if n == 0:');
  });

  it('the enclosing block is the nearest code line above with less indentation, comments aside', () => {
    const commented = 'def f(n):\n    while True:\n        if ok(n):\n    # note\n            n -= 1\n';
    assert.strictEqual(dedentLoneHeader('            if n == 0:', { ...input, prefix: commented }), '        if n == 0:');
  });

  it('mixed indentation: the enclosing line\'s, after the cursor\'s own (a tab, then spaces)', () => {
    const tabbed = 'def f(n):\n\twhile True:\n\t    if ok(n):\n\t        n -= 1\n\t';
    assert.strictEqual(dedentLoneHeader('        if n == 0:', { ...input, prefix: tabbed, suffix: '\n\t        return n\n' }), '    if n == 0:');
  });
});
