// The stream caps and credential masking at their boundaries (issue 13 rows 5 and 7; cases the mutation check found).
import * as assert from 'node:assert/strict';
import { limitStream, streamLimits } from '../../../src/backend/limits';
import type { StreamChunk } from '../../../src/backend/types';
import { maskCredentials, splitCredentials } from '../../../src/util/url';

const server = { kind: 'openai' as const, endpoint: 'http://127.0.0.1:1' };

async function drain(chunks: string[], maxTokens: number): Promise<string> {
  async function* source(): AsyncGenerator<StreamChunk> { for (const text of chunks) yield { text }; }
  let out = '';
  for await (const c of limitStream(source(), maxTokens, server)) out += c.text;
  return out;
}

describe('backend/limits', () => {
  it('a nonsensical token limit counts as one token', () => {
    for (const n of [0, -5, NaN, Infinity]) assert.deepEqual(streamLimits(n), streamLimits(1), String(n));
    assert.notDeepEqual(streamLimits(2), streamLimits(1));
  });

  it('passes exactly maxChars characters, refuses one more', async () => {
    const { maxChars } = streamLimits(4);
    assert.equal((await drain(['x'.repeat(maxChars - 1), 'y'], 4)).length, maxChars);
    await assert.rejects(drain(['x'.repeat(maxChars), 'y'], 4), /more than \d+ characters for a 4-token limit/);
  });

  it('passes exactly maxLines line ends, refuses one more; chunks without a line end count none', async () => {
    const { maxLines } = streamLimits(4);
    assert.equal((await drain(Array(maxLines).fill('\n'), 4)).length, maxLines);
    await assert.rejects(drain(Array(maxLines + 1).fill('\n'), 4), /more than \d+ lines/);
    assert.equal((await drain(Array(maxLines + 5).fill('a'), 4)).length, maxLines + 5);
    assert.equal((await drain(['a\nb\nc'], 4)), 'a\nb\nc');
  });
});

describe('util/url', () => {
  it('masks credentials at the very start of a text too, and a user without a password', () => {
    assert.equal(maskCredentials('http://a:b@h/x'), 'http://***@h/x');
    assert.equal(maskCredentials('see https://token@host'), 'see https://***@host');
    assert.equal(maskCredentials('no credentials: http://host/a@b'), 'no credentials: http://host/a@b');
  });

  it('takes a lone user name out of the URL as well, and drops every trailing slash', () => {
    assert.deepEqual(splitCredentials('https://tok@h.example//'), { endpoint: 'https://h.example', authorization: `Basic ${Buffer.from('tok:').toString('base64')}` });
    assert.deepEqual(splitCredentials('http://a:b@h:1/v1//'), { endpoint: 'http://h:1/v1', authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    assert.deepEqual(splitCredentials('http://h:1//'), { endpoint: 'http://h:1' });
  });
});
