import * as assert from 'node:assert/strict';
import { BackendError } from '../../../src/backend/types';
import { CompletionEngine, type EngineStatus, type RequestRecord } from '../../../src/pipeline/engine';
import { atCursor } from '../../support/cursor';
import {
  engineDeps, FakeClock, firstLinePostprocessor, flush, Gate, ScriptedBackend, snapshot,
} from './fakes';

const FIB = atCursor('def fib(n):\n    if n < 2:\n        return n\n    ┃\n\nprint(fib(10))\n');
const FIB_CHUNKS = ['return ', 'fib(n - 1)', ' + fib(n - 2)', '\n', 'print("never pulled")'];

function typeAt(base: { text: string; position: { line: number; character: number } }, typed: string) {
  const lines = base.text.split('\n');
  const line = lines[base.position.line];
  lines[base.position.line] = line.slice(0, base.position.character) + typed + line.slice(base.position.character);
  return { text: lines.join('\n'), position: { line: base.position.line, character: base.position.character + typed.length } };
}

function live(): AbortSignal {
  return new AbortController().signal;
}

describe('pipeline/engine', () => {
  it('debounces, streams, stops early at the line end, post-processes and reports timings', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: FIB_CHUNKS });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const statuses: EngineStatus[] = [];
    const records: RequestRecord[] = [];
    engine.onStatus(s => statuses.push(s));
    engine.onRequest(r => records.push(r));

    const pending = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(74);
    assert.equal(backend.requests.length, 0, 'still inside the minimum debounce');
    await clock.advance(1);
    const suggestion = await pending;

    assert.deepEqual(suggestion && { text: suggestion.text, source: suggestion.source }, {
      text: 'return fib(n - 1) + fib(n - 2)', source: 'model',
    });
    assert.deepEqual(suggestion!.range, { start: FIB.position, end: FIB.position });
    assert.equal(backend.requests.length, 1);
    const request = backend.requests[0];
    assert.ok(request.prompt!.startsWith('<|fim_prefix|>def fib(n):'));
    assert.ok(request.prompt!.endsWith('<|fim_suffix|>\n\nprint(fib(10))\n<|fim_middle|>'));
    assert.deepEqual(request.stop, ['\n', '<|endoftext|>']);
    assert.equal(request.maxTokens, 64);
    // Early stop: the chunk after the line end was never pulled and the stream was closed.
    assert.equal(backend.log[0].pulled, 4);
    // The request itself is aborted (closing the connection), not merely no longer read.
    assert.equal(backend.log[0].aborted, true, 'the early stop aborts the request');
    assert.equal(backend.log[0].finished, false);
    const c = engine.counters;
    assert.equal(c.requestsStarted, 1);
    assert.equal(c.earlyStops, 1);
    assert.equal(c.tokensGenerated, 4);
    assert.equal(c.tokensSavedByEarlyStop, 60);
    assert.deepEqual(statuses.map(s => s.state), ['working', 'idle']);
    assert.equal(statuses[1].timings!.earlyStopped, true);
    assert.equal(statuses[1].timings!.tokens, 4);
    assert.equal(records[0].outcome, 'early-stop');
    assert.equal(records[0].raw, 'return fib(n - 1) + fib(n - 2)\n');
  });

  it("passes the server's own load, prompt and generation times on in the request's timings", async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: ['return 1', '\n'], serverStats: { loadMs: 2100, promptMs: 450, generationMs: 80 } });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const records: RequestRecord[] = [];
    engine.onRequest(r => records.push(r));
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    await pending;
    assert.equal(records.length, 1);
    assert.deepEqual(records[0].timings?.server, { loadMs: 2100, promptMs: 450, generationMs: 80 });
    assert.equal(records[0].timings?.promptTokens, 100);
  });

  it('keeps the suggestion when closing an early-stopped stream throws', async () => {
    const backend = new ScriptedBackend({ chunks: FIB_CHUNKS });
    const throwing = {
      ...backend, kind: backend.kind, endpoint: backend.endpoint, modelInfo: () => backend.modelInfo(),
      stream(request: Parameters<ScriptedBackend['stream']>[0], signal: AbortSignal) {
        const inner = backend.stream(request, signal);
        return (async function* () {
          try { yield* inner; } finally { if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' }); }
        })();
      },
    };
    const engine = new CompletionEngine(engineDeps(throwing));
    const s = await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    assert.equal(s?.text, 'return fib(n - 1) + fib(n - 2)');
    assert.equal(engine.counters.earlyStops, 1);
    assert.equal(engine.counters.requestsAborted, 0);
  });

  it('serves typed-through remainders and cache hits without a request', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({
      chunks: (_r, i) => (i === 0 ? FIB_CHUNKS : ['"""Fibonacci."""', '\n']),
    });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const first = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(100);
    assert.equal((await first)!.text, 'return fib(n - 1) + fib(n - 2)');

    // Typing the start of the suggestion: the rest, at once (no clock advance needed).
    const typed = typeAt(FIB, 'ret');
    const reuse = await engine.provide(snapshot(typed.text), typed.position, live());
    assert.deepEqual(reuse && [reuse.text, reuse.source, reuse.requestId], ['urn fib(n - 1) + fib(n - 2)', 'typed-through', 1]);

    // Elsewhere: a new request.
    const elsewhere = { line: 0, character: 11 };
    const other = engine.provide(snapshot(FIB.text), elsewhere, live());
    await clock.advance(400);
    assert.equal((await other)!.text, '"""Fibonacci."""');

    // Back at the first spot: the cache answers.
    const back = await engine.provide(snapshot(FIB.text), FIB.position, live());
    assert.deepEqual(back && [back.text, back.source], ['return fib(n - 1) + fib(n - 2)', 'cache']);
    assert.equal(backend.requests.length, 2);
    const c = engine.counters;
    assert.equal(c.typedThroughHits, 1);
    assert.equal(c.cacheHits, 1);
  });

  it('keeps a streaming request when the user types along it, and reuses it', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: FIB_CHUNKS, gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const caller1 = new AbortController();
    const first = engine.provide(snapshot(FIB.text), FIB.position, caller1.signal);
    await clock.advance(100);
    gate.open();
    await flush();
    assert.equal(backend.log[0].pulled, 1, '"return " has streamed');

    // The editor cancels the first call on the next keystroke; the user typed "re", along the stream.
    caller1.abort();
    assert.equal(await first, undefined);
    const typed = typeAt(FIB, 're');
    const second = engine.provide(snapshot(typed.text), typed.position, live());
    for (let i = 0; i < 4; i++) { gate.open(); await flush(); }
    const suggestion = await second;
    assert.deepEqual(suggestion && [suggestion.text, suggestion.source], ['turn fib(n - 1) + fib(n - 2)', 'typed-through']);
    const c = engine.counters;
    assert.equal(c.requestsStarted, 1);
    assert.equal(c.requestsAborted, 0);
    assert.equal(c.inflightReuses, 1);
    assert.equal(backend.log[0].pulled, 4, 'the one request streamed on to its line end');
  });

  describe('progressive display of multi-line suggestions', () => {
    const BODY = ['    a = 1\n', '    b = 2\n', '    return a + b\n', '\n'];
    const setup = (progressive: boolean) => {
      const clock = new FakeClock();
      const gate = new Gate();
      const backend = new ScriptedBackend({ chunks: BODY, gate });
      const engine = new CompletionEngine(engineDeps(backend, { clock, decideMultiline: () => true, features: { progressive } }));
      const doc = atCursor('def f():\n┃\n');
      return { clock, gate, backend, engine, doc };
    };

    it('shows the first complete line while the rest streams, then the whole suggestion to the next keystroke', async () => {
      const { clock, gate, backend, engine, doc } = setup(true);
      const grew: string[] = [];
      engine.onSuggestionGrew(e => grew.push(e.editorId));
      const first = engine.provide(snapshot(doc.text), doc.position, live());
      await clock.advance(500);
      gate.open();
      await flush();
      const shown = await first;
      assert.equal(shown?.text, '    a = 1', 'the first line, before the stream ended');
      assert.equal(backend.log[0].finished, false);
      assert.deepEqual(grew, []);
      for (let i = 0; i < 4; i++) { gate.open(); await flush(); }
      assert.equal(backend.log[0].pulled, 4, 'the same request streamed on to the end of the suggestion');
      // The adapter hears that more arrived, and that it is worth asking again here but not after other text.
      assert.deepEqual(grew, [snapshot(doc.text).uri]);
      assert.equal(engine.hasSuggestionAt(snapshot(doc.text), doc.position), true);
      const elsewhere = atCursor('def f():\n    zzz┃\n');
      assert.equal(engine.hasSuggestionAt(snapshot(elsewhere.text), elsewhere.position), false);
      // The user typed nothing yet (VS Code asks again, e.g. after the Tab that took the first line).
      const again = await engine.provide(snapshot(doc.text), doc.position, live());
      assert.deepEqual(again && [again.text, again.source], ['    a = 1\n    b = 2\n    return a + b', 'typed-through']);
      assert.equal(engine.counters.requestsStarted, 1);
    });

    it('a keystroke past the lines shown so far waits for the next ones from the same stream', async () => {
      const { clock, gate, engine, doc } = setup(true);
      const first = engine.provide(snapshot(doc.text), doc.position, live());
      await clock.advance(500);
      gate.open();
      await flush();
      assert.equal((await first)?.text, '    a = 1');
      const typed = atCursor('def f():\n    a = 1\n┃\n');
      const second = engine.provide(snapshot(typed.text), typed.position, live());
      gate.open();
      await flush();
      const more = await second;
      assert.deepEqual(more && [more.text, more.source], ['    b = 2', 'typed-through']);
      assert.equal(engine.counters.requestsStarted, 1);
    });

    it('does not offer lines shown early again once their request has failed', async () => {
      const clock = new FakeClock();
      const gate = new Gate();
      const backend = new ScriptedBackend({
        chunks: ['    a = 1\n', '    b = 2\n', '    c = 3\n'], gate, failAfterChunks: 2,
        fail: (_r, i) => (i === 0 ? new BackendError('interrupted', 'the connection was cut') : undefined),
      });
      const engine = new CompletionEngine(engineDeps(backend, { clock, decideMultiline: () => true }));
      const doc = atCursor('def f():\n┃\n');
      const first = engine.provide(snapshot(doc.text), doc.position, live());
      await clock.advance(500);
      gate.open();
      await flush();
      assert.equal((await first)?.text, '    a = 1', 'shown early');
      assert.equal(engine.hasSuggestionAt(snapshot(doc.text), doc.position), true);
      for (let i = 0; i < 3; i++) { gate.open(); await flush(); }
      assert.equal(engine.counters.requestsFailed, 1);
      assert.equal(engine.hasSuggestionAt(snapshot(doc.text), doc.position), false, 'the failed request\'s lines are gone');
      // Asking again here makes a new request (after the error back-off), not a reuse of the failed one.
      const again = engine.provide(snapshot(doc.text), doc.position, live(), { explicit: true });
      for (let i = 0; i < 4; i++) { gate.open(); await flush(); }
      await again;
      assert.equal(backend.requests.length, 2);
    });

    it('off: the suggestion appears only when the stream ends', async () => {
      const { clock, gate, backend, engine, doc } = setup(false);
      let settled = false;
      const first = engine.provide(snapshot(doc.text), doc.position, live()).then(s => { settled = true; return s; });
      await clock.advance(500);
      gate.open();
      await flush();
      assert.equal(settled, false);
      for (let i = 0; i < 4; i++) { gate.open(); await flush(); }
      assert.equal((await first)?.text, '    a = 1\n    b = 2\n    return a + b');
      assert.equal(backend.log[0].pulled, 4);
    });
  });

  it('aborts the streaming request as soon as the typing diverges from it', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIB_CHUNKS : ['x = 1', '\n']), gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const caller1 = new AbortController();
    const first = engine.provide(snapshot(FIB.text), FIB.position, caller1.signal);
    await clock.advance(100);
    gate.open();
    await flush();
    caller1.abort();
    const typed = typeAt(FIB, 'x');
    const second = engine.provide(snapshot(typed.text), typed.position, live());
    await flush();
    assert.equal(backend.log[0].aborted, true, 'diverged: aborted at once, before any debounce');
    await clock.advance(400);
    for (let i = 0; i < 3; i++) { gate.open(); await flush(); }
    assert.equal((await second)!.text, 'x = 1');
    assert.equal(await first, undefined);
    const c = engine.counters;
    assert.equal(c.requestsStarted, 2);
    assert.equal(c.requestsAborted, 1);
  });

  it('stops a stream the user typed ahead of as soon as it turns out to diverge', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? FIB_CHUNKS : ['= 1', '\n']), gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const caller1 = new AbortController();
    const first = engine.provide(snapshot(FIB.text), FIB.position, caller1.signal);
    await clock.advance(100);
    // Nothing streamed yet: typing "x" has not diverged, so the request is kept and waited for.
    caller1.abort();
    const typed = typeAt(FIB, 'x');
    const second = engine.provide(snapshot(typed.text), typed.position, live());
    await flush();
    assert.equal(backend.log[0].aborted, false);
    gate.open(); // "return " arrives: it does not start with "x"
    await flush();
    assert.equal(backend.log[0].aborted, true, 'stopped at the first diverging chunk');
    assert.equal(backend.log[0].pulled, 1);
    await clock.advance(400);
    for (let i = 0; i < 3; i++) { gate.open(); await flush(); }
    assert.equal((await second)!.text, '= 1');
    assert.equal(await first, undefined);
    assert.equal(engine.counters.requestsAborted, 1);
  });

  it('keeps at most one request in flight per editor even when callers do not cancel', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: ['a', '\n'], gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const first = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await flush();
    const second = engine.provide(snapshot(FIB.text), { line: 0, character: 4 }, live(), { explicit: true });
    await flush();
    assert.equal(backend.requests.length, 2);
    assert.equal(backend.log[0].aborted, true);
    // Another editor has its own request.
    const third = engine.provide(snapshot(FIB.text, 'python', 'file:///w/b.py'), FIB.position, live(), { explicit: true });
    await flush();
    assert.equal(backend.log[1].aborted, false);
    for (let i = 0; i < 3; i++) { gate.open(); await flush(); }
    assert.equal(await first, undefined);
    assert.equal((await second)!.text, 'a');
    assert.equal((await third)!.text, 'a');
  });

  it('never returns a suggestion for a document a newer keystroke replaced', async () => {
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: FIB_CHUNKS, gate });
    const engine = new CompletionEngine(engineDeps(backend));
    // The caller does not cancel the first call (the bench may not): it must still not show stale text.
    const first = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await flush();
    const typed = typeAt(FIB, 'r');
    const second = engine.provide(snapshot(typed.text), typed.position, live());
    for (let i = 0; i < 5; i++) { gate.open(); await flush(); }
    assert.equal(await first, undefined);
    assert.equal((await second)!.text, 'eturn fib(n - 1) + fib(n - 2)');
    assert.equal(backend.requests.length, 1);
  });

  it('reset() stops requests started under the old settings and forgets the cache', async () => {
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: FIB_CHUNKS, gate });
    const engine = new CompletionEngine(engineDeps(backend));
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await flush();
    engine.reset();
    assert.equal(await pending, undefined);
    assert.equal(backend.log[0].aborted, true);
    assert.equal(engine.status.state, 'idle');
  });

  it('gives way when a newer keystroke arrives during the debounce', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: ['b = 2', '\n'] });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const doc = atCursor('a = 1\n┃');
    const first = engine.provide(snapshot(doc.text), doc.position, live());
    await clock.advance(30);
    const typed = typeAt(doc, 'b');
    const second = engine.provide(snapshot(typed.text), typed.position, live());
    await clock.advance(500);
    assert.equal(await first, undefined);
    assert.equal((await second)!.text, 'b = 2');
    assert.equal(backend.requests.length, 1);
  });

  it('replaces to the line end when text stands right of the cursor', async () => {
    const backend = new ScriptedBackend({ chunks: ['n - 1', ')', '\n'] });
    const engine = new CompletionEngine(engineDeps(backend, {
      postprocessor: {
        // Stands in for the real suffix dedupe: drop the ")" already right of the cursor.
        process: async i => i.output.split('\n')[0].replace(/\)$/, ''),
        isComplete: async i => i.output.includes('\n'),
      },
    }));
    const doc = atCursor('print(fib(┃))\n');
    const s = await engine.provide(snapshot(doc.text), doc.position, live(), { explicit: true });
    assert.equal(s!.text, 'n - 1');
    assert.equal(s!.insertText, 'n - 1))');
    assert.deepEqual(s!.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 12 } });
  });

  it('turns backend errors into one status event, backs off, and never throws', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({
      chunks: ['x'],
      fail: () => new BackendError('unreachable', 'Cannot reach Ollama at http://fake: is it running? (ollama serve)'),
    });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const statuses: EngineStatus[] = [];
    engine.onStatus(s => statuses.push(s));
    const first = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(100);
    assert.equal(await first, undefined);
    const error = statuses.find(s => s.state === 'error')!;
    assert.equal(error.errorKind, 'unreachable');
    assert.match(error.reason!, /Cannot reach Ollama/);
    assert.equal(engine.status.state, 'error');

    // Inside the back-off, typing sends nothing; an explicit request still goes.
    const typed = typeAt(FIB, 'r');
    const during = engine.provide(snapshot(typed.text), typed.position, live());
    await clock.advance(400);
    assert.equal(await during, undefined);
    assert.equal(backend.requests.length, 1);
    await engine.provide(snapshot(typed.text), typed.position, live(), { explicit: true });
    assert.equal(backend.requests.length, 2);
    assert.equal(engine.counters.requestsFailed, 2);
  });

  it('reports a stream cut mid-way, a chat-only model and internal errors as status, not exceptions', async () => {
    const cut = new ScriptedBackend({
      chunks: ['return ', 'fib(', 'n)', '\n'], failAfterChunks: 2,
      fail: () => new BackendError('interrupted', 'The server closed the stream before it ended'),
    });
    let engine = new CompletionEngine(engineDeps(cut));
    let statuses: EngineStatus[] = [];
    engine.onStatus(s => statuses.push(s));
    assert.equal(await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true }), undefined);
    assert.equal(statuses.at(-1)!.errorKind, 'interrupted', 'no half suggestion from a cut stream');

    const unused = new ScriptedBackend({ chunks: ['x'] });
    engine = new CompletionEngine(engineDeps(unused, {
      template: async () => ({ error: 'llama3.2 is a chat model: use qwen2.5-coder:1.5b-base', chatOnly: true }),
    }));
    statuses = [];
    engine.onStatus(s => statuses.push(s));
    assert.equal(await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true }), undefined);
    assert.deepEqual([statuses.at(-1)!.state, statuses.at(-1)!.errorKind], ['error', 'chat-only']);
    assert.match(statuses.at(-1)!.reason!, /chat model/);
    assert.equal(unused.requests.length, 0, 'no chat text ever reaches the editor');

    const buggy = new ScriptedBackend({ chunks: ['x'], fail: () => new TypeError('boom') });
    engine = new CompletionEngine(engineDeps(buggy));
    statuses = [];
    engine.onStatus(s => statuses.push(s));
    assert.equal(await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true }), undefined);
    assert.equal(statuses.at(-1)!.errorKind, 'internal');
  });

  it('times out on the engine clock', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: ['never'], gate: new Gate() });
    const engine = new CompletionEngine(engineDeps(backend, { clock, configOverrides: { requestTimeoutMs: 2000 } }));
    const statuses: EngineStatus[] = [];
    engine.onStatus(s => statuses.push(s));
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(1999);
    assert.equal(statuses.at(-1)!.state, 'working');
    await clock.advance(1);
    assert.equal(await pending, undefined);
    assert.equal(statuses.at(-1)!.errorKind, 'timeout');
    assert.match(statuses.at(-1)!.reason!, /No answer from .* within 2 s/);
    assert.equal(backend.log[0].aborted, true);
    assert.equal(engine.counters.requestsTimedOut, 1);
    assert.equal(clock.pendingTimers, 0, 'no timer left behind');
  });

  it('offers nothing in huge or binary files and says why', async () => {
    const backend = new ScriptedBackend({ chunks: ['x'] });
    const engine = new CompletionEngine(engineDeps(backend, { configOverrides: { maxFileBytes: 1000 } }));
    const statuses: EngineStatus[] = [];
    engine.onStatus(s => statuses.push(s));
    assert.equal(await engine.provide(snapshot('x = 1\n'.repeat(1000)), { line: 3, character: 0 }, live(), { explicit: true }), undefined);
    assert.match(statuses.at(-1)!.reason!, /too large/);
    assert.equal(await engine.provide(snapshot('\u0000\u0001ELF'), { line: 0, character: 0 }, live(), { explicit: true }), undefined);
    assert.match(statuses.at(-1)!.reason!, /Binary/);
    assert.equal(backend.requests.length, 0);
  });

  it('can switch cache, typed-through reuse and early stop off (bench peer models)', async () => {
    const backend = new ScriptedBackend({ chunks: FIB_CHUNKS });
    const engine = new CompletionEngine(engineDeps(backend, { features: { cache: false, typedThrough: false, earlyStop: false } }));
    const first = await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    assert.equal(first!.text, 'return fib(n - 1) + fib(n - 2)');
    assert.equal(backend.log[0].pulled, FIB_CHUNKS.length, 'no early stop: the whole stream was read');
    const typed = typeAt(FIB, 'ret');
    assert.equal((await engine.provide(snapshot(typed.text), typed.position, live(), { explicit: true }))!.source, 'model');
    assert.equal((await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true }))!.source, 'model');
    assert.equal(backend.requests.length, 3);
    const c = engine.counters;
    assert.deepEqual([c.cacheHits, c.typedThroughHits, c.earlyStops], [0, 0, 0]);
  });

  it('tells the post-processor when the server stopped at the token limit', async () => {
    const seen: (boolean | undefined)[] = [];
    const postprocessor = { ...firstLinePostprocessor, process: async (i: Parameters<typeof firstLinePostprocessor.process>[0]) => { seen.push(i.truncated); return firstLinePostprocessor.process(i); } };
    for (const stopReason of ['length', 'limit', 'stop', 'eos']) {
      const backend = new ScriptedBackend({ chunks: ['x = 1', '\n'], stopReason });
      const engine = new CompletionEngine(engineDeps(backend, { postprocessor, features: { cache: false, typedThrough: false, earlyStop: false } }));
      await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    }
    // No stop reason from the server: a stream that used the whole token budget was cut by it.
    const backend = new ScriptedBackend({ chunks: ['x', ' = ', '1'] });
    const engine = new CompletionEngine(engineDeps(backend, { postprocessor, features: { cache: false, typedThrough: false, earlyStop: false }, configOverrides: { maxTokensSingleLine: 3 } }));
    await engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    assert.deepEqual(seen, [true, true, false, false, true]);
  });

  it('sends no automatic request at the end of a finished line', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: [' // note', '\n'] });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const ts = (marked: string) => { const d = atCursor(marked); return [snapshot(d.text, 'typescript', 'file:///w/a.ts'), d.position] as const; };
    for (const marked of ['const x = 1;┃\nfoo();\n', '  /** Docs. */┃\n']) {
      const pending = engine.provide(...ts(marked), live());
      await clock.advance(1000);
      assert.equal(await pending, undefined);
    }
    assert.equal(backend.requests.length, 0);
    assert.equal(engine.counters.skippedFinishedLines, 2);
    // Explicit requests always go; so do lines that go on.
    await engine.provide(...ts('const x = 1;┃\n'), live(), { explicit: true });
    assert.equal(backend.requests.length, 1);
    for (const marked of ['for (let i = 0;┃\n', 'const y = ┃\n', 'if (a) {\n}┃\n']) {
      const pending = engine.provide(...ts(marked), live());
      await clock.advance(1000);
      await pending;
    }
    assert.equal(backend.requests.length, 4);
  });

  it('remembers an empty answer for automatic requests, but asks again when invoked explicitly', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? ['\n'] : ['x = 1', '\n']) });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const doc = atCursor('a = 0\nb = ┃\n');
    const first = engine.provide(snapshot(doc.text), doc.position, live());
    await clock.advance(500);
    assert.equal(await first, undefined);
    const again = engine.provide(snapshot(doc.text), doc.position, live());
    await clock.advance(500);
    assert.equal(await again, undefined);
    assert.equal(backend.requests.length, 1, 'the empty answer was cached');
    assert.equal((await engine.provide(snapshot(doc.text), doc.position, live(), { explicit: true }))!.text, 'x = 1');
    assert.equal(backend.requests.length, 2);
  });

  it('survives 300 rapid cancellations with no unhandled rejection', async function () {
    this.timeout(20_000);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let n = 0;
      let failNext = false;
      const backend = new ScriptedBackend({
        chunks: () => ['ret', 'urn', ' x', '\n'],
        // Every third request fails in a different way, mid-stream or at once.
        fail: () => {
          n++;
          if (n % 3 === 0 || failNext) return new BackendError('interrupted', 'cut');
          if (n % 7 === 0) return new BackendError('malformed', 'bad NDJSON');
          return undefined;
        },
        failAfterChunks: 1,
        chunkDelayMs: () => Math.floor(Math.random() * 3),
      });
      const engine = new CompletionEngine(engineDeps(backend, { configOverrides: { debounceMinMs: 0, debounceMaxMs: 2 } }));
      const results: Promise<unknown>[] = [];
      let prev: AbortController | undefined;
      let base: { text: string; position: { line: number; character: number } } = FIB;
      for (let i = 0; i < 300; i++) {
        const typedChar = 'abcdefgh'[i % 8];
        base = i % 25 === 0 ? FIB : typeAt(base, typedChar);
        const caller = new AbortController();
        results.push(engine.provide(snapshot(base.text), base.position, caller.signal, { explicit: i % 5 === 0 }));
        prev?.abort();
        prev = caller;
        if (i % 4 === 0) await new Promise(resolve => setTimeout(resolve, i % 3));
        else if (i % 4 === 1) await flush(1);
      }
      // The random timings above may abort every failing request before it fails: one more that surely does.
      failNext = true;
      results.push(engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true }));
      const settled = await Promise.allSettled(results);
      assert.equal(settled.filter(s => s.status === 'rejected').length, 0, 'provide never rejects');
      await new Promise(resolve => setTimeout(resolve, 20));
      await flush();
      assert.deepEqual(unhandled, []);
      const c = engine.counters;
      if (process.env.INFILL_TEST_VERBOSE) console.log(c);
      assert.ok(c.requestsStarted > 0 && c.requestsStarted <= 300);
      assert.ok(c.requestsAborted > 0 && c.requestsFailed > 0, 'the run did exercise aborts and failures');
      engine.dispose();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
