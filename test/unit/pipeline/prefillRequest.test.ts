// A prefill's own run (modelRequest.ts): which backends get one, what it asks for, when it is not worth sending,
// and what its end means for the engine's counters.
import * as assert from 'node:assert/strict';
import { anchorOf } from '../../../src/cache/typedThrough';
import { buildDocumentContext } from '../../../src/document/documentContext';
import { CompletionEngine, type EngineFeatures } from '../../../src/pipeline/engine';
import { newInFlight, prefillMaxTokens, prefillsWith, runModelRequest } from '../../../src/pipeline/modelRequest';
import { PREFILL_MIN_MS, promptText, ServerState } from '../../../src/prompt/promptBudget';
import { estimateTokens } from '../../../src/prompt/tokens';
import { atCursor } from '../../support/cursor';
import { engineDeps, FakeClock, ScriptedBackend, snapshot, testConfig } from './fakes';

const SOURCE = 'def area(w, h):\n    return w * h\n\n\ndef perimeter(w, h):\n    return ┃\n';
const DOC = atCursor(SOURCE);
const ALL_ON: EngineFeatures = { cache: true, typedThrough: true, earlyStop: true, progressive: true, speculate: true, prefill: true };

/** One prefill run at DOC against `server`, the way the engine starts it. */
function prefill(backend: ScriptedBackend, server: ServerState) {
  const doc = buildDocumentContext(snapshot(DOC.text), DOC.position, { prefixTokens: 2000, suffixTokens: 2000 });
  const inflight = newInFlight({ id: 1, editorId: 'e', kind: 'prefill', doc, anchor: anchorOf(doc) });
  return runModelRequest(inflight, { deps: engineDeps(backend), features: ALL_ON, clock: new FakeClock(), config: testConfig(), server });
}

/** A server that read 100 new prompt tokens in `promptMs`. */
function measuredServer(promptMs: number): ServerState {
  const server = new ServerState();
  server.speed.record({ promptTokens: 100, promptMs });
  return server;
}

describe('pipeline/prefill: its run', () => {
  it('goes to the local servers only (a hosted API says nothing of its cache)', () => {
    assert.deepEqual(['ollama', 'llamacpp', 'openai', 'codestral', 'deepseek'].map(k => prefillsWith(k as never)), [true, true, true, false, false]);
  });

  it('asks llama.cpp for no token, the others for one', () => {
    assert.deepEqual(['llamacpp', 'ollama', 'openai'].map(k => prefillMaxTokens(k as never)), [0, 1, 1]);
  });

  it('is sent when the server would read its prompt for long enough, and ends with nothing to show', async () => {
    const backend = new ScriptedBackend({ chunks: ['2 * (w + h)', '\n'] });
    // 10 ms a token: the few dozen uncached tokens of this prompt take a few hundred ms to read.
    const result = await prefill(backend, measuredServer(1000));
    assert.equal(backend.requests.length, 1);
    assert.equal(backend.requests[0].maxTokens, 1);
    assert.equal(result.record.outcome, 'done');
    assert.ok(result.record.request, 'the record says what was sent');
    assert.equal(result.text, undefined, 'a prefill\'s output is no suggestion');
    assert.equal(result.timings, undefined);
    assert.equal(result.failure, undefined);
  });

  it('is not sent when the server already holds its prompt (or would read it in no time)', async () => {
    const backend = new ScriptedBackend({ chunks: ['2 * (w + h)', '\n'] });
    const server = measuredServer(1000);
    await prefill(backend, server);
    assert.equal(backend.requests.length, 1);
    const again = await prefill(backend, server);
    assert.equal(backend.requests.length, 1, 'the same prompt again: all of it cached');
    assert.equal(again.record.request, undefined);
    assert.equal(again.text, undefined);
    // A fast server: the whole prompt, uncached, reads in well under PREFILL_MIN_MS.
    const fast = new ScriptedBackend({ chunks: ['x'] });
    await prefill(fast, measuredServer(1));
    assert.equal(fast.requests.length, 0);
  });

  it('is sent from PREFILL_MIN_MS of reading on', async () => {
    const first = new ScriptedBackend({ chunks: ['x'] });
    const prompt = promptText((await prefill(first, new ServerState())).record.request!);
    // A server at 4 ms a token that holds all of the prompt but a tail of `tokens` tokens.
    const holdingAllBut = (tokens: number) => {
      const server = measuredServer(4 * 100);
      let cut = 1;
      while (estimateTokens(prompt.slice(-cut), 'python') < tokens) cut++;
      server.lastPrompt = prompt.slice(0, -cut);
      return server;
    };
    assert.equal(PREFILL_MIN_MS, 100);
    const atLimit = new ScriptedBackend({ chunks: ['x'] });
    await prefill(atLimit, holdingAllBut(25));
    assert.equal(atLimit.requests.length, 1, '25 tokens at 4 ms: 100 ms');
    const below = new ScriptedBackend({ chunks: ['x'] });
    await prefill(below, holdingAllBut(24));
    assert.equal(below.requests.length, 0, '96 ms');
  });

  it('counts as one request started once sent, and as no abort', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ chunks: () => ['2 * (w + h)', '\n'] });
    const engine = new CompletionEngine(engineDeps(backend, { clock, features: { prefill: true } }));
    const pending = engine.provide(snapshot(DOC.text), DOC.position, new AbortController().signal);
    await clock.advance(0);
    assert.equal(engine.counters.requestsStarted, 1, 'the prefill, counted when it went out');
    await clock.advance(1000);
    assert.equal((await pending)?.text, '2 * (w + h)');
    const c = engine.counters;
    assert.deepEqual([c.requestsStarted, c.prefillRequests, c.requestsAborted, c.requestsFailed], [2, 1, 0, 0]);
  });
});
