import * as assert from 'node:assert/strict';
import {
  anchorOf, compatibleWithStream, remainderAfter, typedSince, typedThroughRemainder,
} from '../../../src/cache/typedThrough';
import { buildDocumentContext } from '../../../src/document/documentContext';
import type { Position } from '../../../src/document/types';

const budget = { prefixTokens: 2000, suffixTokens: 500 };
function ctx(text: string, position: Position) {
  return buildDocumentContext({ uri: 'file:///a.ts', relativePath: 'a.ts', languageId: 'typescript', text, version: 1 }, position, budget);
}

describe('cache/typedThrough', () => {
  const before = 'function add(a: number, b: number) {\n  return ';
  const after = '\n}\n';
  const at = ctx(before + after, { line: 1, character: 9 });
  const shown = { anchor: anchorOf(at), text: 'a + b;' };

  it('returns the remainder when the user types the start of the suggestion', () => {
    const typed = ctx(before + 'a +' + after, { line: 1, character: 12 });
    assert.equal(typedThroughRemainder(shown, typed), ' b;');
    assert.equal(typedThroughRemainder(shown, at), 'a + b;', 'same place: the whole suggestion');
  });

  it('returns nothing when the typing diverges, goes back, or completes the suggestion', () => {
    assert.equal(typedThroughRemainder(shown, ctx(before + 'a -' + after, { line: 1, character: 12 })), undefined);
    assert.equal(typedThroughRemainder(shown, ctx(before.slice(0, -1) + after, { line: 1, character: 8 })), undefined);
    assert.equal(typedThroughRemainder(shown, ctx(before + 'a + b;' + after, { line: 1, character: 15 })), undefined);
  });

  it('returns nothing when the text before the anchor changed or another file is open', () => {
    const edited = ctx(before.replace('add', 'sum') + 'a' + after, { line: 1, character: 10 });
    assert.equal(typedThroughRemainder(shown, edited), undefined);
    const other = { ...ctx(before + 'a' + after, { line: 1, character: 10 }), uri: 'file:///b.ts' };
    assert.equal(typedThroughRemainder(shown, other), undefined);
  });

  it('follows typing across lines of a multi-line suggestion', () => {
    const multi = { anchor: anchorOf(at), text: 'a + b;\n}\nexport const x = 1;' };
    const typed = ctx(before + 'a + b;\n}' + after, { line: 2, character: 1 });
    assert.equal(typedThroughRemainder(multi, typed), '\nexport const x = 1;');
  });

  it('drops a closing bracket the editor auto-inserted while typing', () => {
    const line = 'console.log';
    const base = ctx(line + '\n', { line: 0, character: line.length });
    const sug = { anchor: anchorOf(base), text: '(a, b);' };
    // The user typed "(" and the editor added ")" right of the cursor.
    const typed = ctx(line + '()\n', { line: 0, character: line.length + 1 });
    const ahead = typedSince(sug.anchor, typed)!;
    assert.deepEqual(ahead, { typed: '(', autoClosed: ')' });
    // The remainder keeps ";" which stands after ")" in the suggestion; here it is not at the end, so no reuse.
    assert.equal(remainderAfter(sug.text, ahead), undefined);
    assert.equal(remainderAfter('(a, b)', ahead), 'a, b');
    // Anything else appearing right of the cursor is not auto-close: no reuse.
    assert.equal(typedSince(sug.anchor, ctx(line + '(x\n', { line: 0, character: line.length + 1 })), undefined);
  });

  it('judges a still-streaming suggestion by what has arrived so far', () => {
    assert.ok(compatibleWithStream('a + b', { typed: 'a +', autoClosed: '' }));
    assert.ok(compatibleWithStream('a', { typed: 'a +', autoClosed: '' }), 'typed past the stream: not diverged yet');
    assert.ok(compatibleWithStream('', { typed: 'x', autoClosed: '' }));
    assert.ok(!compatibleWithStream('a + b', { typed: 'a -', autoClosed: '' }));
  });
});
