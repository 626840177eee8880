import * as assert from 'node:assert/strict';
import { cacheKey, CompletionCache } from '../../../src/cache/completionCache';

const doc = (prefix: string, suffix: string, uri = 'file:///a.py') => ({ uri, prefix, suffix });

describe('cache/completionCache', () => {
  const prefix = 'import os\n\ndef a():\n    pass\n\ndef b():\n    x = 1\n    return ';
  const suffix = '\n\nprint(b())\n';

  it('keys on the document, the last prefix lines and the next suffix lines', () => {
    const key = cacheKey(doc(prefix, suffix));
    // Text far above the window does not matter...
    assert.equal(cacheKey(doc('# a new header comment\n' + prefix, suffix)), key);
    // ...nor trailing whitespace on lines above the cursor line, nor text deep in the suffix.
    assert.equal(cacheKey(doc(prefix.replace('x = 1', 'x = 1   '), suffix)), key);
    assert.equal(cacheKey(doc(prefix, suffix + 'more = 2\n')), key);
    // The cursor line is exact, and the other parts count.
    assert.notEqual(cacheKey(doc(prefix + ' ', suffix)), key);
    assert.notEqual(cacheKey(doc(prefix.replace('x = 1', 'x = 2'), suffix)), key);
    assert.notEqual(cacheKey(doc(prefix, ')' + suffix)), key);
    assert.notEqual(cacheKey(doc(prefix, '\nprint(1)\n')), key);
    assert.notEqual(cacheKey(doc(prefix, suffix, 'file:///b.py')), key);
  });

  it('uses a window of 6 lines including the cursor line', () => {
    const lines = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'cur'];
    const base = cacheKey(doc(lines.join('\n'), ''));
    assert.equal(cacheKey(doc(['X', ...lines.slice(1)].join('\n'), '')), base);
    assert.equal(cacheKey(doc(['l1', 'X', ...lines.slice(2)].join('\n'), '')), base);
    assert.notEqual(cacheKey(doc(['l1', 'l2', 'X', ...lines.slice(3)].join('\n'), '')), base);
    // A prefix shorter than the window works too.
    assert.notEqual(cacheKey(doc('cur', '')), cacheKey(doc('cu', '')));
  });

  it('keeps line and part boundaries in the key', () => {
    // The lines above the cursor line are joined by their line breaks: "ab / c" is not "a / bc".
    assert.notEqual(cacheKey(doc('ab\nc\ncur', '')), cacheKey(doc('a\nbc\ncur', '')));
    // The cursor line and the text right of the cursor stay apart: "x = a┃b" is not "x = ab┃".
    assert.notEqual(cacheKey(doc('x = a', 'b')), cacheKey(doc('x = ab', '')));
  });

  it('ignores trailing whitespace right of the cursor and on the next line, and a missing last newline', () => {
    const p = 'value = compute(';
    assert.equal(cacheKey(doc(p, ')   \nprint(value)\n')), cacheKey(doc(p, ')\nprint(value)\n')));
    assert.equal(cacheKey(doc(p, ')\nprint(value)   \n')), cacheKey(doc(p, ')\nprint(value)\n')));
    // At the end of a file, with or without its final newline, the next line is empty either way.
    assert.equal(cacheKey(doc(p, ')')), cacheKey(doc(p, ')\n')));
  });

  it('stores and evicts least recently used entries', () => {
    const cache = new CompletionCache(2);
    cache.set(doc('a = ', ''), '1');
    cache.set(doc('b = ', ''), '2');
    assert.equal(cache.get(doc('a = ', '')), '1'); // a is now the most recent
    cache.set(doc('c = ', ''), '3');
    assert.equal(cache.get(doc('b = ', '')), undefined);
    assert.equal(cache.get(doc('a = ', '')), '1');
    assert.equal(cache.get(doc('c = ', '')), '3');
    cache.set(doc('d = ', ''), '');
    assert.equal(cache.get(doc('d = ', '')), '', 'an empty answer is remembered too');
    cache.clear();
    assert.equal(cache.size, 0);
  });
});
