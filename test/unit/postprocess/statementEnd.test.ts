import * as assert from 'assert';
import { cutAtStatementEnd } from '../../../src/postprocess/statementEnd';

describe('postprocess/statementEnd: the expression ends where the cursor line\'s brackets close', () => {
  const at = (line: string, restOfLine = '') => ({ prefix: `def f(rows):\n${line}`, suffix: `${restOfLine}\n    return rows\n` });
  it('keeps the lines up to the one that closes them, not the next statement', () => {
    assert.strictEqual(cutAtStatementEnd('rows)\n    log(rows)\n', at('    print(')), 'rows)');
    assert.strictEqual(cutAtStatementEnd('"total:",\n          len(rows))\n    log(rows)\n', at('    print(')), '"total:",\n          len(rows))');
    assert.strictEqual(cutAtStatementEnd('1, 2,\n    3]\nx = 1\n', at('    items = [')), '1, 2,\n    3]');
  });
  it('counts closers already right of the cursor', () => {
    // `foo(bar(┃)`: the `)` right of the cursor closes one of the two; the line where one more closes ends it.
    assert.strictEqual(cutAtStatementEnd('a,\n    b)\n    c = 1\n', at('    x = foo(bar(', ')')), 'a,\n    b)');
  });
  it('ignores brackets inside strings and a block that opens and closes again', () => {
    assert.strictEqual(cutAtStatementEnd('"(",\n    x)\ny\n', at('    print(')), '"(",\n    x)');
    assert.strictEqual(cutAtStatementEnd('x) {\n    go();\n  }\n  next();\n', at('  if (')), 'x) {\n    go();\n  }');
  });
  it('cuts nothing while the brackets are still open, or when the line has none open', () => {
    assert.strictEqual(cutAtStatementEnd('"total:",\n          len(rows),\n', at('    print(')), undefined);
    assert.strictEqual(cutAtStatementEnd('1\n    y = 2\n', at('    x = ')), undefined);
    assert.strictEqual(cutAtStatementEnd('rows)', at('    print(')), undefined);
    assert.strictEqual(cutAtStatementEnd('print(rows)\n    y = 2\n', at('    ')), undefined);
  });
});
