import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { infillFields, LlamaCppBackend } from '../../../src/backend/llamacpp';
import { BackendError } from '../../../src/backend/types';
import { isAbortError } from '../../../src/util/abort';
import { startFakeLlamaCpp, type FakeServer } from '../../support/fakeServers';
import { baseRequest, closedPort, collect, rejectionOf, waitFor, assertRapidAbortsAreClean } from './helpers';

describe('backend/llamacpp against a fake llama-server', () => {
  let server: FakeServer;
  beforeEach(async () => { server = await startFakeLlamaCpp(); });
  afterEach(async () => { await server.close(); });
  const backend = (extra: { apiKey?: string; connectTimeoutMs?: number } = {}) => createBackend({ kind: 'llamacpp', endpoint: server.url, ...extra });

  it('streams /infill with input_extra, cache_prompt, n_indent and t_max_predict_ms, and parses timings', async () => {
    server.set({ respond: () => 'a + b' });
    const request = baseRequest({ extra: [{ filename: 'lib/util.py', text: 'def helper():\n    pass\n' }], indent: 4, maxPredictMs: 2500 });
    const { text, chunks, stats } = await collect(backend(), request);
    assert.equal(text, 'a + b');
    assert.ok(chunks.length >= 2);
    const [req] = server.requestsTo('/infill');
    assert.equal(req.body.input_prefix, 'def add(a, b):\n');
    assert.equal(req.body.prompt, '    return ', 'the current line goes after the middle token');
    assert.equal(req.body.input_suffix, '\n\nprint(add(1, 2))\n');
    assert.deepEqual(req.body.input_extra, [{ filename: 'lib/util.py', text: 'def helper():\n    pass\n' }]);
    assert.equal(req.body.cache_prompt, true);
    assert.equal(req.body.n_indent, 4);
    assert.equal(req.body.t_max_predict_ms, 2500);
    assert.equal(req.body.n_predict, 64);
    assert.equal(req.body.temperature, 0.1);
    assert.deepEqual(req.body.stop, ['<|endoftext|>', '\n\n']);
    assert.equal(req.body.stream, true);
    assert.equal(stats?.generatedTokens, 2);
    assert.ok((stats?.promptTokens ?? 0) > 0);
    assert.equal(stats?.cachedPromptTokens, 0);
    assert.equal(stats?.stopReason, 'eos');
    assert.equal(typeof stats?.promptMs, 'number');
    assert.equal(typeof stats?.generationMs, 'number');
  });

  it('reports prompt tokens reused from the KV cache when typing along a line', async () => {
    await collect(backend(), baseRequest({ prefix: 'import os\n\ndef add(a, b):\n    ret', extra: [{ filename: 'a.py', text: 'x = 1\n'.repeat(20) }] }));
    const second = await collect(backend(), baseRequest({ prefix: 'import os\n\ndef add(a, b):\n    retu', extra: [{ filename: 'a.py', text: 'x = 1\n'.repeat(20) }] }));
    assert.ok((second.stats?.cachedPromptTokens ?? 0) > 30, `cached ${second.stats?.cachedPromptTokens}`);
  });

  it('sends a raw prompt to /completion', async () => {
    await collect(backend(), baseRequest({ prompt: '<fim_prefix>x<fim_suffix>y<fim_middle>' }));
    assert.equal(server.requestsTo('/infill').length, 0);
    const [req] = server.requestsTo('/completion');
    assert.equal(req.body.prompt, '<fim_prefix>x<fim_suffix>y<fim_middle>');
    assert.equal(req.body.cache_prompt, true);
    assert.equal(req.body.input_prefix, undefined);
  });

  it('honours stop words and n_predict like the server', async () => {
    server.set({ respond: () => 'one\n\ntwo' });
    const s = await collect(backend(), baseRequest());
    assert.equal(s.text, 'one');
    assert.equal(s.stats?.stopReason, 'word');
    server.set({ respond: () => 'q'.repeat(50) });
    const l = await collect(backend(), baseRequest({ maxTokens: 2 }));
    assert.equal(l.text, 'qqqqqqqq');
    assert.equal(l.stats?.stopReason, 'limit');
  });

  it('aborts mid-stream as an AbortError and closes the connection', async () => {
    server.set({ respond: () => 'y'.repeat(400), chunkDelayMs: 20 });
    const controller = new AbortController();
    const started = Date.now();
    const err = await rejectionOf((async () => {
      for await (const c of backend().stream(baseRequest(), controller.signal)) if (c.text) controller.abort();
    })());
    assert.ok(isAbortError(err), String(err));
    assert.ok(Date.now() - started < 1000);
    await waitFor(() => server.requests[0].abortedByClient);
  });

  it('modelInfo reads /props and /v1/models', async () => {
    const info = await backend().modelInfo('anything');
    assert.equal(info.exists, true);
    assert.equal(info.name, 'qwen2.5-coder-1.5b-q8_0.gguf');
    assert.deepEqual(info.available, ['qwen2.5-coder-1.5b-q8_0.gguf']);
    const props = await (backend() as LlamaCppBackend).props();
    assert.equal(props.model_path, '/models/qwen2.5-coder-1.5b-q8_0.gguf');
  });

  it('splits the prefix at the last line start for the KV cache', () => {
    assert.deepEqual(infillFields(baseRequest({ prefix: 'abc', suffix: 's' })), { input_prefix: '', input_suffix: 's', prompt: 'abc', input_extra: [] });
    assert.equal(infillFields(baseRequest({ prefix: 'a\nb\n' })).prompt, '');
  });

  it('reassembles frames split across network reads (and UTF-8 characters split in two)', async () => {
    server.set({ respond: () => 'naïve ✓ → ok', fragmentBytes: 3 });
    const r = await collect(backend(), baseRequest());
    assert.equal(r.text, 'naïve ✓ → ok');
    assert.ok(r.stats);
  });

  describe('faults', () => {
    it('unreachable names the server and how to start it', async () => {
      const port = await closedPort();
      const err = await rejectionOf(collect(createBackend({ kind: 'llamacpp', endpoint: `http://127.0.0.1:${port}` }), baseRequest()));
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /llama-server/);
    });

    it('a model without FIM tokens is no-fim', async () => {
      server.set({ models: [{ name: 'llama-3.2-1b-instruct-q4.gguf', fim: false }] });
      const err = await rejectionOf(collect(backend(), baseRequest()));
      assert.equal(err.kind, 'no-fim');
      assert.match(err.message, /Infill is not supported by this model/);
      assert.match(err.message, /Qwen2\.5-Coder/);
    });

    it('401 without the key is auth, with the key it works', async () => {
      server.set({ apiKey: 'sekret' });
      const err = await rejectionOf(collect(backend(), baseRequest()));
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /Infill: Set API Key/);
      const ok = await collect(backend({ apiKey: 'sekret' }), baseRequest());
      assert.equal(ok.text, 'fake_completion()');
      assert.equal(server.requestsTo('/infill').at(-1)!.headers.authorization, 'Bearer sekret');
    });

    it('500 and 503 are http errors with the server text', async () => {
      server.set({ fault: 500, faultMessage: 'slot unavailable' });
      const e = await rejectionOf(collect(backend(), baseRequest()));
      assert.equal(e.kind, 'http');
      assert.match(e.message, /slot unavailable/);
      server.set({ fault: 503, faultMessage: undefined });
      const e503 = await rejectionOf(collect(backend(), baseRequest()));
      assert.match(e503.message, /loading/i);
    });

    it('cut, truncated, malformed and in-stream errors', async () => {
      server.set({ respond: () => 'abcdefghijklmnop', fault: 'cut' });
      assert.equal((await rejectionOf(collect(backend(), baseRequest()))).kind, 'interrupted');
      server.set({ fault: 'truncate' });
      assert.equal((await rejectionOf(collect(backend(), baseRequest()))).kind, 'interrupted');
      server.set({ fault: 'malformed' });
      const m = await rejectionOf(collect(backend(), baseRequest()));
      assert.equal(m.kind, 'malformed');
      server.set({ fault: 'stream-error' });
      const s = await rejectionOf(collect(backend(), baseRequest()));
      assert.ok(s instanceof BackendError);
      assert.match(s.message, /Failed to decode the batch/);
    });

    it('modelInfo: malformed /props is malformed, 401 is auth', async () => {
      server.set({ fault: 'malformed', faultPaths: ['/props'] });
      assert.equal((await rejectionOf(backend().modelInfo('m'))).kind, 'malformed');
      server.set({ fault: undefined, faultPaths: undefined, apiKey: 'k' });
      assert.equal((await rejectionOf(backend().modelInfo('m'))).kind, 'auth');
      assert.equal((await backend({ apiKey: 'k' }).modelInfo('m')).exists, true);
    });

    it('hang hits the first-byte timeout', async () => {
      server.set({ fault: 'hang' });
      const err = await rejectionOf(collect(backend({ connectTimeoutMs: 100 }), baseRequest()));
      assert.equal(err.kind, 'unreachable');
    });

    it('100+ rapid aborts leave no unhandled rejection', async () => {
      await assertRapidAbortsAreClean(server, backend(), baseRequest());
    });
  });
});
