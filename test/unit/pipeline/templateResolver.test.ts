import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { resolveTemplate, TemplateResolver } from '../../../src/pipeline/templateResolver';
import { OLLAMA_MODELS, startFakeLlamaCpp, startFakeOllama, startFakeOpenAI, type FakeServer } from '../../support/fakeServers';
import { closedPort, testConfig } from './fakes';

describe('pipeline/templateResolver', () => {
  let ollama: FakeServer;
  before(async () => { ollama = await startFakeOllama({ models: Object.values(OLLAMA_MODELS) }); });
  after(async () => { await ollama.close(); });

  const backend = () => createBackend({ kind: 'ollama', endpoint: ollama.url });

  it('detects the family from what Ollama says about the model', async () => {
    const qwen = await resolveTemplate(backend(), testConfig({ model: OLLAMA_MODELS.qwenBase.name }));
    assert.ok('template' in qwen && qwen.template.family === 'qwen' && !qwen.native);
    const star = await resolveTemplate(backend(), testConfig({ model: OLLAMA_MODELS.starcoder2.name }));
    assert.ok('template' in star && star.template.family === 'starcoder');
    const deepseek = await resolveTemplate(backend(), testConfig({ model: OLLAMA_MODELS.deepseek.name }));
    assert.ok('template' in deepseek && deepseek.template.family === 'deepseek');
  });

  it('refuses a chat-only model with one message naming what to use', async () => {
    const chat = await resolveTemplate(backend(), testConfig({ model: OLLAMA_MODELS.llamaChat.name }));
    assert.ok('error' in chat && chat.chatOnly);
    assert.match(chat.error, /chat\/instruct.*qwen2\.5-coder/);
  });

  it('reports a missing model with the ones available and how to pull it', async () => {
    const missing = await resolveTemplate(backend(), testConfig({ model: 'nope:7b' }));
    assert.ok('error' in missing && missing.kind === 'model-not-found' && !missing.chatOnly);
    assert.match(missing.error, /"nope:7b".*Available: .*qwen2\.5-coder:1\.5b-base.*ollama pull nope:7b/);
  });

  it('takes the explicit setting without asking the server', async () => {
    const before = ollama.requests.length;
    const set = await resolveTemplate(backend(), testConfig({ template: 'codellama', model: 'whatever' }));
    assert.ok('template' in set && set.template.family === 'codellama');
    assert.equal(ollama.requests.length, before);
  });

  it('remembers answers per server and model, but not an unreachable server', async () => {
    const resolver = new TemplateResolver();
    const config = testConfig({ model: OLLAMA_MODELS.qwenBase.name });
    const shows = () => ollama.requestsTo('/api/show').length;
    const start = shows();
    const [a, b] = await Promise.all([resolver.resolve(backend(), config), resolver.resolve(backend(), config)]);
    assert.deepEqual([a, b].map(r => 'template' in r && r.template.family), ['qwen', 'qwen']);
    await resolver.resolve(backend(), config);
    assert.equal(shows() - start, 1, 'one question for three callers');
    await resolver.resolve(backend(), testConfig({ model: OLLAMA_MODELS.starcoder2.name }));
    assert.equal(shows() - start, 2);
    resolver.invalidate();
    await resolver.resolve(backend(), config);
    assert.equal(shows() - start, 3);

    const down = createBackend({ kind: 'ollama', endpoint: `http://127.0.0.1:${await closedPort()}` });
    const first = await resolver.resolve(down, config);
    assert.ok('error' in first && first.kind === 'unreachable');
    assert.match(first.error, /Cannot reach Ollama/);
    // Not remembered: a server started later is seen at once (the entry is gone).
    assert.ok('error' in (await resolver.resolve(down, config)));
  });

  it('stops waiting when the caller aborts, without failing others', async () => {
    const resolver = new TemplateResolver();
    ollama.set({ chunkDelayMs: 0 });
    const caller = new AbortController();
    const config = testConfig({ model: OLLAMA_MODELS.starcoder2.name });
    const waiting = resolver.resolve(backend(), config, caller.signal);
    const other = resolver.resolve(backend(), config);
    caller.abort();
    await assert.rejects(waiting, (err: Error) => err.name === 'AbortError');
    const result = await other;
    assert.ok('template' in result && result.template.family === 'starcoder');
  });

  it('uses llama.cpp natively, with the family from the model file name', async () => {
    const llama = await startFakeLlamaCpp({ modelPath: '/models/qwen2.5-coder-1.5b-q8_0.gguf' });
    try {
      const result = await resolveTemplate(createBackend({ kind: 'llamacpp', endpoint: llama.url }), testConfig({ backend: 'llamacpp', model: '' }));
      assert.ok('template' in result && result.native === true && result.template.family === 'qwen');
    } finally {
      await llama.close();
    }
  });

  it('withdraws a stalled lookup when its last caller gives up, and asks again on the next request (issue 13 row 2)', async () => {
    const stalled = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], fault: 'stall', faultPaths: ['/api/show'], faultCount: 1 });
    try {
      const resolver = new TemplateResolver();
      const config = testConfig({ model: OLLAMA_MODELS.qwenBase.name });
      const server = createBackend({ kind: 'ollama', endpoint: stalled.url });
      const first = new AbortController();
      const second = new AbortController();
      const waits = [resolver.resolve(server, config, first.signal), resolver.resolve(server, config, second.signal)];
      while (!stalled.requestsTo('/api/show').length) await new Promise(r => setTimeout(r, 5));
      first.abort();
      await assert.rejects(waits[0], (err: Error) => err.name === 'AbortError');
      assert.equal(stalled.requestsTo('/api/show')[0].abortedByClient, false, 'still wanted by the second caller');
      second.abort();
      await assert.rejects(waits[1], (err: Error) => err.name === 'AbortError');
      const rec = stalled.requestsTo('/api/show')[0];
      while (!rec.abortedByClient) await new Promise(r => setTimeout(r, 5));
      // The server has recovered (the fault was for one request): the next request asks again and succeeds.
      const result = await resolver.resolve(server, config, new AbortController().signal);
      assert.ok('template' in result && result.template.family === 'qwen', JSON.stringify(result));
      assert.equal(stalled.requestsTo('/api/show').length, 2);
    } finally {
      await stalled.close();
    }
  });
});

