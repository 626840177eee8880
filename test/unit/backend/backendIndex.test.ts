// Which backend each kind makes, the default first-byte timeout, the kinds that lay out FIM themselves, and the
// error type every backend throws.
import * as assert from 'node:assert/strict';
import {
  createBackend, DEFAULT_CONNECT_TIMEOUT_MS, HostedFimBackend, LlamaCppBackend, OllamaBackend, OpenAIBackend,
} from '../../../src/backend';
import { BACKEND_KINDS, BackendError, laysOutFimItself } from '../../../src/backend/types';
import { rejectionOf } from './helpers';
import { standIn } from './standIn';

describe('backend/index and types', () => {
  it('makes the backend of each kind', () => {
    const make = (kind: (typeof BACKEND_KINDS)[number]) => createBackend({ kind, endpoint: 'http://127.0.0.1:9' });
    assert.ok(make('ollama') instanceof OllamaBackend);
    assert.ok(make('llamacpp') instanceof LlamaCppBackend);
    assert.ok(make('openai') instanceof OpenAIBackend);
    assert.ok(make('codestral') instanceof HostedFimBackend);
    assert.ok(make('deepseek') instanceof HostedFimBackend);
    assert.deepEqual(BACKEND_KINDS.map(k => make(k).kind), ['ollama', 'llamacpp', 'openai', 'codestral', 'deepseek']);
    assert.throws(() => createBackend({ kind: 'tgi' as never, endpoint: 'http://x' }),
      { message: 'Unknown backend kind "tgi" (expected ollama, llamacpp, openai, codestral, deepseek)' });
  });

  it('waits 30 s for the first byte by default, and the configured time when given (model info; the hosted APIs send none)', async () => {
    assert.equal(DEFAULT_CONNECT_TIMEOUT_MS, 30_000);
    const silent = await standIn();
    silent.answer(() => { /* never answers */ });
    try {
      for (const kind of ['ollama', 'llamacpp', 'openai'] as const) {
        const err = await rejectionOf(createBackend({ kind, endpoint: silent.url, connectTimeoutMs: 30 }).modelInfo('m'));
        assert.match(err.message, /\(no answer within 30 ms\)/, kind);
      }
    } finally {
      await silent.close();
    }
  });

  it('knows which servers lay out the FIM prompt themselves', () => {
    assert.deepEqual(BACKEND_KINDS.filter(laysOutFimItself), ['llamacpp', 'codestral', 'deepseek']);
  });

  it('BackendError carries its kind, status, cause and name', () => {
    const cause = new Error('root');
    const err = new BackendError('http', 'msg', 502, { cause });
    assert.equal(err.name, 'BackendError');
    assert.equal(err.kind, 'http');
    assert.equal(err.status, 502);
    assert.equal(err.cause, cause);
    assert.equal(err.message, 'msg');
    assert.ok(err instanceof Error);
  });
});
