// What the engine hands speculation (engine.ts): the suggestion it offers (whole once its request ends, only while
// it is still the editor's latest), the place already cached, a speculation that waits for the server slot or timed
// out; and calls a newer keystroke made stale (a reused stream, a debounce). One behaviour per case.
import * as assert from 'node:assert/strict';
import { CompletionEngine } from '../../../src/pipeline/engine';
import type { Postprocessor } from '../../../src/postprocess/types';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, flush, Gate, ScriptedBackend, snapshot } from './fakes';

const DOC = atCursor('def area(w, h):\n    ┃\n\nprint(area(2, 3))\n');
const FIRST = ['result = mul(w, h)', '\n'];
const NEXT = ['return result', '\n'];
const TWO_LINES = ['result = mul(w, h)\n', '    total = mul(result, 2)\n', '\n'];

function live(): AbortSignal {
  return new AbortController().signal;
}

/** DOC with `text` typed (or accepted) at its cursor, the cursor at the end of it. */
function typed(text: string) {
  const lines = (DOC.text.slice(0, 20) + text).split('\n');
  return { text: DOC.text.slice(0, 20) + text + DOC.text.slice(20), position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

/** DOC after accepting `text`, then Enter (the line's indentation kept): where speculation aims. */
function pastEnter(text: string) {
  return typed(`${text}\n    `);
}

function gated(backend: ScriptedBackend, gate: Gate): void {
  (backend as unknown as { options: { gate?: Gate } }).options.gate = gate;
}

/** An engine whose first suggestion is shown; the second request answers `x = 1` once the gate lets it, later ones NEXT. */
async function firstShownThenGated() {
  const clock = new FakeClock();
  const gate = new Gate();
  const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIRST : i === 1 ? ['x = 1', '\n'] : NEXT) });
  const engine = new CompletionEngine(engineDeps(backend, { clock, features: { speculate: true } }));
  const first = engine.provide(snapshot(DOC.text), DOC.position, live());
  await clock.advance(500);
  assert.equal((await first)?.text, 'result = mul(w, h)');
  return { clock, gate, backend, engine };
}

