import * as assert from 'node:assert/strict';
import {
  charsPerToken, estimateTokens, takeHeadByTokens, takeTailByTokens, tokensToChars,
} from '../../../src/prompt/tokens';

describe('prompt/tokens', () => {
  it('estimates tokens from a per-language characters-per-token ratio', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('x'.repeat(35)), 10); // default 3.5
    assert.equal(estimateTokens('x'.repeat(30), 'json'), 12);
    assert.ok(charsPerToken('json') < charsPerToken('markdown'));
    assert.equal(charsPerToken('no-such-language'), 3.5);
    assert.equal(tokensToChars(10, 'json'), 25);
    assert.equal(tokensToChars(-5), 0);
  });

  it('keeps the whole text when it fits', () => {
    assert.equal(takeTailByTokens('a\nb\n', 100), 'a\nb\n');
    assert.equal(takeHeadByTokens('a\nb\n', 100), 'a\nb\n');
  });

  it('cuts a tail at a line start', () => {
    const text = 'line one\nline two\nline three\nend';
    // 5 tokens * 3.5 = 17 chars: "line three\nend" (14) fits, "line two\n..." (23) does not.
    assert.equal(takeTailByTokens(text, 5), 'line three\nend');
    assert.ok(estimateTokens(takeTailByTokens(text, 5)) <= 5);
  });

  it('cuts a head at a line end', () => {
    const text = 'first\nsecond line\nthird line\n';
    // 6 tokens = 21 chars: "first\nsecond line" (17) fits.
    assert.equal(takeHeadByTokens(text, 6), 'first\nsecond line');
  });

  it('falls back to a character cut inside one huge line', () => {
    const long = 'x'.repeat(1000);
    assert.equal(takeTailByTokens(long, 10).length, 35);
    assert.equal(takeHeadByTokens(long, 10).length, 35);
    assert.equal(takeTailByTokens('a\n' + long, 10).length, 35);
  });
});
