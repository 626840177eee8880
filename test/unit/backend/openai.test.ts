import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { BackendError } from '../../../src/backend/types';
import { isAbortError } from '../../../src/util/abort';
import { startFakeOpenAI, type FakeServer } from '../../support/fakeServers';
import { baseRequest, closedPort, collect, rejectionOf, waitFor, assertRapidAbortsAreClean } from './helpers';

const MODEL = 'Qwen/Qwen2.5-Coder-1.5B';

describe('backend/openai against a fake OpenAI-compatible server', () => {
  let server: FakeServer;
  beforeEach(async () => { server = await startFakeOpenAI({ apiKey: 'sk-test' }); });
  afterEach(async () => { await server.close(); });
  const backend = (extra: { apiKey?: string; connectTimeoutMs?: number } = { apiKey: 'sk-test' }) => createBackend({ kind: 'openai', endpoint: server.url + '/v1', ...extra });

  it('streams prompt + suffix with max_tokens, at most 4 stops and the Bearer key, and parses usage', async () => {
    server.set({ respond: () => 'a + b' });
    const stop = ['<|endoftext|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_sep|>', '\n'];
    const { text, chunks, stats } = await collect(backend(), baseRequest({ model: MODEL, stop }));
    assert.equal(text, 'a + b');
    assert.ok(chunks.length >= 2);
    const [req] = server.requestsTo('/v1/completions');
    assert.equal(req.headers.authorization, 'Bearer sk-test');
    assert.equal(req.body.model, MODEL);
    assert.equal(req.body.prompt, 'def add(a, b):\n    return ');
    assert.equal(req.body.suffix, '\n\nprint(add(1, 2))\n');
    assert.equal(req.body.max_tokens, 64);
    assert.equal(req.body.temperature, 0.1);
    assert.deepEqual(req.body.stop, stop.slice(0, 4));
    assert.equal(req.body.stream, true);
    assert.equal(stats?.generatedTokens, 2);
    assert.ok((stats?.promptTokens ?? 0) > 0);
    assert.equal(stats?.stopReason, 'stop');
  });

  it('sends a raw template as prompt without suffix', async () => {
    await collect(backend(), baseRequest({ model: MODEL, prompt: '<|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>' }));
    const [req] = server.requestsTo('/v1/completions');
    assert.equal(req.body.prompt, '<|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>');
    assert.equal('suffix' in req.body, false);
  });

  it('reports length when max_tokens cuts the output', async () => {
    server.set({ respond: () => 'x'.repeat(100) });
    const r = await collect(backend(), baseRequest({ model: MODEL, maxTokens: 2 }));
    assert.equal(r.text, 'xxxxxxxx');
    assert.equal(r.stats?.stopReason, 'length');
  });

  it('aborts mid-stream as an AbortError', async () => {
    server.set({ respond: () => 'y'.repeat(400), chunkDelayMs: 20 });
    const controller = new AbortController();
    const err = await rejectionOf((async () => {
      for await (const c of backend().stream(baseRequest({ model: MODEL }), controller.signal)) if (c.text) controller.abort();
    })());
    assert.ok(isAbortError(err), String(err));
    await waitFor(() => server.requests[0].abortedByClient);
  });

  it('retries without stream_options when a strict server refuses it', async () => {
    server.set({ rejectFields: ['stream_options'], respond: () => 'ok' });
    const r = await collect(backend(), baseRequest({ model: MODEL }));
    assert.equal(r.text, 'ok');
    const reqs = server.requestsTo('/v1/completions');
    assert.equal(reqs.length, 2);
    assert.ok(reqs[0].body.stream_options);
    assert.equal(reqs[1].body.stream_options, undefined);
    assert.equal(r.stats?.stopReason, 'stop');
  });

  it('a server without suffix support is no-fim and says to set infill.template', async () => {
    server.set({ rejectFields: ['suffix'] });
    const err = await rejectionOf(collect(backend(), baseRequest({ model: MODEL })));
    assert.equal(err.kind, 'no-fim');
    assert.match(err.message, /suffix is not currently supported/);
    assert.match(err.message, /infill\.template/);
    // Issue 13 row 11: vLLM, TGI and llama.cpp refuse `suffix` whatever the model: the message blames the server.
    assert.match(err.message, /does not take a `suffix`.*the server, not the model/);
    assert.doesNotMatch(err.message, /chat\/instruct/);
    // with our own template the request goes through
    assert.equal((await collect(backend(), baseRequest({ model: MODEL, prompt: '<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>' }))).text, 'fake_completion()');
  });

  it('modelInfo lists /v1/models', async () => {
    const info = await backend().modelInfo(MODEL);
    assert.equal(info.exists, true);
    assert.deepEqual(info.available, [MODEL]);
    assert.equal((await backend().modelInfo('gpt-x')).exists, false);
  });

  it('reassembles frames split across network reads (and UTF-8 characters split in two)', async () => {
    server.set({ respond: () => 'naïve ✓ → ok', fragmentBytes: 3 });
    const r = await collect(backend(), baseRequest({ model: MODEL }));
    assert.equal(r.text, 'naïve ✓ → ok');
    assert.ok(r.stats);
  });

  describe('faults', () => {
    it('a missing or wrong key is auth and says to set it', async () => {
      for (const b of [backend({}), backend({ apiKey: 'wrong' })]) {
        const err = await rejectionOf(collect(b, baseRequest({ model: MODEL })));
        assert.ok(err instanceof BackendError);
        assert.equal(err.kind, 'auth');
        assert.equal(err.status, 401);
        assert.match(err.message, /Infill: Set API Key/);
      }
    });

    it('unknown model is model-not-found', async () => {
      const err = await rejectionOf(collect(backend(), baseRequest({ model: 'gpt-x' })));
      assert.equal(err.kind, 'model-not-found');
      assert.match(err.message, /gpt-x/);
      assert.match(err.message, /choose one of: Qwen\/Qwen2\.5-Coder-1\.5B/);
    });

    it('unreachable, 500, cut, truncate, malformed, in-stream error, hang', async () => {
      const port = await closedPort();
      const u = await rejectionOf(collect(createBackend({ kind: 'openai', endpoint: `http://127.0.0.1:${port}` }), baseRequest({ model: MODEL })));
      assert.equal(u.kind, 'unreachable');
      const cases: [Parameters<FakeServer['set']>[0], string][] = [
        [{ fault: 500 }, 'http'],
        [{ fault: 'cut' }, 'interrupted'],
        [{ fault: 'truncate' }, 'interrupted'],
        [{ fault: 'malformed' }, 'malformed'],
        [{ fault: 'stream-error' }, 'http'],
      ];
      server.set({ respond: () => 'abcdefghijklmnop' });
      for (const [opts, kind] of cases) {
        server.set(opts);
        const err = await rejectionOf(collect(backend(), baseRequest({ model: MODEL })));
        assert.equal(err.kind, kind, `${JSON.stringify(opts)}: ${err.message}`);
      }
      server.set({ fault: 'hang' });
      const h = await rejectionOf(collect(backend({ apiKey: 'sk-test', connectTimeoutMs: 100 }), baseRequest({ model: MODEL })));
      assert.equal(h.kind, 'unreachable');
    });

    it('100+ rapid aborts leave no unhandled rejection', async () => {
      await assertRapidAbortsAreClean(server, backend(), baseRequest({ model: MODEL }));
    });
  });
});
