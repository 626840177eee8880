import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { checkSetup } from '../../../src/pipeline/setupCheck';
import { OLLAMA_MODELS, startFakeOllama, type FakeServer } from '../../support/fakeServers';
import { closedPort, testConfig } from './fakes';

describe('pipeline/setupCheck', () => {
  let ollama: FakeServer;
  before(async () => { ollama = await startFakeOllama({ models: Object.values(OLLAMA_MODELS), respond: () => 'return fib(n - 1) + fib(n - 2)\n' }); });
  after(async () => { await ollama.close(); });
  const live = () => new AbortController().signal;

  it('reports a working setup with the timed request figures', async () => {
    const progress: string[] = [];
    const report = await checkSetup(createBackend({ kind: 'ollama', endpoint: ollama.url }), testConfig(), live(), { onProgress: m => progress.push(m) });
    assert.equal(report.ok, true, report.summary);
    assert.deepEqual(report.steps.map(s => [s.name, s.ok]), [['endpoint', true], ['model', true], ['fim', true], ['request', true]]);
    assert.equal(report.family, 'qwen');
    assert.equal(report.supportsFim, true);
    assert.equal(report.sample, 'return fib(n - 1) + fib(n - 2)\n');
    const t = report.timing!;
    assert.ok(t.generatedTokens > 0 && t.totalMs >= t.ttftMs);
    assert.ok(t.promptTokensPerSecond! > 0, 'prompt speed from the server stats');
    assert.ok(t.generationTokensPerSecond! > 0);
    assert.match(report.summary, /fills in the middle \(qwen template\): first token \d+ ms/);
    assert.equal(progress.length, 3);
    // The timed request was a real FIM request.
    const generate = ollama.requestsTo('/api/generate').at(-1)!;
    assert.equal(generate.body.raw, true);
    assert.match(generate.body.prompt, /<\|fim_prefix\|>def fibonacci/);
  });

  it('names a missing model, the ones available and how to pull it', async () => {
    const report = await checkSetup(createBackend({ kind: 'ollama', endpoint: ollama.url }), testConfig({ model: 'qwen2.5-coder:7b-base' }), live());
    assert.equal(report.ok, false);
    assert.equal(report.modelMissing, true);
    assert.equal(report.errorKind, 'model-not-found');
    assert.ok(report.available.includes('starcoder2:3b'));
    assert.match(report.summary, /not on Ollama.*ollama pull qwen2\.5-coder:7b-base/);
  });

  it('says a chat model cannot fill in the middle', async () => {
    const report = await checkSetup(createBackend({ kind: 'ollama', endpoint: ollama.url }), testConfig({ model: OLLAMA_MODELS.llamaChat.name }), live());
    assert.equal(report.ok, false);
    assert.equal(report.modelMissing, false);
    assert.equal(report.errorKind, 'chat-only');
    assert.deepEqual(report.steps.map(s => s.ok), [true, true, false]);
  });

  it('says when nothing answers, and how to start the server', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const report = await checkSetup(createBackend({ kind: 'ollama', endpoint }), testConfig({ endpoint }), live());
    assert.equal(report.ok, false);
    assert.equal(report.reachable, false);
    assert.equal(report.errorKind, 'unreachable');
    assert.match(report.summary, new RegExp(`Cannot reach Ollama at ${endpoint.replace(/[.]/g, '\\.')}.*ollama serve`));
  });

  it('reports a failing generation (HTTP 500) at the request step', async () => {
    ollama.set({ fault: 500, faultCount: 1 });
    const report = await checkSetup(createBackend({ kind: 'ollama', endpoint: ollama.url }), testConfig(), live());
    assert.equal(report.ok, false);
    assert.equal(report.steps.at(-1)!.name, 'request');
    assert.match(report.summary, /The FIM request failed: /);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(checkSetup(createBackend({ kind: 'ollama', endpoint: ollama.url }), testConfig(), controller.signal), (e: Error) => e.name === 'AbortError');
  });
});
