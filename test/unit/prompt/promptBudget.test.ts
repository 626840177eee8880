import * as assert from 'node:assert/strict';
import type { CompletionRequest } from '../../../src/backend/types';
import { PromptSpeed, promptText, sizeForSpeed, uncachedTokens } from '../../../src/prompt/promptBudget';

const LINES = Array.from({ length: 300 }, (_, i) => `    total_${i} = weights[${i}] * values[${i}]`);
const PREFIX = LINES.join('\n') + '\n    result = norm';
const SNIPPET = 'def norm(x):\n    return x / 2\n'.repeat(10);

/** A templated request the way buildRequest lays it out: snippets, prefix without its last line, suffix, then the line. */
function build(prefix: string, snippets: string[]): CompletionRequest {
  const lineStart = prefix.lastIndexOf('\n') + 1;
  const prompt = `${snippets.join('')}<PRE>${prefix.slice(0, lineStart)}<SUF>\n    return result\n<MID>${prefix.slice(lineStart)}`;
  return { model: 'm', prefix, suffix: '\n    return result\n', prompt, maxTokens: 64, temperature: 0, stop: [] };
}

describe('prompt/promptBudget', () => {
  it('measures the prompt speed from the server\'s timings, ignoring readings of a few tokens', () => {
    const speed = new PromptSpeed();
    speed.record({ promptTokens: 1000, cachedPromptTokens: 990, promptMs: 40 });
    assert.equal(speed.msPerToken, undefined, '10 new tokens say little about the speed');
    speed.record({ promptTokens: 1000, cachedPromptTokens: 200, promptMs: 1600 });
    assert.equal(speed.msPerToken, 2);
    speed.record({ promptTokens: 500, promptMs: 500 });
    assert.ok(speed.msPerToken! < 2 && speed.msPerToken! > 1, 'a moving average');
    speed.record({ promptTokens: 500 });
    assert.ok(speed.msPerToken! < 2, 'no timing, no reading');
  });

  it('counts only what the cache does not hold, and lays out a native request in the server\'s order', () => {
    assert.equal(uncachedTokens('abcdefgh', 'abcdXXXX'), uncachedTokens('efgh', ''));
    assert.equal(uncachedTokens('same', 'same'), 0);
    const text = promptText({ prefix: 'a\nb', suffix: 's', extra: [{ filename: 'f', text: 't' }] });
    assert.ok(text.indexOf('f\nt') < text.indexOf('a\n') && text.indexOf('a\n') < text.indexOf('s') && text.endsWith('b'));
  });

  it('sends everything when the server reads it in time, or its speed is not known yet', () => {
    const base = { prefix: PREFIX, snippets: [SNIPPET], languageId: 'python', build, cachedPrompt: '', targetMs: 500 };
    assert.equal(sizeForSpeed({ ...base, msPerToken: undefined }).prefix, PREFIX);
    assert.equal(sizeForSpeed({ ...base, msPerToken: 0.01 }).prefix, PREFIX, 'a fast server');
    assert.equal(sizeForSpeed({ ...base, msPerToken: 5, targetMs: 0 }).prefix, PREFIX, 'target 0: no limit');
    const cached = build(PREFIX, [SNIPPET]).prompt!;
    assert.equal(sizeForSpeed({ ...base, msPerToken: 5, cachedPrompt: cached }).prefix, PREFIX, 'all cached: nothing to read');
  });

  it('cuts a cold prompt\'s prefix from the top to fit the target, keeping the cursor line and cached snippets', () => {
    const msPerToken = 2; // 500 ms = 250 tokens
    const snippetsCached = build('', [SNIPPET]).prompt!.split('<PRE>')[0];
    const r = sizeForSpeed({ prefix: PREFIX, snippets: [SNIPPET], languageId: 'python', build, cachedPrompt: snippetsCached, msPerToken, targetMs: 500 });
    assert.ok(r.prefix.length < PREFIX.length && PREFIX.endsWith(r.prefix), 'a tail of the prefix');
    assert.ok(r.prefix.endsWith('\n    result = norm') && r.prefix.startsWith('    total_'), 'whole lines, the cursor line kept');
    assert.ok(r.prompt!.startsWith(SNIPPET), 'the cached snippet stays');
    assert.ok(uncachedTokens(r.prompt!, snippetsCached, 'python') * msPerToken <= 500);
    // Nothing cached and a snippet too big for the target: it goes, the prefix is cut to fit.
    const cold = sizeForSpeed({ prefix: PREFIX, snippets: [SNIPPET.repeat(20)], languageId: 'python', build, cachedPrompt: '', msPerToken, targetMs: 500 });
    assert.ok(!cold.prompt!.includes('def norm'));
    assert.ok(uncachedTokens(cold.prompt!, '', 'python') * msPerToken <= 500);
  });

  it('keeps cutting where it cut before while that fits, so typing along keeps the cache', () => {
    const first = sizeForSpeed({ prefix: PREFIX, snippets: [], languageId: 'python', build, cachedPrompt: '', msPerToken: 2, targetMs: 500 });
    const typed = PREFIX + 'alise(total_1)';
    const next = sizeForSpeed({
      prefix: typed, snippets: [], languageId: 'python', build, cachedPrompt: first.prompt!, msPerToken: 2, targetMs: 500, cutStart: first.prefix.slice(0, 200),
    });
    assert.equal(next.prefix, first.prefix + 'alise(total_1)');
  });

  it('keeps a cut that dropped the snippets when typing along, though the line grows and the speed reading moves', () => {
    const big = [SNIPPET.repeat(20)]; // never fits: the first cut goes without it
    const base = { snippets: big, languageId: 'python', build, targetMs: 500 };
    const first = sizeForSpeed({ ...base, prefix: PREFIX, cachedPrompt: '', msPerToken: 2 });
    assert.ok(!first.prompt!.includes('def norm'));
    const typed = PREFIX + 'alise(total_1, total_2, total_3, total_4)';
    const next = sizeForSpeed({ ...base, prefix: typed, cachedPrompt: first.prompt!, msPerToken: 2.2, cutStart: first.prefix.slice(0, 200) });
    assert.equal(next.prefix, first.prefix + 'alise(total_1, total_2, total_3, total_4)', 'same start: the server\'s cache still holds it');
    assert.ok(!next.prompt!.includes('def norm'));
    assert.ok(uncachedTokens(next.prompt!, first.prompt!, 'python') * 2.2 <= 500, 'what it reads still fits the target');
    // A cache holding another prompt (another file): the old cut would be read whole and no longer fits, so it is cut anew.
    const elsewhere = sizeForSpeed({ ...base, prefix: typed, cachedPrompt: 'other', msPerToken: 4, cutStart: first.prefix.slice(0, 200) });
    assert.ok(uncachedTokens(elsewhere.prompt!, 'other', 'python') * 4 <= 500 && elsewhere.prefix.length < next.prefix.length);
  });
});
