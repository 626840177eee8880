// Edge cases at the ends of lines and texts (documentStyle, echo, syntaxCheck windows, whitespace), one per case.
import * as assert from 'assert';
import { cutAtEndToken, stripThinkBlocks } from '../../../src/postprocess/artefacts';
import { indentationOf, lineEndingOf } from '../../../src/postprocess/documentStyle';
import { isEchoOfSuffix } from '../../../src/postprocess/echo';
import { windowEnd, windowStart } from '../../../src/postprocess/syntaxCheck';
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

  it('an end token at the very start leaves nothing, and the earliest of several tokens cuts', () => {
    assert.strictEqual(cutAtEndToken('<|endoftext|>abc'), '');
    assert.strictEqual(cutAtEndToken('a<|endoftext|>b<EOT>c'), 'a');
  });

  it('drops every think block, keeping the text between them', () => {
    assert.strictEqual(stripThinkBlocks('a<think>x</think>\nb'), 'ab');
    assert.strictEqual(stripThinkBlocks('a<think>x</think>b<think>y</think>c'), 'abc');
    assert.strictEqual(stripThinkBlocks('a</think>b<think>c</think>d'), 'bd', 'a stray closer first: what precedes it goes');
  });

  it('reads the cursor\'s line once, from the prefix: the suffix\'s first line is its rest', () => {
    assert.strictEqual(indentationOf('x = 1\n', '\t\tfoo\nbar\n'), undefined);
  });

  it('a line that starts with a blank line echoes only a suffix that does too', () => {
    assert.strictEqual(isEchoOfSuffix('\nfoo', '\nfoo'), true);
    assert.strictEqual(isEchoOfSuffix('\nfoo', '\nbar'), false);
  });

  it('the syntax window starts at a top-level call with a string in it', () => {
    assert.strictEqual(windowStart('x = 1\nprint("hi")\n    '), 6);
  });

  it('the syntax window ends before the next top-level line after the cursor\'s line, at most 30 lines on', () => {
    assert.strictEqual(windowEnd('abc\nd'), 4);
    assert.strictEqual(windowEnd('abc'), 3);
    assert.strictEqual(windowEnd('\n    a\nb'), 7);
    assert.strictEqual(windowEnd('\n' + '    x = 1\n'.repeat(40)), 1 + 30 * 10);
  });

  it('single-line mode keeps the line break only where the cursor\'s line goes on and the cursor is at its start', () => {
    assert.strictEqual(keepFirstLine('a\nb', '\n', 'x\n'), 'a');
    assert.strictEqual(keepFirstLine('a\nb', 'c\n', 'x = '), 'a');
    assert.strictEqual(keepFirstLine('a\nb', 'c\n', 'x\n  '), 'a\n');
  });
});
