// One model request's run (modelRequest.ts), the cases modelRequest.test.ts leaves out: the prompt cut to the
// server's speed, a native-FIM template, lines ahead that are only whitespace, why a diverging stream stopped, and
// the related-context gathering stopped as soon as the request has what it needs.
import * as assert from 'node:assert/strict';
import { anchorOf } from '../../../src/cache/typedThrough';
import { buildDocumentContext } from '../../../src/document/documentContext';
import { CompletionEngine, type EngineFeatures, type RequestRecord } from '../../../src/pipeline/engine';
import { newInFlight, runModelRequest, textAhead } from '../../../src/pipeline/modelRequest';
import { ServerState } from '../../../src/prompt/promptBudget';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, flush, Gate, ScriptedBackend, snapshot, testConfig } from './fakes';

const FIB = atCursor('def fib(n):\n    if n < 2:\n        return n\n    ┃\n\nprint(fib(10))\n');
const ALL_ON: EngineFeatures = { cache: true, typedThrough: true, earlyStop: true, progressive: true, speculate: true, prefill: true };

function live(): AbortSignal {
  return new AbortController().signal;
}

/** A user request run directly at `text`'s cursor. */
function userRun(text: string, backend: ScriptedBackend, server?: ServerState, deps: Parameters<typeof engineDeps>[1] = {}) {
  const doc0 = atCursor(text);
  const doc = buildDocumentContext(snapshot(doc0.text), doc0.position, { prefixTokens: 4000, suffixTokens: 500 });
  const inflight = newInFlight({ id: 1, editorId: 'e', kind: 'user', doc, anchor: anchorOf(doc) });
  const run = runModelRequest(inflight, { deps: engineDeps(backend, deps), features: ALL_ON, clock: new FakeClock(), config: testConfig(), server });
  return { doc, run };
}

describe('modelRequest: the prompt sized to the server', () => {
  // 400 short lines above the cursor: about 1,200 tokens, more than a slow server reads within the target.
  const LONG = Array.from({ length: 400 }, (_, i) => `v${i} = ${i}\n`).join('') + 'total = ┃\n';

  it('a slow server gets a prefix cut from the top, and the cut\'s start is remembered (its first 200 characters)', async () => {
    const server = new ServerState();
    server.speed.record({ promptTokens: 100, promptMs: 100 }); // 1 ms a token: 500 tokens within the 500 ms target
    const backend = new ScriptedBackend({ chunks: ['1', '\n'] });
    const { doc, run } = userRun(LONG, backend, server);
    const result = await run;
    const sent = backend.requests[0];
    assert.ok(sent.prefix.length < doc.prefix.length, 'cut');
    assert.ok(doc.prefix.endsWith(sent.prefix));
    assert.ok(sent.prompt!.includes(sent.prefix), 'the prompt is built from the cut prefix');
    assert.ok(!sent.prompt!.includes('v0 = 0\n'));
    assert.equal(server.cutStart, sent.prefix.slice(0, 200));
    assert.equal(server.cutStart.length, 200);
    assert.equal(result.text, '1');
  });

  it('a server of unknown speed gets the whole prefix, and no cut is remembered', async () => {
    const server = new ServerState();
    const backend = new ScriptedBackend({ chunks: ['1', '\n'] });
    const { doc, run } = userRun(LONG, backend, server);
    await run;
    assert.equal(backend.requests[0].prefix, doc.prefix);
    assert.equal(server.cutStart, '');
    assert.equal(server.lastPrompt, backend.requests[0].prompt);
  });
});

describe('modelRequest: edges', () => {
  it('a native-FIM template (llama.cpp /infill) sends prefix and suffix, no templated prompt', async () => {
    const backend = new ScriptedBackend({ chunks: ['return n', '\n'] });
    const { run } = userRun(FIB.text.slice(0, FIB.offset) + '┃' + FIB.text.slice(FIB.offset), backend, undefined, {
      template: async () => ({ template: { family: 'qwen', description: 'test', build: () => 'templated', stop: [] }, native: true }),
    });
    await run;
    assert.equal(backend.requests[0].prompt, undefined);
    assert.ok(backend.requests[0].prefix.endsWith('    '));
  });

  it('lines streamed so far that add only whitespace past the typing are waited past', async () => {
    const doc = buildDocumentContext(snapshot(FIB.text), FIB.position, { prefixTokens: 500, suffixTokens: 500 });
    const inflight = newInFlight({ id: 1, editorId: 'e', kind: 'user', doc, anchor: anchorOf(doc) });
    inflight.partial = 'a = 1\n    ';
    let answer: string | undefined | null = null;
    void textAhead(inflight, 'a = 1').then(text => { answer = text; });
    await flush();
    assert.equal(answer, null, 'nothing to show past "a = 1" yet');
    inflight.partial = 'a = 1\n    b = 2';
    inflight.notify();
    await flush();
    assert.equal(answer, 'a = 1\n    b = 2');
  });

  it('a stream the user typed ahead of that then diverges ends as an abort, "diverged"', async () => {
    const clock = new FakeClock();
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: ['return ', 'fib(n - 1)', '\n'], gate });
    const engine = new CompletionEngine(engineDeps(backend, { clock }));
    const records: RequestRecord[] = [];
    engine.onRequest(r => records.push(r));
    const caller = new AbortController();
    void engine.provide(snapshot(FIB.text), FIB.position, caller.signal);
    await clock.advance(500);
    caller.abort();
    const typed = FIB.text.slice(0, FIB.offset) + 'x' + FIB.text.slice(FIB.offset);
    void engine.provide(snapshot(typed), { line: 3, character: 5 }, live());
    await flush();
    gate.open(); // "return " does not start with "x"
    await flush();
    assert.equal(records[0]?.outcome, 'aborted');
    assert.equal(records[0].abortReason, 'diverged');
    engine.dispose();
  });

  it('related context is told to stop as soon as the request has it, while the answer still streams', async () => {
    const signals: AbortSignal[] = [];
    const gate = new Gate();
    const backend = new ScriptedBackend({ chunks: ['return n', '\n'], gate });
    const clock = new FakeClock();
    const engine = new CompletionEngine(engineDeps(backend, {
      clock, configOverrides: { contextEnabled: true }, features: { earlyStop: false },
      context: { gather: async (_doc, signal) => { signals.push(signal); return []; } },
    }));
    const pending = engine.provide(snapshot(FIB.text), FIB.position, live(), { explicit: true });
    await clock.advance(0);
    assert.equal(backend.requests.length, 1, 'the request is out, its stream waits');
    assert.equal(signals[0].aborted, true);
    for (let i = 0; i < 3; i++) { gate.open(); await flush(); }
    assert.equal((await pending)?.text, 'return n');
  });
});
