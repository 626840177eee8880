import * as assert from 'node:assert/strict';
import type { ServerRef } from '../../../src/backend/errors';
import { readSseJson, validatedNdjson } from '../../../src/backend/streams';
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
});
