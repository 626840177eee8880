// The OpenAI-compatible and hosted FIM backends against scripted answers: the exact request each sends (path,
// limits, stops, key), the stream_options retry, and what the model list says.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createBackend } from '../../../src/backend';
import { HOSTED_FIM_APIS } from '../../../src/backend/hostedFim';
import { BackendError, type BackendKind } from '../../../src/backend/types';
import { isAbortError } from '../../../src/util/abort';
import { baseRequest, collect, rejectionOf } from './helpers';
import { sendSse, standIn, type StandIn } from './standIn';

const DONE = [{ choices: [{ text: 'ok', finish_reason: 'stop' }] }, '[DONE]'];

describe('backend/openai and hosted FIM, scripted answers', () => {
  let s: StandIn;
  beforeEach(async () => { s = await standIn(); s.answer((_req, res) => sendSse(res, DONE)); });
  afterEach(async () => { await s.close(); });
  const make = (kind: BackendKind, path = '', apiKey?: string) => createBackend({ kind, endpoint: s.url + path, apiKey });
  const sent = (i = -1) => JSON.parse(s.seen.at(i)!.body);

  describe('openai', () => {
    it('takes the endpoint with or without /v1, and only a trailing /v1', async () => {
      await collect(make('openai', '/api/v1/'), baseRequest());
      assert.equal(s.seen[0].url, '/api/v1/completions');
      await collect(make('openai', '/v12'), baseRequest());
      assert.equal(s.seen[1].url, '/v12/v1/completions');
      assert.equal(make('openai', '/v1').endpoint, s.url);
    });

    it('sends prefix and suffix without a template, no stop list when there is none, and asks for usage', async () => {
      await collect(make('openai', '', 'sk-1'), baseRequest({ stop: [] }));
      const body = sent();
      assert.equal(body.prompt, baseRequest().prefix);
      assert.equal(body.suffix, baseRequest().suffix);
      assert.equal('stop' in body, false);
      assert.deepEqual(body.stream_options, { include_usage: true });
      assert.equal(body.stream, true);
      assert.equal(s.seen[0].headers.authorization, 'Bearer sk-1');
      await collect(make('openai'), baseRequest());
      assert.equal(s.seen[1].headers.authorization, undefined);
    });

    it('asks again without stream_options only when a 400 or 422 names it', async () => {
      const refuse = (status: number, message: string) => s.answer((_req, res, body) => {
        if (JSON.parse(body).stream_options) { res.writeHead(status, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ error: message })); }
        sendSse(res, DONE);
      });
      for (const status of [400, 422]) {
        refuse(status, 'Unrecognized field: stream_options');
        s.seen.length = 0;
        assert.equal((await collect(make('openai'), baseRequest())).text, 'ok');
        assert.equal(s.seen.length, 2);
        assert.equal('stream_options' in sent(), false);
      }
      for (const [status, message] of [[500, 'stream_options broke'], [400, 'bad temperature'], [404, 'stream_options?']] as const) {
        refuse(status, message);
        s.seen.length = 0;
        const err = await rejectionOf(collect(make('openai'), baseRequest()));
        assert.ok(err instanceof BackendError);
        assert.equal(err.status, status);
        assert.equal(s.seen.length, 1, `${status} ${message}: no second request`);
      }
    });

    it('a model the server lacks is named with the ones it has', async () => {
      s.answer((req, res) => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/v1/models') return res.end(JSON.stringify({ data: [{ id: 'a' }, { id: 7 }, { id: 'b' }] }));
        res.statusCode = 404;
        res.end('{"error":{"message":"The model `m` does not exist."}}');
      });
      const err = await rejectionOf(collect(make('openai'), baseRequest({ model: 'm' })));
      assert.equal(err.kind, 'model-not-found');
      assert.match(err.message, /has no model "m" — .* or choose one of: a, b\.$/);
      // Without a model list the message names no others.
      s.answer((_req, res) => { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":{"message":"The model `m` does not exist."}}'); });
      const bare = await rejectionOf(collect(make('openai'), baseRequest({ model: 'm' })));
      assert.match(bare.message, /has no model "m" — load it on the server or set `infill\.model` to a model the server has\.$/);
    });

    it('modelInfo: listed or not, a list that is empty or missing, and a failure that is not a 404', async () => {
      let ids: unknown = ['m', 'n'];
      let status = 200;
      s.answer((_req, res) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(status === 200 ? { data: (ids as string[]).map(id => ({ id })) } : { error: 'x' })); });
      const b = make('openai');
      assert.deepEqual(await b.modelInfo('m'), { exists: true, name: 'm', available: ['m', 'n'] });
      ids = ['m', 7, null];
      assert.deepEqual((await b.modelInfo('m')).available, ['m'], 'ids that are not strings are left out');
      ids = ['m', 'n'];
      assert.equal((await b.modelInfo('z')).exists, false);
      ids = [];
      assert.equal((await b.modelInfo('z')).exists, true, 'an empty list cannot say no');
      status = 404;
      assert.deepEqual(await b.modelInfo('z'), { exists: true, available: [] });
      status = 500;
      assert.equal((await rejectionOf(b.modelInfo('z'))).status, 500);
      // A 404 that says a model is missing is that, not a server without a model list.
      s.answer((_req, res) => { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":"model z not found"}'); });
      assert.equal((await rejectionOf(b.modelInfo('z'))).kind, 'model-not-found');
      s.answer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{}'); });
      assert.deepEqual(await b.modelInfo('z'), { exists: true, name: 'z', available: [] });
      const aborted = new AbortController();
      aborted.abort();
      const before = s.seen.length;
      assert.ok(isAbortError(await rejectionOf(b.modelInfo('z', aborted.signal))));
      assert.equal(s.seen.length, before);
    });
  });

  it('every backend lets go of the caller\'s signal once a stream is read', async () => {
    for (const kind of ['openai', 'codestral', 'deepseek'] as const) {
      const controller = new AbortController();
      for await (const _ of make(kind).stream(baseRequest(), controller.signal)) { /* drain */ }
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0, kind);
    }
  });

  describe('hosted FIM', () => {
    it('strips each API\'s own version prefix and no other', async () => {
      await collect(make('codestral', '/v1'), baseRequest());
      await collect(make('codestral', '/beta'), baseRequest());
      await collect(make('deepseek', '/beta'), baseRequest());
      await collect(make('deepseek', '/v1'), baseRequest());
      await collect(make('codestral', '/v12'), baseRequest());
      await collect(make('deepseek', '/beta2'), baseRequest());
      assert.deepEqual(s.seen.map(r => r.url), ['/v1/fim/completions', '/beta/v1/fim/completions', '/beta/completions', '/v1/beta/completions',
        '/v12/v1/fim/completions', '/beta2/beta/completions']);
    });

    it('caps max_tokens and the stop list at what each API accepts, and sends prefix and suffix as they are', async () => {
      const stops = Array.from({ length: 20 }, (_, i) => `s${i}`);
      for (const kind of ['codestral', 'deepseek'] as const) {
        const api = HOSTED_FIM_APIS[kind];
        await collect(make(kind, '', 'key'), baseRequest({ maxTokens: api.maxTokens + 1, stop: stops }));
        const body = sent();
        assert.equal(body.max_tokens, api.maxTokens);
        assert.deepEqual(body.stop, stops.slice(0, api.maxStops));
        assert.equal(body.prompt, baseRequest().prefix);
        assert.equal(body.suffix, baseRequest().suffix);
        assert.equal(body.model, baseRequest().model);
        assert.equal(body.temperature, 0.1);
        assert.equal(body.stream, true);
        assert.equal(s.seen.at(-1)!.headers.authorization, 'Bearer key');
        await collect(make(kind), baseRequest({ maxTokens: 100, stop: [] }));
        assert.equal(sent().max_tokens, 100);
        assert.equal('stop' in sent(), false);
        assert.equal(s.seen.at(-1)!.headers.authorization, undefined);
      }
      assert.deepEqual([HOSTED_FIM_APIS.codestral.maxStops, HOSTED_FIM_APIS.deepseek.maxStops], [8, 16]);
      assert.deepEqual([HOSTED_FIM_APIS.codestral.maxTokens, HOSTED_FIM_APIS.deepseek.maxTokens], [8192, 4096]);
    });

    it('modelInfo sends nothing, and an aborted signal is an abort', async () => {
      const b = make('deepseek');
      assert.deepEqual(await b.modelInfo('deepseek-chat'), { exists: true, supportsFim: true, name: 'deepseek-chat', available: [] });
      const aborted = new AbortController();
      aborted.abort();
      assert.ok(isAbortError(await rejectionOf(b.modelInfo('x', aborted.signal))));
      assert.equal(s.seen.length, 0);
    });

    it('a failure before the answer is unreachable, after it interrupted', async () => {
      s.answer((_req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write('data: {"choices":[{"text":"a"}]}\n\n'); setTimeout(() => res.destroy(), 20); });
      assert.equal((await rejectionOf(collect(make('codestral'), baseRequest()))).kind, 'interrupted');
      s.answer((req) => { req.socket.destroy(); });
      assert.equal((await rejectionOf(collect(make('codestral'), baseRequest()))).kind, 'unreachable');
    });
  });
});
