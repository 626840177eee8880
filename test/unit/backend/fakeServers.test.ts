// The fake servers other tests rely on: protocol details the backend tests do not already pin down.
import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { isAbortError } from '../../../src/util/abort';
import { FAKE_COMPLETION, planOutput, startFakeLlamaCpp, startFakeOllama, startFakeOpenAI } from '../../support/fakeServers';
import { baseRequest, collect, rejectionOf, waitFor } from './helpers';

describe('test support: fake servers', () => {
  it('planOutput cuts at the earliest stop string, then at the token limit', () => {
    assert.deepEqual(planOutput('a;b\nc', ['\n', ';'], 100), { text: 'a', tokens: 1, reason: 'stop', stoppingWord: ';' });
    assert.equal(planOutput('abcdefghij', [], 2).text, 'abcdefgh');
    assert.equal(planOutput('abcdefghij', [], 2).reason, 'length');
    assert.equal(planOutput('abc', undefined, -1).text, 'abc');
  });

  it('Ollama: non-streaming generate, /api/version, / and unknown paths', async () => {
    const s = await startFakeOllama({ version: '0.9.0' });
    try {
      const r = await fetch(s.url + '/api/generate', { method: 'POST', body: JSON.stringify({ model: 'qwen2.5-coder:1.5b-base', prompt: 'x', stream: false }) });
      const json = await r.json() as any;
      assert.equal(json.response, FAKE_COMPLETION);
      assert.equal(json.done, true);
      assert.equal(typeof json.eval_duration, 'number');
      assert.deepEqual(await (await fetch(s.url + '/api/version')).json(), { version: '0.9.0' });
      assert.equal(await (await fetch(s.url + '/')).text(), 'Ollama is running');
      assert.equal((await fetch(s.url + '/nope')).status, 404);
      const noTag = await fetch(s.url + '/api/show', { method: 'POST', body: JSON.stringify({ model: 'starcoder2:3b' }) });
      assert.equal(noTag.status, 200);
    } finally {
      await s.close();
    }
  });

  it('faultCount applies a fault to the next N generation requests only', async () => {
    const s = await startFakeOllama({ fault: 500, faultCount: 1 });
    try {
      const b = createBackend({ kind: 'ollama', endpoint: s.url });
      assert.equal((await rejectionOf(collect(b, baseRequest()))).status, 500);
      assert.equal((await collect(b, baseRequest())).text, FAKE_COMPLETION);
    } finally {
      await s.close();
    }
  });

  it('stall sends the first chunk and then nothing; an abort ends it and close() does not wait for it', async () => {
    const s = await startFakeLlamaCpp({ fault: 'stall', respond: () => 'abcdefgh' });
    const controller = new AbortController();
    const seen: string[] = [];
    const err = await rejectionOf((async () => {
      for await (const c of createBackend({ kind: 'llamacpp', endpoint: s.url }).stream(baseRequest(), controller.signal)) {
        seen.push(c.text);
        setTimeout(() => controller.abort(), 50);
      }
    })());
    assert.ok(isAbortError(err));
    assert.deepEqual(seen, ['abcd']);
    await waitFor(() => s.requests[0].abortedByClient);
    const started = Date.now();
    await s.close();
    assert.ok(Date.now() - started < 500);
  });

  it('close() ends a hanging request too', async () => {
    const s = await startFakeOpenAI({ fault: 'hang' });
    const pending = fetch(s.url + '/v1/completions', { method: 'POST', body: JSON.stringify({ model: 'Qwen/Qwen2.5-Coder-1.5B', prompt: 'x' }) }).catch(e => e);
    await waitFor(() => s.requests.length === 1);
    await s.close();
    assert.ok((await pending) instanceof Error);
  });

  it('llama.cpp: non-streaming /infill answers JSON with timings; /health; /v1/models', async () => {
    const s = await startFakeLlamaCpp();
    try {
      const r = await fetch(s.url + '/infill', { method: 'POST', body: JSON.stringify({ input_prefix: 'a', input_suffix: 'b' }) });
      const json = await r.json() as any;
      assert.equal(json.content, FAKE_COMPLETION);
      assert.equal(json.stop, true);
      assert.equal(typeof json.timings.predicted_ms, 'number');
      assert.deepEqual(await (await fetch(s.url + '/health')).json(), { status: 'ok' });
      const models = await (await fetch(s.url + '/v1/models')).json() as any;
      assert.equal(models.data[0].id, 'qwen2.5-coder-1.5b-q8_0.gguf');
      const noPrefix = await fetch(s.url + '/infill', { method: 'POST', body: JSON.stringify({ input_suffix: 'b' }) });
      assert.equal(noPrefix.status, 400);
    } finally {
      await s.close();
    }
  });

  it('OpenAI: refuses more than 4 stop strings like the real API', async () => {
    const s = await startFakeOpenAI();
    try {
      const r = await fetch(s.url + '/v1/completions', { method: 'POST', body: JSON.stringify({ model: 'Qwen/Qwen2.5-Coder-1.5B', prompt: 'x', stop: ['a', 'b', 'c', 'd', 'e'] }) });
      assert.equal(r.status, 400);
      assert.match(((await r.json()) as any).error.message, /maximum length 4/);
    } finally {
      await s.close();
    }
  });
});
