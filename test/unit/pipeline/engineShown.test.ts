// What the engine keeps as the editor's shown suggestion (engine.ts): lines shown early, a request that ends empty, a
// whitespace-only answer, and the counters of reuse. One behaviour per case.
import * as assert from 'node:assert/strict';
import { CompletionEngine } from '../../../src/pipeline/engine';
import type { Postprocessor } from '../../../src/postprocess/types';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, flush, Gate, ScriptedBackend, snapshot } from './fakes';

const FIB = atCursor('def fib(n):\n    if n < 2:\n        return n\n    ┃\n\nprint(fib(10))\n');

function live(): AbortSignal {
  return new AbortController().signal;
}

const EMPTY_BODY = atCursor('def f():\n┃\n');

/**
 * A multi-line stream held by a gate at the empty body of `def f():`, after its first line was shown (asserted).
 * Each gate.open() lets one more chunk through.
 */
async function firstLineShown(chunks: string[], postprocessor?: Postprocessor) {
  const clock = new FakeClock();
  const gate = new Gate();
  const backend = new ScriptedBackend({ chunks, gate });
  const engine = new CompletionEngine(engineDeps(backend, { clock, decideMultiline: () => true, ...(postprocessor ? { postprocessor } : {}) }));
  const first = engine.provide(snapshot(EMPTY_BODY.text), EMPTY_BODY.position, live());
  await clock.advance(500);
  gate.open();
  await flush();
  assert.equal((await first)?.text, '    a = 1');
  return { engine, backend, gate };
}

describe('pipeline/engine: the shown suggestion', () => {
  it('a whitespace-only answer is no suggestion', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: ['   ', '\n'] });
    const blank: Postprocessor = { process: async () => '   ', isComplete: async () => false };
    const engine = new CompletionEngine(engineDeps(backend, { clock, postprocessor: blank }));
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    assert.equal(await pending, undefined);
    assert.equal(backend.requests.length, 1);
    // Cached as nothing to show here: the same place asks nothing and shows nothing.
    const again = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    assert.equal(await again, undefined);
    assert.equal(backend.requests.length, 1);
  });

  it('a cache hit from a user request is no speculative hit; an explicit request takes a cached suggestion too', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? ['return fib(n - 1) + fib(n - 2)', '\n'] : ['"""Doc."""', '\n']) });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const first = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    assert.ok(await first);
    const elsewhere = engine.provide(snapshot(FIB.text), { line: 0, character: 11 }, live());
    await clock.advance(400);
    assert.ok(await elsewhere);
    const back = await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    assert.deepEqual(back && [back.text, back.source, back.requestId], ['return fib(n - 1) + fib(n - 2)', 'cache', 0]);
    assert.equal(backend.requests.length, 2);
    assert.equal(engine.counters.speculativeHits, 0);
  });

  it('typing exactly the lines shown waits for the next line of the same stream', async () => {
    const { engine, gate } = await firstLineShown(['    a = 1\n', '    b = 2\n', '\n']);
    const second = engine.provide(snapshot('def f():\n    a = 1\n'), { line: 1, character: 9 }, live());
    gate.open();
    await flush();
    assert.equal((await second)?.text, '\n    b = 2');
    assert.equal(engine.counters.requestsStarted, 1);
  });

  it('lines shown early are withdrawn when their request ends with nothing to show', async () => {
    // The lines so far make a suggestion; the whole output, judged at the end, does not (only whitespace).
    const judge: Postprocessor = {
      process: async input => (input.truncated ? input.output.trimEnd() : '  '),
      isComplete: async () => false,
    };
    const { engine, backend, gate } = await firstLineShown(['    a = 1\n', '    b = 2\n', '\n'], judge);
    const doc = EMPTY_BODY;
    assert.equal(engine.hasSuggestionAt(snapshot(doc.text), doc.position), true);
    for (let i = 0; i < 3; i++) { gate.open(); await flush(); }
    assert.equal(backend.log[0].finished, true);
    assert.equal(engine.hasSuggestionAt(snapshot(doc.text), doc.position), false);
  });

  it('a request elsewhere that ends with nothing leaves the suggestion shown before it alone', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? ['return fib(n - 1) + fib(n - 2)', '\n'] : ['  ', '\n']) });
    // The first line as it is: the second request's answer is only whitespace.
    const firstLine: Postprocessor = { process: async input => input.output.split('\n')[0], isComplete: async () => false };
    const engine = new CompletionEngine(engineDeps(backend, { clock, postprocessor: firstLine }));
    const first = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    assert.equal((await first)?.text, 'return fib(n - 1) + fib(n - 2)');
    const elsewhere = engine.provide(snapshot(FIB.text), { line: 0, character: 11 }, live(), { explicit: true });
    await clock.advance(400);
    assert.equal(await elsewhere, undefined);
    assert.equal(backend.requests.length, 2);
    const typed = FIB.text.replace('    \n\nprint', '    ret\n\nprint');
    assert.equal(engine.hasSuggestionAt(snapshot(typed), { line: 3, character: 7 }), true);
  });

  it('the lines a reused stream adds become the shown suggestion: typing into them needs no second reuse', async () => {
    const { engine, gate } = await firstLineShown(['    a = 1\n', '    b = 2\n', '    return a + b\n', '\n']);
    const second = engine.provide(snapshot('def f():\n    a = 1\n\n'), { line: 2, character: 0 }, live());
    gate.open();
    await flush();
    assert.equal((await second)?.text, '    b = 2');
    assert.equal(engine.counters.inflightReuses, 1);
    assert.equal(engine.counters.typedThroughHits, 1);
    const third = await engine.provide(snapshot('def f():\n    a = 1\n    b\n'), { line: 2, character: 5 }, live());
    assert.deepEqual(third && [third.text, third.source], [' = 2', 'typed-through']);
    assert.equal(engine.counters.inflightReuses, 1, 'served from the shown suggestion, not the stream again');
    assert.equal(engine.counters.typedThroughHits, 2);
    assert.equal(engine.counters.requestsStarted, 1);
  });

  it('says the suggestion grew only when the final text is longer than the lines shown early', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: ['    a = 1\n', '\n'], gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock, decideMultiline: () => true }));
    const grew: string[] = [];
    engine.onSuggestionGrew(e => grew.push(e.editorId));
    const doc = atCursor('def f():\n┃\n');
    const first = engine.provide(snapshot(doc.text), doc.position, live());
    await clock.advance(500);
    gate.open();
    await flush();
    assert.equal((await first)?.text, '    a = 1');
    for (let i = 0; i < 2; i++) { gate.open(); await flush(); }
    assert.equal(backend.requests.length, 1);
    assert.equal(backend.log[0].pulled, 2, 'the request has ended');
    assert.deepEqual(grew, [], 'the same text as shown');
  });
});
