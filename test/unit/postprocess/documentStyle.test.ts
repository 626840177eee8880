// The document's conventions around the rules: Windows line ends, characters that never reach the editor, and
// the document's indentation (documentStyle.ts, applied by processDetailed and isComplete).
import * as assert from 'assert';
import { createPostprocessor, isCompleteOutput, processDetailed, type PostprocessInput } from '../../../src/postprocess';
import { followIndentation, indentationOf, lineEndingOf, stripUnsafeCharacters } from '../../../src/postprocess/documentStyle';

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

/** Each echo rule on an LF document, with the rule that must cut and the suggestion left. */
const ECHO_CASES: { name: string; input: PostprocessInput; rule: string; expected: string }[] = [
  {
    name: 'suffix echo of several lines',
    input: { languageId: 'typescript', prefix: 'function f(xs: number[]) {\n  let t = 0;\n  ', suffix: '\n  return t;\n}\n', output: 'for (const x of xs) t += x;\n  return t;\n}\n', multiline: true },
    rule: 'suffix-echo',
    expected: 'for (const x of xs) t += x;',
  },
  {
    name: 'suffix echo of one line',
    input: { languageId: 'python', prefix: 'def f(xs):\n    total = sum(xs)\n    ', suffix: '\n    return total\n', output: 'total *= 2\n    return total\n', multiline: true },
    rule: 'suffix-echo',
    expected: 'total *= 2',
  },
  {
    name: 'suffix echo at the end of the file',
    input: { languageId: 'python', prefix: 'def f(xs):\n    ', suffix: '\n    return xs', output: 'xs.sort()\n    return xs', multiline: true },
    rule: 'suffix-echo',
    expected: 'xs.sort()',
  },
  {
    name: 'the rest of the line (an auto-closed paren)',
    input: { languageId: 'python', prefix: 'def f(a, b):\n    return max(', suffix: ')\n', output: 'a, b)', multiline: false },
    rule: 'suffix-echo',
    expected: 'a, b',
  },
  {
    name: 'rest of line, spaced differently',
    input: { languageId: 'python', prefix: 'def f(a, b):\n    return max(', suffix: ' )\n', output: 'a, b)', multiline: false },
    rule: 'rest-of-line',
    expected: 'a, b',
  },
  {
    name: 'the rest of the line, then the lines after it',
    input: { languageId: 'python', prefix: 'def f(n):\n    return fib(', suffix: ')\n\n\nprint(f(3))\n', output: 'n - 1) + fib(n - 2)\n\n\nprint(f(3))\n', multiline: false },
    rule: 'suffix-echo',
    expected: 'n - 1) + fib(n - 2',
  },
  {
    name: 'closer collision',
    input: { languageId: 'typescript', prefix: 'function f(x: number) {\n  if (', suffix: ')\n}\n', output: 'x > 0) {', multiline: false },
    rule: 'closer-collision',
    expected: 'x > 0',
  },
  {
    name: 'closing lines the suffix has',
    input: { languageId: 'typescript', prefix: 'function f(x: number) {\n  if (x > 0) {\n    ', suffix: '\n  }\n  return x;\n}\n', output: 'x = -x;\n}\n', multiline: true },
    rule: 'closing-lines',
    expected: 'x = -x;',
  },
];

describe('postprocess: Windows line ends (CRLF twins)', () => {
  for (const c of ECHO_CASES) {
    it(`${c.name}: the same rule and suggestion on the CRLF document, with LF and CRLF output`, async () => {
      const lf = await processDetailed(c.input);
      assert.strictEqual(lf.completion, c.expected);
      assert.ok(lf.rules.includes(c.rule as never), `${c.rule} fires: ${lf.rules.join(' ')}`);
      for (const output of [c.input.output, crlf(c.input.output)]) {
        const twin = await processDetailed({ ...c.input, prefix: crlf(c.input.prefix), suffix: crlf(c.input.suffix), output });
        assert.strictEqual(twin.completion, crlf(c.expected));
        assert.deepStrictEqual(twin.rules, lf.rules);
      }
    });
  }

  it('gives the suggestion the document\'s line ending, and leaves no lone CR in single-line mode', async () => {
    const input = { languageId: 'python', prefix: 'def f(a, b):\r\n    x = g(', suffix: ')\r\n    return x\r\n', output: 'a, b\r\n    y = 2\r\n', multiline: false };
    assert.strictEqual((await processDetailed(input)).completion, 'a, b');
    const block = await processDetailed({ languageId: 'python', prefix: 'def f(xs):\r\n    ', suffix: '\r\n', output: 'for x in xs:\n        print(x)\n', multiline: true });
    assert.strictEqual(block.completion, 'for x in xs:\r\n        print(x)');
    const lineBreak = await processDetailed({ languageId: 'python', prefix: 'def f(a, b):\r\n', suffix: '    return a\r\n', output: '    x = 1\n    y = 2\n', multiline: false });
    assert.strictEqual(lineBreak.completion, '    x = 1\r\n');
  });

  it('stops streaming where the LF twin stops', async () => {
    const input = { languageId: 'python', prefix: 'def f(xs):\n    ', suffix: '\n    return total\n', output: 'total = sum(xs)\n    return total\n', multiline: true };
    assert.strictEqual(await isCompleteOutput(input), true);
    assert.strictEqual(await isCompleteOutput({ ...input, prefix: crlf(input.prefix), suffix: crlf(input.suffix) }), true);
    assert.strictEqual(await createPostprocessor().isComplete({ ...input, prefix: crlf(input.prefix), suffix: crlf(input.suffix), output: crlf(input.output) }), true);
    assert.strictEqual(await isCompleteOutput({ ...input, prefix: crlf(input.prefix), suffix: crlf(input.suffix), output: 'total = sum(xs)\r\n' }), false);
  });

  it('reads the line ending next to the cursor', () => {
    assert.strictEqual(lineEndingOf('a\r\nb', 'c\r\nd'), '\r\n');
    assert.strictEqual(lineEndingOf('a\nb', 'c\nd'), '\n');
    assert.strictEqual(lineEndingOf('a\r\nb', 'cd'), '\r\n');
    assert.strictEqual(lineEndingOf('ab', 'cd'), '\n');
  });
});

