// Python's own rules that tree-sitter's error recovery accepts (syntaxCheck.ts: indentationErrors and empty bodies),
// one behaviour per case. 1 means the splice breaks Python's indentation, 0 that it does not.
import * as assert from 'assert';
import { indentationErrors, spliceChecker } from '../../../src/postprocess/syntaxCheck';

describe('postprocess/syntaxCheck: Python indentation', () => {
  it('judges the next code line after an empty cursor line, past comments', () => {
    assert.strictEqual(indentationErrors('    if x:\n', '\n        y()\n'), 0);
    assert.strictEqual(indentationErrors('    if x:\n', '\n    # note\n        y()\n'), 0);
  });

  it('against the last code line above, past comments', () => {
    assert.strictEqual(indentationErrors('    if x:\n    # note\n', '        y()\n'), 0);
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', '        y()\n'), 1, 'deeper than a plain statement');
  });

  it('a header is a header with a comment or spaces after its colon', () => {
    assert.strictEqual(indentationErrors('    if x:  # why\n', '        y()\n'), 0);
    assert.strictEqual(indentationErrors('    if x:  \n', '        y()\n'), 0);
  });

  it('after an open continuation anything goes; a finished line with commas or brackets is no continuation', () => {
    assert.strictEqual(indentationErrors('    a = 1,\n', '        2\n'), 0, 'a trailing comma');
    assert.strictEqual(indentationErrors('    x = f(a\n', '        b)\n'), 0, 'an open bracket');
    assert.strictEqual(indentationErrors('    f(a, b)\n', '        c = 1\n'), 1);
  });

  it('a dedent must land on the indentation of a line above (blank lines do not count)', () => {
    assert.strictEqual(indentationErrors('def f():\n    if x:\n        y()\n', '  z()\n'), 1);
    assert.strictEqual(indentationErrors('def f():\n    if x:\n  \n        y()\n', '  z()\n'), 1);
    assert.strictEqual(indentationErrors('def f():\n    if x:\n        y()\n', '    z()\n'), 0);
  });

  it('a dedent to the margin must not be followed by indented code, unless it opens a block or continues', () => {
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', 'y = 2\n    z = 3\n'), 1);
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', 'y = 2\n    # note\nw = 1\n'), 0, 'comments do not count');
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', 'y = 2  # note:\n    z = 3\n'), 1, 'a colon in a comment opens nothing');
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', 'def g():\n    z = 3\n'), 0);
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', 'y = 1,\n    2\n'), 0);
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', 'y = f(a\n    b)\n'), 0);
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', 'f(a, b)\n    z = 3\n'), 1);
  });

  it('the line after is the one after the judged line, whether it continues the cursor\'s line or follows it', () => {
    assert.strictEqual(indentationErrors('def f():\n    x = 1\n', '\ny = 2\n    z = 3\n'), 1);
    assert.strictEqual(indentationErrors('def f():\n    x = 1\ny ', '= 2\n    z = 3\n'), 1);
  });
});

describe('postprocess/syntaxCheck: Python blocks without a body', () => {
  it('a header the completion writes with only a comment below it has no body; one with a statement does', async () => {
    const check = await spliceChecker('python', 'def f(x):\n    ', '\n');
    assert.ok(check);
    assert.strictEqual(check.leavesEmptyBody('if x:\n        # todo\n    y = 1'), true);
    assert.strictEqual(check.leavesEmptyBody('if x:\n        pass\n    y = 1'), false);
    assert.strictEqual(check.leavesEmptyBody(''), false);
  });

  it('only headers inside the completion count, not one the document already has', async () => {
    const above = await spliceChecker('python', 'def f(x):\n    if x:\n    ', '\n');
    assert.strictEqual(above?.leavesEmptyBody('y = 1'), false);
    const below = await spliceChecker('python', 'def f(x):\n    ', '\n    if y:\n    z = 1\n');
    assert.strictEqual(below?.leavesEmptyBody('y = 1'), false);
  });
});
