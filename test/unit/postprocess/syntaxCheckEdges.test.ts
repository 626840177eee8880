// The parse check's edges (syntaxCheck.ts) and the rough bracket scans it relies on (text.ts), one behaviour per case.
import * as assert from 'assert';
import { indentationErrors, spliceChecker, windowEnd } from '../../../src/postprocess/syntaxCheck';
import { bracketBalance, closingTail } from '../../../src/postprocess/text';
import { dropRestartedDefinition } from '../../../src/postprocess/restart';

describe('postprocess/syntaxCheck: window and counts', () => {
  it('the window ends at the suffix\'s end when its last line (no line break) is not top-level', () => {
    assert.strictEqual(windowEnd('x\n  y'), 5);
    assert.strictEqual(windowEnd('x\n  y\nz'), 6);
  });

  it('counts one parse per new completion, none for one already judged', async () => {
    const check = await spliceChecker('typescript', 'const a = ', ';\n');
    assert.ok(check);
    check.errorsWith('1');
    check.errorsWith('1');
    assert.strictEqual(check.parses, 1);
    check.errorsClosed('2');
    check.errorsClosed('2');
    assert.strictEqual(check.parses, 2);
  });

  it('Python\'s indentation rules are not applied to brace languages', async () => {
    const check = await spliceChecker('typescript', 'function f() {\n  const a = 1;\n  ', '    return a;\n}\n');
    assert.strictEqual(check?.errorsWith('const b = 2;\n'), 0);
  });

  it('a Python header the completion leaves without a body adds an error', async () => {
    const check = await spliceChecker('python', 'def f(x):\n    ', '\n');
    assert.ok(check);
    assert.ok(check.errorsWith('if x:\n        # todo\n    y = 1') > check.errorsWith('if x:\n        pass\n    y = 1'));
  });

  it('a header in the suffix right after the completion is not the completion\'s', async () => {
    const check = await spliceChecker('python', 'def f(x):\n    ', 'if y:\n    z = 1\n');
    assert.strictEqual(check?.leavesEmptyBody('y = 1\n    '), false);
  });
});

describe('postprocess/syntaxCheck: closed readings', () => {
  it('a parameter list continued on the next line gets its body once closed', async () => {
    const ts = await spliceChecker('typescript', 'const x = 1;\n', '\n');
    assert.ok(ts);
    assert.strictEqual(ts.errorsClosed('function g(a,'), ts.errorsClosed(''));
    assert.strictEqual(ts.errorsClosed('function g(a = f(b'), ts.errorsClosed(''), 'two brackets closed on one line');
    const python = await spliceChecker('python', 'x = 1\n', '\n');
    assert.ok(python);
    assert.strictEqual(python.errorsClosed('def g(a,'), python.errorsClosed(''));
    assert.strictEqual(python.errorsClosed('def g(a=f(b'), python.errorsClosed(''), 'two brackets closed on one line');
    const js = await spliceChecker('javascript', 'let x = 1;\n', '\n');
    assert.ok(js);
    assert.strictEqual(js.errorsClosed('function g(a,'), js.errorsClosed(''), 'JavaScript has no signatures without a body');
    const method = await spliceChecker('python', 'class A:\n    x = 1\n', '\n');
    assert.ok(method);
    assert.strictEqual(method.errorsClosed('    def g(self,'), method.errorsClosed(''), 'the body one level below the header\'s own line');
  });

  it('a header with neither its brace nor an open parameter list gets no body', async () => {
    const ts = await spliceChecker('typescript', 'const x = 1;\n', '\n');
    assert.ok(ts);
    assert.ok(ts.errorsClosed('if (x) ') > ts.errorsClosed(''));
  });
});

describe('postprocess/syntaxCheck: Python indentation, comments', () => {
  it('a bracket inside a comment with a quote in it opens nothing', () => {
    assert.strictEqual(indentationErrors("    x = 1  # (see 'a')\n", '        y = 2\n'), 1);
    assert.strictEqual(indentationErrors('    if x:\n', "        y = 2  # (see 'a')\n            z = 3\n"), 1);
  });

  it('the line after the insertion is a header with a comment or trailing spaces after its colon', () => {
    assert.strictEqual(indentationErrors('    if x:\n', '        if y:  # note\n            z = 3\n'), 0);
    assert.strictEqual(indentationErrors('    if x:\n', '        if y:  \n            z = 3\n'), 0);
  });
});

