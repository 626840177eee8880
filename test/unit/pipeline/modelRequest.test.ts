// One model request's run (modelRequest.ts) seen through the engine: what it logs, when it calls the output cut,
// its timings, related context, and the lines shown while it streams. One behaviour per case.
import * as assert from 'node:assert/strict';
import { BackendError, type Backend, type CompletionRequest, type StreamChunk } from '../../../src/backend/types';
import { CompletionEngine, type EngineStatus, type RequestRecord } from '../../../src/pipeline/engine';
import type { PostprocessInput, Postprocessor } from '../../../src/postprocess/types';
import type { Logger } from '../../../src/util/log';
import { silentLogger } from '../../../src/util/log';
import { anchorOf } from '../../../src/cache/typedThrough';
import { buildDocumentContext } from '../../../src/document/documentContext';
import { ABORTED, newInFlight, raceAbort, runModelRequest } from '../../../src/pipeline/modelRequest';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, firstLinePostprocessor, flush, Gate, ScriptedBackend, snapshot } from './fakes';

const FIB = atCursor('def fib(n):\n    if n < 2:\n        return n\n    ┃\n\nprint(fib(10))\n');
const ANSWER = ['return ', 'fib(n - 1)', ' + fib(n - 2)', '\n'];

function live(): AbortSignal {
  return new AbortController().signal;
}

function recordingLog() {
  const debug: string[] = [];
  const errors: string[] = [];
  const log: Logger = { ...silentLogger, debug: (m: string) => { debug.push(m); }, error: (m: string | Error) => { errors.push(String(m)); } };
  return { log, debug, errors };
}

/** A backend whose stream the test writes. */
function streamingBackend(stream: (request: CompletionRequest, signal: AbortSignal) => AsyncIterable<StreamChunk>): Backend {
  return { kind: 'ollama', endpoint: 'http://fake', stream, modelInfo: async () => ({ exists: true, supportsFim: true, family: 'qwen2' }) };
}

type Overrides = Omit<NonNullable<Parameters<typeof engineDeps>[1]>, 'backend' | 'clock'>;

function run(options: { backend: Backend; clock?: FakeClock } & Overrides) {
  const { backend, clock: given, ...overrides } = options;
  const clock = given ?? new FakeClock();
  const { log, debug, errors } = recordingLog();
  const engine = new CompletionEngine(engineDeps(backend, { clock, log, ...overrides }));
  const records: RequestRecord[] = [];
  const statuses: EngineStatus[] = [];
  engine.onRequest(r => records.push(r));
  engine.onStatus(s => statuses.push(s));
  return { engine, clock, debug, errors, records, statuses };
}

