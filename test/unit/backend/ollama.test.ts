import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { BackendError, type PullProgress } from '../../../src/backend/types';
import { isAbortError } from '../../../src/util/abort';
import { OLLAMA_MODELS, startFakeOllama, type FakeServer } from '../../support/fakeServers';
import { baseRequest, closedPort, collect, rejectionOf, waitFor, assertRapidAbortsAreClean } from './helpers';

describe('backend/ollama against a fake Ollama', () => {
  let server: FakeServer;
  beforeEach(async () => { server = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase, OLLAMA_MODELS.llamaChat] }); });
  afterEach(async () => { await server.close(); });
  const backend = (connectTimeoutMs?: number) => createBackend({ kind: 'ollama', endpoint: server.url + '/', connectTimeoutMs });

  it('streams native FIM with suffix, options and keep_alive, and parses the final stats', async () => {
    server.set({ respond: () => 'a + b' });
    const { text, chunks, stats } = await collect(backend(), baseRequest({ keepAlive: '30m' }));
    assert.equal(text, 'a + b');
    assert.ok(chunks.length >= 2, 'arrives in several chunks');
    const [req] = server.requestsTo('/api/generate');
    assert.equal(req.body.model, 'qwen2.5-coder:1.5b-base');
    assert.equal(req.body.prompt, 'def add(a, b):\n    return ');
    assert.equal(req.body.suffix, '\n\nprint(add(1, 2))\n');
    assert.equal(req.body.raw, undefined);
    assert.equal(req.body.stream, true);
    assert.equal(req.body.keep_alive, '30m');
    assert.deepEqual(req.body.options, { num_predict: 64, temperature: 0.1, stop: ['<|endoftext|>', '\n\n'] });
    assert.equal(stats?.generatedTokens, 2);
    assert.ok((stats?.promptTokens ?? 0) > 5);
    assert.equal(stats?.stopReason, 'stop');
    assert.equal(typeof stats?.generationMs, 'number');
    assert.equal(typeof stats?.loadMs, 'number');
  });

  it('sends our template raw when a prompt is given, without suffix', async () => {
    await collect(backend(), baseRequest({ prompt: '<|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>' }));
    const [req] = server.requestsTo('/api/generate');
    assert.equal(req.body.raw, true);
    assert.equal(req.body.prompt, '<|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>');
    assert.equal(req.body.suffix, undefined);
  });

  it('sends a newline suffix at the end of a file so Ollama still applies its FIM template', async () => {
    await collect(backend(), baseRequest({ suffix: '' }));
    assert.equal(server.requestsTo('/api/generate')[0].body.suffix, '\n');
  });

  it('is cut by the server at a stop string and at num_predict', async () => {
    server.set({ respond: () => 'return a\n\nmore' });
    const stopped = await collect(backend(), baseRequest());
    assert.equal(stopped.text, 'return a');
    server.set({ respond: () => 'x'.repeat(100) });
    const long = await collect(backend(), baseRequest({ maxTokens: 3 }));
    assert.equal(long.text, 'x'.repeat(12));
    assert.equal(long.stats?.stopReason, 'length');
  });

  it('rejects with an AbortError soon after an abort mid-stream, and the server sees the client go', async () => {
    server.set({ respond: () => 'y'.repeat(400), chunkDelayMs: 20 });
    const controller = new AbortController();
    const started = Date.now();
    let received = '';
    const err = await rejectionOf((async () => {
      for await (const chunk of backend().stream(baseRequest(), controller.signal)) {
        received += chunk.text;
        if (received.length >= 8) controller.abort();
      }
    })());
    assert.ok(isAbortError(err), `expected AbortError, got ${err}`);
    assert.ok(!(err instanceof BackendError));
    assert.ok(Date.now() - started < 1000);
    await waitFor(() => server.requests[0].abortedByClient);
  });

  it('closes the connection when the consumer stops reading early', async () => {
    server.set({ respond: () => 'z'.repeat(400), chunkDelayMs: 10 });
    for await (const _ of backend().stream(baseRequest(), new AbortController().signal)) break;
    await waitFor(() => server.requests[0].abortedByClient);
  });

  it('rejects at once when the signal is already aborted, without a request', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejectionOf(collect(backend(), baseRequest(), controller.signal));
    assert.ok(isAbortError(err));
    assert.equal(server.requests.length, 0);
  });

  it('reassembles frames split across network reads (and UTF-8 characters split in two)', async () => {
    server.set({ respond: () => 'naïve ✓ → ok', fragmentBytes: 3 });
    const r = await collect(backend(), baseRequest());
    assert.equal(r.text, 'naïve ✓ → ok');
    assert.ok(r.stats);
  });

  describe('faults', () => {
    it('unreachable: a closed port says how to start Ollama', async () => {
      const port = await closedPort();
      const b = createBackend({ kind: 'ollama', endpoint: `http://127.0.0.1:${port}` });
      const err = await rejectionOf(collect(b, baseRequest()));
      assert.ok(err instanceof BackendError);
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, new RegExp(`Cannot reach Ollama at http://127.0.0.1:${port}`));
      assert.match(err.message, /ollama serve/);
    });

    it('unknown model: tells to pull it and lists the models Ollama has', async () => {
      const err = await rejectionOf(collect(backend(), baseRequest({ model: 'nope:7b' })));
      assert.equal(err.kind, 'model-not-found');
      assert.match(err.message, /ollama pull nope:7b/);
      assert.match(err.message, /qwen2\.5-coder:1\.5b-base/);
      assert.match(err.message, /llama3\.2:1b/);
    });

    it('chat-only model given a suffix: no-fim naming a base/coder model to use', async () => {
      const err = await rejectionOf(collect(backend(), baseRequest({ model: 'llama3.2:1b' })));
      assert.equal(err.kind, 'no-fim');
      assert.match(err.message, /^llama3\.2:1b is a chat\/instruct model without fill-in-the-middle/);
      assert.match(err.message, /qwen2\.5-coder:1\.5b-base/);
    });

    it('HTTP 500 keeps the server text; 401 is an auth error', async () => {
      server.set({ fault: 500 });
      const e500 = await rejectionOf(collect(backend(), baseRequest()));
      assert.equal(e500.kind, 'http');
      assert.equal(e500.status, 500);
      assert.match(e500.message, /llama runner process has terminated/);
      server.set({ fault: 401 });
      const e401 = await rejectionOf(collect(backend(), baseRequest()));
      assert.equal(e401.kind, 'auth');
      assert.equal(e401.status, 401);
    });

    it('a stream cut mid-way is interrupted, not unreachable', async () => {
      server.set({ fault: 'cut', respond: () => 'abcdefghijklmnop' });
      const err = await rejectionOf(collect(backend(), baseRequest()));
      assert.ok(err instanceof BackendError, String(err));
      assert.equal(err.kind, 'interrupted');
    });

    it('a malformed NDJSON line is malformed (not silently skipped)', async () => {
      server.set({ fault: 'malformed', respond: () => 'abcdefghijklmnop' });
      const err = await rejectionOf(collect(backend(), baseRequest()));
      assert.equal(err.kind, 'malformed');
      assert.match(err.message, /not JSON/);
    });

    it('a server that never answers hits the first-byte timeout as unreachable', async () => {
      server.set({ fault: 'hang' });
      const started = Date.now();
      const err = await rejectionOf(collect(backend(150), baseRequest()));
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /no answer within 150 ms/);
      assert.ok(Date.now() - started < 2000);
    });

    it('an {"error"} line inside the stream becomes a BackendError with the server text', async () => {
      server.set({ fault: 'stream-error', respond: () => 'abcdefghijklmnop' });
      const err = await rejectionOf(collect(backend(), baseRequest()));
      assert.ok(err instanceof BackendError, String(err));
      assert.equal(err.kind, 'http');
      assert.match(err.message, /unexpected EOF/);
    });

    it('a stream that ends cleanly without done is interrupted', async () => {
      server.set({ fault: 'truncate', respond: () => 'abcdefghijklmnop' });
      const e = await rejectionOf(collect(backend(), baseRequest()));
      assert.equal(e.kind, 'interrupted');
    });

    it('100+ rapid aborts leave no unhandled rejection', async () => {
      await assertRapidAbortsAreClean(server, backend(), baseRequest());
    });
  });

  describe('modelInfo, pull, chat', () => {
    it('reads capabilities, family and template from /api/show, and the names from /api/tags', async () => {
      const info = await backend().modelInfo('qwen2.5-coder:1.5b-base');
      assert.equal(info.exists, true);
      assert.equal(info.supportsFim, true);
      assert.equal(info.family, 'qwen2');
      assert.match(info.template ?? '', /<\|fim_prefix\|>/);
      assert.deepEqual(info.available, ['qwen2.5-coder:1.5b-base', 'llama3.2:1b']);
      const chat = await backend().modelInfo('llama3.2:1b');
      assert.equal(chat.supportsFim, false);
      assert.equal(server.requestsTo('/api/show')[0].body.model, 'qwen2.5-coder:1.5b-base');
    });

    it('says a missing model does not exist (no throw) and lists the others', async () => {
      const info = await backend().modelInfo('missing:1b');
      assert.equal(info.exists, false);
      assert.deepEqual(info.available, ['qwen2.5-coder:1.5b-base', 'llama3.2:1b']);
    });

    it('modelInfo faults: /api/show malformed, 500, hang', async () => {
      server.set({ fault: 'malformed', faultPaths: ['/api/show'] });
      assert.equal((await rejectionOf(backend().modelInfo('qwen2.5-coder:1.5b-base'))).kind, 'malformed');
      server.set({ fault: 500, faultMessage: 'disk full' });
      const e500 = await rejectionOf(backend().modelInfo('qwen2.5-coder:1.5b-base'));
      assert.equal(e500.kind, 'http');
      assert.match(e500.message, /disk full/);
      server.set({ fault: 'hang', faultMessage: undefined });
      assert.equal((await rejectionOf(backend(100).modelInfo('qwen2.5-coder:1.5b-base'))).kind, 'unreachable');
      // generation is unaffected by a fault aimed at /api/show
      server.set({ fault: 500 });
      assert.equal((await collect(backend(), baseRequest())).text, 'fake_completion()');
    });

    it('modelInfo on a closed port is unreachable', async () => {
      const port = await closedPort();
      const err = await rejectionOf(createBackend({ kind: 'ollama', endpoint: `http://127.0.0.1:${port}` }).modelInfo('x'));
      assert.equal(err.kind, 'unreachable');
    });

    it('pulls with progress until success, after which the model exists', async () => {
      const progress: PullProgress[] = [];
      await backend().pull!('starcoder2:3b', p => progress.push(p), new AbortController().signal);
      assert.equal(progress[0].status, 'pulling manifest');
      assert.equal(progress.at(-1)!.status, 'success');
      const layer = progress.filter(p => p.total === 986_000_000);
      assert.ok(layer.length >= 3);
      assert.equal(layer.at(-1)!.completed, 986_000_000);
      assert.ok(layer.every((p, i) => i === 0 || p.completed! >= layer[i - 1].completed!), 'completed only grows');
      assert.equal(server.requestsTo('/api/pull')[0].body.name ?? server.requestsTo('/api/pull')[0].body.model, 'starcoder2:3b');
      assert.equal((await backend().modelInfo('starcoder2:3b')).exists, true);
    });

    it('a pull of a name the registry lacks is model-not-found', async () => {
      server.set({ pullable: () => false });
      const err = await rejectionOf(backend().pull!('nonexistent:1b', () => {}, new AbortController().signal));
      assert.equal(err.kind, 'model-not-found');
      assert.match(err.message, /nonexistent:1b/);
    });

    it('a pull can be cancelled', async () => {
      server.set({ chunkDelayMs: 30, pullSteps: 50 });
      const controller = new AbortController();
      const seen: PullProgress[] = [];
      const err = await rejectionOf(backend().pull!('starcoder2:3b', p => { seen.push(p); if (seen.length === 3) controller.abort(); }, controller.signal));
      assert.ok(isAbortError(err));
      await waitFor(() => server.requestsTo('/api/pull')[0].abortedByClient);
    });

    it('streams chat messages', async () => {
      server.set({ respond: () => 'Hello there' });
      const chunks: string[] = [];
      for await (const c of backend().chat!({ model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }], maxTokens: 20, temperature: 0 }, new AbortController().signal)) chunks.push(c.text);
      assert.equal(chunks.join(''), 'Hello there');
      const [req] = server.requestsTo('/api/chat');
      assert.deepEqual(req.body.messages, [{ role: 'user', content: 'hi' }]);
      assert.equal(req.body.options.num_predict, 20);
    });
  });
});
