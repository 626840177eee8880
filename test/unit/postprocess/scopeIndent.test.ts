// How the scope rule reads indentation around the cursor (scope.ts helpers), one behaviour per case.
import * as assert from 'assert';
import {
  atTopLevelGap, cursorIndentOf, cursorIndentWith, cutAtScopeExit, emptyBlockHeaderIndent, nextSuffixIndent, scopeFloor,
} from '../../../src/postprocess/scope';

const py = (prefix: string, suffix = '') => ({ languageId: 'python', prefix, suffix });
const ts = (prefix: string, suffix = '') => ({ languageId: 'typescript', prefix, suffix });

describe('postprocess/scope: the suffix\'s next line', () => {
  it('counts the cursor\'s own line when the cursor is at its start', () => {
    assert.strictEqual(nextSuffixIndent('x = 1\n', '    y = 1\n'), 4);
    assert.strictEqual(nextSuffixIndent('x = 1\n  ', 'y\n      z\n'), 2, 'the indentation left of the cursor counts');
  });

  it('otherwise takes the next line with code, past blank ones', () => {
    assert.strictEqual(nextSuffixIndent('def f():\n    x = ', '1\n        z\n'), 8);
    assert.strictEqual(nextSuffixIndent('a\n', '\n\n  b\n'), 2);
    assert.strictEqual(nextSuffixIndent('a\n', ''), undefined);
    assert.strictEqual(nextSuffixIndent('a\n', '\n\n'), undefined);
  });
});

describe('postprocess/scope: the cursor\'s indentation', () => {
  it('is the cursor line\'s own indentation when it has code', () => {
    assert.strictEqual(cursorIndentOf('def f():\n    x = '), 4);
  });

  it('on a blank line, one deeper than the last code line above', () => {
    assert.strictEqual(cursorIndentOf('def f():\n    a = 1\n\n'), 5);
    assert.strictEqual(cursorIndentOf('def f():\n'), 1);
  });

  it('with no code above, the blank line\'s own indentation', () => {
    assert.strictEqual(cursorIndentOf(''), 0);
    assert.strictEqual(cursorIndentOf('  '), 2);
    assert.strictEqual(cursorIndentOf('\n\n   '), 3);
  });

  it('on an empty line, the completion\'s first code line picks the level, down to where the suffix goes on', () => {
    const input = py('def f(xs):\n    for x in xs:\n        a = x\n', '\n    return a\n');
    assert.strictEqual(cursorIndentWith(['    b = 1'], input), 4);
    assert.strictEqual(cursorIndentWith(['', '        b = 1'], input), 8, 'blank lines first');
    assert.strictEqual(cursorIndentWith(['b = 1'], input), 9, 'left of the suffix\'s level: the document decides');
    assert.strictEqual(cursorIndentWith(['            deeper()'], input), 9, 'never deeper than the document allows');
    assert.strictEqual(cursorIndentWith(['', ''], input), 9, 'no code line');
  });

  it('the first output line starts at the cursor: what is left of it counts', () => {
    const input = py('def f(xs):\n    for x in xs:\n        a = x\n    ', '\n    return a\n');
    assert.strictEqual(cursorIndentWith(['b = 1'], input), 4);
  });

  it('elsewhere than an empty line, the document alone', () => {
    const midLine = py('def f(xs):\n    for x in xs:\n        a = ', '\n    return a\n');
    assert.strictEqual(cursorIndentWith(['x'], midLine), 8);
    const beforeText = py('def f(xs):\n    for x in xs:\n        a = x\n', 'b = 2\n    return a\n');
    assert.strictEqual(cursorIndentWith(['    c = 1'], beforeText), 9);
  });
});

