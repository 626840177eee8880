// Issue 13, the network rows: servers that redirect, stall, ignore the token limit or sit behind credentials,
// Ollama's keep_alive parsing and llama.cpp's router mode, each against a local stand-in speaking the real format.
import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { METADATA_DEADLINE_MS } from '../../../src/backend/http';
import { streamLimits } from '../../../src/backend/limits';
import { keepAliveForOllama } from '../../../src/backend/ollama';
import { BackendError, type BackendKind } from '../../../src/backend/types';
import { maskCredentials, splitCredentials } from '../../../src/util/url';
import {
  OLLAMA_MODELS, ollamaKeepAliveError, startFakeLlamaCpp, startFakeOllama, startFakeOpenAI, type FakeServer, type FakeServerOptions,
} from '../../support/fakeServers';
import { baseRequest, closedPort, collect, rejectionOf } from './helpers';

const STARTERS: Record<'ollama' | 'llamacpp' | 'openai', (o?: FakeServerOptions) => Promise<FakeServer>> = {
  ollama: startFakeOllama,
  llamacpp: startFakeLlamaCpp,
  openai: startFakeOpenAI,
};
const KINDS = Object.keys(STARTERS) as ('ollama' | 'llamacpp' | 'openai')[];
const MODEL_OF: Record<string, string> = { ollama: OLLAMA_MODELS.qwenBase.name, llamacpp: 'qwen2.5-coder-1.5b-q8_0.gguf', openai: 'Qwen/Qwen2.5-Coder-1.5B' };
/** A request each backend sends with its default prompt mode (Ollama native, llama.cpp /infill, OpenAI templated). */
const requestFor = (kind: BackendKind, overrides = {}) =>
  baseRequest({ model: MODEL_OF[kind], ...(kind === 'openai' ? { prompt: '<|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>' } : {}), ...overrides });

