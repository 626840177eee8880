import * as assert from 'node:assert/strict';
import {
  bucketOf, dayOf, HISTOGRAM_EDGES_MS, MAX_DAYS, normalizeRows, sanitizeRow, shiftDay,
} from '../../../src/stats/record';
import { at, event, row, rowFrom } from './helpers';

describe('stats/record', () => {
  it('counts suggestions, accepts, dismissals and typing into the counters', () => {
    const r = rowFrom([
      event({ kind: 'shown', multiline: false, source: 'model', ghostTextMs: 180 }),
      event({ kind: 'shown', multiline: true, source: 'cache', ghostTextMs: 3 }),
      event({ kind: 'typedThrough' }),
      event({ kind: 'acceptedWhole', chars: 5, multiline: false }),
      event({ kind: 'acceptedPart', chars: 4, unit: 'word', multiline: true, first: true }),
      event({ kind: 'acceptedPart', chars: 9, unit: 'line', multiline: true, first: false }),
      event({ kind: 'dismissed' }),
      event({ kind: 'typed', chars: 12 }),
    ]);
    const c = r.counters;
    assert.deepEqual(
      [c.shown, c.shownMultiline, c.cacheAnswers, c.typedThroughAnswers, c.acceptedWhole, c.acceptedPartly, c.acceptedMultiline],
      [2, 1, 1, 1, 1, 1, 1],
    );
    assert.deepEqual([c.partialWordAccepts, c.partialLineAccepts, c.dismissed, c.charsAccepted, c.charsTyped], [1, 1, 1, 18, 12]);
    assert.equal(r.ghostTextMs[bucketOf(180)], 1);
    assert.equal(r.ghostTextMs[0], 1, '3 ms falls in the first bucket');
  });

  it('moves a suggestion accepted whole after a part, or after being seen as dismissed, out of its old outcome', () => {
    const r = rowFrom([
      event({ kind: 'acceptedPart', chars: 4, unit: 'word', multiline: true, first: true }),
      event({ kind: 'acceptedWhole', chars: 10, multiline: true, replaces: 'partly' }),
      event({ kind: 'dismissed' }),
      event({ kind: 'acceptedWhole', chars: 3, multiline: false, replaces: 'dismissed' }),
    ]);
    const c = r.counters;
    assert.deepEqual([c.acceptedWhole, c.acceptedPartly, c.dismissed, c.acceptedMultiline, c.charsAccepted], [2, 0, 0, 1, 17]);
  });

  it("adds a finished request's figures and the server's own timings; cancelled and failed ones only count", () => {
    const r = rowFrom([
      event({ kind: 'request', outcome: 'early-stop', timings: {
        ttftMs: 420, promptTokens: 1000, cachedPromptTokens: 800, tokens: 20, server: { promptMs: 400, generationMs: 1000, loadMs: 2500 },
      } }),
      event({ kind: 'request', outcome: 'finished', timings: { ttftMs: 90, promptTokens: 300, cachedPromptTokens: 0, tokens: 5 } }),
      event({ kind: 'request', outcome: 'cancelled' }),
      event({ kind: 'request', outcome: 'failed' }),
    ]);
    const c = r.counters;
    assert.deepEqual([c.requests, c.requestsFinished, c.earlyStops, c.requestsCancelled, c.requestsFailed], [4, 2, 1, 1, 1]);
    assert.deepEqual([c.promptTokens, c.cachedPromptTokens], [1300, 800]);
    // Only the request with server timings counts towards the speeds; the server read 200 uncached tokens.
    assert.deepEqual([c.serverPromptTokens, c.serverPromptMs, c.serverGeneratedTokens, c.serverGenerationMs], [200, 400, 20, 1000]);
    assert.deepEqual([c.modelLoads, c.modelLoadMs], [1, 2500]);
    assert.equal(r.firstTokenMs.reduce((a, b) => a + b, 0), 2);
  });

  it('puts durations in fixed buckets, the last one open-ended', () => {
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(25), 0);
    assert.equal(bucketOf(26), 1);
    assert.equal(bucketOf(HISTOGRAM_EDGES_MS[HISTOGRAM_EDGES_MS.length - 1] + 1), HISTOGRAM_EDGES_MS.length);
  });

  it('names local calendar days and steps across months and years', () => {
    assert.equal(dayOf(at('2026-12-03', 0)), '2026-12-03');
    assert.equal(dayOf(at('2026-12-03', 23)), '2026-12-03');
    assert.equal(shiftDay('2026-03-01', -1), '2026-02-28');
    assert.equal(shiftDay('2026-12-31', 1), '2027-01-01');
  });

  describe('bounds', () => {
    it(`keeps ${MAX_DAYS} days up to today and drops older ones`, () => {
      const today = '2026-12-03';
      const rows = [row(shiftDay(today, -MAX_DAYS), { shown: 1 }), row(shiftDay(today, -(MAX_DAYS - 1)), { shown: 2 }), row(today, { shown: 3 })];
      const kept = normalizeRows(rows, today);
      assert.deepEqual(kept.map(r => r.counters.shown), [2, 3]);
    });

    it('merges rows of the same day, language and model', () => {
      const kept = normalizeRows([row('2026-12-03', { shown: 1 }), row('2026-12-03', { shown: 2 }), row('2026-12-03', { shown: 4 }, 'go')], '2026-12-03');
      assert.deepEqual(kept.map(r => [r.language, r.counters.shown]), [['go', 4], ['python', 3]]);
    });

    it("folds a day's least used languages into one 'other' row beyond the per-day limit", () => {
      const rows = Array.from({ length: 10 }, (_, i) => row('2026-12-03', { shown: 10 - i }, `lang${i}`));
      const kept = normalizeRows(rows, '2026-12-03', MAX_DAYS, 4);
      assert.equal(kept.length, 4);
      const other = kept.find(r => r.language === 'other');
      assert.equal(other?.counters.shown, 7 + 6 + 5 + 4 + 3 + 2 + 1);
      assert.deepEqual(kept.filter(r => r.language !== 'other').map(r => r.language).sort(), ['lang0', 'lang1', 'lang2']);
    });
  });

  it('repairs rows read from disk: bad counters become 0, rows without a day are dropped', () => {
    const repaired = sanitizeRow({ day: '2026-12-03', language: 'go', model: 'm', counters: { shown: 3, dismissed: -1, charsTyped: 'x' }, ghostTextMs: [1, 'a'] });
    assert.equal(repaired?.counters.shown, 3);
    assert.equal(repaired?.counters.dismissed, 0);
    assert.equal(repaired?.counters.charsTyped, 0);
    assert.deepEqual(repaired?.ghostTextMs.slice(0, 2), [1, 0]);
    assert.equal(sanitizeRow({ language: 'go', model: 'm' }), undefined);
    assert.equal(sanitizeRow('nonsense'), undefined);
  });
});
