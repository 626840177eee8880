// Issue 13 row 10: Codestral's FIM API and DeepSeek's FIM beta, each against a stand-in speaking its documented format.
import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { BackendError, type BackendKind } from '../../../src/backend/types';
import { CODESTRAL_PATH, DEEPSEEK_PATH, startFakeCodestral, startFakeDeepSeek } from '../../support/fakeHostedFim';
import type { FakeServer } from '../../support/fakeServers';
import { baseRequest, closedPort, collect, rejectionOf } from './helpers';

const APIS = [
  { kind: 'codestral', start: startFakeCodestral, path: CODESTRAL_PATH, model: 'codestral-latest', versioned: '/v1' },
  { kind: 'deepseek', start: startFakeDeepSeek, path: DEEPSEEK_PATH, model: 'deepseek-chat', versioned: '/beta' },
] as const;

for (const api of APIS) {
  describe(`backend/${api.kind} against a stand-in of its FIM API`, () => {
    let server: FakeServer;
    const KEY = 'sk-test-123';
    beforeEach(async () => { server = await api.start({ apiKey: KEY, respond: () => 'a + b' }); });
    afterEach(async () => { await server.close(); });
    const backend = (apiKey: string | null = KEY, endpoint = server.url) => createBackend({ kind: api.kind as BackendKind, endpoint, apiKey: apiKey ?? undefined });
    const request = (overrides = {}) => baseRequest({ model: api.model, ...overrides });

    it(`streams prefix and suffix to ${api.path} with the key as a Bearer token, and reads the usage`, async () => {
      const { text, chunks, stats } = await collect(backend(), request());
      assert.equal(text, 'a + b');
      assert.ok(chunks.length >= 2);
      const [rec] = server.requestsTo(api.path);
      assert.equal(rec.headers.authorization, `Bearer ${KEY}`);
      assert.deepEqual(
        { model: rec.body.model, prompt: rec.body.prompt, suffix: rec.body.suffix, max_tokens: rec.body.max_tokens, stream: rec.body.stream, stop: rec.body.stop },
        { model: api.model, prompt: 'def add(a, b):\n    return ', suffix: '\n\nprint(add(1, 2))\n', max_tokens: 64, stream: true, stop: ['<|endoftext|>', '\n\n'] },
      );
      assert.equal(rec.body.raw, undefined);
      assert.equal(stats?.generatedTokens, 2);
      assert.equal(stats?.stopReason, 'stop');
    });

    it(`accepts the base URL with its ${api.versioned} prefix`, async () => {
      await collect(backend(KEY, server.url + api.versioned + '/'), request());
      assert.equal(server.requestsTo(api.path).length, 1);
    });

    it('a missing or wrong key is an auth error that says how to set it', async () => {
      for (const key of [null, 'wrong']) {
        const err = await rejectionOf(collect(backend(key), request()));
        assert.ok(err instanceof BackendError && err.kind === 'auth', String(err));
        assert.match(err.message, /HTTP 401.*Infill: Set API Key/);
      }
    });

    it('stops at the token limit the server ignores, and reports it', async () => {
      server.set({ ignoreTokenLimit: true, respond: () => 'x = 1\n'.repeat(5000) });
      const err = await rejectionOf(collect(backend(), request({ maxTokens: 16 })));
      assert.match(err.message, /ignores the token limit/);
    });

    it('a cut stream is "interrupted", a server error inside the stream is the server\'s', async () => {
      server.set({ fault: 'cut' });
      const cut = await rejectionOf(collect(backend(), request()));
      assert.equal(cut.kind, 'interrupted');
      server.set({ fault: 'stream-error', faultMessage: 'upstream overloaded' });
      const failed = await rejectionOf(collect(backend(), request()));
      assert.match(failed.message, /upstream overloaded/);
    });

    it('an unreachable API names the endpoint', async () => {
      const err = await rejectionOf(collect(backend(KEY, `http://127.0.0.1:${await closedPort()}`), request()));
      assert.ok(err instanceof BackendError && err.kind === 'unreachable');
      assert.match(err.message, new RegExp(`Cannot reach the ${api.kind === 'codestral' ? 'Codestral' : 'DeepSeek'} API at http://127\\.0\\.0\\.1`));
    });

    it('model info costs no request and says the API fills in the middle', async () => {
      const info = await backend().modelInfo(api.model);
      assert.deepEqual({ exists: info.exists, supportsFim: info.supportsFim }, { exists: true, supportsFim: true });
      assert.equal(server.requests.length, 0);
    });
  });
}

describe('backend/deepseek limits', () => {
  it('caps max_tokens at the 4K the FIM beta accepts', async () => {
    const server = await startFakeDeepSeek();
    try {
      await collect(createBackend({ kind: 'deepseek', endpoint: server.url }), baseRequest({ model: 'deepseek-chat', maxTokens: 8000 }));
      assert.equal(server.requestsTo(DEEPSEEK_PATH)[0].body.max_tokens, 4096);
    } finally {
      await server.close();
    }
  });
});