describe('modelRequest: what a request logs', () => {
  it('where and how it asks, and how it ended', async () => {
    const { engine, clock, debug } = run({ backend: new ScriptedBackend({ chunks: ANSWER }) });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(100);
    await pending;
    assert.match(debug[0], /^request #1 a\.py:4:5 single-line ~\d+ prompt tokens, 0 snippets, maxTokens 64$/);
    assert.equal(debug[1], 'request #1 stopped early: ttft 0 ms, total 0 ms, 4 tokens (~60 saved), prompt 100 (0 cached), 30 chars shown');
  });

  it('a request that runs to its end, multi-line', async () => {
    const backend = new ScriptedBackend({ chunks: ['    a = 1\n', '\n'] });
    const { engine, clock, debug } = run({ backend, decideMultiline: () => true, features: { earlyStop: false } });
    const doc = atCursor('def f():\n┃\n');
    const pending = engine.provide(snapshot(doc.text), doc.position, live());
    await clock.advance(500);
    await pending;
    assert.match(debug[0], /^request #1 a\.py:2:1 multi-line ~\d+ prompt tokens, 0 snippets, maxTokens \d+$/);
    assert.equal(debug.at(-1), 'request #1 done: ttft 0 ms, total 0 ms, 2 tokens, prompt 100 (0 cached), 9 chars shown');
  });

  it('an aborted request says why', async () => {
    const gate = new Gate();
    const { engine, clock, debug, records } = run({ backend: new ScriptedBackend({ chunks: ANSWER, gate }) });
    void engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    engine.reset();
    await flush();
    assert.equal(records[0].outcome, 'aborted');
    assert.ok(debug.includes('request #1 aborted (disposed)'), debug.join('\n'));
  });

  it('a timeout names the endpoint and the setting', async () => {
    const { engine, clock, statuses } = run({ backend: new ScriptedBackend({ chunks: ['x'], gate: new Gate() }), configOverrides: { requestTimeoutMs: 3000, endpoint: 'http://127.0.0.1:9' } });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(3000);
    await pending;
    assert.equal(statuses.at(-1)!.reason, 'No answer from http://127.0.0.1:9 within 3 s (setting infill.requestTimeoutMs)');
  });

  it('an internal failure is logged and reported with its message', async () => {
    const broken: Postprocessor = { process: async () => { throw new Error('boom'); }, isComplete: async () => false };
    const { engine, clock, errors, statuses } = run({ backend: new ScriptedBackend({ chunks: ANSWER }), postprocessor: broken });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.deepEqual(errors, ['Infill: request #1 failed: boom']);
    assert.equal(statuses.at(-1)!.reason, 'Internal error: boom');
  });

  it('a failing early-stop check is no stop and no failure', async () => {
    const flaky: Postprocessor = { process: firstLinePostprocessor.process, isComplete: async () => { throw new Error('check broke'); } };
    const { engine, clock, debug, records } = run({ backend: new ScriptedBackend({ chunks: ANSWER }), postprocessor: flaky });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    assert.equal((await pending)?.text, 'return fib(n - 1) + fib(n - 2)');
    assert.equal(records[0].outcome, 'done');
    assert.ok(debug.includes('Infill: early-stop check failed: check broke'));
  });
});

describe('modelRequest: the token limit', () => {
  const outputs: PostprocessInput[] = [];
  const recording: Postprocessor = { process: async input => { outputs.push(input); return input.output.split('\n')[0]; }, isComplete: async () => false };

  for (const [stopReason, truncated] of [['length', true], ['limit', true], ['max_length', false], ['lengthy', false], ['stop', false]] as const) {
    it(`stop reason "${stopReason}": ${truncated ? '' : 'not '}cut by the limit`, async () => {
      outputs.length = 0;
      const { engine, clock } = run({ backend: new ScriptedBackend({ chunks: ANSWER, stopReason }), postprocessor: recording });
      const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
      await clock.advance(0);
      await pending;
      assert.equal(outputs.at(-1)!.truncated, truncated);
    });
  }

  it('without a stop reason, only a stream that used the whole budget was cut', async () => {
    outputs.length = 0;
    const { engine, clock } = run({ backend: new ScriptedBackend({ chunks: ANSWER }), postprocessor: recording });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.equal(outputs.at(-1)!.truncated, false);
  });
});

describe('modelRequest: timings', () => {
  it('time to first token and total are counted from the request\'s start on the engine clock, whatever came before', async () => {
    const clock = new FakeClock();
    await clock.advance(1000);
    const gate = new Gate();
    const { engine, records } = run({ backend: new ScriptedBackend({ chunks: ['return 1', '\n'], gate }), clock, features: { earlyStop: false } });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(10);
    gate.open();
    await flush();
    await clock.advance(50);
    gate.open();
    await flush();
    await pending;
    assert.equal(records[0].timings!.ttftMs, 10);
    assert.equal(records[0].timings!.totalMs, 60);
  });

  it('keeps the server\'s figures even when a text chunk without them follows', async () => {
    const backend = streamingBackend(() => (async function* () {
      yield { text: 'return 1', stats: { generatedTokens: 2, promptTokens: 7 } };
      yield { text: '\n' };
    })());
    const { engine, clock, records } = run({ backend, features: { earlyStop: false } });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.equal(records[0].timings!.promptTokens, 7);
  });

  it('a stream that ends quietly after its request was aborted is an abort, not an answer', async () => {
    const gate = new Gate();
    const backend = streamingBackend((_request, signal) => (async function* () {
      yield { text: 'return ' };
      try { await gate.wait(signal); } catch { return; }
      yield { text: '1\n' };
    })());
    const { engine, clock, records } = run({ backend });
    void engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    engine.reset();
    await flush();
    assert.equal(records[0].outcome, 'aborted');
  });
});

describe('modelRequest: related context', () => {
  const snippet = { relativePath: 'util.py', content: 'def helper(): pass', score: 1, source: 'open-tab' };

  it('is gathered when enabled and sent with the request', async () => {
    const backend = new ScriptedBackend({ chunks: ANSWER });
    const { engine, clock, debug } = run({ backend, configOverrides: { contextEnabled: true }, context: { gather: async () => [snippet] } as never });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.match(debug[0], /, 1 snippets,/);
  });

  it('is not asked for when disabled', async () => {
    let asked = 0;
    const { engine, clock } = run({ backend: new ScriptedBackend({ chunks: ANSWER }), context: { gather: async () => { asked++; return [snippet]; } } as never });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.equal(asked, 0);
  });

  it('a slow gathering is given up after its time limit and the request goes without it', async () => {
    let stopped = false;
    const slow = { gather: (_doc: unknown, signal: AbortSignal) => new Promise<never>((_r, reject) => signal.addEventListener('abort', () => { stopped = true; reject(new Error('stopped')); })) };
    const backend = new ScriptedBackend({ chunks: ANSWER });
    const { engine, clock, debug } = run({ backend, configOverrides: { contextEnabled: true }, context: slow as never, contextTimeoutMs: 300 });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(299);
    assert.equal(backend.requests.length, 0);
    await clock.advance(1);
    await pending;
    assert.equal(backend.requests.length, 1);
    assert.equal(stopped, true, 'the gathering is told to stop');
    assert.ok(debug.includes('Infill: related context took too long; sending the request without it'));
  });

  it('a failing gathering is logged and the request goes without it', async () => {
    const backend = new ScriptedBackend({ chunks: ANSWER });
    const { engine, clock, debug } = run({ backend, configOverrides: { contextEnabled: true }, context: { gather: async () => { throw new Error('index gone'); } } as never });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    assert.ok(await pending);
    assert.ok(debug.includes('Infill: related context failed: index gone'));
  });

  it('a gathering stopped by the request\'s own abort is not logged as a failure', async () => {
    const slow = { gather: (_doc: unknown, signal: AbortSignal) => new Promise<never>((_r, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))) };
    const { engine, clock, debug } = run({ backend: new ScriptedBackend({ chunks: ANSWER }), configOverrides: { contextEnabled: true }, context: slow as never });
    void engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(10);
    engine.reset();
    await flush();
    assert.ok(!debug.some(m => m.startsWith('Infill: related context failed')), debug.join('\n'));
  });
});

describe('modelRequest: lines shown while the rest streams', () => {
  it('only complete lines, judged as cut by the limit', async () => {
    const inputs: PostprocessInput[] = [];
    const judge: Postprocessor = { process: async input => { inputs.push(input); return input.output.trimEnd(); }, isComplete: async () => false };
    const gate = new Gate();
    const { engine, clock } = run({ backend: new ScriptedBackend({ chunks: ['    a = 1\n    b', ' = 2\n', '\n'], gate }), decideMultiline: () => true, postprocessor: judge });
    const doc = atCursor('def f():\n┃\n');
    const first = engine.provide(snapshot(doc.text), doc.position, live());
    await clock.advance(500);
    gate.open();
    await flush();
    assert.equal((await first)?.text, '    a = 1');
    assert.deepEqual(inputs.map(i => [i.output, i.truncated]), [['    a = 1\n', true]]);
  });

  it('a snapshot that is blank, no longer, or takes lines back is not shown', async () => {
    const snapshots = ['  ', '    a = 1', '    a = 2', '    a', '    a = 1\n    b = 2'];
    let call = 0;
    const scripted: Postprocessor = { process: async input => (input.truncated ? snapshots[call++] ?? '' : 'final'), isComplete: async () => false };
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: ['l1\n', 'l2\n', 'l3\n', 'l4\n', 'l5\n', 'end'], gate });
    const deps = engineDeps(backend, { decideMultiline: () => true, postprocessor: scripted });
    const doc = atCursor('def f():\n┃\n');
    const context = buildDocumentContext(snapshot(doc.text), doc.position, { prefixTokens: 1000, suffixTokens: 1000 });
    const inflight = newInFlight({ id: 1, editorId: 'e', kind: 'user', doc: context, anchor: anchorOf(context) });
    const features = { cache: true, typedThrough: true, earlyStop: false, progressive: true, speculate: false, prefill: false };
    const done = runModelRequest(inflight, { deps, features, clock: new FakeClock(), config: deps.config() });
    await flush();
    const partials: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      gate.open();
      await flush();
      partials.push(inflight.partial);
    }
    for (let i = 0; i < 3; i++) { gate.open(); await flush(); }
    assert.equal((await done).text, 'final');
    assert.deepEqual(partials, [undefined, '    a = 1', '    a = 1', '    a = 1', '    a = 1\n    b = 2']);
  });
});

