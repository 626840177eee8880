import * as assert from 'assert';
import { findCommentAt } from '../../../src/commands/comments';
import {
  chatCodeAsInsertion, cutAtFunctionEnd, extractCode, functionChatMessages, functionFimParts, planFunctionInsertion,
  siblingStops, signatureStart,
} from '../../../src/commands/insertion';

async function planFor(languageId: string, sample: string) {
  const offset = sample.indexOf('|');
  const text = sample.slice(0, offset) + sample.slice(offset + 1);
  const comment = await findCommentAt(languageId, text, offset);
  assert.ok(comment, 'comment found');
  return { text, comment, plan: planFunctionInsertion(languageId, text, comment) };
}

describe('commands/insertion', () => {
  it('replaces the blank line after the comment, at the comment\'s indentation', async () => {
    const { text, plan } = await planFor('python', 'class A:\n    x = 1\n\n    # double x\n    |\n\n    def other(self):\n        pass\n');
    assert.strictEqual(text.slice(plan.start, plan.end), '    ', 'the blank line (with its spaces) is replaced');
    assert.strictEqual(plan.leading, '    ');
    assert.strictEqual(plan.indentation, '    ');
    assert.strictEqual(plan.trailing, '', 'a blank line already follows');
    assert.strictEqual(plan.signatureStart, 'def ');
    const { prefix, suffix } = functionFimParts(text, plan);
    assert.ok(prefix.endsWith('    # double x\n    def '), JSON.stringify(prefix.slice(-30)));
    assert.ok(suffix.startsWith('\n\n    def other(self):'), JSON.stringify(suffix.slice(0, 30)));
  });

  it('opens a new line when code follows the comment directly, with a blank line before that code', async () => {
    const { text, plan } = await planFor('typescript', '// add two numbers|\nconst x = 1;\n');
    assert.strictEqual(plan.start, plan.end);
    assert.strictEqual(plan.start, text.indexOf('\nconst'));
    assert.strictEqual(plan.leading, '\n');
    assert.strictEqual(plan.trailing, '\n');
    assert.strictEqual(plan.signatureStart, 'function ');
  });

  it('adds no blank line before a closing brace', async () => {
    const { plan } = await planFor('java', 'class A {\n    // returns 42\n    |\n}\n');
    assert.strictEqual(plan.trailing, '');
    assert.strictEqual(plan.signatureStart, '', 'Java methods start with their modifiers or type');
  });

  it('ends the file with a line break when the comment is the last line', async () => {
    const { plan, text } = await planFor('go', 'package m\n\n// Max returns the larger of a and b.|');
    assert.strictEqual(plan.start, text.length);
    assert.strictEqual(plan.leading, '\n');
    assert.strictEqual(plan.trailing, '\n');
    assert.strictEqual(plan.signatureStart, 'func ');
  });

  describe('signature start', () => {
    it('uses an explicit signature verbatim', async () => {
      const { plan } = await planFor('python', '# def parse_date(s: str) -> date: ISO dates only\n|');
      assert.strictEqual(plan.signatureStart, 'def parse_date(s: str) -> date');
    });

    it('turns "function f()" into a method inside a class', async () => {
      const { plan } = await planFor('typescript', 'class C {\n  /** function total(items: number[]): number */\n  |\n}\n');
      assert.strictEqual(plan.signatureStart, 'total(items: number[]): number');
    });

    it('adds self to a Python method named in prose', async () => {
      const { plan } = await planFor('python', 'class C:\n    # scale(factor): multiply all values\n    |\n');
      assert.strictEqual(plan.signatureStart, 'def scale(self, factor)');
    });

    it('keeps only the name for typed languages when the signature is in another syntax', async () => {
      const { comment } = await planFor('rust', '// def clamp(v, lo, hi)\n|');
      assert.strictEqual(signatureStart('rust', comment), 'fn clamp(');
      assert.strictEqual(signatureStart('go', comment), 'func clamp(');
      assert.strictEqual(signatureStart('javascript', comment), 'function clamp(v, lo, hi)');
    });
  });

  describe('where a streamed function ends', () => {
    it('Python: at the first line back at the function\'s indentation', () => {
      const out = 'def add(a, b):\n    """Sum."""\n\n    return a + b\n\nprint(add(1, 2))\n';
      assert.strictEqual(cutAtFunctionEnd(out, 'python', ''), 'def add(a, b):\n    """Sum."""\n\n    return a + b');
      assert.strictEqual(cutAtFunctionEnd('def add(a, b):\n    return a', 'python', ''), undefined, 'still open');
    });

    it('Python method: a sibling method ends it, body lines do not', () => {
      const out = 'def area(self):\n        return self.w * self.h\n\n    def other(self):\n';
      assert.strictEqual(cutAtFunctionEnd(out, 'python', '    '), 'def area(self):\n        return self.w * self.h');
    });

    it('braces: the closing brace at the function\'s indentation, once a line follows', () => {
      const out = 'function f(a) {\n  if (a) {\n    return 1;\n  }\n  return 2;\n}\n\nf(1);';
      assert.strictEqual(cutAtFunctionEnd(out, 'javascript', ''), 'function f(a) {\n  if (a) {\n    return 1;\n  }\n  return 2;\n}');
      assert.strictEqual(cutAtFunctionEnd('function f(a) {\n  return 2;\n}', 'javascript', ''), undefined, 'wait for the line break');
    });
  });

  it('sibling stop sequences sit at the function\'s indentation', () => {
    assert.ok(siblingStops('python', '    ', true).includes('\n    def '));
    assert.ok(siblingStops('go', '', false).includes('\nfunc '));
  });

  describe('chat fallback', () => {
    it('marks the hole in the file and quotes the comment', async () => {
      const { text, plan } = await planFor('python', 'import math\n\n# Area of a circle of radius r.\n|\n\nprint(1)\n');
      const [system, user] = functionChatMessages(text, plan, 'geo.py');
      assert.strictEqual(system.role, 'system');
      assert.match(user.content, /```python\nimport math\n\n# Area of a circle of radius r\.\n<<<FUNCTION GOES HERE>>>\n\nprint\(1\)\n\n```/);
      assert.match(user.content, /> Area of a circle of radius r\./);
      assert.match(user.content, /exactly one fenced ```python code block/);
    });

    it('extracts the first fenced block, also when the closing fence is missing', () => {
      assert.strictEqual(extractCode('Sure!\n```python\ndef f():\n    return 1\n```\nThis returns 1.'), 'def f():\n    return 1');
      assert.strictEqual(extractCode('```ts\nfunction f() {\n  return 1;\n}'), 'function f() {\n  return 1;\n}');
      assert.strictEqual(extractCode('def f():\n    return 1\n'), 'def f():\n    return 1');
    });

    it('re-indents chat code for a method and drops a repeated comment', async () => {
      const { plan } = await planFor('python', 'class A:\n    # twice\n    |\n');
      const code = '# twice\ndef twice(self, x):\n    return 2 * x';
      assert.strictEqual(chatCodeAsInsertion(code, plan), 'def twice(self, x):\n        return 2 * x');
    });
  });
});
