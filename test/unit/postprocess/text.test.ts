// The bracket helpers every cut relies on (text.ts), one behaviour per case: the rough scan must skip strings and
// comments the way the rules expect, or a cut lands inside a string.
import * as assert from 'assert';
import { BracketScan, bracketBalance, closingTail, emptyPythonBody, isCloser, isClosingLine } from '../../../src/postprocess/text';

describe('postprocess/text: closing lines', () => {
  it('knows the three closers and nothing else', () => {
    for (const ch of [')', ']', '}']) assert.ok(isCloser(ch), ch);
    for (const ch of ['(', '[', '{', '>', ';', 'a']) assert.ok(!isCloser(ch), ch);
  });

  it('takes a line of closers and the punctuation after them for a closing line', () => {
    for (const line of ['}', '  });', ']', '),', '})', '  }  ', '];']) assert.ok(isClosingLine(line), line);
  });

  it('refuses a line that starts with anything but a closer, or carries code after its closers', () => {
    for (const line of ['', '   ', ';', ',)', '} else {', ')x', '}; return', 'a)', '{}', '} // done']) assert.ok(!isClosingLine(line), line);
  });
});

describe('postprocess/text: bracket balance', () => {
  it('counts the net depth and the lowest depth on the way', () => {
    assert.deepStrictEqual(bracketBalance('f(a[1], {b})'), { depth: 0, minDepth: 0 });
    assert.deepStrictEqual(bracketBalance('f(a, ['), { depth: 2, minDepth: 0 });
    assert.deepStrictEqual(bracketBalance('x)) + y('), { depth: -1, minDepth: -2 });
    assert.deepStrictEqual(bracketBalance(''), { depth: 0, minDepth: 0 });
  });

  it('skips brackets inside strings of every quote, and an escaped quote does not end the string', () => {
    assert.strictEqual(bracketBalance('s = "(("').depth, 0);
    assert.strictEqual(bracketBalance("s = '[['").depth, 0);
    assert.strictEqual(bracketBalance('s = `{{`').depth, 0);
    assert.strictEqual(bracketBalance('s = "a\\"(" + f(').depth, 1, 'the escaped quote stays inside the string');
    assert.strictEqual(bracketBalance('s = "a\\\\" + f(').depth, 1, 'an escaped backslash does not escape the quote');
    assert.strictEqual(bracketBalance('s = "it\'s (" + g(').depth, 1, 'another quote kind inside a string is text');
  });

  it('ends an unclosed string at the line break', () => {
    assert.strictEqual(bracketBalance('s = "((\nf(').depth, 1);
  });

  it('skips `#` and `//` comments to the end of their line, but not a lone slash', () => {
    assert.strictEqual(bracketBalance('x = 1  # f(\ng(').depth, 1);
    assert.strictEqual(bracketBalance('x = 1  // f(\ng(').depth, 1);
    assert.strictEqual(bracketBalance('x = a / (b').depth, 1);
    assert.strictEqual(bracketBalance('x = "#" + f(').depth, 1, 'a `#` in a string starts no comment');
  });

  it('counts only the kind of bracket asked for', () => {
    assert.deepStrictEqual(bracketBalance('f(a[0]))', ')'), { depth: -1, minDepth: -1 });
    assert.deepStrictEqual(bracketBalance('a[f(x)]]', ']'), { depth: -1, minDepth: -1 });
    assert.deepStrictEqual(bracketBalance('{ f() }}', '}'), { depth: -1, minDepth: -1 });
    assert.deepStrictEqual(bracketBalance('[[', ')'), { depth: 0, minDepth: 0 });
  });

  it('gives the same answer one character at a time', () => {
    const text = 'f(a, "(", [b]) // )\n)';
    const scan = new BracketScan();
    const depths: number[] = [];
    for (let i = 0; i < text.length; i++) {
      scan.step(text, i);
      depths.push(scan.depth);
    }
    assert.deepStrictEqual({ depth: scan.depth, minDepth: scan.minDepth }, bracketBalance(text));
    assert.strictEqual(depths[1], 1, 'after `f(`');
    assert.strictEqual(depths[6], 1, 'inside the string');
    assert.strictEqual(scan.depth, -1);
  });
});

describe('postprocess/text: closing tail', () => {
  it('closes open brackets innermost first, on a line of their own', () => {
    assert.strictEqual(closingTail('f(a, [1, {b: 2', 'typescript'), '\n}])');
    assert.strictEqual(closingTail('f(a)', 'typescript'), '');
  });

  it('forgets a stray closer and one that does not match the innermost opener', () => {
    assert.strictEqual(closingTail('}\nf(', 'typescript'), '\n)');
    assert.strictEqual(closingTail('f(]', 'typescript'), '\n)');
  });

  it('skips brackets in strings (an escaped quote included) and in line comments', () => {
    assert.strictEqual(closingTail('s = "(\\"(" + f(', 'typescript'), '\n)');
    assert.strictEqual(closingTail("s = '[' + g(", 'typescript'), '\n)');
    assert.strictEqual(closingTail('x = 1 // (\ny = [', 'typescript'), '\n]');
    assert.strictEqual(closingTail('x = 1 // (', 'typescript'), '', 'a comment on the last line');
    assert.strictEqual(closingTail('x = a / (b', 'typescript'), '\n)', 'a lone slash is division');
  });

  it('ends a plain string at the line break, but not a template literal, which it closes', () => {
    assert.strictEqual(closingTail('s = "((\nf(', 'typescript'), '\n)');
    assert.strictEqual(closingTail('s = `((\n((', 'typescript'), '`');
    assert.strictEqual(closingTail('s = `a` + f(', 'typescript'), '\n)');
  });

  it('closes an open block comment, and skips brackets inside a closed one', () => {
    assert.strictEqual(closingTail('f(/* ( */', 'typescript'), '\n)');
    assert.strictEqual(closingTail('x = 1 /* note (', 'typescript'), ' */');
    assert.strictEqual(closingTail('x = 1 /* a */ /', 'typescript'), '');
  });

  it('in Python, `#` starts a comment and `/*` does not', () => {
    assert.strictEqual(closingTail('x = [1  # ]\n', 'python'), '\n]');
    assert.strictEqual(closingTail('x = 1 # (', 'python'), '');
    assert.strictEqual(closingTail('x = a /* (b', 'python'), '\n)');
    assert.strictEqual(closingTail('x = "#" + f(', 'python'), '\n)');
  });

  it('in TypeScript, `#` is not a comment', () => {
    assert.strictEqual(closingTail('this.#x = f(', 'typescript'), '\n)');
  });

  it('gives a Python block header without a body an empty one, one level deeper', () => {
    assert.strictEqual(closingTail('def f():\n    if x:', 'python'), '\n        pass');
    assert.strictEqual(closingTail('if x:  # why', 'python'), '\n    pass', 'a comment after the colon');
    assert.strictEqual(closingTail('if x:   ', 'python'), '\n    pass', 'whitespace after the colon');
    assert.strictEqual(closingTail('x = {"a": 1}', 'python'), '');
    assert.strictEqual(closingTail('if x:\n    y = 1', 'python'), '', 'only the last line counts');
    assert.strictEqual(closingTail('if x:', 'typescript'), '', 'only in indentation languages');
  });

  it('writes the empty Python body at the header\'s indentation plus four', () => {
    assert.strictEqual(emptyPythonBody('if x:'), '\n    pass');
    assert.strictEqual(emptyPythonBody('        else:'), '\n            pass');
  });
});
