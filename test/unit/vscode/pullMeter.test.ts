import * as assert from 'assert';
import { formatBytes, PullMeter } from '../../../src/vscode/pullMeter';

describe('vscode pull progress', () => {
  it('follows the bytes of all layers and never moves back', () => {
    const meter = new PullMeter();
    assert.deepStrictEqual(meter.update({ status: 'pulling manifest' }), { message: 'pulling manifest', increment: undefined, logLine: 'pulling manifest' });
    const big = 'pulling 60e05f2100071479f596b964f89f510f057ce397ea22f2833a0cfe029bfc2463';
    const a = meter.update({ status: big, completed: 250e6, total: 1000e6 });
    assert.strictEqual(a.increment, 25);
    assert.strictEqual(a.message, 'pulling 60e05f210007 (250 MB of 1.00 GB)');
    assert.strictEqual(a.logLine, 'pulling 60e05f210007');
    const b = meter.update({ status: big, completed: 500e6, total: 1000e6 });
    assert.strictEqual(b.increment, 25);
    assert.strictEqual(b.logLine, undefined, 'same step is logged once');
    // A new small layer adds to the total: the share done drops a little, the bar stays where it was.
    const c = meter.update({ status: 'pulling 66b9ea09bd5b', completed: 0, total: 100e6 });
    assert.strictEqual(c.increment, undefined);
    const d = meter.update({ status: big, completed: 1000e6, total: 1000e6 });
    assert.strictEqual(d.increment, 40);   // 1000 of 1100 = 90 %
    const e = meter.update({ status: 'pulling 66b9ea09bd5b', completed: 100e6, total: 100e6 });
    assert.strictEqual(e.increment, 10);
    assert.strictEqual(meter.update({ status: 'success' }).message, 'success (1.10 GB of 1.10 GB)');
  });

  it('formats byte counts', () => {
    assert.deepStrictEqual([formatBytes(12), formatBytes(12_345), formatBytes(12_345_678), formatBytes(1_234_567_890)], ['12 B', '12 kB', '12 MB', '1.23 GB']);
  });
});
