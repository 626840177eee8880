import * as assert from 'node:assert/strict';
import { atCursor, code, CURSOR_MARKER, dedent } from '../support/cursor';

describe('test support: cursor marker and code template', () => {
  it('code dedents, drops the opening line break and keeps a final one, and finds the cursor', () => {
    const doc = code`
      def fib(n):
          if n < 2:
              ┃
    `;
    assert.equal(doc.text, 'def fib(n):\n    if n < 2:\n        \n');
    assert.deepEqual(doc.position, { line: 2, character: 8 });
    assert.equal(doc.prefix, 'def fib(n):\n    if n < 2:\n        ');
    assert.equal(doc.suffix, '\n');
  });

  it('closing on the last code line gives no final line break; interpolated values count as code', () => {
    const name = 'total';
    const doc = code`
      const ${name} = ┃;`;
    assert.equal(doc.text, 'const total = ;');
    assert.equal(doc.offset, 14);
  });

  it('keeps escapes as written (a tab stays a tab) and blank lines inside the code', () => {
    assert.equal(dedent('\n  a\n\n  \tb\n'), 'a\n\n\tb\n');
    assert.equal(code`x\t┃`.text, 'x\t');
  });

  it('refuses text with no cursor or with two', () => {
    assert.throws(() => atCursor('no cursor'), /exactly one/);
    assert.throws(() => atCursor(`a${CURSOR_MARKER}b${CURSOR_MARKER}`), /exactly one/);
  });
});
