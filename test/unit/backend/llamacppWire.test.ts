// llama.cpp's exact answers, scripted byte for byte: the final event's figures, a stream without its final
// event, and what /props and /v1/models say about the models a server (or a router) has.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createBackend } from '../../../src/backend';
import { infillFields, LlamaCppBackend, propsPath } from '../../../src/backend/llamacpp';
import { BackendError } from '../../../src/backend/types';
import { isAbortError } from '../../../src/util/abort';
import { baseRequest, collect, rejectionOf } from './helpers';
import { sendSse, standIn, type StandIn } from './standIn';

describe('backend/llamacpp, scripted answers', () => {
  let s: StandIn;
  beforeEach(async () => { s = await standIn(); });
  afterEach(async () => { await s.close(); });
  const backend = (apiKey?: string) => createBackend({ kind: 'llamacpp', endpoint: s.url, apiKey }) as LlamaCppBackend;
  const streamOf = async (events: (string | object)[]) => {
    s.answer((_req, res) => sendSse(res, events));
    return collect(backend(), baseRequest());
  };

  it('reads the final event\'s figures: evaluated, cached, predicted, times and stop type', async () => {
    const { chunks, stats } = await streamOf([
      { content: 'a' }, { content: '' }, { content: 7 }, { content: 'b', stop: false },
      { content: 'c', stop: true, tokens_evaluated: 20, tokens_predicted: 3, stop_type: 'limit',
        timings: { prompt_n: 5, predicted_n: 4, prompt_ms: 1.5, predicted_ms: 2.5 } },
    ]);
    assert.deepEqual(chunks, ['a', 'b', 'c'], 'empty and non-text content is no chunk; the final event\'s text is kept');
    assert.deepEqual(stats, { promptTokens: 20, cachedPromptTokens: 15, generatedTokens: 4, promptMs: 1.5, generationMs: 2.5, stopReason: 'limit' });
  });

  it('falls back to what an older or terser server sends', async () => {
    const terse = await streamOf([{ content: 'x', stop: true, tokens_predicted: 3 }]);
    assert.deepEqual(terse.stats, { promptTokens: undefined, cachedPromptTokens: undefined, generatedTokens: 3, promptMs: undefined, generationMs: undefined, stopReason: undefined });
    const promptOnly = await streamOf([{ content: '', stop: true, stop_type: 7, timings: { prompt_n: 9 } }]);
    assert.equal(promptOnly.stats?.promptTokens, 9);
    assert.equal(promptOnly.stats?.cachedPromptTokens, undefined);
    assert.equal(promptOnly.stats?.stopReason, undefined);
    // More evaluated in this request than in the whole prompt cannot be a negative cache hit.
    const odd = await streamOf([{ content: '', stop: true, tokens_evaluated: 4, timings: { prompt_n: 6 } }]);
    assert.equal(odd.stats?.cachedPromptTokens, 0);
    const strings = await streamOf([{ content: '', stop: true, tokens_evaluated: '20', timings: { predicted_n: '4' } }]);
    assert.equal(strings.stats?.promptTokens, undefined);
    assert.equal(strings.stats?.generatedTokens, undefined);
  });

  it('a stream that ends without its final `stop: true` event was cut', async () => {
    s.answer((_req, res) => sendSse(res, [{ content: 'half' }]));
    const err = await rejectionOf(collect(backend(), baseRequest()));
    assert.ok(err instanceof BackendError && err.kind === 'interrupted', String(err));
    s.answer((_req, res) => sendSse(res, [{ content: 'half' }, '[DONE]']));
    assert.equal((await rejectionOf(collect(backend(), baseRequest()))).kind, 'interrupted');
  });

  it('sends the key as a Bearer token only when there is one, and the model only when named', async () => {
    s.answer((_req, res) => sendSse(res, [{ content: '', stop: true }]));
    await collect(backend('k1'), baseRequest());
    await collect(backend(), baseRequest({ model: '' }));
    assert.equal(s.seen[0].headers.authorization, 'Bearer k1');
    assert.equal(JSON.parse(s.seen[0].body).model, 'qwen2.5-coder:1.5b-base');
    assert.equal(s.seen[1].headers.authorization, undefined);
    assert.equal('model' in JSON.parse(s.seen[1].body), false);
    assert.equal('n_indent' in JSON.parse(s.seen[1].body), false);
    assert.equal('t_max_predict_ms' in JSON.parse(s.seen[1].body), false);
  });

  it('lets go of the caller\'s signal once a stream is read', async () => {
    s.answer((_req, res) => sendSse(res, [{ content: 'a', stop: true }]));
    const controller = new AbortController();
    for await (const _ of backend().stream(baseRequest(), controller.signal)) { /* drain */ }
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  describe('modelInfo', () => {
    /** Answers /props with `props` and /v1/models with `ids` (404 when undefined). */
    const serve = (props: object, ids?: string[]) => s.answer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url!.startsWith('/props')) return res.end(JSON.stringify(props));
      if (req.url === '/v1/models' && ids) return res.end(JSON.stringify({ data: ids.map(id => ({ id })) }));
      res.statusCode = 404;
      res.end('{"error":"not found"}');
    });

    it('names the loaded model by its file name, whatever the path separator', async () => {
      serve({ model_path: '/models/sub/qwen-1.5b.gguf', chat_template: '{{ messages }}' });
      assert.deepEqual(await backend().modelInfo('x'), {
        exists: true, supportsFim: undefined, template: '{{ messages }}', name: 'qwen-1.5b.gguf', available: ['qwen-1.5b.gguf'],
      });
      serve({ model_path: 'C:\\models\\coder.gguf', chat_template: '' });
      const win = await backend().modelInfo('x');
      assert.equal(win.name, 'coder.gguf');
      assert.equal(win.template, undefined, 'an empty chat template is no template');
    });

    it('in router mode, a model exists when the server lists it (or a name that contains it)', async () => {
      serve({}, ['qwen-7b', 'llama-3b']);
      const b = backend();
      assert.equal((await b.modelInfo('llama-3b')).exists, true);
      assert.equal((await b.modelInfo('qwen')).exists, true);
      assert.equal((await b.modelInfo('mistral')).exists, false);
      assert.equal((await b.modelInfo('')).exists, true, 'no model asked for: whatever is loaded');
      const info = await b.modelInfo('mistral');
      assert.equal(info.name, 'qwen-7b', 'without model_path the first listed model is the loaded one');
      assert.deepEqual(info.available, ['qwen-7b', 'llama-3b']);
      // One model behind the server: it serves it whatever the request names.
      serve({}, ['only']);
      assert.equal((await b.modelInfo('other')).exists, true);
    });

    it('leaves out ids that are not strings, and sends the key to /props too', async () => {
      s.answer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(req.url === '/v1/models' ? '{"data":[{"id":"a"},{"id":5},{}]}' : '{"model_path":"/a"}');
      });
      assert.deepEqual((await backend().modelInfo('a')).available, ['a']);
      await backend('k2').props();
      assert.equal(s.seen.at(-1)!.headers.authorization, 'Bearer k2');
    });

    it('an abort while /v1/models is pending is an abort, not a server without a list', async () => {
      s.answer((req, res) => {
        if (req.url === '/v1/models') return; // stalls
        res.setHeader('content-type', 'application/json');
        res.end('{"model_path":"/a.gguf"}');
      });
      const controller = new AbortController();
      const pending = backend().modelInfo('a', controller.signal);
      while (!s.seen.some(r => r.url === '/v1/models')) await new Promise(r => setTimeout(r, 5));
      controller.abort();
      assert.ok(isAbortError(await rejectionOf(pending)));
    });

    it('a server with neither model_path nor /v1/models knows no names', async () => {
      serve({});
      const info = await backend().modelInfo('x');
      assert.equal(info.name, undefined);
      assert.deepEqual(info.available, []);
      assert.equal(info.exists, true);
    });

    it('asks /props about the named model in router mode', async () => {
      serve({ model_path: '/m.gguf' });
      await backend().modelInfo('org/model:q4');
      assert.equal(s.seen[0].url, '/props?model=org%2Fmodel%3Aq4');
      await backend().props();
      assert.equal(s.seen.at(-1)!.url, '/props');
      assert.equal(propsPath(''), '/props');
    });
  });

  it('sends no input_extra entries when there are none, and the whole line as prompt on the first line', () => {
    const fields = infillFields({ ...baseRequest({ prefix: 'x = ' }), extra: undefined });
    assert.deepEqual(fields, { input_prefix: '', input_suffix: baseRequest().suffix, prompt: 'x = ', input_extra: [] });
  });
});