describe('backend against hostile servers (issue 13)', () => {
  const servers: FakeServer[] = [];
  const start = async (kind: keyof typeof STARTERS, opts: FakeServerOptions = {}) => {
    const server = await STARTERS[kind]({ ...(kind === 'ollama' ? { models: [OLLAMA_MODELS.qwenBase] } : {}), ...opts });
    servers.push(server);
    return server;
  };
  afterEach(async () => { await Promise.all(servers.splice(0).map(s => s.close())); });

  describe('row 1: redirects are never followed', () => {
    for (const kind of KINDS) {
      for (const status of [301, 302, 307, 308]) {
        it(`${kind}: a ${status} to another origin fails naming the target, and the target gets no request`, async () => {
          const target = await start(kind);
          const hostile = await start(kind, { redirectTo: target.url.replace('127.0.0.1', 'localhost'), redirectStatus: status });
          const err = await rejectionOf(collect(createBackend({ kind, endpoint: hostile.url }), requestFor(kind)));
          assert.ok(err instanceof BackendError, String(err));
          assert.match(err.message, new RegExp(`redirected the request \\(HTTP ${status}\\) to http://localhost:\\d+/`));
          assert.match(err.message, /does not follow redirects/);
          assert.equal(target.requests.length, 0, 'the redirect target saw none of the code');
          const info = await rejectionOf(createBackend({ kind, endpoint: hostile.url }).modelInfo('m'));
          assert.match(info.message, /redirected/);
          assert.equal(target.requests.length, 0);
        });
      }
    }
  });

  describe('row 2: metadata requests are bounded', () => {
    const metadataPath = { ollama: '/api/show', llamacpp: '/props', openai: '/v1/models' } as const;
    for (const kind of KINDS) {
      it(`${kind}: a stalled ${metadataPath[kind]} body stops when the caller's signal fires`, async () => {
        const server = await start(kind, { fault: 'stall', faultPaths: [metadataPath[kind], '/api/tags'] });
        const controller = new AbortController();
        const pending = createBackend({ kind, endpoint: server.url }).modelInfo('qwen2.5-coder:1.5b-base', controller.signal);
        while (!server.requestsTo(metadataPath[kind]).length) await new Promise(r => setTimeout(r, 5));
        controller.abort();
        const err = await rejectionOf(pending);
        assert.equal(err.name, 'AbortError');
        const rec = server.requestsTo(metadataPath[kind])[0];
        while (!rec.abortedByClient) await new Promise(r => setTimeout(r, 5));
      });
    }
    it('a metadata answer has a deadline for its body, not only for its headers', () => {
      assert.ok(METADATA_DEADLINE_MS > 0 && METADATA_DEADLINE_MS <= 15_000);
    });
  });

  describe('row 3: keep_alive as Ollama parses it', () => {
    it('sends numbers as numbers and durations as strings, which Ollama accepts', async () => {
      const server = await start('ollama');
      for (const [setting, sent] of [['-1', -1], ['0', 0], ['300', 300], ['30m', '30m'], ['1h30m', '1h30m']] as const) {
        await collect(createBackend({ kind: 'ollama', endpoint: server.url }), requestFor('ollama', { keepAlive: setting }));
        assert.deepEqual(server.requestsTo('/api/generate').at(-1)!.body.keep_alive, sent);
      }
    });
    it('the stand-in refuses what Go refuses ("-1" as a string), so the test above can fail', () => {
      assert.equal(ollamaKeepAliveError('-1'), 'time: missing unit in duration "-1"');
      assert.equal(ollamaKeepAliveError(-1), undefined);
      assert.equal(ollamaKeepAliveError('5m'), undefined);
      assert.deepEqual(['-1', '2.5', '5m', ' 10s '].map(keepAliveForOllama), [-1, 2.5, '5m', '10s']);
    });
  });

  describe('row 5: a server that ignores the token limit is stopped', () => {
    for (const kind of KINDS) {
      it(`${kind}: a 10 MB single token is refused, not shown`, async function () {
        this.timeout(30_000); // 10 MB through JSON on a busy machine; the outcome is tested, not the time
        const huge = 'x'.repeat(10 * 1024 * 1024);
        const server = await start(kind, { ignoreTokenLimit: true, respond: () => huge, chunkChars: huge.length });
        const err = await rejectionOf(collect(createBackend({ kind, endpoint: server.url }), requestFor(kind, { maxTokens: 64 })));
        assert.ok(err instanceof BackendError && err.kind === 'malformed', String(err));
        assert.match(err.message, /more than \d+ characters for a 64-token limit: it ignores the token limit/);
      });
      it(`${kind}: an endless stream of short lines is cut at the line limit and the connection closed`, async () => {
        const lines = 'a\n'.repeat(100_000);
        const server = await start(kind, { ignoreTokenLimit: true, respond: () => lines, chunkChars: 2 });
        const seen: string[] = [];
        const backend = createBackend({ kind, endpoint: server.url });
        const err = await rejectionOf((async () => { for await (const c of backend.stream(requestFor(kind, { maxTokens: 16 }), new AbortController().signal)) seen.push(c.text); })());
        assert.match(err.message, /more than 48 lines for a 16-token limit/);
        assert.ok(seen.join('').split('\n').length <= streamLimits(16).maxLines + 1);
        const rec = server.requests.at(-1)!;
        while (!rec.abortedByClient) await new Promise(r => setTimeout(r, 5));
      });
    }
    it('the limits grow with maxTokens and leave room for long whitespace tokens', () => {
      assert.deepEqual(streamLimits(64), { maxChars: 64 * 32 + 256, maxLines: 64 * 2 + 16 });
      assert.ok(streamLimits(384).maxChars > streamLimits(64).maxChars);
    });
  });

  describe('row 7: credentials in the endpoint are never printed', () => {
    it('masks user and password in any text, and moves them into an Authorization header', () => {
      assert.equal(maskCredentials('Cannot reach http://alice:s3cret@host:1/x and https://tok@h/'), 'Cannot reach http://***@host:1/x and https://***@h/');
      assert.deepEqual(splitCredentials('http://alice:s3cret@host:8080/'), { endpoint: 'http://host:8080', authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` });
      assert.deepEqual(splitCredentials('http://host:8080'), { endpoint: 'http://host:8080' });
    });
    for (const kind of KINDS) {
      it(`${kind}: sends the credentials as Basic auth and never echoes them`, async () => {
        const server = await start(kind);
        const withCredentials = server.url.replace('http://', 'http://alice:s3cret@');
        const backend = createBackend({ kind, endpoint: withCredentials });
        assert.equal(backend.endpoint.includes('s3cret'), false);
        await collect(backend, requestFor(kind));
        assert.equal(server.requests.at(-1)!.headers.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
        const down = createBackend({ kind, endpoint: `http://alice:s3cret@127.0.0.1:${await closedPort()}` });
        const err = await rejectionOf(collect(down, requestFor(kind)));
        assert.match(err.message, /Cannot reach/);
        assert.doesNotMatch(err.message + String(err.cause?.message ?? ''), /s3cret/);
        const infoErr = await rejectionOf(down.modelInfo('m'));
        assert.doesNotMatch(infoErr.message, /s3cret/);
      });
    }
  });

  describe('row 9: llama.cpp router mode', () => {
    const models = [{ name: 'qwen-coder-1.5b', fim: true }, { name: 'starcoder2-3b', fim: true }];
    it('names the model in the /infill body and on /props', async () => {
      const server = await start('llamacpp', { router: true, models, respond: () => 'a + b' });
      const backend = createBackend({ kind: 'llamacpp', endpoint: server.url });
      const { text } = await collect(backend, baseRequest({ model: 'starcoder2-3b' }));
      assert.equal(text, 'a + b');
      assert.equal(server.requestsTo('/infill')[0].body.model, 'starcoder2-3b');
      const info = await backend.modelInfo('starcoder2-3b');
      assert.equal(info.exists, true);
      assert.equal(server.requestsTo('/props')[0].query, 'model=starcoder2-3b');
      assert.equal(info.name, 'starcoder2-3b');
    });
    it('templated prompts to /completion name the model too', async () => {
      const server = await start('llamacpp', { router: true, models });
      await collect(createBackend({ kind: 'llamacpp', endpoint: server.url }), baseRequest({ model: 'qwen-coder-1.5b', prompt: '<|fim_prefix|>x' }));
      assert.equal(server.requestsTo('/completion')[0].body.model, 'qwen-coder-1.5b');
    });
  });

  it('a closed port stays "unreachable" (the redirect and deadline changes keep plain failures as they were)', async () => {
    const err = await rejectionOf(collect(createBackend({ kind: 'openai', endpoint: `http://127.0.0.1:${await closedPort()}` }), requestFor('openai')));
    assert.ok(err instanceof BackendError && err.kind === 'unreachable');
  });
});