describe('modelRequest: outcomes', () => {
  it('a backend error is a failure, warned about; it is no timeout', async () => {
    const warnings: string[] = [];
    const backend = new ScriptedBackend({ chunks: ['x'], fail: () => new BackendError('unreachable', 'Cannot reach the server') });
    const { engine, clock } = run({ backend, log: { ...silentLogger, warn: (m: string) => { warnings.push(m); } } });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.deepEqual(warnings, ['Infill: Cannot reach the server']);
    assert.equal(engine.counters.requestsFailed, 1);
    assert.equal(engine.counters.requestsTimedOut, 0);
  });

  it('a template that fails leaves an empty raw output in the record', async () => {
    const { engine, clock, records } = run({ backend: new ScriptedBackend({ chunks: ['x'] }), template: async () => ({ error: 'no FIM template', chatOnly: false, kind: 'no-fim' }) });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.deepEqual([records[0].outcome, records[0].raw], ['error', '']);
  });

  it('an abort error from the backend is an abort even when nobody aborted the request', async () => {
    const abort = Object.assign(new Error('stopped'), { name: 'AbortError' });
    const { engine, clock, records, statuses } = run({ backend: new ScriptedBackend({ chunks: ['x'], fail: () => abort }) });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.equal(records[0].outcome, 'aborted');
    assert.ok(!statuses.some(s => s.state === 'error'));
    assert.equal(engine.counters.requestsAborted, 1);
  });

  it('a backend error after the request was aborted is an abort too', async () => {
    const gate = new Gate();
    const backend = streamingBackend((_request, signal) => (async function* () {
      yield { text: 'return ' };
      try { await gate.wait(signal); } catch { throw new BackendError('interrupted', 'closed'); }
      yield { text: '1\n' };
    })());
    const { engine, clock, records, statuses } = run({ backend });
    void engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    engine.reset();
    await flush();
    assert.equal(records[0].outcome, 'aborted');
    assert.ok(!statuses.some(s => s.state === 'error'));
  });

  it('a request that ends leaves no timeout timer behind', async () => {
    const { engine, clock } = run({ backend: new ScriptedBackend({ chunks: ANSWER }) });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.equal(clock.pendingTimers, 0);
  });

  it('a failing multi-line decision is logged and the request goes single-line', async () => {
    const backend = new ScriptedBackend({ chunks: ANSWER });
    const { engine, clock, debug } = run({ backend, decideMultiline: () => { throw new Error('no tree'); } });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live());
    await clock.advance(400);
    assert.ok(await pending);
    assert.ok(debug.filter(m => m === 'Infill: multiline decision failed: no tree').length >= 2, debug.join('\n'));
    assert.deepEqual(backend.requests[0].stop, ['\n', '<|endoftext|>']);
  });
});