describe('postprocess/scope: the floor', () => {
  it('brace languages: the top level when the cursor is nested, no limit at the top level', () => {
    assert.strictEqual(scopeFloor(ts('function f() {\n  '), 2), 0);
    assert.strictEqual(scopeFloor(ts('function f() {\n  '), 0), -1);
  });

  it('counts a definition header on the cursor\'s own line', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    def f(self):'), 4), 4);
  });

  it('skips comment lines at the left margin', () => {
    assert.strictEqual(scopeFloor(py('def f():\n# note\n    x = 1\n    '), 4), 0);
  });

  it('skips lines inside a triple-quoted string', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    def f(self):\n        """\n  class B:\n        """\n        '), 8), 4);
  });

  it('a class alone is the scope when no function encloses the cursor', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    x = 1\n    '), 4), 0);
  });

  it('widens to the class when the suffix goes on at the method\'s level', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    def f(self):\n        ', '\n    def g(self):\n        pass\n'), 9), 0);
    assert.strictEqual(scopeFloor(py('class A:\n    def f(self):\n        ', '\n        return 1\n'), 9), 4);
  });
});

describe('postprocess/scope: the cursor opens an empty block', () => {
  it('gives the header\'s indentation in Python and in brace languages', () => {
    assert.strictEqual(emptyBlockHeaderIndent(py('def f(x):\n    if x:  # why\n        ', '\n')), 4);
    assert.strictEqual(emptyBlockHeaderIndent(py('def f(x):\n    if x:', '\n')), 4, 'the cursor at the end of the header');
    assert.strictEqual(emptyBlockHeaderIndent(ts('function f() {\n  ', '\n')), 0);
  });

  it('not when the block already has a body below, the line goes on, or the line above opens nothing', () => {
    assert.strictEqual(emptyBlockHeaderIndent(ts('function f() {\n  ', '\n  return 1\n}\n')), undefined);
    assert.strictEqual(emptyBlockHeaderIndent(py('if x:\n    ', 'y\n')), undefined);
    assert.strictEqual(emptyBlockHeaderIndent(py('x = 1\n', '\n')), undefined);
    assert.strictEqual(emptyBlockHeaderIndent(py('', '\n')), undefined, 'nothing above');
    assert.strictEqual(emptyBlockHeaderIndent(ts('if (x) {\n', '\n')), 0);
    assert.strictEqual(emptyBlockHeaderIndent(py('if (x) {\n', '\n')), undefined, 'a brace opens nothing in Python');
  });
});

describe('postprocess/scope: a gap between top-level items', () => {
  it('at the start of a file, only within its first lines', () => {
    assert.ok(atTopLevelGap(ts('\n\n')));
    assert.ok(!atTopLevelGap(ts('\n'.repeat(70))));
  });

  it('never mid-line', () => {
    assert.ok(!atTopLevelGap(ts('function a() {}\n\nconst ')));
  });

  it('Python: after an indented line, only when the suffix resumes at the left margin or ends', () => {
    assert.ok(atTopLevelGap(py('def a():\n    return 1\n\n', '')));
    assert.ok(atTopLevelGap(py('def a():\n    return 1\n\n', '\nb = 2\n')));
    assert.ok(!atTopLevelGap(py('def a():\n    return 1\n\n', '\n    c = 2\n')));
    assert.ok(!atTopLevelGap(ts('function a() {\n  return 1\n\n', '\n')), 'brace languages: an indented line above is inside a block');
  });

  it('a comment above belongs to what follows; a line ending in an operator leaves something open', () => {
    assert.ok(atTopLevelGap(ts('const a = 1\n  // trailing note\n', '\n')));
    assert.ok(!atTopLevelGap(ts('const a = 1 +\n', '\n')));
    assert.ok(atTopLevelGap(ts('const a = 1 // total +\n', '\n')), 'an operator in a comment opens nothing');
  });
});

