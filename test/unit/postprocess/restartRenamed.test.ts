// The restart under another name (restart.ts), the edges block.test.ts leaves open: which headers and lines above
// count, the code below, and a docstring that is not there or not closed yet. One behaviour per case.
import * as assert from 'assert';
import { dropRestartedDefinition } from '../../../src/postprocess/restart';

const prefix = 'def digits(n: int) -> int:\n    """Product of the odd digits."""\n';
const suffix = '\n    for d in str(n):\n        product *= int(d)\n    return product\n';
const at = (p = prefix, s = suffix) => ({ languageId: 'python', prefix: p, suffix: s });

describe('postprocess/restart: a restart under another name, edges', () => {
  it('an exact restart over a definition with a body is still one (the renamed rule is only for other names)', () => {
    const withBody = 'def digits(n: int) -> int:\n    product = 1\n';
    assert.strictEqual(dropRestartedDefinition('def digits(n: int) -> int:\n    product = 1\n    for d in str(n):\n', at(withBody)), '    for d in str(n):\n');
  });

  it('an async function too', () => {
    const asyncPrefix = 'async def fetch(url: str) -> bytes:\n    """Fetch url."""\n';
    const out = dropRestartedDefinition('async def fetch2(url: str) -> bytes:\n    data = await get(url)\n', at(asyncPrefix, '\n    return data\n'));
    assert.strictEqual(out, '    data = await get(url)\n');
  });

  it('a method: the header and the definition above compared without their indentation', () => {
    const method = 'class A:\n    def area(self) -> float:\n        """The area."""\n';
    const out = dropRestartedDefinition('    def area2(self) -> float:\n        return 1.0\n', at(method, '\n        return self.w * self.h\n'));
    assert.strictEqual(out, '        return 1.0\n');
  });

  it('only a definition at the header\'s indentation', () => {
    const method = 'class A:\n    def area(self) -> float:\n        """The area."""\n';
    assert.strictEqual(dropRestartedDefinition('def area2(self) -> float:\n    x = 1\n', at(method, '\n        return 1.0\n')), undefined);
  });

  it('a class under another name is no restart (only functions have a signature to compare)', () => {
    assert.strictEqual(dropRestartedDefinition('class B:\n    x = 1\n', at('class A:\n    """Doc."""\n', '\n    y = 2\n')), undefined);
  });

  it('comments at the start of the code below are skipped', () => {
    assert.strictEqual(dropRestartedDefinition('def digits2(n: int) -> int:\n    product = 1\n', at(prefix, '\n# note\n' + suffix.slice(1))), '    product = 1\n');
  });

  it('while streaming, a header with nothing after it yet, or a docstring not closed yet, says nothing yet', () => {
    assert.strictEqual(dropRestartedDefinition('def digits2(n: int) -> int:\n', at(), { streaming: true }), '');
    assert.strictEqual(dropRestartedDefinition('def digits2(n: int) -> int:\n', at()), undefined);
    const open = 'def digits2(n: int) -> int:\n    """The product of odd digits,\n';
    assert.strictEqual(dropRestartedDefinition(open, at(), { streaming: true }), '');
    assert.strictEqual(dropRestartedDefinition(open, at()), undefined);
  });
});