describe('modelRequest: raceAbort', () => {
  it('an already fired signal wins at once; a rejected promise counts as aborted', async () => {
    const fired = new AbortController();
    fired.abort();
    assert.equal(await raceAbort(Promise.resolve(1), fired.signal), ABORTED);
    assert.equal(await raceAbort(Promise.reject(new Error('x')), live()), ABORTED);
    assert.equal(await raceAbort(Promise.resolve(2), live()), 2);
  });
});

describe('modelRequest: failures on the side', () => {
  it('a failing snapshot of the lines so far is logged and the stream goes on', async () => {
    const flaky: Postprocessor = {
      process: async input => { if (input.truncated) throw new Error('snapshot broke'); return input.output.trimEnd(); },
      isComplete: async () => false,
    };
    const { engine, clock, debug } = run({ backend: new ScriptedBackend({ chunks: ['    a = 1\n', '    b = 2\n'] }), decideMultiline: () => true, postprocessor: flaky });
    const doc = atCursor('def f():\n┃\n');
    const pending = engine.provide(snapshot(doc.text), doc.position, live());
    await clock.advance(500);
    assert.equal((await pending)?.text, '    a = 1\n    b = 2');
    assert.ok(debug.includes('Infill: partial post-processing failed: snapshot broke'));
  });

  it('the gathering is told to stop once the request has its context, and when the request is aborted', async () => {
    const signals: AbortSignal[] = [];
    const context = { gather: async (_doc: unknown, signal: AbortSignal) => { signals.push(signal); return []; } };
    const { engine, clock } = run({ backend: new ScriptedBackend({ chunks: ANSWER }), configOverrides: { contextEnabled: true }, context: context as never });
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    await pending;
    assert.equal(signals[0].aborted, true);

    let stopped = false;
    const slow = { gather: (_doc: unknown, signal: AbortSignal) => new Promise<never>((_r, reject) => signal.addEventListener('abort', () => { stopped = true; reject(new Error('stopped')); })) };
    const second = run({ backend: new ScriptedBackend({ chunks: ANSWER }), configOverrides: { contextEnabled: true }, context: slow as never });
    void second.engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await second.clock.advance(10);
    second.engine.reset();
    await flush();
    assert.equal(stopped, true);
    assert.equal(second.records[0].outcome, 'aborted');
  });
});

