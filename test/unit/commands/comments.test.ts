import * as assert from 'assert';
import { detectSignature, findCommentAt, looksLikeInOrAfterComment } from '../../../src/commands/comments';

/** Splits a sample at its `|` cursor marker. */
function at(sample: string): { text: string; offset: number } {
  const offset = sample.indexOf('|');
  assert.ok(offset >= 0, 'sample has a cursor');
  return { text: sample.slice(0, offset) + sample.slice(offset + 1), offset };
}

async function find(languageId: string, sample: string) {
  const { text, offset } = at(sample);
  return findCommentAt(languageId, text, offset);
}

describe('commands/comments', () => {
  describe('finds the comment in or just before the cursor', () => {
    it('Python: a run of # lines, cursor on the blank line after it', async () => {
      const c = await find('python', 'import re\n\n# Parse an ISO date.\n# Returns None when it does not match.\n|\n\nx = 1\n');
      assert.ok(c);
      assert.strictEqual(c.kind, 'line');
      assert.strictEqual(c.text, 'Parse an ISO date.\nReturns None when it does not match.');
      assert.strictEqual(c.startLine, 2);
      assert.strictEqual(c.endLine, 3);
      assert.strictEqual(c.indentation, '');
      assert.strictEqual(c.inClass, false);
    });

    it('Python: a bare docstring statement (not a function\'s own docstring)', async () => {
      const c = await find('python', 'import os\n\n"""\nReturn the number of lines in the file at `path`.\n"""\n|');
      assert.ok(c);
      assert.strictEqual(c.kind, 'docstring');
      assert.strictEqual(c.text, 'Return the number of lines in the file at `path`.');
    });

    it('Python: a function\'s own docstring is not a description of new code', async () => {
      assert.strictEqual(await find('python', 'def f():\n    """Doc|string."""\n    return 1\n'), undefined);
    });

    it('Python: a comment after the last method of a class is in the class (indentation decides)', async () => {
      const c = await find('python', 'class Shape:\n    def __init__(self, w):\n        self.w = w\n\n    # def area(self): width squared\n    |\n');
      assert.ok(c);
      assert.strictEqual(c.inClass, true);
      assert.strictEqual(c.className, 'Shape');
      assert.strictEqual(c.indentation, '    ');
      assert.deepStrictEqual(c.signature && { name: c.signature.name, explicit: c.signature.explicit }, { name: 'area', explicit: true });
    });

    it('TypeScript: a JSDoc block, cursor inside it', async () => {
      const c = await find('typescript', 'export const x = 1;\n\n/**\n * Returns the |median of `values`.\n * @param values numbers, unsorted\n */\n');
      assert.ok(c);
      assert.strictEqual(c.kind, 'doc');
      assert.strictEqual(c.text, 'Returns the median of `values`.\n@param values numbers, unsorted');
      assert.strictEqual(c.startLine, 2);
      assert.strictEqual(c.endLine, 5);
    });

    it('TypeScript: a // comment inside a class body makes a method', async () => {
      const c = await find('typescript', 'class Cart {\n  items: number[] = [];\n  // total of all items\n  |\n}\n');
      assert.ok(c);
      assert.strictEqual(c.inClass, true);
      assert.strictEqual(c.className, 'Cart');
      assert.strictEqual(c.indentation, '  ');
    });

    it('JavaScript: a block comment, cursor right after its end', async () => {
      const c = await find('javascript', '/* Debounce `fn` by `ms` milliseconds. */|\n');
      assert.ok(c);
      assert.strictEqual(c.kind, 'block');
      assert.strictEqual(c.text, 'Debounce `fn` by `ms` milliseconds.');
    });

    it('Go: consecutive // lines are one comment', async () => {
      const c = await find('go', 'package m\n\n// Reverse returns s reversed.\n// It handles runes.\n|');
      assert.ok(c);
      assert.strictEqual(c.text, 'Reverse returns s reversed.\nIt handles runes.');
      assert.strictEqual(c.inClass, false);
    });

    it('Java: a Javadoc block in a class', async () => {
      const c = await find('java', 'public class Util {\n    /**\n     * Returns true when n is prime.\n     */\n    |\n}\n');
      assert.ok(c);
      assert.strictEqual(c.kind, 'doc');
      assert.strictEqual(c.text, 'Returns true when n is prime.');
      assert.strictEqual(c.inClass, true);
      assert.strictEqual(c.className, 'Util');
      assert.strictEqual(c.indentation, '    ');
    });

    it('Rust: /// doc lines in an impl block', async () => {
      const c = await find('rust', 'struct Stack { items: Vec<i32> }\n\nimpl Stack {\n    /// Returns the top item without removing it.\n    |\n}\n');
      assert.ok(c);
      assert.strictEqual(c.kind, 'doc');
      assert.strictEqual(c.text, 'Returns the top item without removing it.');
      assert.strictEqual(c.inClass, true);
      assert.strictEqual(c.className, 'Stack');
    });

    it('separates comment runs split by a blank line and keeps the nearest', async () => {
      const c = await find('python', '# header of the file\n\n# Sum two numbers.\n|');
      assert.strictEqual(c?.text, 'Sum two numbers.');
    });

    it('notices a comment that already documents a function', async () => {
      const c = await find('typescript', '// Adds two numbers.|\nfunction add(a: number, b: number) { return a + b; }\n');
      assert.strictEqual(c?.documents, 'add');
    });
  });

  describe('is not fooled', () => {
    it('ignores a trailing comment after code', async () => {
      assert.strictEqual(await find('python', 'x = compute()  # the result|\n'), undefined);
    });

    it('gives up when the cursor is far below the comment', async () => {
      assert.strictEqual(await find('python', '# Sum two numbers.\n\n\n\n|'), undefined);
    });

    it('gives up when code sits between the comment and the cursor', async () => {
      assert.strictEqual(await find('go', 'package m\n\n// Reverse a string.\nvar x = 1\n|'), undefined);
    });

    it('returns undefined for a language without rules', async () => {
      assert.strictEqual(await find('plaintext', '# hello|'), undefined);
    });
  });

  describe('signature detection', () => {
    it('explicit signatures in the file\'s own language', () => {
      assert.deepStrictEqual(detectSignature('Parse a date.\ndef parse_date(s: str) -> date', 'python'), { name: 'parse_date', params: 's: str', text: 'def parse_date(s: str) -> date', explicit: true });
      assert.deepStrictEqual(detectSignature('function add(a, b) returns the sum', 'javascript'), { name: 'add', params: 'a, b', text: 'function add(a, b)', explicit: true });
      assert.strictEqual(detectSignature('func Reverse(s string) string', 'go')?.text, 'func Reverse(s string) string');
      assert.strictEqual(detectSignature('pub fn area(&self) -> f64', 'rust')?.text, 'pub fn area(&self) -> f64');
      assert.strictEqual(detectSignature('public static boolean isPrime(int n)', 'java')?.text, 'public static boolean isPrime(int n)');
    });

    it('a signature in another language keeps only name and parameters', () => {
      const sig = detectSignature('def add(a, b): sum of both', 'typescript');
      assert.deepStrictEqual(sig && { name: sig.name, params: sig.params, explicit: sig.explicit }, { name: 'add', params: 'a, b', explicit: false });
    });

    it('a bare name(params) opening the comment', () => {
      const sig = detectSignature('`clamp(value, lo, hi)` limits value to [lo, hi]', 'python');
      assert.deepStrictEqual(sig && { name: sig.name, params: sig.params, explicit: sig.explicit }, { name: 'clamp', params: 'value, lo, hi', explicit: false });
    });

    it('plain prose names no signature', () => {
      assert.strictEqual(detectSignature('Return the sum of a and b (both ints).', 'python'), undefined);
      assert.strictEqual(detectSignature('Returns the number of items in the cart', 'java'), undefined);
    });
  });

  describe('cheap context-menu check (no parse)', () => {
    const check = (text: string, line: number) => looksLikeInOrAfterComment(l => text.split('\n')[l] ?? '', line);
    it('is true on a comment line and on a blank line just below one', () => {
      assert.strictEqual(check('x = 1\n# sum two numbers\n', 1), true);
      assert.strictEqual(check('x = 1\n# sum two numbers\n', 2), true);
      assert.strictEqual(check('/**\n * Adds.\n */\n\n', 3), true);
      assert.strictEqual(check('"""Return the sum."""\n', 1), true);
    });
    it('is false on code and far below a comment', () => {
      assert.strictEqual(check('// c\nconst x = 1;\n', 1), false);
      assert.strictEqual(check('// c\n\n\n\n', 3), false);
      assert.strictEqual(check('const x = 1;\n\n', 1), false);
    });
  });
});
