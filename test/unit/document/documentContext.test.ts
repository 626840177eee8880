import * as assert from 'node:assert/strict';
import {
  buildDocumentContext, documentBlocker, offsetAt, positionAt, PREFIX_CUT_QUANTUM,
} from '../../../src/document/documentContext';
import type { DocumentSnapshot } from '../../../src/document/types';
import { estimateTokens } from '../../../src/prompt/tokens';

function snap(text: string, languageId = 'python'): DocumentSnapshot {
  return { uri: 'file:///a.py', relativePath: 'a.py', languageId, text, version: 3 };
}

const big = { prefixTokens: 10_000, suffixTokens: 10_000 };

describe('document/documentContext', () => {
  it('splits the text at the cursor and reports the current line', () => {
    const text = 'def f(x):\n    return x + 1\n\nprint(f(2))\n';
    const doc = buildDocumentContext(snap(text), { line: 1, character: 11 }, big);
    assert.equal(doc.prefix, 'def f(x):\n    return ');
    assert.equal(doc.suffix, 'x + 1\n\nprint(f(2))\n');
    assert.equal(doc.linePrefix, '    return ');
    assert.equal(doc.lineSuffix, 'x + 1');
    assert.equal(doc.indent, '    ');
    assert.equal(doc.offset, 21);
    assert.equal(doc.version, 3);
    assert.equal(doc.prefixTruncated, false);
    assert.equal(doc.suffixTruncated, false);
  });

  it('handles CRLF line ends and clamps positions past the line end', () => {
    const text = 'a = 1\r\nb = 2\r\n';
    const doc = buildDocumentContext(snap(text), { line: 0, character: 99 }, big);
    assert.equal(doc.linePrefix, 'a = 1');
    assert.equal(doc.lineSuffix, '');
    assert.equal(doc.position.character, 5);
    assert.equal(offsetAt(text, { line: 1, character: 2 }), 9);
    assert.deepEqual(positionAt(text, 9), { line: 1, character: 2 });
    assert.equal(offsetAt(text, { line: 40, character: 0 }), text.length);
  });

  it('cuts the prefix at a line start and the suffix at a line end within budget', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `value_${i} = compute(${i})`);
    const text = lines.join('\n');
    const budget = { prefixTokens: 100, suffixTokens: 50 };
    const doc = buildDocumentContext(snap(text), { line: 200, character: 5 }, budget, { prefixCutQuantum: 1 });
    assert.ok(doc.prefixTruncated && doc.suffixTruncated);
    assert.ok(estimateTokens(doc.prefix, 'python') <= 100, `prefix ${estimateTokens(doc.prefix, 'python')} tokens`);
    assert.ok(estimateTokens(doc.suffix, 'python') <= 50);
    assert.ok(doc.prefix.startsWith('value_'), 'prefix starts at a line start');
    assert.ok(doc.prefix.endsWith('\nvalue'));
    assert.ok(doc.suffix.endsWith(')'), 'suffix ends at a line end');
    assert.ok(text.includes(doc.suffix + '\n'));
    // With quantum 1 the budget is used as fully as whole lines allow, less the reserve kept for the cursor's
    // line (a quarter of a budget this small).
    assert.ok(estimateTokens(doc.prefix, 'python') > 100 * 0.75 - 10);
  });

  it('keeps the prefix cut still while the user types along a line (KV-cache friendly)', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `    total += item_${i} * weight`);
    const budget = { prefixTokens: 300, suffixTokens: 64 };
    const typed = 'result = compute_something_long(alpha, beta, gamma, delta)';
    let base = lines.slice(0, 200).join('\n') + '\n';
    const firstLines = new Set<string>();
    for (const quantum of [1, PREFIX_CUT_QUANTUM]) {
      firstLines.clear();
      for (let i = 0; i <= typed.length; i++) {
        const text = base + typed.slice(0, i) + '\n' + lines.slice(200).join('\n');
        const doc = buildDocumentContext(snap(text), { line: 200, character: i }, budget, { prefixCutQuantum: quantum });
        assert.ok(estimateTokens(doc.prefix, 'python') <= 300);
        firstLines.add(doc.prefix.slice(0, doc.prefix.indexOf('\n')) + '@' + (text.indexOf(doc.prefix)));
      }
      // The lines above get a budget that does not depend on how much of the cursor's line is typed.
      assert.strictEqual(firstLines.size, 1, `quantum ${quantum}: cut moved ${firstLines.size - 1} times`);
    }
    // The same holds line after line: the kept first line only moves every PREFIX_CUT_QUANTUM lines.
    const starts = new Set<number>();
    for (let line = 100; line < 100 + PREFIX_CUT_QUANTUM * 3; line++) {
      const text = lines.join('\n');
      const doc = buildDocumentContext(snap(text), { line, character: 4 }, budget);
      starts.add(doc.offset - doc.prefix.length);
    }
    assert.ok(starts.size <= 4, `${starts.size} distinct cuts over ${PREFIX_CUT_QUANTUM * 3} lines`);
    base = '';
  });

  it('keeps the tail of a single huge line', () => {
    const text = 'x = "' + 'a'.repeat(20_000);
    const doc = buildDocumentContext(snap(text), { line: 0, character: text.length }, { prefixTokens: 100, suffixTokens: 10 });
    assert.equal(doc.prefix.length, 360);
    assert.ok(doc.prefixTruncated);
  });

  it('refuses huge and binary files with a reason', () => {
    assert.equal(documentBlocker(snap('print(1)\n'), 1_000_000), undefined);
    const huge = 'x = 1\n'.repeat(900_000); // ~5.4 MB
    assert.match(documentBlocker(snap(huge), 1_000_000)!, /too large.*5\.\d MB.*infill\.maxFileBytes/);
    assert.match(documentBlocker(snap('abc\u0000def'), 1_000_000)!, /Binary/);
    // Multi-byte characters count in bytes, not UTF-16 units.
    assert.match(documentBlocker(snap('é'.repeat(600)), 1000)!, /too large/);
    assert.equal(documentBlocker(snap('é'.repeat(400)), 1000), undefined);
  });
});
