import * as assert from 'node:assert/strict';
import { csvField, CSV_COLUMNS, exportCsv, exportJson } from '../../../src/stats/export';
import { bucketOf, COUNTER_NAMES } from '../../../src/stats/record';
import { parseStatsFile } from '../../../src/stats/store';
import { row } from './helpers';

describe('stats/export', () => {
  const rows = [row('2026-12-02', { shown: 4, acceptedWhole: 1, serverPromptTokens: 500, serverPromptMs: 1000 }), row('2026-12-03', { shown: 2 }, 'go', 'star,coder')];
  rows[0].ghostTextMs[bucketOf(180)] = 4;

  it('JSON: the record as stored, readable back', () => {
    const text = exportJson({ version: 1, rows });
    assert.deepEqual(parseStatsFile(text), rows);
  });

  it('CSV: a header and one line per day, language and model, with percentiles and speeds', () => {
    const lines = exportCsv(rows).trimEnd().split('\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(lines.length, 3);
    const first = Object.fromEntries(lines[1].split(',').map((v, i) => [CSV_COLUMNS[i], v]));
    assert.equal(first.day, '2026-12-02');
    assert.equal(first.shown, '4');
    assert.equal(first.acceptedWhole, '1');
    assert.equal(first.promptTokensPerSecond, '500');
    assert.equal(first.ghostTextP50Ms, '175', 'the bucket 150-200 ms, interpolated');
    assert.equal(first.generationTokensPerSecond, '', 'unknown stays empty');
    assert.ok(lines[2].includes('"star,coder"'), 'a comma in a model name is quoted');
    assert.equal(CSV_COLUMNS.length, 3 + COUNTER_NAMES.length + 6);
  });

  it('quotes fields a spreadsheet would misread', () => {
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('=cmd()'), "'=cmd()");
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(3.5), '3.5');
  });
});
