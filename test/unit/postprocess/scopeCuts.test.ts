// Where the scope rule cuts (scope.ts), the edges the other scope tests leave open: braces inside strings and
// comments, closers at the floor, the cursor mid-line, comments and triple quotes. One behaviour per case.
import * as assert from 'assert';
import { atTopLevelGap, cutAtScopeExit, emptyBlockHeaderIndent, scopeFloor } from '../../../src/postprocess/scope';

const py = (prefix: string, suffix = '') => ({ languageId: 'python', prefix, suffix });
const ts = (prefix: string, suffix = '') => ({ languageId: 'typescript', prefix, suffix });

describe('postprocess/scope: the brace that closes the cursor\'s block', () => {
  // The cursor is in an `if` inside a function: the `}` that closes the `if` ends the unit.
  const nested = ts('function a() {\n  if (x) {\n    ', '\n}\n');
  const closesIf = (first: string) => cutAtScopeExit(`${first}\n  }\n  z();\n}\n`, nested);

  it('a brace in a string literal is no brace, whatever the quote', () => {
    for (const first of ['y = "}";', "y = '}';", 'y = `}`;']) {
      assert.deepStrictEqual(closesIf(first), { keep: `${first}\n  }`, atNewline: true }, first);
    }
  });

  it('a string ends at its closing quote: a brace after it counts', () => {
    const cut = cutAtScopeExit('if (s === "ab") {\n      w();\n    }\n  }\n  z();\n}\n', nested);
    assert.deepStrictEqual(cut, { keep: 'if (s === "ab") {\n      w();\n    }\n  }', atNewline: true });
  });

  it('a string goes on past its first character: a brace further in is no brace', () => {
    assert.deepStrictEqual(closesIf('y = "ab}";'), { keep: 'y = "ab}";\n  }', atNewline: true });
  });

  it('an escaped quote does not end the string', () => {
    assert.deepStrictEqual(closesIf('y = "a\\"}";'), { keep: 'y = "a\\"}";\n  }', atNewline: true });
  });

  it('a brace in a line comment is no brace, and a lone slash starts no comment', () => {
    assert.deepStrictEqual(closesIf('y(); // }'), { keep: 'y(); // }\n  }', atNewline: true });
    assert.deepStrictEqual(closesIf('y = { k: a / b };'), { keep: 'y = { k: a / b };\n  }', atNewline: true });
  });

  it('a block opened and closed in the completion keeps it open until its own closer', () => {
    const cut = cutAtScopeExit('if (y) {\n      w();\n    }\n  }\n  z();\n}\n', nested);
    assert.deepStrictEqual(cut, { keep: 'if (y) {\n      w();\n    }\n  }', atNewline: true });
  });

  it('a line that closes the block after code on it is no clean end: the floor decides', () => {
    assert.strictEqual(cutAtScopeExit('y(); }\n  z();\n}\n', nested), undefined);
  });
});

describe('postprocess/scope: a closer at the floor', () => {
  const call = ts('foo(\n  ', '\n');

  it('keeps the closing line and cuts what follows it', () => {
    assert.deepStrictEqual(cutAtScopeExit('a,\n  b\n)\nbar()\n', call), { keep: 'a,\n  b\n)', atNewline: true });
  });

  it('a line that starts with a closer and goes on (`).then(...)`) is a closer too', () => {
    assert.deepStrictEqual(cutAtScopeExit('a\n).then(b)\nbar()\n', call), { keep: 'a\n).then(b)', atNewline: true });
  });

  it('nothing to cut when the closer is last, blank lines after it included', () => {
    assert.strictEqual(cutAtScopeExit('a\n)', call), undefined);
    assert.strictEqual(cutAtScopeExit('a\n)\n\n  \n', call), undefined);
  });
});

describe('postprocess/scope: the first line', () => {
  it('at the start of a line, a first line at the floor leaves nothing (and no line break)', () => {
    const input = ts('function a() {\n  x();\n', '  y();\n}\n');
    assert.deepStrictEqual(cutAtScopeExit('function b() {}\n  z();\n', input), { keep: '', atNewline: false });
  });

  it('mid-line, the first line continues the cursor\'s line and is never cut', () => {
    assert.strictEqual(cutAtScopeExit('x):\n    return x\n', py('def f(')), undefined);
  });

  it('brace languages have no triple-quoted strings: a later line at the floor is still code', () => {
    assert.deepStrictEqual(cutAtScopeExit('x(); // """\nfunction b() {}\n', ts('function a() {\n  ')), { keep: 'x(); // """', atNewline: true });
  });

  it('at a top-level gap, the first code line (not a comment) says whether a new item starts', () => {
    const gap = ts('function a() {}\n\n', '\nfunction z() {}\n');
    assert.deepStrictEqual(cutAtScopeExit('  // note\nfunction b() {}\nfunction c() {}\n', gap), { keep: '  // note\nfunction b() {}', atNewline: true });
  });

  it('at a top-level gap in a brace language, a line after `"""` in a comment still starts an item', () => {
    const gap = ts('function a() {}\n\n', '\nfunction z() {}\n');
    assert.deepStrictEqual(cutAtScopeExit('function b() {} // """\nfunction c() {}\n', gap), { keep: 'function b() {} // """', atNewline: true });
  });
});

describe('postprocess/scope: clauses at the floor', () => {
  it('without an opened block, a clause at the floor is cut like any line (one-space indentation too)', () => {
    assert.deepStrictEqual(cutAtScopeExit('return 1\n else:\n  pass\n', py('class A:\n def f(self):\n  ')), { keep: 'return 1', atNewline: true });
  });
});

describe('postprocess/scope: comments and headers', () => {
  it('an indented comment above is no enclosing line', () => {
    assert.strictEqual(scopeFloor(py('class A:\n    def f(self):\n  # note\n        '), 8), 4);
  });

  it('a Python comment above the cursor belongs to what follows: the code above it decides the gap', () => {
    assert.ok(atTopLevelGap(py('x = 1\n    # trailing note\n', '\n    y = 2\n')));
  });

  it('a line ending in a name after a dot leaves nothing open (only a trailing operator does)', () => {
    assert.ok(atTopLevelGap(ts('const a = b.c\n', '\n')));
    assert.ok(atTopLevelGap(ts('const a = f(1)\n', '\n')));
  });

  it('an empty block: the header may be followed by blank lines and spaces', () => {
    assert.strictEqual(emptyBlockHeaderIndent(py('if x:\n\n    ', '\n')), 0);
    assert.strictEqual(emptyBlockHeaderIndent(py('if x:   \n    ', '\n')), 0);
  });

  it('a line comment after the header\'s brace or colon is no code', () => {
    assert.strictEqual(emptyBlockHeaderIndent(ts('function f() { // why\n  ', '\n')), 0);
    assert.strictEqual(emptyBlockHeaderIndent(py('if x:  # why\n    ', '\n')), 0);
  });

  it('no empty block when the cursor\'s line goes on after the cursor', () => {
    assert.strictEqual(emptyBlockHeaderIndent(py('def f(x):\n    if x:', '  pass\n')), undefined);
  });
});
