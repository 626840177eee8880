// The empty-line rules (block.ts) and the restarted-definition rule (restart.ts), one behaviour per case.
import * as assert from 'assert';
import { cutAtBlockEnd } from '../../../src/postprocess/block';
import { dropRestartedDefinition } from '../../../src/postprocess/restart';

const py = (prefix: string, suffix: string) => ({ languageId: 'python', prefix, suffix });

describe('postprocess/block: the first line picks the block', () => {
  it('cuts a line that leaves the first line\'s block for the level the suffix goes on at', () => {
    const input = py('def f(xs):\n    for x in xs:\n        a = x\n', '\n    return a\n');
    assert.deepStrictEqual(cutAtBlockEnd('        b = x\n    c = 1\n', input, { blockExit: true }), { keep: '        b = x', rule: 'block-exit' });
    assert.strictEqual(cutAtBlockEnd('        b = x\n    c = 1\n', input), undefined, 'without the editor\'s multi-line decision');
  });

  it('lets the completion finish the enclosing block when the suffix resumes further out', () => {
    const input = py('def f(xs):\n    for x in xs:\n        a = x\n', '\n\n\ndef g():\n    pass\n');
    assert.strictEqual(cutAtBlockEnd('        b = x\n    return b\n', input, { blockExit: true }), undefined);
  });

  it('keeps a definition to one item', () => {
    const input = py('class A:\n    def a(self):\n        pass\n', '\n');
    assert.deepStrictEqual(cutAtBlockEnd('    def b(self):\n        return 1\n\n    def c(self):\n        return 2\n', input),
      { keep: '    def b(self):\n        return 1', rule: 'one-item' });
  });

  it('keeps a helper defined inside a function together with the code after it that uses it', () => {
    const input = py('def outer(xs):\n    """Doc."""\n', '\n');
    assert.strictEqual(cutAtBlockEnd('    def helper(x):\n        return x\n    return [helper(x) for x in xs]\n', input), undefined);
  });

  it('does nothing inside brackets the code above left open, or off an empty line', () => {
    assert.strictEqual(cutAtBlockEnd('    3,\n  4]\nx = 1\n', py('def f():\n    xs = [1,\n', '\n    return xs\n')), undefined);
    assert.strictEqual(cutAtBlockEnd('1\n    y = 2\n', py('def f():\n    x = ', '\n    return x\n')), undefined);
  });
});

describe('postprocess/restart: a restarted definition', () => {
  it('drops a Python header repeated alone, or with everything that followed it above the cursor', () => {
    const prefix = 'def f(n):\n    """Doc."""\n';
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    ret = []\n', { languageId: 'python', prefix }), '    ret = []\n');
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    """Doc."""\n\n    ret = []\n', { languageId: 'python', prefix }), '    ret = []\n');
  });

  it('drops a restart under another name with the same signature, over a definition with only a docstring', () => {
    const prefix = 'def digits(n: int) -> int:\n    """Product of the odd digits."""\n';
    const suffix = '\n    for d in str(n):\n        product *= int(d)\n    return product\n';
    const at = (p: string, s = suffix) => ({ languageId: 'python', prefix: p, suffix: s });
    const output = 'def digits2(n: int) -> int:\n    """The product of odd digits,\n    0 when there are none."""\n    product = 1\n';
    assert.strictEqual(dropRestartedDefinition(output, at(prefix)), '    product = 1\n');
    assert.strictEqual(dropRestartedDefinition('def digits2(n: int) -> int:\n    product = 1\n', at(prefix)), '    product = 1\n', 'no docstring of its own');
    const otherSignature = 'def is_odd(d: int) -> bool:\n    """Odd."""\n    return d % 2 == 1\n';
    assert.strictEqual(dropRestartedDefinition(otherSignature, at(prefix)), undefined, 'another signature');
    const withBody = 'def digits(n: int) -> int:\n    """Doc."""\n    product = 1\n';
    assert.strictEqual(dropRestartedDefinition(output, at(withBody)), undefined, 'the definition has a body already');
    const outer = 'def digits(n: int) -> int:\n    """Doc."""\n    def helper(m):\n        """Helper."""\n';
    assert.strictEqual(dropRestartedDefinition(output, at(outer, '\n        return m\n')), undefined, 'only the innermost definition');
    const helper = '    def digits2(n: int) -> int:\n        """Helper."""\n        return n\n';
    assert.strictEqual(dropRestartedDefinition(helper, at(prefix)), undefined, 'a helper nested inside it');
    assert.strictEqual(dropRestartedDefinition(output, { languageId: 'python', prefix }), undefined, 'without the code below');
  });

  it('keeps a new definition with the same signature after a stub: the code below is not the stub\'s body', () => {
    const prefix = 'class Shape(Protocol):\n    def area(self) -> float:\n        """The area."""\n';
    const output = '    def perimeter(self) -> float:\n        """The perimeter."""\n';
    for (const suffix of ['\n', '\n\n    def name(self) -> str:\n        """The name."""\n']) {
      assert.strictEqual(dropRestartedDefinition(output, { languageId: 'python', prefix, suffix }), undefined, JSON.stringify(suffix));
    }
  });

  it('keeps a copy that stops part-way, another name, and a brace-language header repeated alone', () => {
    const prefix = 'def f(n):\n    """Doc."""\n    x = 1\n';
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    """Doc."""\n    y = 2\n', { languageId: 'python', prefix }), undefined);
    assert.strictEqual(dropRestartedDefinition('def g(n):\n    return n\n', { languageId: 'python', prefix }), undefined);
    const ts = { languageId: 'typescript', prefix: 'function f(a: number) {\n  const b = a;\n' };
    assert.strictEqual(dropRestartedDefinition('function f(a: number) {\n  return a;\n', ts), undefined);
    assert.strictEqual(dropRestartedDefinition('function f(a: number) {\n  const b = a;\n  return b;\n', ts), '  return b;\n');
  });
});