describe('postprocess/text: bracket scans', () => {
  it('an escaped quote does not end a string; an empty string ends at once', () => {
    assert.strictEqual(bracketBalance('"a\\"b" (').depth, 1);
    assert.strictEqual(bracketBalance('"" (').depth, 1);
  });

  it('the lowest depth reached is kept', () => {
    assert.deepStrictEqual(bracketBalance('))(()'), { depth: -1, minDepth: -2 });
  });

  it('a block comment ends only at */', () => {
    assert.strictEqual(closingTail('/* a/ (', 'typescript'), ' */');
    assert.strictEqual(closingTail('/* a* (', 'typescript'), ' */');
    assert.strictEqual(closingTail('/*/ (', 'typescript'), ' */');
    assert.strictEqual(closingTail('/* x */* y (', 'typescript'), '\n)');
    assert.strictEqual(closingTail('/* x *//(a', 'typescript'), '\n)');
  });

  it('an escaped quote stays in its string up to the line end', () => {
    assert.strictEqual(closingTail('x = "a\\" (\n(', 'typescript'), '\n)');
  });

  it('only brackets are pushed', () => {
    assert.strictEqual(closingTail('f(a', 'typescript'), '\n)');
    assert.strictEqual(closingTail('ab', 'typescript'), '');
  });
});

describe('postprocess/restart: the header length bound', () => {
  it('a first line of exactly 1,000 characters can still be a header', () => {
    const header = 'function f(' + 'a'.repeat(1000 - 'function f() {'.length) + ') {';
    assert.strictEqual(header.length, 1000);
    const input = { languageId: 'typescript', prefix: `${header}\n  const b = a;\n` };
    assert.strictEqual(dropRestartedDefinition(`${header}\n  const b = a;\n  return b;\n`, input), '  return b;\n');
  });
});

describe('postprocess/restart: a reworded docstring while streaming', () => {
  const input = { languageId: 'python', prefix: 'def f(xs):\n    """Sum the list."""\n    ' };

  it('still inside the model\'s own docstring: nothing new yet', () => {
    assert.strictEqual(dropRestartedDefinition('def f(xs):\n    """Add up\n', input, { streaming: true }), '');
    assert.strictEqual(dropRestartedDefinition('def f(xs):\n    """Add up\n', input), '    """Add up\n', 'finished: only the header goes');
  });

  it('a body line instead of a docstring is the new code at once', () => {
    assert.strictEqual(dropRestartedDefinition('def f(xs):\n    return 1\n', input, { streaming: true }), '    return 1\n');
  });

  it('a string assigned in the body is no docstring', () => {
    const input = { languageId: 'python', prefix: 'def f():\n    x = """a"""\n    ' };
    assert.strictEqual(dropRestartedDefinition('def f():\n    y = """b"""\n    z = 1\n', input), '    y = """b"""\n    z = 1\n');
  });

  it('a reworded raw docstring goes too', () => {
    const input = { languageId: 'python', prefix: 'def f(xs):\n    r"""Sum."""\n    ' };
    assert.strictEqual(dropRestartedDefinition('def f(xs):\n    r"""Add."""\n    return 1\n', input), '    return 1\n');
  });

  it('only a document with just a docstring below the header lets the model\'s docstring go', () => {
    const statement = { languageId: 'python', prefix: 'def f():\n    x = 1\n    ' };
    assert.strictEqual(dropRestartedDefinition('def f():\n    """Doc."""\n    y = 2\n', statement), '    """Doc."""\n    y = 2\n');
    const open = { languageId: 'python', prefix: 'def f():\n    """Sum\n    ' };
    assert.strictEqual(dropRestartedDefinition('def f():\n    """Add\n    more\n', open), '    """Add\n    more\n', 'the document\'s docstring is still open');
    assert.strictEqual(dropRestartedDefinition('def f():\n    """Add."""\n    y = 2\n', open), '    """Add."""\n    y = 2\n');
  });
});