describe('modelRequest: background requests', () => {
  const DOC = atCursor('def area(w, h):\n    ┃\n\nprint(area(2, 3))\n');
  const TAB = { text: DOC.text.replace('    \n', '    result = mul(w, h)\n'), position: { line: 1, character: 22 } };

  it('are logged as such, and one stopped for the user\'s request is cancelled without touching the status', async () => {
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: (_r, i) => (i === 0 ? ['result = mul(w, h)', '\n'] : ['return result', '\n']) });
    const { engine, clock, debug, statuses } = run({ backend, features: { speculate: true } });
    const first = engine.provide(snapshot(DOC.text), DOC.position, live());
    await clock.advance(100);
    await first;
    (backend as unknown as { options: { gate?: Gate } }).options.gate = gate;
    await engine.provide(snapshot(TAB.text), TAB.position, live());
    await clock.advance(0);
    assert.equal(backend.requests.length, 2);
    assert.ok(debug.some(m => /^request #2 .* maxTokens \d+ \(speculative\)$/.test(m)), debug.join('\n'));
    // The user asks in another editor: the background request gives way.
    void engine.provide(snapshot(DOC.text, 'python', 'file:///w/b.py'), { line: 3, character: 0 }, live(), { explicit: true });
    await clock.advance(0);
    await flush();
    assert.equal(backend.requests.length, 3);
    assert.ok(debug.includes('request #2 aborted (cancelled)'), debug.join('\n'));
    assert.equal(statuses.at(-1)!.state, 'working', 'the user\'s request still runs');
  });
});
