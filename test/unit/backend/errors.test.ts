import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backend';
import { httpStatusError, mapFailure, serverMessageFrom, type ServerRef } from '../../../src/backend/errors';
import { BackendError } from '../../../src/backend/types';
import { abortError, isAbortError } from '../../../src/util/abort';
import { startFakeLlamaCpp, startFakeOllama } from '../../support/fakeServers';
import { baseRequest, collect, rejectionOf } from './helpers';

const ollama: ServerRef = { kind: 'ollama', endpoint: 'http://127.0.0.1:11434' };

describe('backend/errors', () => {
  it('reads the message out of each server\'s error body', () => {
    assert.equal(serverMessageFrom('{"error":"model \'x\' not found"}'), "model 'x' not found");
    assert.equal(serverMessageFrom('{"error":{"code":501,"message":"Infill is not supported","type":"not_supported_error"}}'), 'Infill is not supported');
    assert.equal(serverMessageFrom('{"detail":"Not Found"}'), 'Not Found');
    assert.equal(serverMessageFrom('<html>Bad Gateway</html>'), '<html>Bad Gateway</html>');
    assert.equal(serverMessageFrom(''), '');
  });

  it('classifies statuses', () => {
    assert.equal(httpStatusError(ollama, 404, "model 'x' not found", 'x').kind, 'model-not-found');
    assert.equal(httpStatusError(ollama, 400, 'registry.ollama.ai/library/x does not support insert', 'x').kind, 'no-fim');
    assert.equal(httpStatusError(ollama, 401, 'unauthorized').kind, 'auth');
    assert.equal(httpStatusError(ollama, 403, 'forbidden').kind, 'auth');
    assert.equal(httpStatusError(ollama, 404, '404 page not found').kind, 'http');
    assert.equal(httpStatusError(ollama, 502, 'Bad Gateway').kind, 'http');
    assert.match(httpStatusError(ollama, 502, 'Bad Gateway').message, /HTTP 502: Bad Gateway/);
  });

  it('keeps aborts as AbortErrors and tells unreachable from interrupted', () => {
    const aborted = new AbortController(); aborted.abort();
    assert.ok(isAbortError(mapFailure(ollama, new TypeError('fetch failed'), aborted.signal, true)));
    assert.ok(isAbortError(mapFailure(ollama, abortError(), undefined, false)));
    assert.equal((mapFailure(ollama, new TypeError('fetch failed'), undefined, false) as BackendError).kind, 'unreachable');
    assert.equal((mapFailure(ollama, new TypeError('terminated'), undefined, true) as BackendError).kind, 'interrupted');
    const own = new BackendError('auth', 'x');
    assert.equal(mapFailure(ollama, own, undefined, true), own);
  });

  it('pointing a backend at the wrong kind of server says so', async () => {
    const llama = await startFakeLlamaCpp();
    const ollamaServer = await startFakeOllama();
    try {
      const wrongOllama = await rejectionOf(collect(createBackend({ kind: 'ollama', endpoint: llama.url }), baseRequest()));
      assert.equal(wrongOllama.kind, 'http');
      assert.match(wrongOllama.message, /404.*infill\.backend/);
      const wrongLlama = await rejectionOf(collect(createBackend({ kind: 'llamacpp', endpoint: ollamaServer.url }), baseRequest()));
      assert.equal(wrongLlama.kind, 'http');
      assert.match(wrongLlama.message, /infill\.backend/);
    } finally {
      await llama.close();
      await ollamaServer.close();
    }
  });

  it('createBackend rejects an unknown kind', () => {
    assert.throws(() => createBackend({ kind: 'bogus' as never, endpoint: 'http://x' }), /Unknown backend kind "bogus"/);
  });
});