describe('postprocess/block: comments and decorators belong to the code below them', () => {
  // (Brace languages: only outside every bracket, since inside one every line continues what the code above opened.)
  const topLevel = { languageId: 'typescript', prefix: 'const a = 1;\n', suffix: '\nconst z = 2;\n' };

  it('a comment at the margin before the first line does not set the block (`//`, `/*`, ` *`)', () => {
    for (const comment of ['// note', '/* note */', ' * note']) {
      assert.deepStrictEqual(cutAtBlockEnd(`${comment}\n  y();\nw();\n`, topLevel, { blockExit: true }), { keep: `${comment}\n  y();`, rule: 'block-exit' }, comment);
    }
    assert.strictEqual(cutAtBlockEnd('note();\n  y();\nw();\n', topLevel, { blockExit: true }), undefined, 'code at the margin sets it');
  });

  it('so does a C# attribute alone on its line, but not code with brackets', () => {
    for (const attribute of ['[Obsolete]', '[Obsolete]  ', '[Conditional("DEBUG")]']) {
      assert.deepStrictEqual(cutAtBlockEnd(`${attribute}\n  y();\nw();\n`, topLevel, { blockExit: true }), { keep: `${attribute}\n  y();`, rule: 'block-exit' }, attribute);
    }
    for (const code of ['x[0]', '[a, b] = pair;']) {
      assert.strictEqual(cutAtBlockEnd(`${code}\n  y();\nw();\n`, topLevel, { blockExit: true }), undefined, code);
    }
  });

  it('the item after a comment or a decorator in a class body is still one item', () => {
    const input = py('class A:\n    x = 1\n', '\n');
    const out = '    # First.\n    def a(self):\n        return 1\n\n    def b(self):\n        return 2\n';
    assert.deepStrictEqual(cutAtBlockEnd(out, input), { keep: '    # First.\n    def a(self):\n        return 1', rule: 'one-item' });
    const decorated = '    @property\n    def a(self):\n        return 1\n\n    def b(self):\n        return 2\n';
    assert.deepStrictEqual(cutAtBlockEnd(decorated, input), { keep: '    @property\n    def a(self):\n        return 1', rule: 'one-item' });
  });
});