describe('postprocess: characters that never reach the editor', () => {
  it('drops NUL and other control characters, but keeps tabs and line breaks', () => {
    assert.strictEqual(stripUnsafeCharacters('a\u0000b\u0007c\u001b[31md\u007fe\u0085f\r'), 'abc[31mdef');
    assert.strictEqual(stripUnsafeCharacters('\tx = 1\n\ty = 2'), '\tx = 1\n\ty = 2');
  });

  it('drops bidirectional embedding, override and isolate characters', () => {
    const hidden = 'if (access == "user\u202E \u2066// admin\u2069 \u2066") {';
    assert.strictEqual(stripUnsafeCharacters(hidden), 'if (access == "user // admin ") {');
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      assert.strictEqual(stripUnsafeCharacters(`a${String.fromCharCode(code)}b`), 'ab', code.toString(16));
    }
    assert.strictEqual(stripUnsafeCharacters('naïve — 東京 ✓'), 'naïve — 東京 ✓');
  });

  it('through the post-processor, with the rule named', async () => {
    const result = await processDetailed({ languageId: 'python', prefix: 'def f(x):\n    return ', suffix: '\n', output: 'x\u0000 + 1\u202E\n', multiline: false });
    assert.strictEqual(result.completion, 'x + 1');
    assert.deepStrictEqual(result.rules.slice(0, 1), ['unsafe-characters']);
  });
});

describe('postprocess: indentation follows the document', () => {
  it('tells tabs from spaces and the indent width from the code around the cursor', () => {
    assert.deepStrictEqual(indentationOf('def f(x):\n\tif x:\n\t\treturn 1\n\t', '\n'), { tabs: true, width: 4 });
    assert.deepStrictEqual(indentationOf('function f() {\n  if (x) {\n    return 1;\n  }\n  ', '\n}\n'), { tabs: false, width: 2 });
    assert.deepStrictEqual(indentationOf('def f(x):\n    if x:\n        return 1\n    ', '\n'), { tabs: false, width: 4 });
    assert.deepStrictEqual(indentationOf('f(a,\n    b)\nif (x) {\n  y();\n', '}\n'), { tabs: false, width: 2 }, 'a tie goes to the smaller step');
    assert.strictEqual(indentationOf('x = 1\n', 'y = 2\n'), undefined);
  });

  it('redoes leading whitespace only, line by line, the first line together with the cursor\'s indentation', () => {
    const tabs = { tabs: true, width: 4 };
    assert.strictEqual(followIndentation('if x:\n        y = 1\n    return y', '\t', tabs), 'if x:\n\t\ty = 1\n\treturn y');
    assert.strictEqual(followIndentation('    y = 1', '\t', tabs), '\ty = 1', 'the first line goes on from the cursor\'s tab');
    assert.strictEqual(followIndentation('y = "a    b"', 'x = ', tabs), 'y = "a    b"', 'mid-line: nothing to redo');
    assert.strictEqual(followIndentation('a\n\tb\n\t\tc', '', { tabs: false, width: 2 }), 'a\n  b\n    c');
    assert.strictEqual(followIndentation('a\n      b', '', tabs), 'a\n\t  b', 'what is left of a tab stays as alignment');
    assert.strictEqual(followIndentation('a\n\tb', '', undefined), 'a\n\tb');
  });

  it('a tab-indented Python file gets tab-indented lines', async () => {
    const result = await processDetailed({
      languageId: 'python', prefix: 'def f(xs):\n\ttotal = 0\n\t', suffix: '\n\treturn total\n', output: 'for x in xs:\n        total += x\n    return total\n', multiline: true,
    });
    assert.strictEqual(result.completion, 'for x in xs:\n\t\ttotal += x');
    assert.deepStrictEqual(result.rules.slice(0, 1), ['indentation']);
  });

  it('a space-indented file gets its own width for the tabs a model wrote', async () => {
    const result = await processDetailed({
      languageId: 'typescript', prefix: 'function f(xs: number[]) {\n  let t = 0;\n  ', suffix: '\n  return t;\n}\n', output: 'for (const x of xs) {\n\t\tt += x;\n\t}\n', multiline: true,
    });
    assert.strictEqual(result.completion, 'for (const x of xs) {\n    t += x;\n  }');
  });
});