describe('pipeline/engine: what it offers speculation, and stale calls', () => {
  it('asks nothing in the background for a place whose suggestion is cached already', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? NEXT : FIRST) });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { speculate: true } }));
    const enter = pastEnter('result = mul(w, h)');
    const there = engine.provide(snapshot(enter.text), enter.position, live());
    await clock.advance(500);
    assert.equal((await there)?.text, 'return result');
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(500);
    assert.equal((await first)?.text, 'result = mul(w, h)');

    const tab = typed('result = mul(w, h)');
    assert.equal(await engine.provide(snapshot(tab.text), tab.position, live()), undefined);
    await clock.advance(500);
    assert.equal(backend.requests.length, 2, 'the place past the Enter is cached: no background request');
    assert.equal(engine.counters.speculativeRequests, 0);
    const next = await engine.provide(snapshot(enter.text), enter.position, live());
    assert.deepEqual(next && [next.text, next.source], ['return result', 'cache']);
  });

  describe('lines shown while their request streams', () => {
    /** The first of two lines shown while the rest streams (gated); the stream not ended yet. */
    async function firstLineShown() {
      const clock = new FakeClock();
      const gate = new Gate();
      const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? TWO_LINES : NEXT), gate });
      const engine = new CompletionEngine(engineDeps(backend, { clock, decideMultiline: () => true, features: { speculate: true } }));
      const first = engine.provide(snapshot(DOC.text), DOC.position, live());
      await clock.advance(500);
      gate.open();
      await flush();
      assert.equal((await first)?.text, 'result = mul(w, h)');
      return { clock, gate, backend, engine };
    }

    async function streamToEnd(gate: Gate, clock: FakeClock): Promise<void> {
      for (let i = 0; i < 4; i++) { gate.open(); await flush(); }
      await clock.advance(0);
    }

    it('aim at where the whole suggestion leads, once the request has ended', async () => {
      const { clock, gate, backend, engine } = await firstLineShown();
      await streamToEnd(gate, clock);
      assert.equal(backend.requests.length, 1);
      // Tab takes the whole suggestion: the background request goes past its last line, not its first.
      const tab = typed('result = mul(w, h)\n    total = mul(result, 2)');
      assert.equal(await engine.provide(snapshot(tab.text), tab.position, live()), undefined);
      await clock.advance(0);
      assert.equal(backend.requests.length, 2);
      assert.ok(backend.requests[1].prefix.endsWith('    total = mul(result, 2)\n    '), 'asked where the Enter after the last line leads');
      assert.equal(engine.counters.speculativeRequests, 1);
    });

    it('aim nowhere when a newer keystroke in the editor came before the request ended', async () => {
      const { clock, gate, backend, engine } = await firstLineShown();
      // The user types on past the line shown; VS Code cancels that call before the stream has more.
      const ahead = typed('result = mul(w, h)\n    tot');
      const cancel = new AbortController();
      const waiting = engine.provide(snapshot(ahead.text), ahead.position, cancel.signal);
      await flush();
      cancel.abort();
      assert.equal(await waiting, undefined);
      await streamToEnd(gate, clock);
      assert.equal(engine.counters.earlyStops, 1, 'the typing went along the stream, to its end');

      const tab = typed('result = mul(w, h)\n    total = mul(result, 2)');
      const atEnd = engine.provide(snapshot(tab.text), tab.position, live());
      await clock.advance(1000);
      assert.equal(engine.counters.speculativeRequests, 0, 'the offer was out of date when its request ended');
      assert.ok(backend.requests.every(r => !r.prefix.endsWith('total = mul(result, 2)\n    ')), 'nothing asked past the Enter');
      engine.dispose();
      assert.equal(await atEnd, undefined);
    });
  });

  it('starts a speculation that found the server slot busy as soon as the slot frees', async () => {
    const { clock, gate, backend, engine } = await firstShownThenGated();

    // Another editor's request holds the slot (its stream waits on the gate).
    gated(backend, gate);
    const other = atCursor('def g():\n    ┃\n');
    const elsewhere = engine.provide(snapshot(other.text, 'python', 'file:///w/b.py'), other.position, live());
    await clock.advance(500);
    assert.equal(backend.requests.length, 2);

    const tab = typed('result = mul(w, h)');
    await engine.provide(snapshot(tab.text), tab.position, live());
    await clock.advance(0);
    assert.equal(backend.requests.length, 2, 'the slot is busy: the speculation waits');
    for (let i = 0; i < 3; i++) { gate.open(); await flush(); }
    assert.equal((await elsewhere)?.text, 'x = 1');
    await clock.advance(0);
    assert.equal(backend.requests.length, 3, 'the slot freed: the speculation went');
    assert.ok(backend.requests[2].prefix.endsWith('    result = mul(w, h)\n    '));
  });

  it('offers a suggestion shown again from an earlier request at once, though another request of the editor streams', async () => {
    const { clock, gate, backend, engine } = await firstShownThenGated();
    // The user goes to the blank line below, where a request starts and streams (gated).
    gated(backend, gate);
    void engine.provide(snapshot(DOC.text), { line: 2, character: 0 }, live());
    await clock.advance(500);
    assert.equal(backend.requests.length, 2);
    // Back at the first place: the suggestion shown there before, with no request of its own.
    const back = await engine.provide(snapshot(DOC.text), DOC.position, live());
    assert.deepEqual(back && [back.text, back.source], ['result = mul(w, h)', 'typed-through']);
    const tab = typed('result = mul(w, h)');
    await engine.provide(snapshot(tab.text), tab.position, live());
    await clock.advance(0);
    assert.equal(engine.counters.speculativeRequests, 1, 'the offer aimed past the Enter, not at the other request\'s answer');
    assert.ok(backend.requests[2].prefix.endsWith('    result = mul(w, h)\n    '));
    engine.dispose();
  });

  it('does not ask again for a place whose background request timed out', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIRST : NEXT) });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { speculate: true } }));
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(500);
    assert.equal((await first)?.text, 'result = mul(w, h)');
    gated(backend, gate); // the server never answers the background request
    const tab = typed('result = mul(w, h)');
    await engine.provide(snapshot(tab.text), tab.position, live());
    await clock.advance(0);
    assert.equal(backend.requests.length, 2);
    await clock.advance(15_000);
    assert.equal(engine.counters.requestsTimedOut, 1);
    // A request elsewhere ends and frees the slot: a timed-out speculation is not tried again (a yielded one would be).
    (backend as unknown as { options: { gate?: Gate } }).options.gate = undefined;
    const other = atCursor('def g():\n    ┃\n');
    assert.ok(await engine.provide(snapshot(other.text, 'python', 'file:///w/b.py'), other.position, live(), { explicit: true }));
    await clock.advance(0);
    assert.equal(backend.requests.length, 3);
    assert.equal(engine.counters.speculativeRequests, 1);
  });

  it('a blank background answer is no speculative entry: the place\'s next answer is the user\'s own', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIRST : i === 1 ? ['BLANK', '\n'] : NEXT) });
    const blankFor: Postprocessor = {
      process: async input => (input.output.startsWith('BLANK') ? '  ' : input.output.split('\n')[0]),
      isComplete: async input => input.output.includes('\n'),
    };
    const engine = new CompletionEngine(engineDeps(backend, { clock, postprocessor: blankFor, features: { speculate: true } }));
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(500);
    assert.equal((await first)?.text, 'result = mul(w, h)');
    const tab = typed('result = mul(w, h)');
    await engine.provide(snapshot(tab.text), tab.position, live());
    await clock.advance(0);
    assert.equal(engine.counters.speculativeRequests, 1);
    // Past the Enter: the background answer was blank, so nothing is shown; asked explicitly, the user's request answers.
    const enter = pastEnter('result = mul(w, h)');
    assert.equal(await engine.provide(snapshot(enter.text), enter.position, live()), undefined);
    assert.equal((await engine.provide(snapshot(enter.text), enter.position, live(), { explicit: true }))?.text, 'return result');
    // Away (another suggestion shown) and back: the cached answer is the user's request's, not the background one's.
    assert.equal((await engine.provide(snapshot(DOC.text), DOC.position, live()))?.source, 'cache');
    const back = await engine.provide(snapshot(enter.text), enter.position, live());
    assert.deepEqual(back && [back.text, back.source, back.requestId], ['return result', 'cache', 0]);
    assert.equal(engine.counters.speculativeHits, 0);
  });

  it('a call whose reused stream ends after a newer keystroke in the editor shows nothing, even uncancelled', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: ['result = mul', '(w, h)', '\n'], gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(500);
    assert.equal(backend.requests.length, 1);
    const r = typed('r'), re = typed('re');
    const second = engine.provide(snapshot(r.text), r.position, live());
    await flush();
    const third = engine.provide(snapshot(re.text), re.position, live());
    await flush();
    for (let i = 0; i < 4; i++) { gate.open(); await flush(); }
    assert.equal(await first, undefined);
    assert.equal(await second, undefined, 'the document it was for is gone');
    assert.equal((await third)?.text, 'sult = mul(w, h)');
    assert.equal(backend.requests.length, 1);
  });

  it('a call whose debounce ends after a newer explicit request started leaves that request alone', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: ['result = mul', '(w, h)', '\n'], gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const automatic = engine.provide(snapshot(DOC.text), DOC.position, live());
    await flush();
    const r = typed('r');
    const explicit = engine.provide(snapshot(r.text), r.position, live(), { explicit: true });
    await flush();
    assert.equal(backend.requests.length, 1);
    await clock.advance(1000); // the first call's debounce ends: its document is gone
    assert.equal(await automatic, undefined);
    for (let i = 0; i < 4; i++) { gate.open(); await flush(); }
    assert.equal((await explicit)?.text, 'result = mul(w, h)', 'the scripted answer, as asked at the typed document');
    assert.equal(backend.requests.length, 1);
    assert.equal(engine.counters.requestsAborted, 0);
  });

  it('an explicit request asks again at a place cached as whitespace only', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const blankFirst: Postprocessor = { process: async () => (calls++ === 0 ? '  ' : 'result = mul(w, h)'), isComplete: async () => false };
    const backend = new ScriptedBackend({ chunks: FIRST });
    const engine = new CompletionEngine(engineDeps(backend, { clock, postprocessor: blankFirst }));
    const automatic = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(500);
    assert.equal(await automatic, undefined);
    const explicit = await engine.provide(snapshot(DOC.text), DOC.position, live(), { explicit: true });
    assert.equal(explicit?.text, 'result = mul(w, h)');
    assert.equal(backend.requests.length, 2);
  });
});