describe('postprocess/scope: what counts as a definition or a clause', () => {
  it('a definition keyword only at the start of its line', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    if x:  # def\n        '), 8), 0);
  });

  it('an async def, with any spacing', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    async def f(self):\n        '), 8), 4);
    assert.strictEqual(scopeFloor(py('class A:\n    async  def f(self):\n        '), 8), 4);
  });

  it('a clause keyword only at the start of its line: a conditional expression at the margin is a new item', () => {
    const input = py('def a():\n    return 1\n\n\n', '\n\ndef z():\n    pass\n');
    assert.deepStrictEqual(cutAtScopeExit('def b():\n    return 1\nx = 1 if y else 2\n', input), { keep: 'def b():\n    return 1', atNewline: true });
  });

  it('a class is a line that starts with the keyword, nested ones too', () => {
    assert.strictEqual(scopeFloor(py('def f():  # not a class\n    def g():\n        '), 8), 0);
    assert.strictEqual(scopeFloor(py('class A:\n    class B:\n        def m(self):\n            '), 12), 8);
  });

  it('only a definition on the cursor\'s own line counts, and code with no definition above has no floor', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    x = '), 4), 0);
    assert.strictEqual(scopeFloor(py('    x = 1\n    '), 4), -1);
  });
});

describe('postprocess/scope: cutting at the scope\'s exit', () => {
  const gapTs = ts('function a() {}\n\n', '\nfunction z() {}\n');
  const gapPy = py('def a():\n    return 1\n\n\n', '\n\ndef z():\n    pass\n');

  it('a block header above the cursor is no definition', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    if x:\n        '), 8), 0);
  });

  it('the first item at a top-level gap keeps its docstring, its brackets and its else-like clauses', () => {
    const doc = 'def b():\n    """Doc\nnot code\n    """\n    return 1\n\n\ndef c():\n    pass\n';
    assert.deepStrictEqual(cutAtScopeExit(doc, gapPy), { keep: 'def b():\n    """Doc\nnot code\n    """\n    return 1', atNewline: true });
    assert.deepStrictEqual(cutAtScopeExit('X = [\n1,\n2,\n]\n\n\ndef c():\n    pass\n', gapPy), { keep: 'X = [\n1,\n2,\n]', atNewline: true });
    assert.deepStrictEqual(cutAtScopeExit('try:\n    import x\nexcept ImportError:\n    x = None\ny = 1\n', gapPy), { keep: 'try:\n    import x\nexcept ImportError:\n    x = None', atNewline: true });
    assert.deepStrictEqual(cutAtScopeExit('if (x) {\n  a()\n}\nelse {\n  b()\n}\nfoo()\n', gapTs), { keep: 'if (x) {\n  a()\n}\nelse {\n  b()\n}', atNewline: true });
    assert.deepStrictEqual(cutAtScopeExit('function b() {}\nconst x = "else"\n', gapTs), { keep: 'function b() {}', atNewline: true });
  });

  it('at a gap, indented first lines still follow the enclosing scope', () => {
    const input = py('def a():\n    return 1\n\n', '');
    assert.deepStrictEqual(cutAtScopeExit('    x = 2\n    return x\n\ndef c():\n    pass\n', input), { keep: '    x = 2\n    return x', atNewline: true });
  });

  it('the block the cursor opens ends at its own level, clauses there included, not at the method\'s', () => {
    const input = py('class A:\n    def f(self):\n        ', '\n');
    assert.deepStrictEqual(cutAtScopeExit('return 1\n    else:\n        pass\n', input, { endWithOpenedBlock: true }), { keep: 'return 1', atNewline: true });
  });

  it('Python braces are not blocks', () => {
    assert.strictEqual(cutAtScopeExit('"b": 2,\n}\nx = 1\n', py('d = {\n    "a": 1,\n    ')), undefined);
  });

  it('brace languages: a top-level line after a nested cursor ends the unit even without a closer', () => {
    assert.deepStrictEqual(cutAtScopeExit('x()\nfunction b() {}\n', ts('function a() {\n  ')), { keep: 'x()', atNewline: true });
  });

  it('mid-line, the first line continues the cursor\'s line and later lines are judged', () => {
    assert.deepStrictEqual(cutAtScopeExit('1\n\n\ndef other():\n    pass\n', py('def f():\n    x = ')), { keep: '1', atNewline: true });
  });
});
