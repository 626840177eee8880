// Ollama against scripted NDJSON answers: the request body each setting gives, the final part's figures, what
// /api/show and /api/tags say, pull progress, and chat.
import * as assert from 'node:assert/strict';
import type * as http from 'node:http';
import { createBackend } from '../../../src/backend';
import { keepAliveForOllama } from '../../../src/backend/ollama';
import { BackendError, type PullProgress } from '../../../src/backend/types';
import { baseRequest, collect, rejectionOf, waitFor } from './helpers';
import { standIn, type StandIn } from './standIn';

function sendNdjson(res: http.ServerResponse, parts: object[]): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const p of parts) res.write(JSON.stringify(p) + '\n');
  res.end();
}

const DONE = { response: '', done: true };

describe('backend/ollama, scripted answers', () => {
  let s: StandIn;
  beforeEach(async () => { s = await standIn(); s.answer((_req, res) => sendNdjson(res, [{ response: 'ok', done: false }, DONE])); });
  afterEach(async () => { await s.close(); });
  const backend = () => createBackend({ kind: 'ollama', endpoint: s.url });
  const sent = (i = -1) => JSON.parse(s.seen.at(i)!.body);

  it('sends keep_alive as Ollama parses it, and none when unset', async () => {
    const cases: [string, string | number][] = [[' 300 ', 300], ['-1', -1], ['+5', 5], ['1.5', 1.5], ['1.25', 1.25], ['1.', '1.'], ['5m', '5m'], ['x5', 'x5'], ['5x', '5x']];
    for (const [value, expected] of cases) assert.equal(keepAliveForOllama(value), expected, value);
    await collect(backend(), baseRequest({ keepAlive: '-1' }));
    assert.equal(sent().keep_alive, -1);
    await collect(backend(), baseRequest());
    assert.equal('keep_alive' in sent(), false);
  });

  it('sends prefix and suffix natively, our template raw, and the options', async () => {
    await collect(backend(), baseRequest());
    assert.deepEqual(sent(), {
      model: 'qwen2.5-coder:1.5b-base', stream: true, prompt: baseRequest().prefix, suffix: baseRequest().suffix,
      options: { num_predict: 64, temperature: 0.1, stop: ['<|endoftext|>', '\n\n'] },
    });
    await collect(backend(), baseRequest({ prompt: '<PRE>x<SUF>' }));
    assert.equal(sent().raw, true);
    assert.equal(sent().prompt, '<PRE>x<SUF>');
    assert.equal('suffix' in sent(), false);
  });

  it('reads the final part\'s figures, in milliseconds, and keeps its text', async () => {
    s.answer((_req, res) => sendNdjson(res, [{ response: 'a', done: false }, { response: '', done: false },
      { response: 'b', done: true, prompt_eval_count: 10, eval_count: 3, load_duration: 2e6, prompt_eval_duration: 0, eval_duration: 7.5e6, done_reason: 'stop' }]));
    const { chunks, stats } = await collect(backend(), baseRequest());
    assert.deepEqual(chunks, ['a', 'b']);
    assert.deepEqual(stats, { promptTokens: 10, generatedTokens: 3, loadMs: 2, promptMs: 0, generationMs: 7.5, stopReason: 'stop' });
    s.answer((_req, res) => sendNdjson(res, [{ done: true, prompt_eval_count: '10', eval_count: '3', load_duration: -1, eval_duration: 'x', done_reason: 1 }]));
    const odd = await collect(backend(), baseRequest());
    assert.deepEqual(odd.chunks, ['']);
    assert.deepEqual(odd.stats, { promptTokens: undefined, generatedTokens: undefined, loadMs: undefined, promptMs: undefined, generationMs: undefined, stopReason: undefined });
  });

  describe('modelInfo', () => {
    const serve = (show: object | undefined, tags: unknown) => s.answer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/show' && show) return res.end(JSON.stringify(show));
      if (req.url === '/api/tags' && tags !== undefined) return res.end(JSON.stringify(tags));
      res.statusCode = 500;
      res.end('{"error":"broken"}');
    });

    it('tells FIM support by the capabilities, else by the template\'s .Suffix, else not at all', async () => {
      serve({ capabilities: ['completion'], template: '{{ .Suffix }}' }, { models: [] });
      assert.equal((await backend().modelInfo('m')).supportsFim, false, 'capabilities win over the template');
      serve({ capabilities: ['completion', 'insert'] }, { models: [] });
      assert.equal((await backend().modelInfo('m')).supportsFim, true);
      serve({ template: '<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>' }, { models: [] });
      assert.equal((await backend().modelInfo('m')).supportsFim, true);
      serve({ template: '{{ .Prompt }}' }, { models: [] });
      assert.equal((await backend().modelInfo('m')).supportsFim, false);
      serve({ template: 42, capabilities: 'insert', details: { family: '' } }, { models: [] });
      const bare = await backend().modelInfo('m');
      assert.equal(bare.supportsFim, undefined);
      assert.equal(bare.template, undefined);
      assert.equal(bare.family, undefined);
      assert.equal(bare.name, 'm');
    });

    it('an /api/show answer that is not JSON is malformed, and says so', async () => {
      s.answer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(req.url === '/api/show' ? 'oops' : '{"models":[]}'); });
      const err = await rejectionOf(backend().modelInfo('m'));
      assert.equal(err.kind, 'malformed');
      assert.match(err.message, /could not read \(the answer is not JSON \(.+\)\)/);
    });

    it('lists only the names /api/tags gives as strings, and none when it fails', async () => {
      serve({ details: { family: 'qwen2' } }, { models: [{ name: 'a:1b' }, { name: 3 }, { model: 'no-name' }, { name: 'b:7b' }] });
      const info = await backend().modelInfo('a:1b');
      assert.deepEqual(info.available, ['a:1b', 'b:7b']);
      assert.equal(info.family, 'qwen2');
      assert.equal(info.exists, true);
      serve({}, {});
      assert.deepEqual((await backend().modelInfo('a:1b')).available, []);
      serve({}, undefined);
      assert.deepEqual((await backend().modelInfo('a:1b')).available, []);
    });

    it('a missing model during a completion is named with the models Ollama has', async () => {
      s.answer((req, res) => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/api/tags') return res.end(JSON.stringify({ models: [{ name: 'x:1b' }] }));
        res.statusCode = 404;
        res.end(JSON.stringify({ error: "model 'q' not found" }));
      });
      const err = await rejectionOf(collect(backend(), baseRequest({ model: 'q' })));
      assert.equal(err.kind, 'model-not-found');
      assert.match(err.message, /run `ollama pull q` or choose one of: x:1b\.$/);
    });
  });

  describe('pull and chat', () => {
    it('passes progress on with missing figures as undefined, and stops at success', async () => {
      s.answer((_req, res) => sendNdjson(res, [{ status: 'pulling manifest' }, { status: 'downloading', completed: null, total: 10 },
        { status: 'downloading', completed: 5, total: 10 }, { status: 'success' }, { status: 'after success' }]));
      const seen: PullProgress[] = [];
      await backend().pull!('m', p => seen.push(p), new AbortController().signal);
      assert.deepEqual(seen, [
        { status: 'pulling manifest', completed: undefined, total: undefined },
        { status: 'downloading', completed: undefined, total: 10 },
        { status: 'downloading', completed: 5, total: 10 },
        { status: 'success', completed: undefined, total: undefined },
      ]);
    });

    it('a registry without the name is model-not-found; other failures stay as they are', async () => {
      for (const message of ['pull model manifest: file does not exist', 'manifest unknown']) {
        s.answer((_req, res) => { res.writeHead(500, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: message })); });
        const err = await rejectionOf(backend().pull!('nope:1b', () => {}, new AbortController().signal));
        assert.equal(err.kind, 'model-not-found', message);
        assert.equal(err.message, 'Ollama could not find "nope:1b" in its registry — check the name on https://ollama.com/library (for completions try qwen2.5-coder:1.5b-base).');
      }
      s.answer((_req, res) => { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":"disk full"}'); });
      const other = await rejectionOf(backend().pull!('m', () => {}, new AbortController().signal));
      assert.ok(other instanceof BackendError);
      assert.equal(other.kind, 'http');
      assert.match(other.message, /disk full/);
    });

    it('a consumer that stops reading a pull or a chat early closes the connection', async () => {
      let closed = 0;
      s.answer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.on('close', () => { closed++; });
        const part = req.url === '/api/pull' ? { status: 'downloading', completed: 1, total: 9 } : { message: { content: 'x' }, done: false };
        const timer = setInterval(() => res.write(JSON.stringify(part) + '\n'), 5);
        res.on('close', () => clearInterval(timer));
      });
      const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 20, temperature: 0 };
      for await (const _ of backend().chat!(request, new AbortController().signal)) break;
      await waitFor(() => closed === 1);
      // pull has no early stop of its own: a progress callback that throws is one.
      await rejectionOf(backend().pull!('m', () => { throw new Error('enough'); }, new AbortController().signal));
      await waitFor(() => closed === 2);
    });

    it('a failed chat request is a BackendError with the server\'s text', async () => {
      s.answer((_req, res) => { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":"chat template broken"}'); });
      const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 20, temperature: 0 };
      const err = await rejectionOf((async () => { for await (const _ of backend().chat!(request, new AbortController().signal)) { /* drain */ } })());
      assert.ok(err instanceof BackendError);
      assert.match(err.message, /chat template broken/);
    });

    it('chat sends stop and keep_alive only when given, and reads the final figures', async () => {
      s.answer((_req, res) => sendNdjson(res, [{ message: { content: 'Hi' }, done: false }, { message: {}, done: false }, { done: false },
        { message: { content: '!' }, done: true, eval_count: 2 }]));
      const chunks: { text: string; stats?: unknown }[] = [];
      const request = { model: 'llama3.2:1b', messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 20, temperature: 0 };
      for await (const c of backend().chat!(request, new AbortController().signal)) chunks.push(c);
      assert.deepEqual(chunks.map(c => c.text), ['Hi', '!']);
      assert.equal((chunks[1].stats as { generatedTokens: number }).generatedTokens, 2);
      assert.deepEqual(sent().options, { num_predict: 20, temperature: 0 });
      assert.equal('keep_alive' in sent(), false);
      for await (const _ of backend().chat!({ ...request, stop: ['\n'], keepAlive: '10m' }, new AbortController().signal)) { /* drain */ }
      assert.deepEqual(sent().options.stop, ['\n']);
      assert.equal(sent().keep_alive, '10m');
      assert.equal(sent().stream, true);
    });
  });
});