describe('postprocess/restart: what counts as a definition header', () => {
  it('an async def, and any spacing between the keyword and the name', () => {
    const py = (prefix: string) => ({ languageId: 'python', prefix });
    assert.strictEqual(dropRestartedDefinition('async def f(n):\n    return n\n', py('async def f(n):\n')), '    return n\n');
    assert.strictEqual(dropRestartedDefinition('async  def f(n):\n    return n\n', py('async  def f(n):\n')), '    return n\n');
    assert.strictEqual(dropRestartedDefinition('def  f(n):\n    return n\n', py('def  f(n):\n')), '    return n\n');
  });

  it('a first line over 1,000 characters is no header (the header pattern backtracks quadratically on a long word)', () => {
    const ts = (prefix: string) => ({ languageId: 'typescript', prefix });
    const short = 'function f(' + 'a'.repeat(900) + ') {';
    assert.strictEqual(dropRestartedDefinition(`${short}\n  const b = a;\n  return b;\n`, ts(`${short}\n  const b = a;\n`)), '  return b;\n');
    const long = 'function f(' + 'a'.repeat(1100) + ') {';
    assert.strictEqual(dropRestartedDefinition(`${long}\n  const b = a;\n  return b;\n`, ts(`${long}\n  const b = a;\n`)), undefined);
  });

  it('only on an empty line: mid-line the header is not a restart', () => {
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    return n\n', { languageId: 'python', prefix: 'def f(n):\n    x = ' }), undefined);
  });

  it('while streaming, a copy that has matched so far is nothing new yet; a finished or diverged one is judged', () => {
    const input = { languageId: 'python', prefix: 'def f(n):\n    """Doc."""\n    x = 1\n' };
    const streaming = { streaming: true };
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    """Doc."""\n', input, streaming), '');
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    """Doc."""\n', input), undefined, 'the same copy, finished');
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    """Doc."""\n    x = 1\n    y = 2\n', input, streaming), '    y = 2\n');
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    y = 2\n', input, streaming), '    y = 2\n');
  });

  it('brace languages: a line that opens a function or class body, with or without a parameter list', () => {
    const definitions = [
      'function fib(a = 1) {', 'function fib (a = 1) {', 'function fib(a = 1): number {', 'class Point {',
      'public static int fib(int a) {', 'export class Box<T> extends Base<T> {',
    ];
    for (const header of definitions) {
      const input = { languageId: 'typescript', prefix: `${header}\n  const b = a;\n` };
      assert.strictEqual(dropRestartedDefinition(`${header}\n  const b = a;\n  return b;\n`, input), '  return b;\n', header);
    }
  });

  it('brace languages: not a clause, a statement or a one-line body', () => {
    for (const header of ['} else {', 'function fib() { return 1 }', 'const x = {', 'for (let i = 0; i < n; i++) {']) {
      const input = { languageId: 'typescript', prefix: `${header}\n  const b = a;\n` };
      assert.strictEqual(dropRestartedDefinition(`${header}\n  const b = a;\n  return b;\n`, input), undefined, header);
    }
  });

  it('a method\'s header, indented, is found above whatever its indentation; code that is no header is never a restart', () => {
    const method = { languageId: 'python', prefix: 'class A:\n    def f(self):\n' };
    assert.strictEqual(dropRestartedDefinition('    def f(self):\n        return 1\n', method), '        return 1\n');
    assert.strictEqual(dropRestartedDefinition('x = 1\ny = 2\n', { languageId: 'python', prefix: 'x = 1\n' }), undefined);
    assert.strictEqual(dropRestartedDefinition('\n\n', method), undefined);
  });

  it('blank lines inside the copy are skipped; a copy that stops part-way at the end of the output is not whole', () => {
    const input = { languageId: 'python', prefix: 'def f(n):\n    """Doc."""\n    x = 1\n' };
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    """Doc."""\n\n    x = 1\n    y = 2\n', input), '    y = 2\n');
    assert.strictEqual(dropRestartedDefinition('def f(n):\n    """Doc."""', input), undefined);
  });

  it('brace languages: a header repeated right below itself is kept (it may be new code)', () => {
    const input = { languageId: 'typescript', prefix: 'function f(a: number) {\n' };
    assert.strictEqual(dropRestartedDefinition('function f(a: number) {\n  return a;\n', input), undefined);
  });

  it('not a line that only mentions `def` after its start', () => {
    const input = { languageId: 'python', prefix: 'def f():\n    # def helper\n' };
    assert.strictEqual(dropRestartedDefinition('    # def helper\n    return 1\n', input), undefined);
  });
});

