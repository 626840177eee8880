// openRequest / requestJson against a bare stand-in on 127.0.0.1: what goes on the wire (method, headers, body,
// which URL), how each status range is read, and which wait a stalled server runs into.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import type { ServerRef } from '../../../src/backend/errors';
import { openRequest, requestJson } from '../../../src/backend/http';
import { BackendError } from '../../../src/backend/types';
import { isAbortError } from '../../../src/util/abort';
import { closedPort, rejectionOf } from './helpers';
import { standIn, type Answer, type StandIn } from './standIn';

describe('backend/http', () => {
  let s: StandIn;
  let server: ServerRef;
  beforeEach(async () => { s = await standIn(); server = { kind: 'openai', endpoint: s.url }; });
  afterEach(async () => { await s.close(); });

  it('sends a GET without a body or content type, and a POST with its JSON body', async () => {
    assert.deepEqual(await requestJson(server, '/v1/models', {}), { ok: true });
    const get = s.seen[0];
    assert.equal(get.method, 'GET');
    assert.equal(get.url, '/v1/models');
    assert.equal(get.headers['content-type'], undefined);
    assert.equal(get.headers.accept, 'application/json, application/x-ndjson, text/event-stream');
    assert.equal(get.headers.authorization, undefined);
    assert.equal(get.body, '');

    await requestJson(server, '/v1/completions', { body: { prompt: 'x', n: 1 } });
    const post = s.seen[1];
    assert.equal(post.method, 'POST');
    assert.equal(post.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(post.body), { prompt: 'x', n: 1 });
  });

  it('sends a string body as it is, an explicit method, and the caller\'s headers over the defaults', async () => {
    const withAuth = { ...server, authorization: 'Basic YTpi' };
    await requestJson(withAuth, '/raw', { body: '{"already":"json"}', headers: { Accept: 'text/plain', 'X-Extra': '1' } });
    const raw = s.seen[0];
    assert.equal(raw.body, '{"already":"json"}');
    assert.equal(raw.headers.accept, 'text/plain');
    assert.equal(raw.headers['x-extra'], '1');
    assert.equal(raw.headers.authorization, 'Basic YTpi');
    // A key in the headers wins over the endpoint's credentials.
    await requestJson(withAuth, '/raw', { headers: { Authorization: 'Bearer k' } });
    assert.equal(s.seen[1].headers.authorization, 'Bearer k');
    await requestJson(server, '/empty-post', { method: 'POST' });
    assert.equal(s.seen[2].method, 'POST');
    assert.equal(s.seen[2].headers['content-type'], undefined);
  });

  it('leaves no listener on the caller\'s signal once a request is done', async () => {
    const controller = new AbortController();
    await requestJson(server, '/x', {}, controller.signal);
    const opened = await openRequest(server, '/y', {}, controller.signal);
    await opened.response.text();
    opened.close();
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('treats only a path that starts with a scheme as an absolute URL', async () => {
    await requestJson(server, '/proxy?to=http://elsewhere', {});
    assert.equal(s.seen[0].url, '/proxy?to=http://elsewhere');
  });

  it('a zero or negative timeout or deadline means none', async () => {
    assert.deepEqual(await requestJson({ ...server, connectTimeoutMs: -1 }, '/x', { deadlineMs: 0 }), { ok: true });
    assert.deepEqual(await requestJson({ ...server, connectTimeoutMs: 0 }, '/x', { deadlineMs: -5 }), { ok: true });
  });

  it('a failure that is no timeout does not claim one', async () => {
    const closed: ServerRef = { kind: 'openai', endpoint: `http://127.0.0.1:${await closedPort()}` };
    const err = await rejectionOf(requestJson(closed, '/x', {}));
    assert.equal(err.kind, 'unreachable');
    assert.doesNotMatch(err.message, /no answer within/);
  });

  it('a body cut after the headers is interrupted, not a timeout', async () => {
    s.answer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }); res.write('{"ok":'); setTimeout(() => res.destroy(), 20); });
    const err = await rejectionOf(requestJson(server, '/props', {}));
    assert.equal(err.kind, 'interrupted');
  });

  it('an error body that breaks off leaves the status text, and an abort while reading it stays an abort', async () => {
    s.answer((_req, res) => { res.writeHead(500, 'Broken', { 'content-length': '100' }); res.write('{"error":'); setTimeout(() => res.destroy(), 20); });
    assert.equal((await rejectionOf(requestJson(server, '/x', {}))).message, 'The OpenAI-compatible server answered HTTP 500: Broken.');
    s.answer((_req, res) => { res.writeHead(500, 'Broken', { 'content-length': '100' }); res.write('{"error":'); });
    const controller = new AbortController();
    const pending = requestJson(server, '/x', {}, controller.signal);
    while (s.seen.length < 2) await new Promise(r => setTimeout(r, 5));
    await new Promise(r => setTimeout(r, 20));
    controller.abort();
    assert.ok(isAbortError(await rejectionOf(pending)));
  });

  it('uses an absolute URL as given, not under the endpoint', async () => {
    const elsewhere: ServerRef = { kind: 'ollama', endpoint: `http://127.0.0.1:${await closedPort()}` };
    assert.deepEqual(await requestJson(elsewhere, `${s.url}/abs`, {}), { ok: true });
    assert.equal(s.seen[0].url, '/abs');
    assert.deepEqual(await requestJson(elsewhere, `HTTP://127.0.0.1:${new URL(s.url).port}/upper`, {}), { ok: true });
    assert.equal(s.seen[1].url, '/upper');
  });

  it('reads every 3xx as a redirect, and 2xx and 4xx as they are', async () => {
    let status = 300;
    s.answer((_req, res) => { res.statusCode = status; res.end(status < 300 ? '{"n":1}' : ''); });
    for (status of [300, 304, 399]) {
      const err = await rejectionOf(requestJson(server, '/x', {}));
      assert.ok(err instanceof BackendError);
      assert.equal(err.status, status);
      assert.match(err.message, new RegExp(`redirected the request \\(HTTP ${status}\\) to an address it did not give`));
    }
    status = 400;
    const bad = await rejectionOf(requestJson(server, '/x', {}));
    assert.equal(bad.status, 400);
    assert.doesNotMatch(bad.message, /redirected/);
    status = 299;
    assert.deepEqual(await requestJson(server, '/x', {}), { n: 1 });
  });

  it('names the status text when an error body is empty, and the body\'s message when there is one', async () => {
    s.answer((_req, res) => { res.writeHead(500, 'Engine Overheated'); res.end(); });
    assert.equal((await rejectionOf(requestJson(server, '/x', {}))).message, 'The OpenAI-compatible server answered HTTP 500: Engine Overheated.');
    s.answer((_req, res) => { res.writeHead(500, 'Engine Overheated'); res.end('{"error":"out of memory"}'); });
    assert.equal((await rejectionOf(requestJson(server, '/x', {}))).message, 'The OpenAI-compatible server answered HTTP 500: out of memory.');
    s.answer((_req, res) => { res.writeHead(404); res.end('{"error":"model \\"m\\" not found"}'); });
    assert.equal((await rejectionOf(requestJson(server, '/x', { model: 'm' }))).kind, 'model-not-found');
  });

  it('sends nothing for a signal that already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    assert.ok(isAbortError(await rejectionOf(openRequest(server, '/x', {}, controller.signal))));
    assert.equal(s.seen.length, 0);
  });

  it('reports a body that is not JSON with the path and an excerpt', async () => {
    s.answer((_req, res) => { res.end('<html>hello</html>'); });
    const err = await rejectionOf(requestJson(server, '/props', {}));
    assert.equal(err.kind, 'malformed');
    assert.match(err.message, /\(expected JSON from \/props, got "<html>hello<\/html>"\)/);
  });

  describe('waits', () => {
    const silent: Answer = () => { /* never answers */ };
    const stalledBody: Answer = (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"ok":'); };
    const waitIn = async (p: Promise<unknown>) => (await rejectionOf(p)).message.match(/no answer within (\d+) ms/)?.[1];

    it('times the headers by the shorter of the connect timeout and the deadline', async () => {
      s.answer(silent);
      assert.equal(await waitIn(openRequest({ ...server, connectTimeoutMs: 40 }, '/x', { deadlineMs: 60_000 })), '40');
      assert.equal(await waitIn(openRequest({ ...server, connectTimeoutMs: 60_000 }, '/x', { deadlineMs: 40 })), '40');
      assert.equal(await waitIn(openRequest(server, '/x', { deadlineMs: 40 })), '40', 'a deadline alone times the headers too');
      assert.equal(await waitIn(openRequest({ ...server, connectTimeoutMs: 40 }, '/x', {})), '40');
      const err = await rejectionOf(openRequest({ ...server, connectTimeoutMs: 40 }, '/x', {}));
      assert.equal(err.kind, 'unreachable');
    });

    it('bounds a metadata body by the deadline, and a stream body not at all', async () => {
      s.answer(stalledBody);
      // Headers come at once; the 300 ms deadline then runs out on the body.
      const err = await rejectionOf(requestJson({ ...server, connectTimeoutMs: 60_000 }, '/props', { deadlineMs: 300 }));
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /\(no answer within 300 ms\)/);
      // Without a deadline only the headers are timed: the stalled body is the caller's to stop.
      const opened = await openRequest({ ...server, connectTimeoutMs: 30 }, '/stream', {});
      await new Promise(r => setTimeout(r, 80));
      assert.equal(opened.timedOut(), false);
      opened.close();
      opened.close(); // twice is harmless
    });

    it('a caller\'s abort while the body stalls stays an abort', async () => {
      s.answer(stalledBody);
      const controller = new AbortController();
      const pending = requestJson(server, '/props', { deadlineMs: 60_000 }, controller.signal);
      while (s.seen.length === 0) await new Promise(r => setTimeout(r, 5));
      controller.abort();
      assert.ok(isAbortError(await rejectionOf(pending)));
    });
  });
});
