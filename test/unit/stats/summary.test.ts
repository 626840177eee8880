import * as assert from 'node:assert/strict';
import { bucketOf, HISTOGRAM_EDGES_MS } from '../../../src/stats/record';
import { percentile, summarize } from '../../../src/stats/summary';
import { row } from './helpers';

describe('stats/summary', () => {
  it('acceptance per day and per language, totals and the server speeds', () => {
    const s = summarize([
      row('2026-12-02', { shown: 10, acceptedWhole: 3, acceptedPartly: 1, serverGeneratedTokens: 100, serverGenerationMs: 2000 }),
      row('2026-12-03', { shown: 4, acceptedWhole: 2 }),
      row('2026-12-03', { shown: 6, acceptedWhole: 0, shownMultiline: 5, acceptedMultiline: 0 }, 'go'),
    ]);
    assert.deepEqual(s.days.map(d => [d.day, d.shown, d.accepted, d.acceptanceRate]), [['2026-12-02', 10, 4, 0.4], ['2026-12-03', 10, 2, 0.2]]);
    assert.equal(s.days[0].generationTokensPerSecond, 50);
    assert.equal(s.days[1].generationTokensPerSecond, undefined);
    assert.deepEqual(s.languages.map(l => [l.language, l.shown, l.acceptanceRate]), [['python', 14, 6 / 14], ['go', 6, 0]]);
    assert.equal(s.acceptanceRate, 0.3);
    assert.deepEqual([s.from, s.to], ['2026-12-02', '2026-12-03']);
  });

  it('p50 and p95 of time to ghost text from the histogram', () => {
    const r = row('2026-12-03', {});
    r.ghostTextMs[bucketOf(80)] = 50; // 75-100 ms
    r.ghostTextMs[bucketOf(900)] = 45; // 750-1000 ms
    r.ghostTextMs[bucketOf(4000)] = 5; // 3-5 s
    const s = summarize([r]);
    assert.equal(s.ghostText.total, 100);
    assert.equal(s.ghostText.p50Ms, 100, 'the 50th of 100 is the last of the first bucket');
    assert.equal(s.ghostText.p95Ms, 1000);
    assert.equal(s.ghostText.labels.length, s.ghostText.counts.length);
  });

  it('percentile: empty is unknown; above the last edge answers the last edge', () => {
    assert.equal(percentile(new Array(HISTOGRAM_EDGES_MS.length + 1).fill(0), 0.5), undefined);
    const counts = new Array(HISTOGRAM_EDGES_MS.length + 1).fill(0);
    counts[counts.length - 1] = 3;
    assert.equal(percentile(counts, 0.5), HISTOGRAM_EDGES_MS[HISTOGRAM_EDGES_MS.length - 1]);
  });
});