describe('postprocess/block: where the block ends', () => {
  const loop = py('def f(xs):\n    for x in xs:\n        a = x\n', '\n    return a\n');
  const exit = { blockExit: true };

  it('only on an empty line: mid-line or before text on the line nothing is cut', () => {
    assert.strictEqual(cutAtBlockEnd('1\nz = 2\n', py('def f():\n    x = ', '\n    return x\n'), exit), undefined);
    assert.strictEqual(cutAtBlockEnd('        b = x\n    c = 1\n', py(loop.prefix, 'pass\n    return a\n'), exit), undefined);
  });

  it('nothing to cut in blank text', () => {
    assert.strictEqual(cutAtBlockEnd('\n\n', loop, exit), undefined);
  });

  it('the suffix\'s level is its first code line, past comments', () => {
    const commented = py(loop.prefix, '\n# done\n    return a\n');
    assert.deepStrictEqual(cutAtBlockEnd('        b = x\n    c = 1\n', commented, exit), { keep: '        b = x', rule: 'block-exit' });
  });

  it('inside brackets the code above opened, even with a comment above them, nothing is cut', () => {
    const open = py('def f():\n    x = 1  # note\n    xs = [1,\n', '\n    return xs\n');
    assert.strictEqual(cutAtBlockEnd('    3,\n  4]\nx = 1\n', open, exit), undefined);
  });

  it('cuts at the first line that leaves, not a later one', () => {
    assert.deepStrictEqual(cutAtBlockEnd('        b = x\n    c = 1\n    d = 2\n', loop, exit), { keep: '        b = x', rule: 'block-exit' });
  });

  it('lines inside a triple-quoted string or inside brackets the completion opened do not leave', () => {
    const doc = '        """Doc\nnot indented\n        """\n        b = x\n    c = 1\n';
    assert.deepStrictEqual(cutAtBlockEnd(doc, loop, exit), { keep: '        """Doc\nnot indented\n        """\n        b = x', rule: 'block-exit' });
    assert.deepStrictEqual(cutAtBlockEnd('        b = f(\n    1)\n    c = 1\n', loop, exit), { keep: '        b = f(\n    1)', rule: 'block-exit' });
  });

  it('brace languages: a closer of the enclosing block is left to the other rules', () => {
    const topLevel = { languageId: 'typescript', prefix: 'const a = 1;\n', suffix: '\nconst z = 2;\n' };
    assert.strictEqual(cutAtBlockEnd('  y();\n}\nw();\n', topLevel, exit), undefined);
    assert.strictEqual(cutAtBlockEnd('  y();\n} else {\nw();\n', topLevel, exit), undefined);
  });
});

describe('postprocess/block: one definition is one item', () => {
  const twoMethods = (indent: string) => `${indent}def a(self):\n${indent}    return 1\n\n${indent}def b(self):\n${indent}    return 2\n`;
  const first = (indent: string) => ({ keep: `${indent}def a(self):\n${indent}    return 1`, rule: 'one-item' });

  it('async methods too', () => {
    const out = '    async def a(self):\n        return 1\n\n    async def b(self):\n        return 2\n';
    assert.deepStrictEqual(cutAtBlockEnd(out, py('class A:\n    x = 1\n', '\n')), { keep: '    async def a(self):\n        return 1', rule: 'one-item' });
  });

  it('a statement that mentions `def` is no definition; a statement after a method ends it', () => {
    assert.strictEqual(cutAtBlockEnd('    x = 1  # def\n    y = 2\n', py('class A:\n    z = 1\n', '\n')), undefined);
    const out = '    def a(self):\n        return 1\n    x = a if b else c\n';
    assert.deepStrictEqual(cutAtBlockEnd(out, py('class A:\n    z = 1\n', '\n')), first('    '));
  });

  it('a single method is not cut', () => {
    assert.strictEqual(cutAtBlockEnd('    def a(self):\n        return 1\n', py('class A:\n    x = 1\n', '\n')), undefined);
  });

  it('at the top level and in a class body (past comments above), not in a function or where nothing encloses it', () => {
    assert.deepStrictEqual(cutAtBlockEnd(twoMethods(''), py('import os\n', '\n')), first(''));
    assert.deepStrictEqual(cutAtBlockEnd(twoMethods('    '), py('class A:\n# note\n    x = 1\n', '\n')), first('    '));
    assert.deepStrictEqual(cutAtBlockEnd(twoMethods('        '), py('def f():\n    class B:\n        x = 1\n', '\n')), first('        '));
    assert.strictEqual(cutAtBlockEnd(twoMethods('    '), py('def f():  # makes a class\n    x = 1\n', '\n')), undefined);
    assert.strictEqual(cutAtBlockEnd(twoMethods('    '), py('    x = 1\n', '\n')), undefined);
  });
});
