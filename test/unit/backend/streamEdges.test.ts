// The edges of the stream readers: the last line or event without its terminator, blank and odd lines, a body
// that fails mid-way, the first of two server errors, and how an in-stream error message is classified.
import * as assert from 'node:assert/strict';
import type { ServerRef } from '../../../src/backend/errors';
import { readCompletionChoices, readSseJson, streamErrorFromServer, validatedNdjson } from '../../../src/backend/streams';
import { BackendError } from '../../../src/backend/types';
import { isAbortError } from '../../../src/util/abort';
import { rejectionOf } from './helpers';

const server: ServerRef = { kind: 'llamacpp', endpoint: 'http://127.0.0.1:8080' };

/** A body that delivers `parts` one read each, then fails with `failWith` (or ends). */
function body(parts: string[], failWith?: Error): ReadableStream<Uint8Array> {
  const queue = parts.map(p => new TextEncoder().encode(p));
  return new ReadableStream({
    pull(controller) {
      const next = queue.shift();
      if (next) return controller.enqueue(next);
      if (failWith) return controller.error(failWith);
      controller.close();
    },
  });
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const ndjsonText = (parts: string[], failWith?: Error, signal?: AbortSignal) =>
  new Response(validatedNdjson(body(parts, failWith), server, signal, 'm')).text();

describe('backend/streams edges', () => {
  it('classifies an in-stream error message like an HTTP status', () => {
    assert.equal(streamErrorFromServer(server, 'model "x" not found', 'x').kind, 'model-not-found');
    assert.equal(streamErrorFromServer(server, 'model "x" not found', 'x').status, 404);
    assert.equal(streamErrorFromServer(server, 'this model does not support insert').kind, 'no-fim');
    assert.equal(streamErrorFromServer(server, 'infill is not supported').kind, 'no-fim');
    assert.equal(streamErrorFromServer(server, 'grammar Not Supported here').status, 400);
    assert.equal(streamErrorFromServer(server, 'Model NOT FOUND').status, 404);
    const other = streamErrorFromServer(server, 'out of memory');
    assert.equal(other.status, 500);
    assert.match(other.message, /answered HTTP 500: out of memory/);
  });

  describe('NDJSON', () => {
    it('passes the last line without its newline on, with one added', async () => {
      assert.equal(await ndjsonText(['{"a":1}\n{"b":', '2}']), '{"a":1}\n{"b":2}\n');
      assert.equal(await ndjsonText(['{"a":1}\n', '  ']), '{"a":1}\n', 'a blank tail adds nothing');
      assert.equal(await ndjsonText(['{"a":1}\n\n  \n{"b":2}\n']), '{"a":1}\n\n  \n{"b":2}\n', 'blank lines inside are fine');
    });

    it('lets JSON that is not an error object through, and stops at an error line even at the very end', async () => {
      assert.equal(await ndjsonText(['5\n', 'null\n', '{"error":{"code":1}}\n']), '5\nnull\n{"error":{"code":1}}\n');
      const last = await rejectionOf(ndjsonText(['{"a":1}\n', '{"error":"out of memory"}']));
      assert.ok(last instanceof BackendError);
      assert.match(last.message, /out of memory/);
      const badTail = await rejectionOf(ndjsonText(['{"a":1}\n', '{"a"']));
      assert.equal(badTail.kind, 'malformed');
      assert.match(badTail.message, /a stream line is not JSON: "\{\\"a\\""/);
    });

    it('a body that fails mid-way is interrupted, or an abort when the caller aborted', async () => {
      const cut = await rejectionOf(ndjsonText(['{"a":1}\n'], new TypeError('terminated')));
      assert.equal(cut.kind, 'interrupted');
      const controller = new AbortController();
      controller.abort();
      assert.ok(isAbortError(await rejectionOf(ndjsonText(['{"a":1}\n'], new TypeError('terminated'), controller.signal))));
    });

    it('cancelling the reader cancels the body, and a bad line stops reading it', async () => {
      let cancelled = 0;
      let pulls = 0;
      const source = () => new ReadableStream<Uint8Array>({
        pull(c) { pulls++; c.enqueue(new TextEncoder().encode(pulls === 1 ? 'not json\n' : '{"a":1}\n')); },
        cancel() { cancelled++; },
      });
      await rejectionOf(new Response(validatedNdjson(source(), server)).text());
      assert.equal(cancelled, 1, 'the bad line cancelled the body');
      pulls = 1;
      const reader = validatedNdjson(source(), server).getReader();
      await reader.read();
      await reader.cancel();
      assert.equal(cancelled, 2);
    });
  });

  describe('SSE', () => {
    it('reads an `error:` line the body ends on, drops an unfinished event, skips blank data, and trims [DONE]', async () => {
      const err = await rejectionOf(all(readSseJson(body(['data: {"a":1}\n\nerror: {"message":"boom at the end"}']), server)));
      assert.match(err.message, /boom at the end/);
      // SSE dispatches an event only at its blank line: an unfinished one at the end is dropped.
      assert.deepEqual(await all(readSseJson(body(['data: {"a":1}\n\ndata: {"b":2}\n']), server)), [{ a: 1 }]);
      assert.deepEqual(await all(readSseJson(body(['data: \n\ndata: {"a":1}\n\ndata:  [DONE] \n\ndata: {"b":2}\n\n']), server)), [{ a: 1 }]);
    });

    it('an `event: error` is the server\'s error; error fields beside choices or content are data', async () => {
      const err = await rejectionOf(all(readSseJson(body(['event: error\ndata: {"message":"slot unavailable"}\n\n']), server)));
      assert.ok(err instanceof BackendError);
      assert.match(err.message, /slot unavailable/);
      const kept = await all(readSseJson(body(['data: {"error":null,"choices":[]}\n\ndata: {"error":"x","content":"y"}\n\n']), server));
      assert.equal(kept.length, 2);
      const bare = await rejectionOf(all(readSseJson(body(['data: {"error":"model \\"q\\" not found"}\n\n']), server, undefined, 'q')));
      assert.equal(bare.kind, 'model-not-found');
    });

    it('the first of two `error:` lines is the one reported', async () => {
      const err = await rejectionOf(all(readSseJson(body(['error: {"message":"first"}\nerror: {"message":"second"}\n\n']), server)));
      assert.match(err.message, /first/);
      assert.doesNotMatch(err.message, /second/);
    });

    it('ignores other unknown fields, passes JSON that is not an object, and quotes an event that is not JSON', async () => {
      assert.deepEqual(await all(readSseJson(body(['foo: bar\nretry: soon\ndata: {"a":1}\n\ndata: null\n\ndata: 5\n\n']), server)), [{ a: 1 }, null, 5]);
      const bad = await rejectionOf(all(readSseJson(body(['data: {oops\n\n']), server)));
      assert.match(bad.message, /\(an event is not JSON: "\{oops"\)/);
    });

    it('without a model name, an in-stream error speaks of "the model"', async () => {
      const noModel = 'model does not support insert';
      assert.match(streamErrorFromServer(server, noModel).message, /^The model is a chat/);
      assert.match((await rejectionOf(all(readSseJson(body([`data: {"error":"${noModel}"}\n\n`]), server)))).message, /^The model is a chat/);
      assert.match((await rejectionOf(new Response(validatedNdjson(body([`{"error":"${noModel}"}\n`]), server)).text())).message, /^The model is a chat/);
    });

    it('releases the body it read to the end', async () => {
      const whole = body(['data: {"a":1}\n\n']);
      assert.deepEqual(await all(readSseJson(whole, server)), [{ a: 1 }]);
      assert.equal(whole.locked, false);
    });

    it('a body that fails mid-way is interrupted', async () => {
      const err = await rejectionOf(all(readSseJson(body(['data: {"a":1}\n\n'], new TypeError('terminated')), server)));
      assert.equal(err.kind, 'interrupted');
    });

    it('stops reading the body when the consumer stops early, and leaves it alone after [DONE]', async () => {
      let cancelled = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(c) { c.enqueue(new TextEncoder().encode('data: {"a":1}\n\n')); },
        cancel() { cancelled++; },
      });
      for await (const _ of readSseJson(endless, server)) break;
      assert.equal(cancelled, 1);
      const done = body(['data: [DONE]\n\n']);
      await all(readSseJson(done, server));
      assert.equal(done.locked, false, 'released, not cancelled');
    });
  });

  describe('completion choices', () => {
    const signal = new AbortController().signal;
    const read = (events: string[]) => all(readCompletionChoices(body(events.map(e => `data: ${e}\n\n`)), server, signal, 'm'));

    it('skips events without choices or text, and ignores a finish_reason that is not a string', async () => {
      const chunks = await read(['{"choices":"x"}', '{"choices":[]}', '{"choices":[{"text":5}]}', '{"choices":[{"delta":{}}]}',
        '{"choices":[{"text":"a","finish_reason":null}]}', '{"choices":[{"text":"b","finish_reason":"length"}]}', '[DONE]']);
      assert.deepEqual(chunks.map(c => c.text), ['a', 'b', '']);
      assert.equal(chunks.at(-1)!.stats!.stopReason, 'length');
      const noReason = await rejectionOf(read(['{"choices":[{"text":"a","finish_reason":7}]}', '[DONE]']));
      assert.equal(noReason.kind, 'interrupted');
    });

    it('usage alone marks a whole stream; its figures must be numbers', async () => {
      const chunks = await read(['{"choices":[{"text":"a"}]}', '{"usage":{"prompt_tokens":"3","completion_tokens":2,"prompt_cache_hit_tokens":null}}', '[DONE]']);
      assert.deepEqual(chunks.at(-1)!.stats, { promptTokens: undefined, cachedPromptTokens: undefined, generatedTokens: 2, stopReason: undefined });
    });

    it('an error object without a message is still the server\'s error', async () => {
      const err = await rejectionOf(read(['{"object":"error"}']));
      assert.ok(err instanceof BackendError);
      assert.equal(err.status, 500);
      assert.equal(err.message, 'The llama.cpp server answered HTTP 500.');
    });

    it('keeps the usage figures when later events carry none', async () => {
      const chunks = await read(['{"choices":[{"text":"a"}],"usage":{"prompt_tokens":4,"completion_tokens":1}}', '{"choices":[{"text":"","finish_reason":"stop"}]}', '[DONE]']);
      assert.equal(chunks.at(-1)!.stats!.promptTokens, 4);
      assert.equal(chunks.at(-1)!.stats!.generatedTokens, 1);
    });
  });
});
