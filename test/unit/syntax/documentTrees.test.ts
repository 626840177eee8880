import * as assert from 'assert';
import { DocumentTrees } from '../../../src/syntax/documentTrees';
import { parseText } from '../../../src/syntax/parser';

async function freshTree(languageId: string, text: string): Promise<string> {
  const tree = await parseText(languageId, text);
  const shape = tree!.rootNode.toString();
  tree!.delete();
  return shape;
}

describe('syntax/DocumentTrees', () => {
  it('returns the cached tree for the same version', async () => {
    const trees = new DocumentTrees();
    const a = await trees.get({ uri: 'file:///a.py', version: 1, languageId: 'python', text: 'x = 1\n' });
    const b = await trees.get({ uri: 'file:///a.py', version: 1, languageId: 'python', text: 'x = 1\n' });
    assert.ok(a);
    assert.strictEqual(a, b);
    trees.dispose();
  });

  it('applies edits incrementally and ends with the same tree as a fresh parse', async () => {
    const trees = new DocumentTrees();
    let text = 'def f(x):\n    return x\n\n\ndef g():\n    pass\n';
    await trees.get({ uri: 'file:///b.py', version: 1, languageId: 'python', text });
    const changes = [
      { offset: text.indexOf('return x') + 'return x'.length, length: 0, text: ' + 1' },
      { offset: 0, length: 0, text: 'import os\n' },
    ];
    for (const change of changes) text = text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);
    const tree = await trees.update({ uri: 'file:///b.py', version: 2, languageId: 'python', text }, changes);
    assert.ok(tree);
    assert.strictEqual(tree.rootNode.toString(), await freshTree('python', text));
    assert.strictEqual(tree.rootNode.text, text);
    trees.dispose();
  });

  it('handles deletions and multi-line replacements in TypeScript', async () => {
    const trees = new DocumentTrees();
    let text = 'function f(a: number) {\n  return a;\n}\nconst b = f(1);\n';
    await trees.get({ uri: 'file:///c.ts', version: 1, languageId: 'typescript', text });
    const start = text.indexOf('return a;');
    const changes = [{ offset: start, length: 'return a;'.length, text: 'const c = a * 2;\n  return c;' }];
    text = text.slice(0, start) + changes[0].text + text.slice(start + 'return a;'.length);
    const tree = await trees.update({ uri: 'file:///c.ts', version: 2, languageId: 'typescript', text }, changes);
    assert.strictEqual(tree?.rootNode.toString(), await freshTree('typescript', text));
    trees.dispose();
  });

  it('starts over when the changes do not match the new text', async () => {
    const trees = new DocumentTrees();
    await trees.get({ uri: 'file:///d.py', version: 1, languageId: 'python', text: 'a = 1\n' });
    const tree = await trees.update({ uri: 'file:///d.py', version: 3, languageId: 'python', text: 'c = 3\n' }, [{ offset: 0, length: 0, text: 'b' }]);
    assert.strictEqual(tree?.rootNode.text, 'c = 3\n');
    trees.dispose();
  });

  it('keeps at most maxDocuments trees and gives undefined without a grammar', async () => {
    const trees = new DocumentTrees(2);
    for (const name of ['a', 'b', 'c']) await trees.get({ uri: `file:///${name}.py`, version: 1, languageId: 'python', text: 'x = 1\n' });
    assert.strictEqual(trees.size, 2);
    assert.strictEqual(await trees.get({ uri: 'file:///n.txt', version: 1, languageId: 'plaintext', text: 'hello' }), undefined);
    trees.dispose();
    assert.strictEqual(trees.size, 0);
  });
});
