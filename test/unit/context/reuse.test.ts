import * as assert from 'assert';
import { promptPrefixReuse, roughTokens } from '../../../src/context/reuse';

describe('context/reuse', () => {
  it('measures the shared leading part of two prompts in characters and tokens', () => {
    const r = promptPrefixReuse('abc def ghi', 'abc def gx');
    assert.strictEqual(r.sharedChars, 9);
    assert.strictEqual(r.sharedTokens, 4); // "abc", " ", "def", " "
    assert.strictEqual(r.tokenShare, 4 / 5);
  });

  it('is 1 for identical prompts and 0 when the first character differs', () => {
    assert.strictEqual(promptPrefixReuse('same', 'same').tokenShare, 1);
    assert.strictEqual(promptPrefixReuse('xa', 'ya').charShare, 0);
  });

  it('splits code into words, spaces and punctuation', () => {
    assert.deepStrictEqual(roughTokens('a.b(c)  \n'), ['a', '.', 'b', '(', 'c', ')', '  ', '\n']);
  });
});
