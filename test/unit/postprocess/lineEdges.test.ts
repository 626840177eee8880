// Edge cases at the ends of lines and texts (documentStyle, echo, syntaxCheck windows, whitespace), one per case.
import * as assert from 'assert';
import { lineEndingOf } from '../../../src/postprocess/documentStyle';
import { isEchoOfSuffix } from '../../../src/postprocess/echo';
import { windowStart } from '../../../src/postprocess/syntaxCheck';
import { finalizeWhitespace, keepFirstLine } from '../../../src/postprocess/whitespace';

describe('postprocess: edges of lines and texts', () => {
  it('the line ending is the one of the cursor\'s own line when the suffix starts with it', () => {
    assert.strictEqual(lineEndingOf('a\r\nb', '\nc'), '\n');
    assert.strictEqual(lineEndingOf('a\nb', '\r\nc'), '\r\n');
    assert.strictEqual(lineEndingOf('a\r\nb', 'c'), '\r\n', 'no break after the cursor: the one before it');
    assert.strictEqual(lineEndingOf('\r\nb', 'c'), '\r\n');
    assert.strictEqual(lineEndingOf('b', 'c'), '\n');
    assert.strictEqual(lineEndingOf('a\nb', 'c'), '\n');
  });

  it('whitespace alone is no echo, even of a suffix that starts with a blank line', () => {
    assert.strictEqual(isEchoOfSuffix(' ', '\nfoo'), false);
    assert.strictEqual(isEchoOfSuffix('\n', '\nfoo'), false);
  });

  it('an echo may stop part-way through its last line, but only after a whole line matched', () => {
    assert.strictEqual(isEchoOfSuffix('  return x\n}', '  return x\n});\n'), true);
    assert.strictEqual(isEchoOfSuffix('  return', '  return x\n'), false);
  });

  it('the syntax window starts at the cursor\'s line when it begins a top-level item, even the file\'s second line', () => {
    assert.strictEqual(windowStart('\nx = 1'), 1);
    assert.strictEqual(windowStart('x = 1'), 0);
  });

  it('the syntax window reaches back at most 60 lines', () => {
    const prefix = 'def f():\n' + '    x = 1\n'.repeat(70) + '    ';
    assert.strictEqual(prefix.slice(windowStart(prefix)).split('\n').length, 61);
  });

  it('single-line mode skips the blank lines a completion starts with', () => {
    assert.strictEqual(keepFirstLine('\n  x = 1\n  y = 2', '\n', 'def f():\n'), '\n  x = 1');
    assert.strictEqual(keepFirstLine('\n\n', '\n', 'x = '), '\n\n');
  });

  it('before the suffix\'s text, blank lines at the end go but one line break stays; indentation there stays whole', () => {
    assert.strictEqual(finalizeWhitespace('\n\n\n', 'y()\n'), '\n');
    assert.strictEqual(finalizeWhitespace('a\n\n  ', 'b()\n'), 'a\n\n  ');
  });
});
