// The quality bench as a library call (what `npm run bench` uses): a few tasks, no python tests, through the
// post-processor's stdin/stdout entry, so it stays fast and needs no dist build.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQualityBench } from '../../../bench/quality/run';
import { midlineHole } from '../../../bench/quality/realMidline';

describe('bench: quality runner', function () {
  this.timeout(30_000);

  it('scores a few HumanEval tasks and returns its table and goals without running its CLI', async () => {
    const lines: string[] = [];
    const r = await runQualityBench({
      limit: 3, sets: ['single-line'], pass: false,
      cli: path.join(__dirname, '../../../bench/quality/postprocessEntry.js'),
      log: l => lines.push(l),
    });
    assert.deepEqual(r.tasks, { 'single-line': 3 });
    const oracle = r.scores.oracle.all.all;
    assert.ok(oracle.n > 0);
    assert.equal(oracle.exact, oracle.n, 'the reference solution matches itself');
    assert.equal(r.scores.infill.all.all.n, oracle.n);
    assert.match(r.markdown, /^HumanEval infilling, single-line 3 tasks/);
    assert.match(r.markdown, /\| oracle \| 1\.000 \|/);
    // Without tests only the exact-match goals exist: two of the simulated bench, two of the real-output bench.
    assert.equal(r.goalChecks.length, 4);
    for (const g of r.goalChecks) assert.equal(typeof g.pass, 'boolean');
    assert.ok(r.goalChecks[0].measured.includes('exact'), r.goalChecks[0].measured);
    assert.equal(r.timings.programs, 0);
    assert.ok(lines.some(l => l.includes('post-processing')), 'progress goes to log');
    // The real-output bench: the first 3 records of each model, with the heuristics and the ceiling beside Infill.
    const real = r.real!;
    assert.equal(real.records, 6);
    assert.equal(real.scores.infill.all.n, 6);
    assert.ok(real.scores.ceiling.all.exact >= real.scores['first-line'].all.exact, 'the ceiling is at least any line cut');
    assert.match(r.markdown, /\| line-cut ceiling \|/);
    assert.ok(r.goalChecks.slice(2).every(g => g.name.includes('real model outputs')));
    // Mid-line holes derived from those records: as many as agree with the reference up to an open bracket.
    assert.equal(real.midline.scores.infill.all.n, real.midline.holes);
    assert.match(r.markdown, /Mid-line holes derived from the same outputs/);
  });
});

describe('bench: mid-line holes derived from real outputs', () => {
  const record = {
    id: 'r', model: 'm', language: 'python', tests: '',
    prefix: 'def f(xs):\n', suffix: '\n    return ys\n', reference: '    ys = sorted(xs, key=abs)',
  };

  it('moves the cursor after the first bracket left open where the output agrees, and drops that text from the output', () => {
    const hole = midlineHole({ ...record, output: '    ys = sorted(\n        xs, key=abs)\n' });
    assert.deepEqual(hole && { typed: hole.typed, prefix: hole.prefix, output: hole.output },
      { typed: '    ys = sorted(', prefix: 'def f(xs):\n    ys = sorted(', output: '\n        xs, key=abs)\n' });
  });

  it('stops at the first bracket, and gives none when the output leaves the reference before it or it has none', () => {
    assert.equal(midlineHole({ ...record, reference: '    ys = f() + [x]', output: '    ys = f() + [x]\n' })?.typed, '    ys = f(');
    assert.equal(midlineHole({ ...record, output: '    ys = list(xs)\n' }), undefined);
    assert.equal(midlineHole({ ...record, reference: '    return ys', output: '    return ys\n' }), undefined);
  });
});
