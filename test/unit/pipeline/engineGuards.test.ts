// The engine's guards and bookkeeping around a request (engine.ts): when it answers nothing, what an explicit request
// bypasses, what it counts, and how dispose and an unexpected failure end things. One behaviour per case.
import * as assert from 'node:assert/strict';
import { CompletionEngine, type EngineStatus } from '../../../src/pipeline/engine';
import type { Logger } from '../../../src/util/log';
import { silentLogger } from '../../../src/util/log';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, Gate, ScriptedBackend, snapshot } from './fakes';

const FIB = atCursor('def fib(n):\n    if n < 2:\n        return n\n    ┃\n\nprint(fib(10))\n');
const ANSWER = ['return fib(n - 1) + fib(n - 2)', '\n'];

function live(): AbortSignal {
  return new AbortController().signal;
}

function setup(configOverrides = {}) {
  const clock = new FakeClock();
  const backend = new ScriptedBackend({ chunks: ANSWER });
  const engine = new CompletionEngine(engineDeps(backend, { clock, configOverrides }));
  const statuses: EngineStatus[] = [];
  engine.onStatus(s => statuses.push(s));
  return { clock, backend, engine, statuses };
}

describe('pipeline/engine: when it answers nothing', () => {
  it('a call whose signal already fired asks nothing and counts nothing', async () => {
    const { engine, backend, clock } = setup();
    const aborted = new AbortController();
    aborted.abort();
    const pending = engine.provide(snapshot(FIB.text), FIB.position, aborted.signal, { explicit: true });
    await clock.advance(400);
    assert.equal(await pending, undefined);
    assert.equal(backend.requests.length, 0);
    assert.equal(engine.counters.provideCalls, 0);
  });

  it('counts every call it looks at', async () => {
    const { engine, clock } = setup();
    const first = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    await first;
    await engine.provide(snapshot(FIB.text), FIB.position, live());
    assert.equal(engine.counters.provideCalls, 2);
    engine.resetCounters();
    assert.deepEqual(Object.values(engine.counters).filter(v => v !== 0), []);
  });

  it('turned off, it asks only when invoked explicitly', async () => {
    const { engine, backend, clock } = setup({ enabled: false });
    const automatic = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    assert.equal(await automatic, undefined);
    assert.equal(backend.requests.length, 0);
    const explicit = await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    assert.equal(explicit?.text, 'return fib(n - 1) + fib(n - 2)');
  });

  it('in a disabled language, it asks only when invoked explicitly', async () => {
    const { engine, backend, clock } = setup({ disabledLanguages: ['python'] });
    const automatic = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    assert.equal(await automatic, undefined);
    assert.equal(backend.requests.length, 0);
    const explicit = await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    assert.equal(explicit?.text, 'return fib(n - 1) + fib(n - 2)');
    const other = engine.provide(snapshot(FIB.text, 'ruby', 'file:///w/a.rb'), FIB.position, live());
    await clock.advance(400);
    assert.ok(await other, 'another language is not disabled');
  });

  it('an explicit request is no keystroke: it leaves the typing rhythm (and so the debounce) alone', async () => {
    const { engine, clock } = setup();
    for (let i = 0; i < 3; i++) {
      await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
      await clock.advance(200);
    }
    assert.equal(engine.debounceMs, 75);
    // Automatic calls 200 ms apart do set the rhythm: the debounce grows past the minimum.
    for (let i = 0; i < 3; i++) {
      void engine.provide(snapshot(FIB.text), FIB.position, live());
      await clock.advance(200);
    }
    assert.ok(engine.debounceMs > 75, `debounce ${engine.debounceMs} ms`);
  });
});

describe('pipeline/engine: the debounce', () => {
  it('a call whose debounce a newer keystroke in the same editor overtook asks nothing, even if nobody cancelled it', async () => {
    const { engine, backend, clock } = setup();
    const first = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(10);
    const typed = FIB.text.replace('    \n\nprint', '    r\n\nprint');
    const second = engine.provide(snapshot(typed), { line: 3, character: 5 }, live());
    await clock.advance(400);
    assert.equal(await first, undefined);
    assert.ok(await second);
    assert.equal(backend.requests.length, 1);
    assert.ok(backend.requests[0].prefix.endsWith('    r'), 'the request is for the newer document');
  });

  it('a call whose debounce ends after dispose asks nothing', async () => {
    const { engine, backend, clock } = setup();
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(10);
    engine.dispose();
    await clock.advance(400);
    assert.equal(await pending, undefined);
    assert.equal(backend.requests.length, 0);
  });
});

describe('pipeline/engine: what it keeps', () => {
  it('has a suggestion to offer only while typing leaves some of it to show', async () => {
    const { engine, clock } = setup();
    const first = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    assert.ok(await first);
    const typedSome = FIB.text.replace('    \n\nprint', '    return \n\nprint');
    assert.equal(engine.hasSuggestionAt(snapshot(typedSome), { line: 3, character: 11 }), true);
    const typedAll = FIB.text.replace('    \n\nprint', '    return fib(n - 1) + fib(n - 2)\n\nprint');
    assert.equal(engine.hasSuggestionAt(snapshot(typedAll), { line: 3, character: 34 }), false, 'all of it typed');
    const typedElse = FIB.text.replace('    \n\nprint', '    x\n\nprint');
    assert.equal(engine.hasSuggestionAt(snapshot(typedElse), { line: 3, character: 5 }), false, 'typed something else');
  });

  it('after dispose it answers nothing and stops the request in flight', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: ANSWER, gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    assert.equal(backend.requests.length, 1);
    engine.dispose();
    assert.equal(backend.log[0].aborted, true);
    gate.open();
    assert.equal(await pending, undefined);
    const later = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(400);
    assert.equal(await later, undefined);
    assert.equal(backend.requests.length, 1);
  });
});

describe('pipeline/engine: an unexpected failure', () => {
  it('is logged and shown as an internal error, never thrown', async () => {
    const errors: string[] = [];
    const log: Logger = { ...silentLogger, error: (message: string) => { errors.push(message); } };
    const backend = new ScriptedBackend({ chunks: ANSWER });
    const deps = engineDeps(backend, { clock: new FakeClock(), log });
    const engine = new CompletionEngine({ ...deps, config: () => { throw new Error('settings broke'); } });
    assert.equal(await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true }), undefined);
    assert.deepEqual(errors, ['Infill: unexpected failure: settings broke']);
    assert.equal(engine.status.state, 'error');
    assert.equal(engine.status.errorKind, 'internal');
    assert.equal(engine.status.reason, 'Internal error: settings broke');
  });

  it('a cancellation (an abort error) is no failure', async () => {
    const errors: string[] = [];
    const log: Logger = { ...silentLogger, error: (message: string) => { errors.push(message); } };
    const backend = new ScriptedBackend({ chunks: ANSWER });
    const deps = engineDeps(backend, { clock: new FakeClock(), log });
    const abort = Object.assign(new Error('stopped'), { name: 'AbortError' });
    const engine = new CompletionEngine({ ...deps, config: () => { throw abort; } });
    assert.equal(await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true }), undefined);
    assert.deepEqual(errors, []);
    assert.notEqual(engine.status.state, 'error');
  });
});