describe('pipeline/templateResolver: what each backend is sent (issue 13 row 11)', () => {
  it('an OpenAI-compatible server gets Infill\'s own template, never the server-side FIM layout', async () => {
    const server = await startFakeOpenAI({ models: [{ name: 'my-team/finetuned-7b' }, { name: 'Qwen/Qwen2.5-Coder-1.5B' }] });
    try {
      const known = await resolveTemplate(createBackend({ kind: 'openai', endpoint: server.url }), testConfig({ backend: 'openai', model: 'Qwen/Qwen2.5-Coder-1.5B' }));
      assert.ok('template' in known && known.native === false && known.template.family === 'qwen');
      const set = await resolveTemplate(createBackend({ kind: 'openai', endpoint: server.url }), testConfig({ backend: 'openai', model: 'my-team/finetuned-7b', template: 'starcoder' }));
      assert.ok('template' in set && set.native === false);
    } finally {
      await server.close();
    }
  });

  it('vLLM/TGI with an id that names no family: says so, and uses the family chosen once for this endpoint and model', async () => {
    const server = await startFakeOpenAI({ models: [{ name: 'my-team/finetuned-7b' }] });
    try {
      const backend = createBackend({ kind: 'openai', endpoint: server.url });
      const config = testConfig({ backend: 'openai', model: 'my-team/finetuned-7b' });
      const unknown = await resolveTemplate(backend, config);
      assert.ok('error' in unknown && unknown.familyUnknown === true && !unknown.chatOnly, JSON.stringify(unknown));
      assert.match(unknown.error, /Infill: Check Setup/);
      const chosen = new Map([[`${backend.endpoint} my-team/finetuned-7b`, 'starcoder' as const]]);
      const memory = { get: (endpoint: string, model: string) => chosen.get(`${endpoint} ${model}`) };
      const resolver = new TemplateResolver(Date.now, memory);
      const remembered = await resolver.resolve(backend, config);
      assert.ok('template' in remembered && remembered.template.family === 'starcoder' && remembered.native === false, JSON.stringify(remembered));
      // Another model on the same server is not affected.
      const other = await resolveTemplate(backend, testConfig({ backend: 'openai', model: 'my-team/other' }), undefined, memory);
      assert.ok('error' in other);
      // An explicit infill.template still wins.
      const set = await resolveTemplate(backend, { ...config, template: 'qwen' }, undefined, memory);
      assert.ok('template' in set && set.template.family === 'qwen');
    } finally {
      await server.close();
    }
  });
});
