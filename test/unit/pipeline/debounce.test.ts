import * as assert from 'node:assert/strict';
import { AdaptiveDebounce, BURST_GAP_MS, TYPING_GAP_FACTOR } from '../../../src/pipeline/debounce';

describe('pipeline/debounce', () => {
  const bounds = () => ({ minMs: 75, maxMs: 400 });

  it('waits the minimum after a pause', () => {
    const d = new AdaptiveDebounce(bounds);
    d.keystroke(0);
    assert.equal(d.delayMs(), 75);
    d.keystroke(5000); // a long pause starts a new burst
    assert.equal(d.delayMs(), 75);
  });

  it('waits longer inside a typing burst, following the typing rhythm', () => {
    const d = new AdaptiveDebounce(bounds);
    for (let t = 0; t <= 2000; t += 100) d.keystroke(t); // 10 keys/s
    assert.equal(d.delayMs(), Math.round(100 * TYPING_GAP_FACTOR));
    const slow = new AdaptiveDebounce(bounds);
    for (let t = 0; t <= 4000; t += 300) slow.keystroke(t);
    assert.equal(slow.delayMs(), 400, 'capped at the maximum');
    // The burst ends after a long gap.
    d.keystroke(2000 + BURST_GAP_MS + 1);
    assert.equal(d.delayMs(), 75);
  });

  it('adds a share of the measured latency, within the bounds', () => {
    const d = new AdaptiveDebounce(bounds);
    d.latency(400);
    assert.equal(d.delayMs(), 75 + 100);
    d.latency(10_000);
    assert.equal(d.delayMs(), 400);
    d.latency(NaN); // ignored
    assert.ok(d.delayMs() <= 400);
  });

  it('reads the bounds at every call and tolerates inverted ones', () => {
    let b = { minMs: 50, maxMs: 60 };
    const d = new AdaptiveDebounce(() => b);
    for (let t = 0; t <= 1000; t += 100) d.keystroke(t);
    assert.equal(d.delayMs(), 60);
    b = { minMs: 300, maxMs: 200 };
    assert.ok(d.delayMs() >= 200 && d.delayMs() <= 300);
  });
});
