import * as assert from 'node:assert/strict';
import type { ServerRef } from '../../../src/backend/errors';
import { readCompletionChoices, readSseJson, validatedNdjson } from '../../../src/backend/streams';
import { BackendError } from '../../../src/backend/types';
import { rejectionOf } from './helpers';

const server: ServerRef = { kind: 'llamacpp', endpoint: 'http://127.0.0.1:8080' };

/** A body delivering `text` in pieces of `size` bytes (so events and UTF-8 characters split anywhere). */
function body(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('backend/streams', () => {
  const sse = 'data: {"content":"héllo ✓"}\n\n: a comment\n\ndata: {"content":" wörld","stop":false}\r\n\r\ndata: {"content":"","stop":true}\n\n';

  it('reads SSE events split at every byte boundary, including inside UTF-8 characters', async () => {
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const events = await all(readSseJson(body(sse, size), server));
      assert.deepEqual(events.map(e => e.content), ['héllo ✓', ' wörld', ''], `size ${size}`);
    }
  });

  it('stops at [DONE] and rejects bad JSON as malformed', async () => {
    assert.deepEqual(await all(readSseJson(body('data: {"a":1}\n\ndata: [DONE]\n\ndata: {"a":2}\n\n', 3), server)), [{ a: 1 }]);
    const err = await rejectionOf(all(readSseJson(body('data: {"a":\n\n', 4), server)));
    assert.ok(err instanceof BackendError);
    assert.equal(err.kind, 'malformed');
  });

  it('turns llama.cpp `error:` lines and {"error"} events into the server\'s error', async () => {
    const e1 = await rejectionOf(all(readSseJson(body('data: {"content":"a"}\n\nerror: {"code":500,"message":"boom","type":"server_error"}\n\n', 5), server)));
    assert.match(e1.message, /boom/);
    const e2 = await rejectionOf(all(readSseJson(body('data: {"error":{"message":"quota exceeded"}}\n\n', 5), server)));
    assert.match(e2.message, /quota exceeded/);
  });

  it('passes valid NDJSON through unchanged whatever the chunking, and rejects a bad line', async () => {
    const nd = '{"response":"ä","done":false}\n{"response":"","done":true}\n';
    for (const size of [1, 3, 100]) {
      const text = await new Response(validatedNdjson(body(nd, size), server)).text();
      assert.equal(text, nd);
    }
    const bad = await rejectionOf(new Response(validatedNdjson(body('{"response":"a"}\n{"resp\n', 4), server)).text());
    assert.equal(bad.kind, 'malformed');
    const errLine = await rejectionOf(new Response(validatedNdjson(body('{"error":"model \'x\' not found"}\n', 4), server, undefined, 'x')).text());
    assert.equal(errLine.kind, 'model-not-found');
  });

  describe('readCompletionChoices (OpenAI-compatible, Codestral, DeepSeek)', () => {
    const signal = new AbortController().signal;
    const read = (text: string) => all(readCompletionChoices(body(text, 5), server, signal, 'm'));

    it('reads `text` choices and `delta.content` chunks alike, then the usage figures', async () => {
      const completions = 'data: {"choices":[{"text":"a + "}]}\n\ndata: {"choices":[{"text":"b","finish_reason":"stop"}]}\n\n' +
        'data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"prompt_cache_hit_tokens":8}}\n\ndata: [DONE]\n\n';
      const chunks = await read(completions);
      assert.deepEqual(chunks.map(c => c.text), ['a + ', 'b', '']);
      assert.deepEqual(chunks.at(-1)!.stats, { promptTokens: 12, cachedPromptTokens: 8, generatedTokens: 2, stopReason: 'stop' });
      const deltas = await read('data: {"choices":[{"delta":{"content":"x = 1"}}]}\n\ndata: {"choices":[{"delta":{"content":""},"finish_reason":"length"}]}\n\ndata: [DONE]\n\n');
      assert.deepEqual(deltas.map(c => c.text), ['x = 1', '']);
      assert.equal(deltas.at(-1)!.stats!.stopReason, 'length');
      assert.equal(deltas.at(-1)!.stats!.cachedPromptTokens, undefined);
    });

    it('takes OpenAI\'s cached_tokens when the DeepSeek field is absent', async () => {
      const chunks = await read('data: {"choices":[{"text":"y","finish_reason":"stop"}],"usage":{"prompt_tokens":5,"prompt_tokens_details":{"cached_tokens":3}}}\n\ndata: [DONE]\n\n');
      assert.equal(chunks.at(-1)!.stats!.cachedPromptTokens, 3);
    });

    it('reports a stream with neither finish_reason nor usage as cut, and an error object as the server\'s error', async () => {
      const cut = await rejectionOf(read('data: {"choices":[{"text":"half"}]}\n\ndata: [DONE]\n\n'));
      assert.ok(cut instanceof BackendError && cut.kind === 'interrupted', String(cut));
      const failed = await rejectionOf(read('data: {"object":"error","message":"model not found: codestral-x"}\n\n'));
      assert.ok(failed instanceof BackendError && failed.kind === 'model-not-found', String(failed));
    });
  });
});
