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

  it('checks the text before the anchor as far as its tail reaches, and no further', () => {
    const header = '// ' + 'generated header '.repeat(20) + '\n'; // longer than ANCHOR_TAIL_CHARS
    const line = 'const total = ';
    const anchorDoc = ctx(header + line + '\n', { line: 1, character: line.length });
    const sug = { anchor: anchorOf(anchorDoc), text: 'a + b;' };
    const typedA = (head: string) => ctx(head + line + 'a\n', { line: 1, character: line.length + 1 });
    assert.equal(typedThroughRemainder(sug, typedA(header)), ' + b;');
    // An edit further back than the tail cannot be seen and does not matter.
    assert.equal(typedThroughRemainder(sug, typedA(header.replace('// generated', '// Generated'))), ' + b;');
    // An edit inside the tail, a hundred characters before the anchor, does.
    const cut = header.length - 100;
    const edited = header.slice(0, cut) + 'X' + header.slice(cut + 1);
    assert.notEqual(edited, header);
    assert.equal(typedThroughRemainder(sug, typedA(edited)), undefined);
  });

  it('follows typing on a huge line whose prefix window slides with the cursor', () => {
    // A 10-token budget keeps only the tail of a long line before the cursor.
    const small = { prefixTokens: 10, suffixTokens: 10 };
    const snapshot = (text: string) => ({ uri: 'file:///a.ts', relativePath: 'a.ts', languageId: 'typescript', text, version: 1 });
    const atEnd = (text: string) => buildDocumentContext(snapshot(text + '\n'), { line: 0, character: text.length }, small);
    const line = 'const data = [' + '1, '.repeat(100);
    const at0 = atEnd(line);
    assert.ok(at0.prefix.length < line.length, 'the prefix is a window of the line');
    const sug = { anchor: anchorOf(at0), text: '42];' };
    assert.equal(typedThroughRemainder(sug, atEnd(line + '4')), '2];');
    // The text just before the anchor changed ("1, " became "2, ") while the window slid: no reuse.
    const changed = line.slice(0, -3) + '2, ';
    assert.equal(typedThroughRemainder(sug, atEnd(changed + '4')), undefined);
    // Typed more than the window holds: the anchor can no longer be checked, so no reuse.
    const ruler = { anchor: anchorOf(at0), text: '='.repeat(400) };
    const far = atEnd(line + '='.repeat(3 * at0.prefix.length));
    assert.equal(typedSince(ruler.anchor, far), undefined);
    assert.equal(typedThroughRemainder(ruler, far), undefined);
  });

  it('follows typing from the very start of an empty document', () => {
    const empty = ctx('', { line: 0, character: 0 });
    const sug = { anchor: anchorOf(empty), text: 'import os\n' };
    assert.equal(typedThroughRemainder(sug, ctx('imp', { line: 0, character: 3 })), 'ort os\n');
  });

  it('returns nothing after a backspace, even over a run of equal characters', () => {
    const dashes = '-'.repeat(10);
    const sug = { anchor: anchorOf(ctx(dashes, { line: 0, character: 10 })), text: '\ntitle: Notes\n---' };
    assert.equal(typedThroughRemainder(sug, ctx(dashes.slice(1), { line: 0, character: 9 })), undefined);
  });

  it('reuses only when what appeared right of the cursor is auto-closing in front of the old text', () => {
    // "foo┃;" and the user types "(": the editor makes it "foo(┃);".
    const base = ctx('foo;\n', { line: 0, character: 3 });
    const sug = { anchor: anchorOf(base), text: '(bar);' };
    const typed = ctx('foo();\n', { line: 0, character: 4 });
    assert.deepEqual(typedSince(sug.anchor, typed), { typed: '(', autoClosed: ')' });
    // Two closers at once: "([" typed, "])" auto-inserted.
    const two = ctx('foo([]);\n', { line: 0, character: 5 });
    assert.deepEqual(typedSince(sug.anchor, two), { typed: '([', autoClosed: '])' });
    assert.equal(remainderAfter('([1, 2])', { typed: '([', autoClosed: '])' }), '1, 2');
    // The text right of the cursor was deleted or replaced: not auto-close, no reuse.
    const closed = ctx('foo)\n', { line: 0, character: 3 });
    const sugClosed = { anchor: anchorOf(closed), text: '(bar' };
    assert.equal(typedSince(sugClosed.anchor, ctx('foo\n', { line: 0, character: 3 })), undefined);
    assert.equal(typedSince(sugClosed.anchor, ctx('foo]\n', { line: 0, character: 3 })), undefined);
  });

  it('drops the auto-closed characters from the first line only of a multi-line suggestion', () => {
    const ahead = { typed: '(', autoClosed: ')' };
    assert.equal(remainderAfter('(a, b)\n  next()', ahead), 'a, b\n  next()');
    assert.equal(remainderAfter('(a, b\n  )', ahead), undefined, 'the first line does not end with the closer');
  });

  it('returns nothing when only whitespace is left to show', () => {
    const ahead = { typed: 'a + b;', autoClosed: '' };
    assert.equal(remainderAfter('a + b;\n', ahead), undefined);
    assert.equal(remainderAfter('a + b;  ', ahead), undefined);
    assert.equal(remainderAfter('a + b;\n}', ahead), '\n}');
  });

  it('judges a still-streaming suggestion by what has arrived so far', () => {
    assert.ok(compatibleWithStream('a + b', { typed: 'a +', autoClosed: '' }));
    assert.ok(compatibleWithStream('a', { typed: 'a +', autoClosed: '' }), 'typed past the stream: not diverged yet');
    assert.ok(compatibleWithStream('', { typed: 'x', autoClosed: '' }));
    assert.ok(!compatibleWithStream('a + b', { typed: 'a -', autoClosed: '' }));
  });
});
