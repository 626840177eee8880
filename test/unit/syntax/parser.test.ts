import * as assert from 'assert';
import { parseText } from '../../../src/syntax/parser';
import { supportedLanguageIds } from '../../../src/syntax/languages';

describe('syntax/parser', () => {
  it('loads every grammar and parses a snippet without errors', async () => {
    const samples: Record<string, string> = { python: 'def f(x):\n    return x\n', json: '{"a": [1, 2]}' };
    for (const id of supportedLanguageIds()) {
      const tree = await parseText(id, samples[id] ?? '');
      assert.ok(tree, `no tree for ${id}`);
      if (samples[id]) assert.strictEqual(tree.rootNode.hasError, false, id);
      tree.delete();
    }
  });

  it('returns undefined for a language without a grammar', async () => {
    assert.strictEqual(await parseText('plaintext', 'hello'), undefined);
  });

  it('reports a syntax error in broken code', async () => {
    const tree = await parseText('python', 'def f(:\n');
    assert.ok(tree?.rootNode.hasError);
    tree?.delete();
  });
});
