// Edge cases at the ends of lines and texts (documentStyle, echo, syntaxCheck windows, whitespace), one per case.
import * as assert from 'assert';
import { cutAtEndToken, stripMarkdownFence, stripThinkBlocks } from '../../../src/postprocess/artefacts';
import { followIndentation, indentationOf, lineEndingOf } from '../../../src/postprocess/documentStyle';
import { isEchoOfSuffix } from '../../../src/postprocess/echo';
import { windowEnd, windowStart } from '../../../src/postprocess/syntaxCheck';
import { withNewlineVariants } from '../../../src/postprocess/syntaxChoice';
import { processDetailed } from '../../../src/postprocess';
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

describe('postprocess: chat artefacts at the edges', () => {
  it('a think closer at the very start, and only the line break right after it goes', () => {
    assert.strictEqual(stripThinkBlocks('</think>\ncode'), 'code');
    assert.strictEqual(stripThinkBlocks('plan</think>x\ny'), 'x\ny');
  });

  it('a fence opens only at the start (after blank lines), with a language and trailing spaces', () => {
    assert.strictEqual(stripMarkdownFence('\n\n```ts\nf();\n```'), 'f();\n');
    assert.strictEqual(stripMarkdownFence('```ts  \nf();\n```'), 'f();\n');
    assert.strictEqual(stripMarkdownFence('x = 1\n```py\ny\n'), 'x = 1\n');
  });

  it('a fence closes at the start of the body or indented on its own line', () => {
    assert.strictEqual(stripMarkdownFence('```ts\n```\nmore'), '');
    assert.strictEqual(stripMarkdownFence('x = 1\n  ```\nExplanation'), 'x = 1\n');
  });
});

describe('postprocess: the first line\'s indentation', () => {
  it('is redone only together with what is left of the cursor, when that is indentation', () => {
    assert.strictEqual(followIndentation('    a', 'x = ', { tabs: true, width: 4 }), '    a');
    assert.strictEqual(followIndentation('    a\n    b', '', { tabs: true, width: 4 }), '\ta\n\tb');
  });
});

describe('postprocess: a cut at a line break, with text after the cursor', () => {
  const variants = (prefix: string, suffix: string, atNewline = true) =>
    withNewlineVariants({ text: 'a = 1', atNewline }, { languageId: 'python', prefix, suffix, output: '' });

  it('no line break to decide on: not cut at a break, or nothing after the cursor on its line', () => {
    assert.deepStrictEqual(variants('x\n', 'y\n', false), ['a = 1']);
    assert.deepStrictEqual(variants('x\n', '\ny\n'), ['a = 1']);
  });

  it('whole lines first at a line start or before a line of its own (indented after the cursor)', () => {
    assert.deepStrictEqual(variants('x\n', 'y\n'), ['a = 1\n', 'a = 1']);
    assert.deepStrictEqual(variants('x = ', '    y\n'), ['a = 1\n', 'a = 1']);
    assert.deepStrictEqual(variants('x = ', '  y\n'), ['a = 1\n', 'a = 1']);
    assert.deepStrictEqual(variants('x = ', '\ty\n'), ['a = 1\n', 'a = 1']);
  });

  it('otherwise the line goes on first', () => {
    assert.deepStrictEqual(variants('x = ', ' y\n'), ['a = 1', 'a = 1\n']);
    assert.deepStrictEqual(variants('x = ', 'b  y\n'), ['a = 1', 'a = 1\n']);
  });
});

describe('postprocess: the syntax cut and the token limit', () => {
  const prefix = 'def a():\n    return 1\n\n\n';
  const suffix = '\n\ndef z():\n    pass\n';
  it('without the limit flag, a broken last line is cut even if closing it would parse', async () => {
    const output = 'def b(x):\n    y = x * 2\n    if y > 3:\n        return y\n    retu(';
    const out = await processDetailed({ languageId: 'python', prefix, suffix, output, multiline: true });
    assert.strictEqual(out.completion, 'def b(x):\n    y = x * 2\n    if y > 3:\n        return y');
  });

  it('with it, a single whole line that parses is kept', async () => {
    const out = await processDetailed({ languageId: 'python', prefix, suffix, output: 'x = 1', multiline: true, truncated: true });
    assert.strictEqual(out.completion, 'x = 1');
  });
});
