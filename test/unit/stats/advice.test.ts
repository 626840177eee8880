import * as assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../src/config/types';
import { adviseFromStats, longerKeepAlive, type AdviceSettings } from '../../../src/stats/advice';
import { row } from './helpers';

const SETTINGS: AdviceSettings = { ...DEFAULT_CONFIG };
const TODAY = '2026-12-03';

describe('stats/advice', () => {
  it('nothing to say on an empty or thin record', () => {
    assert.deepEqual(adviseFromStats([], SETTINGS, TODAY), []);
    assert.deepEqual(adviseFromStats([row(TODAY, { requestsFinished: 3, promptTokens: 6000, serverPromptTokens: 6000, serverPromptMs: 60_000 })], SETTINGS, TODAY), []);
  });

  it('slow prompt reading: names maxPrefixTokens with a value that brings a cold suggestion under the target', () => {
    // 100 tokens/s, prompts of ~1500 tokens with ~1000 of prefix: 15 s cold. Even the smallest sensible prefix
    // (256 tokens) leaves ~750 tokens to read: it says so rather than promise the target.
    const slow = row(TODAY, { requestsFinished: 40, promptTokens: 60_000, prefixTokens: 40_000, serverPromptTokens: 60_000, serverPromptMs: 600_000 });
    const [advice] = adviseFromStats([slow], SETTINGS, TODAY);
    assert.equal(advice.setting, 'infill.maxPrefixTokens');
    assert.equal(advice.value, '256');
    assert.match(advice.text, /to about 7\.6 s/);
    assert.match(advice.text, /about 100 prompt tokens\/s/);
    assert.match(advice.text, /15\.0 s at today's prompt size \(~1500 tokens\)/);
    assert.match(advice.text, /now 1024/);
  });

  it('a server that reads 600 tokens/s and prompts of 900 tokens (800 of prefix): a prefix of 448 brings it under 1000 ms', () => {
    const r = row(TODAY, { requestsFinished: 30, promptTokens: 27_000, prefixTokens: 24_000, serverPromptTokens: 27_000, serverPromptMs: 45_000 });
    const [advice] = adviseFromStats([r], SETTINGS, TODAY);
    // 900 tokens at 600/s = 1.5 s; the server reads 600 tokens in 1 s, so 300 fewer: 800 - 300 = 500 -> 448.
    assert.equal(advice.value, '448');
    assert.match(advice.text, /1\.5 s/);
    assert.match(advice.text, /under 1000 ms/);
  });

  it('no prompt advice when the prefix is already short (a smaller budget would not shorten the prompt)', () => {
    const r = row(TODAY, { requestsFinished: 30, promptTokens: 30_000, prefixTokens: 6000, serverPromptTokens: 30_000, serverPromptMs: 300_000 });
    assert.deepEqual(adviseFromStats([r], SETTINGS, TODAY), []);
  });

  it('a fast server gets no prompt advice', () => {
    const fast = row(TODAY, { requestsFinished: 40, promptTokens: 40_000, serverPromptTokens: 40_000, serverPromptMs: 20_000 });
    assert.deepEqual(adviseFromStats([fast], SETTINGS, TODAY), []);
  });

  it('multi-line suggestions rarely accepted in a language: names maxTokensMultiline with the generation time it saves', () => {
    const rows = [
      row(TODAY, { shownMultiline: 30, acceptedMultiline: 1, serverGeneratedTokens: 1000, serverGenerationMs: 100_000 }, 'go'),
      row(TODAY, { shownMultiline: 30, acceptedMultiline: 12 }, 'python'),
    ];
    const advice = adviseFromStats(rows, SETTINGS, TODAY);
    assert.equal(advice.length, 1);
    assert.equal(advice[0].setting, 'infill.maxTokensMultiline');
    assert.equal(advice[0].value, '128');
    assert.match(advice[0].text, /in go were accepted 1 of 30 times \(3%\)/);
    assert.match(advice[0].text, /10 tokens\/s/);
    assert.match(advice[0].text, /12\.8 s of generation instead of 38\.4 s/);
  });

  it('repeated model loads on Ollama: names keepAlive with a longer duration', () => {
    const r = row(TODAY, { modelLoads: 4, modelLoadMs: 4 * 6000 });
    const [advice] = adviseFromStats([r], SETTINGS, TODAY);
    assert.equal(advice.setting, 'infill.keepAlive');
    assert.equal(advice.value, '2h');
    assert.match(advice.text, /loaded 4 times in 1 day\(s\) of use, each time about 6\.0 s/);
    assert.deepEqual(adviseFromStats([r], { ...SETTINGS, backend: 'llamacpp' }, TODAY), [], 'only Ollama unloads by keepAlive');
  });

  it('at most three, the largest saving first, from the last 7 days only', () => {
    const rows = [
      row(TODAY, { requestsFinished: 40, promptTokens: 60_000, serverPromptTokens: 60_000, serverPromptMs: 600_000, modelLoads: 3, modelLoadMs: 3000 }),
      row(TODAY, { shownMultiline: 30, acceptedMultiline: 0 }, 'go'),
      row(TODAY, { shownMultiline: 30, acceptedMultiline: 0 }, 'rust'),
      row('2026-11-01', { modelLoads: 100, modelLoadMs: 1_000_000 }),
    ];
    const advice = adviseFromStats(rows, SETTINGS, TODAY);
    assert.ok(advice.length <= 3);
    assert.equal(advice[0].setting, 'infill.maxPrefixTokens');
    assert.deepEqual(advice.map(a => a.setting).filter(s => s === 'infill.maxTokensMultiline').length, 1, 'one multi-line advice');
    const load = advice.find(a => a.setting === 'infill.keepAlive');
    assert.match(load?.text ?? '', /loaded 3 times/, 'the old day is not counted');
  });

  it('longerKeepAlive steps up and stops at forever', () => {
    assert.equal(longerKeepAlive('30m'), '2h');
    assert.equal(longerKeepAlive('5m'), '2h');
    assert.equal(longerKeepAlive('2h'), '8h');
    assert.equal(longerKeepAlive('1h30m'), '2h');
    assert.equal(longerKeepAlive('300'), '2h');
    assert.equal(longerKeepAlive('8h'), undefined);
    assert.equal(longerKeepAlive('-1'), undefined);
    assert.equal(longerKeepAlive('soon'), undefined);
  });
});
