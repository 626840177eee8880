import * as assert from 'assert';
import { parseErrorsIn, validateFunction, validateTests } from '../../../src/commands/validate';

const PY_BEFORE = 'import math\n\n# Area of a circle.\n';
const PY_AFTER = '\n\nprint("done")\n';

describe('commands/validate', () => {
  describe('a generated function', () => {
    it('accepts exactly one complete function', async () => {
      const v = await validateFunction('python', PY_BEFORE, 'def area(r):\n    return math.pi * r * r', PY_AFTER);
      assert.deepStrictEqual(v, { ok: true, text: 'def area(r):\n    return math.pi * r * r', trimmed: false });
    });

    it('rejects two functions', async () => {
      const v = await validateFunction('python', PY_BEFORE, 'def area(r):\n    return math.pi * r * r\n\ndef circumference(r):\n    return 2 * math.pi * r', PY_AFTER);
      assert.strictEqual(v.ok, false);
      assert.match(!v.ok ? v.reason : '', /2 functions/);
    });

    it('rejects a partial function', async () => {
      const v = await validateFunction('typescript', '// add\n', 'function add(a: number, b: number) {\n  return a +', '\n\nconst x = 1;\n');
      assert.strictEqual(v.ok, false);
    });

    it('rejects broken code and code that is not a function', async () => {
      const broken = await validateFunction('go', 'package m\n\n// Max\n', 'func Max(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t\n\treturn b\n}', '\n');
      assert.strictEqual(broken.ok, false);
      const statement = await validateFunction('python', PY_BEFORE, 'area = math.pi', PY_AFTER);
      assert.deepStrictEqual(statement, { ok: false, reason: 'the generated code is not a function' });
      const empty = await validateFunction('python', PY_BEFORE, '  \n', PY_AFTER);
      assert.strictEqual(empty.ok, false);
    });

    it('trims trailing junk after the function (a usage line, a half-started next function)', async () => {
      const v = await validateFunction('python', PY_BEFORE, 'def area(r):\n    return math.pi * r * r\n\nprint(area(2))\ndef vol(', PY_AFTER);
      assert.deepStrictEqual(v, { ok: true, text: 'def area(r):\n    return math.pi * r * r', trimmed: true });
      const ts = await validateFunction('typescript', '// add\n', 'function add(a: number, b: number): number {\n  return a + b;\n}\n\nconsole.log(add(1, 2));', '\n');
      assert.deepStrictEqual(ts, { ok: true, text: 'function add(a: number, b: number): number {\n  return a + b;\n}', trimmed: true });
    });

    it('accepts methods in classes for each language', async () => {
      const cases: [string, string, string, string][] = [
        ['python', 'class A:\n    # twice\n    ', 'def twice(self, x):\n        return 2 * x', '\n'],
        ['typescript', 'class A {\n  // twice\n  ', 'twice(x: number): number {\n    return 2 * x;\n  }', '\n}\n'],
        ['javascript', 'class A {\n  // twice\n  ', 'twice(x) {\n    return 2 * x;\n  }', '\n}\n'],
        ['java', 'class A {\n    // twice\n    ', 'public int twice(int x) {\n        return 2 * x;\n    }', '\n}\n'],
        ['rust', 'struct A;\nimpl A {\n    // twice\n    ', 'fn twice(&self, x: i32) -> i32 {\n        2 * x\n    }', '\n}\n'],
        ['go', 'package m\n\ntype A struct{}\n\n// Twice\n', 'func (a A) Twice(x int) int {\n\treturn 2 * x\n}', '\n'],
      ];
      for (const [lang, before, fn, after] of cases) {
        const v = await validateFunction(lang, before, fn, after);
        assert.ok(v.ok, `${lang}: ${!v.ok ? v.reason : ''}`);
      }
    });

    it('accepts export function, arrow functions and decorated / annotated functions', async () => {
      for (const [lang, fn] of [
        ['typescript', 'export function f(): number {\n  return 1;\n}'],
        ['typescript', 'const f = (x: number): number => x * 2;'],
        ['python', '@functools.cache\ndef f(x):\n    return x'],
        ['rust', '#[inline]\npub fn f() -> i32 {\n    1\n}'],
      ]) {
        const v = await validateFunction(lang, '// f\n', fn, '\n');
        assert.ok(v.ok, `${lang} ${fn}: ${!v.ok ? v.reason : ''}`);
      }
    });

    it('rejects a function that breaks the code after it', async () => {
      // The unclosed brace swallows the user's next function: no new function may add parse errors.
      const v = await validateFunction('javascript', '// f\n', 'function f() {\n  return [1, 2', '\n\nfunction g() {\n  return 3;\n}\n');
      assert.strictEqual(v.ok, false);
    });

    it('counts parse errors', async () => {
      assert.strictEqual(await parseErrorsIn('python', 'def f():\n    return 1\n'), 0);
      assert.ok(((await parseErrorsIn('python', 'def f(:\n')) ?? 0) > 0);
    });
  });

  describe('generated tests', () => {
    it('accept complete tests and cut back a test that stopped in the middle', async () => {
      const before = 'import pytest\n\nfrom m import f\n\n\n# Tests for f (pytest)\n';
      const ok = await validateTests('python', before, 'def test_f():\n    assert f(1) == 2\n', '\n');
      assert.deepStrictEqual(ok, { ok: true, text: 'def test_f():\n    assert f(1) == 2', trimmed: false });
      const cut = await validateTests('python', before, 'def test_f():\n    assert f(1) == 2\n\n\ndef test_g():\n    assert f(', '\n');
      assert.deepStrictEqual(cut, { ok: true, text: 'def test_f():\n    assert f(1) == 2', trimmed: true });
    });

    it('accept describe/it blocks (functions inside calls)', async () => {
      const v = await validateTests('typescript', "import { f } from './f';\n\n// Tests for f (Vitest)\n", "describe('f', () => {\n  it('works', () => {\n    expect(f()).toBe(1);\n  });\n});", '\n');
      assert.ok(v.ok);
    });

    it('reject text with no test function, and unparseable text', async () => {
      const prose = await validateTests('python', '# Tests\n', 'x = 1', '\n');
      assert.strictEqual(prose.ok, false);
      const broken = await validateTests('javascript', '// Tests\n', "describe('f', () => {\n  it('works', () => {", '\n');
      assert.strictEqual(broken.ok, false);
    });
  });
});
