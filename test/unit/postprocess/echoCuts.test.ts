// Where the echo finders cut (echo.ts), the edges the other echo tests leave open: a one-character line shifted
// deeper, closers after a blank suffix line, the rest of the line before later lines, closers the suffix has on its
// next lines with blank lines among them. One behaviour per case.
import * as assert from 'assert';
import { findCloserCollision, findClosingLines, findRestOfLine, findSuffixEcho, findSuffixLine } from '../../../src/postprocess/echo';

describe('postprocess/echo: a line of the suffix repeated', () => {
  it('a single short line shifted deeper at the end of the output is the model\'s own line', () => {
    assert.strictEqual(findSuffixEcho('a = 1\n    x\n', 'x\n'), undefined);
  });

  it('an echo that starts with the suffix\'s blank line is judged by its first code line (closers: not confident)', () => {
    const cut = findSuffixEcho('foo();\n\n}))));\n', '\n}))));\n');
    assert.deepStrictEqual(cut && { keep: cut.keep, confident: cut.confident }, { keep: 'foo();\n', confident: false });
  });
});

describe('postprocess/echo: the suffix\'s next two lines reached', () => {
  it('mid-line, the rest of the cursor\'s line is no line of its own: the two lines below it count', () => {
    const suffix = 'compute(a)\n    total = x + 1\n    return total\n';
    assert.deepStrictEqual(findSuffixLine(suffix, suffix, '    x = '), { keep: 'compute(a)\n', rule: 'suffix-echo', confident: false });
  });

  it('a blank completion reaches nothing', () => {
    assert.strictEqual(findSuffixLine('\n\n', '\nx = 1\nz = 3\n', ''), undefined);
  });

  it('a line of five characters is long enough to tell', () => {
    assert.deepStrictEqual(findSuffixLine('y = 2\nx = 1\nz = 3\n', '\nx = 1\nz = 3\n', ''), { keep: 'y = 2\n', rule: 'suffix-echo', confident: false });
  });
});

describe('postprocess/echo: the rest of the line before more lines', () => {
  it('at the end of an earlier line (trailing spaces allowed), then more lines: a cut that must improve the parse', () => {
    const cut = { keep: 'a(b', rule: 'rest-of-line', confident: false, mustImprove: true };
    assert.deepStrictEqual(findRestOfLine('a(b)\n  c = 1', ')\n'), cut);
    assert.deepStrictEqual(findRestOfLine('a(b)  \n  c = 1', ')\n'), cut);
  });

  it('only where nothing but whitespace follows the match on its line', () => {
    assert.strictEqual(findRestOfLine('f(a) + g(b)\n  c = 1', ')\n')?.keep, 'f(a) + g(b');
    assert.strictEqual(findRestOfLine('f(a) + g\n  c = 1', ')\n'), undefined);
  });
});

describe('postprocess/echo: closers that collide with the suffix\'s', () => {
  it('the suffix\'s closers after spaces count', () => {
    assert.deepStrictEqual(findCloserCollision('x > 0) {', ' ) '), { keep: 'x > 0', rule: 'closer-collision', confident: false });
  });

  it('trailing spaces after the completion\'s closers do not matter', () => {
    assert.deepStrictEqual(findCloserCollision('0]  ', '])'), { keep: '0', rule: 'closer-collision', confident: false });
  });

  it('going on after closing only part of the suffix\'s closers is no collision', () => {
    assert.strictEqual(findCloserCollision('a) + b', '))'), undefined);
  });
});

describe('postprocess/echo: closing lines the suffix already has', () => {
  it('blank lines after the closers and among them are skipped', () => {
    assert.strictEqual(findClosingLines('  x();\n}\n\n', '\n}\n', false)?.keep, '  x();\n');
    assert.strictEqual(findClosingLines('  x();\n  }\n\n}', '\n  }\n}\n', false)?.keep, '  x();\n');
  });

  it('a completion of only closers leaves nothing; blank output or no closers, nothing to cut', () => {
    assert.deepStrictEqual(findClosingLines('}\n}', '}\n}\n', false), { keep: '', rule: 'closing-lines', confident: false });
    assert.strictEqual(findClosingLines('\n}', '}\n', false)?.keep, '\n');
    assert.strictEqual(findClosingLines('\n\n', '}\n', false), undefined);
  });

  it('trailing spaces in the suffix do not matter', () => {
    assert.strictEqual(findClosingLines('  x();\n}', '\n}  \n', false)?.keep, '  x();\n');
  });

  it('only closing lines are compared: code before them that the suffix also has stays', () => {
    assert.strictEqual(findClosingLines('a\n}', '\na\n}\n', false), undefined);
  });

  it('a closer the suffix does not have next is kept', () => {
    assert.strictEqual(findClosingLines('  x();\n}', '\n)\n', false), undefined);
    assert.strictEqual(findClosingLines('a\n)\n}', '\n}\n}\n', false)?.keep, 'a\n)\n');
  });

  it('with indentation matched, only the same indentation counts (trailing spaces aside)', () => {
    assert.strictEqual(findClosingLines('  x();\n  }', '\n}\n', true), undefined);
    assert.strictEqual(findClosingLines('  x();\n  }', '\n}\n', false)?.keep, '  x();\n');
    assert.strictEqual(findClosingLines('  x();\n}  ', '\n}\n', true)?.keep, '  x();\n');
    assert.strictEqual(findClosingLines('  x();\n}', '\n}  \n', true)?.keep, '  x();\n', 'trailing spaces in the suffix');
  });
});
