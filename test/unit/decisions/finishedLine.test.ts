import * as assert from 'assert';
import { isFinishedLine } from '../../../src/decisions/finishedLine';

/** `prefix` is the text up to the cursor, which stands at the end of its last line. */
const finished = (languageId: string, prefix: string, lineSuffix = '') => isFinishedLine({ languageId, prefix, lineSuffix });

// Twelve statements in the no-semicolon style, so the file's style is known.
const ASI_FILE = Array.from({ length: 12 }, (_, i) => `const v${i} = compute(${i})`).join('\n') + '\n';

describe('decisions/finishedLine', () => {
  it('statements ended by ";" and block comments are finished, unless a bracket is still open', () => {
    assert.ok(finished('typescript', 'const x = 1;'));
    assert.ok(finished('c', '  /* done */'));
    assert.ok(!finished('typescript', 'for (let i = 0;'));
    assert.ok(!finished('typescript', 'const x = 1;', ' // trailing text after the cursor'));
  });

  it('a comment line that ends a sentence is finished; one that goes on is not', () => {
    assert.ok(finished('typescript', '  // Flushes the buffer.'));
    assert.ok(finished('javascript', ' * Returns the matcher.'));
    assert.ok(finished('python', '    # Rename the new file to the permanent name.'));
    assert.ok(!finished('python', '    # Rename the new file to the'));
    assert.ok(!finished('typescript', '  // and then...'));
    assert.ok(finished('typescript', '  // Automatically add the API key to the headers if the URL is a known host'), 'as wide as comments get');
    assert.ok(finished('python', 'def f():\n    r"""Sorts the graph by its edges.'), 'docstring prose ending a sentence');
    assert.ok(!finished('python', 'def f():\n    r"""Sorts the graph by its'));
    assert.ok(!finished('c', '#include <stdio.h>.'), 'a "#" line is not a comment in C');
  });

  it('a lone "}" is finished unless an else, catch, ")" or "," can still follow', () => {
    assert.ok(finished('typescript', 'function f() {\n  return 1\n}'));
    assert.ok(finished('typescript', 'class A {\n  m(): void {\n    x()\n  }'));
    assert.ok(finished('typescript', '  async generate(\n    request: R,\n  ): Promise<X> {\n    return go(request)\n  }'), 'a header continued from above');
    assert.ok(finished('typescript', 'if (a) {\n  b()\n} else {\n  c()\n}'), 'nothing follows an else block');
    assert.ok(finished('javascript', '  if (done) {\n    continue;\n  }'), 'no else after an if block that leaves');
    assert.ok(!finished('typescript', 'if (a) {\n  b()\n}'), 'else may follow');
    assert.ok(!finished('typescript', 'try {\n  b()\n}'));
    assert.ok(!finished('typescript', 'const o = {\n  a: 1\n}'), 'an object literal: ";" or "," may follow');
    assert.ok(!finished('typescript', 'run(function () {\n  b()\n}'), 'a callback: ")" follows');
    assert.ok(!finished('typescript', 'items.forEach(x => {\n  b(x)\n}'));
  });

  it('an item of a list spread over lines is finished; a list on one line is not', () => {
    assert.ok(finished('typescript', 'call(\n  alpha,'));
    assert.ok(finished('python', 'values = [\n    1,'));
    assert.ok(!finished('typescript', 'call(alpha,'));
  });

  it('Python: a balanced statement ending in a call, index or string is finished; names and headers are not', () => {
    assert.ok(finished('python', 'def f():\n    os.remove(path)'));
    assert.ok(finished('python', 'def f():\n    return os.path.join(a, b)'));
    assert.ok(finished('python', 'def f():\n    """One line of docs."""'));
    assert.ok(finished('python', 'for x in xs:\n    pass'));
    assert.ok(!finished('python', 'def f():\n    return resu'), 'a name may be half typed');
    assert.ok(!finished('python', 'x = foo(a,\n        b)'), 'the end of a call spread over lines');
    assert.ok(!finished('python', 'if check(x)'), 'a header');
    assert.ok(!finished('python', "x = '"), 'an open string');
    assert.ok(!finished('python', 'def f():\n    """Docs (see\n    the notes.\n    os.remove(path)'), 'inside a docstring');
  });

  it('JavaScript without semicolons: a balanced statement ending in a call is finished, but not in a file with ";"', () => {
    assert.ok(finished('typescript', ASI_FILE + 'await checkOk(response)'));
    assert.ok(finished('typescript', ASI_FILE + "throw new Error('Query is required')"));
    assert.ok(!finished('typescript', ASI_FILE + 'if (ready(x))'), 'a header');
    assert.ok(finished('typescript', ASI_FILE + 'run(a,\n  b)'), 'a call spread over lines ends here');
    assert.ok(finished('typescript', ASI_FILE + 'const it = new Iterator(\n  a,\n  b,\n)'));
    assert.ok(!finished('typescript', ASI_FILE + 'if (\n  ready(a) &&\n  ready(b))'), 'a header spread over lines');
    assert.ok(!finished('typescript', ASI_FILE + 'run(a,\n  b'), 'still inside the call');
    assert.ok(!finished('typescript', ASI_FILE.replace(/\n/g, ';\n') + 'await checkOk(response)'), 'the file ends statements with ";"');
  });
});
