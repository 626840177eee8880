import * as assert from 'node:assert/strict';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, Scheduler } from '../../../src/pipeline/scheduler';
import { FakeClock } from './fakes';

function scheduler(clock = new FakeClock(), bounds = { minMs: 75, maxMs: 400 }) {
  return new Scheduler({ clock, debounceBounds: () => bounds });
}

describe('pipeline/scheduler', () => {
  it('waits the debounce delay, and gives up when a newer keystroke cancels the wait', async () => {
    const clock = new FakeClock();
    const s = scheduler(clock);
    s.keystroke(0);
    let waited: boolean | undefined;
    void s.pause(new AbortController().signal).then(ok => { waited = ok; });
    await clock.advance(74);
    assert.equal(waited, undefined, 'still inside the minimum delay');
    await clock.advance(1);
    assert.equal(waited, true);

    const newer = new AbortController();
    let cancelled: boolean | undefined;
    void s.pause(newer.signal).then(ok => { cancelled = ok; });
    newer.abort();
    await clock.advance(0);
    assert.equal(cancelled, false);
  });

  it('adds a share of the measured request latency to the delay, within the bounds', () => {
    const s = scheduler();
    assert.equal(s.delayMs(), 75);
    s.latency(400);
    assert.equal(s.delayMs(), 175);
    s.latency(10_000);
    assert.equal(s.delayMs(), 400);
  });

  it('backs off exponentially after failures, up to the maximum, and forgets on success', () => {
    const clock = new FakeClock();
    const s = scheduler(clock);
    assert.equal(s.failed(0), BACKOFF_BASE_MS);
    assert.equal(s.failed(0), 2 * BACKOFF_BASE_MS);
    assert.equal(s.backingOff(2 * BACKOFF_BASE_MS - 1), true);
    assert.equal(s.backingOff(2 * BACKOFF_BASE_MS), false);
    for (let i = 0; i < 10; i++) s.failed(0);
    assert.equal(s.failed(0), BACKOFF_MAX_MS);
    s.succeeded();
    assert.equal(s.backingOff(0), false);
    assert.equal(s.failed(0), BACKOFF_BASE_MS);
  });

  it('lets background work into a free slot only', () => {
    const s = scheduler();
    const spec = s.claimForBackground('speculative', new AbortController());
    assert.ok(spec);
    assert.equal(s.claimForBackground('prefill', new AbortController()), undefined, 'the slot is taken');
    s.release(spec);
    const user = s.claimForUser(new AbortController());
    assert.equal(s.userWaiting, true);
    assert.equal(s.claimForBackground('speculative', new AbortController()), undefined, 'never beside a user request');
    s.release(user);
    assert.equal(s.userWaiting, false);
    assert.ok(s.claimForBackground('prefill', new AbortController()));
    assert.deepEqual(s.stats, { yielded: 0, refused: 2 });
  });

  it('stops background work at once when the user needs the slot', () => {
    const s = scheduler();
    const background = new AbortController();
    s.claimForBackground('speculative', background);
    const user = new AbortController();
    s.claimForUser(user);
    assert.equal(background.signal.aborted, true);
    assert.equal(user.signal.aborted, false);
    assert.equal(s.stats.yielded, 1);
    // A second user request (another editor) does not stop the first.
    const other = new AbortController();
    s.claimForUser(other);
    assert.equal(user.signal.aborted, false);
  });

  it('stops background work on reset, and forgets the back-off', () => {
    const s = scheduler();
    const background = new AbortController();
    s.claimForBackground('prefill', background);
    s.failed(0);
    s.reset();
    assert.equal(background.signal.aborted, true);
    assert.equal(s.backingOff(0), false);
    assert.ok(s.claimForBackground('prefill', new AbortController()));
  });

  it('tells a new place (another document, a click or jump of more than a line) from typing on, and when a prefill pays', () => {
    const s = scheduler();
    assert.equal(s.moved('e', 'a.py', 10), true, 'the first keystroke in an editor');
    assert.equal(s.moved('e', 'a.py', 10), false, 'typing along the line');
    assert.equal(s.moved('e', 'a.py', 11), false, 'Enter: the next line');
    assert.equal(s.moved('e', 'a.py', 40), true, 'a jump');
    assert.equal(s.moved('e', 'b.py', 40), true, 'another document');
    assert.equal(s.moved('other', 'b.py', 40), true, 'each editor has its own place');
    assert.equal(s.prefillWorthIt(), true, 'the debounce leaves the server time to read');
    assert.equal(scheduler(new FakeClock(), { minMs: 0, maxMs: 0 }).prefillWorthIt(), false, 'no debounce, nothing to overlap');
  });
});
