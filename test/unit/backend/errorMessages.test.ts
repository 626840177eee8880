// The exact words of every backend error message, per server kind: the message is what the user reads in the
// status bar and the log, so a changed hint, a lost cause or a missing endpoint is a regression.
import * as assert from 'node:assert/strict';
import {
  authError, httpStatusError, interruptedError, malformedError, mapFailure, modelNotFoundError, noFimError,
  overlongError, redirectError, serverLabel, serverMessageFrom, unreachableError, type ServerRef,
} from '../../../src/backend/errors';
import { describeText } from '../../../src/backend/http';
import { BACKEND_KINDS, BackendError, type BackendKind } from '../../../src/backend/types';

const at = (kind: BackendKind): ServerRef => ({ kind, endpoint: 'http://127.0.0.1:9' });
const ollama = at('ollama');
const llama = at('llamacpp');
const openai = at('openai');

describe('backend/errors messages', () => {
  it('names each kind of server and says how to start or reach it', () => {
    const labels = BACKEND_KINDS.map(serverLabel);
    assert.deepEqual(labels, ['Ollama', 'the llama.cpp server', 'the OpenAI-compatible server', 'the Codestral API', 'the DeepSeek API']);
    const hints = BACKEND_KINDS.map(kind => unreachableError(at(kind)).message);
    assert.deepEqual(hints, [
      'Cannot reach Ollama at http://127.0.0.1:9 — is it running? Start it with `ollama serve`.',
      'Cannot reach the llama.cpp server at http://127.0.0.1:9 — is it running? Start it with `llama-server -m <model.gguf> --port 8080`.',
      'Cannot reach the OpenAI-compatible server at http://127.0.0.1:9 — is it running? Check the server and the `infill.endpoint` setting.',
      'Cannot reach the Codestral API at http://127.0.0.1:9 — check your network connection and the `infill.endpoint` setting.',
      'Cannot reach the DeepSeek API at http://127.0.0.1:9 — check your network connection and the `infill.endpoint` setting.',
    ]);
    for (const kind of BACKEND_KINDS) assert.equal(unreachableError(at(kind)).kind, 'unreachable');
  });

  it('says why a server was unreachable: the timeout, the error code, or the cause without credentials', () => {
    assert.equal(unreachableError(ollama, new Error('x'), 250).message,
      'Cannot reach Ollama at http://127.0.0.1:9 (no answer within 250 ms) — is it running? Start it with `ollama serve`.');
    assert.equal(unreachableError(ollama, new Error('x'), 0).message.includes('(no answer within 0 ms)'), true);
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } });
    assert.match(unreachableError(ollama, refused).message, /at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\) — /);
    assert.match(unreachableError(ollama, { code: 'ENOTFOUND' }).message, /:9 \(ENOTFOUND\) — /);
    const withUrl = new TypeError('fetch failed', { cause: new Error('bad URL http://ann:s3cret@host/x') });
    assert.match(unreachableError(ollama, withUrl).message, /:9 \(bad URL http:\/\/\*\*\*@host\/x\) — /);
    assert.match(unreachableError(ollama, new Error('socket hang up')).message, /:9 \(socket hang up\) — /);
    // "fetch failed" says nothing the sentence does not; a cause that is not an object says nothing at all.
    assert.match(unreachableError(ollama, new TypeError('fetch failed')).message, /:9 — is it running/);
    assert.match(unreachableError(ollama, 'ECONNRESET').message, /:9 — is it running/);
    assert.match(unreachableError(ollama, {}).message, /:9 — is it running/);
    assert.match(unreachableError(ollama, null).message, /:9 — is it running/);
    // The cause stays attached for the log.
    assert.equal(unreachableError(ollama, refused).cause, refused);
    assert.equal(interruptedError(ollama, refused).cause, refused);
  });

  it('words a cut stream, an unreadable answer and an overlong one', () => {
    assert.equal(interruptedError(llama).message,
      'The connection to the llama.cpp server was cut before the completion finished. The server may have crashed or restarted; try again.');
    assert.equal(interruptedError(llama, { code: 'ECONNRESET' }).message,
      'The connection to the llama.cpp server was cut before the completion finished (ECONNRESET). The server may have crashed or restarted; try again.');
    assert.equal(interruptedError(llama).kind, 'interrupted');
    assert.equal(malformedError(llama, 'a stream line is not JSON').message,
      'The llama.cpp server at http://127.0.0.1:9 sent an answer Infill could not read (a stream line is not JSON). Check that `infill.backend` matches the server.');
    assert.equal(malformedError(ollama, 'x').message.startsWith('Ollama at '), true);
    assert.equal(overlongError(openai, 16, 'more than 768 characters').message,
      'The OpenAI-compatible server at http://127.0.0.1:9 sent more than 768 characters for a 16-token limit: it ignores the token limit, so Infill stopped reading. Check the server and `infill.backend`.');
    assert.equal(overlongError(openai, 16, 'x').kind, 'malformed');
  });

  it('blames the model for missing FIM, except an OpenAI-compatible server refusing `suffix`', () => {
    assert.equal(noFimError(ollama, 'llama3').message,
      'llama3 is a chat/instruct model without fill-in-the-middle; use a base/coder model such as qwen2.5-coder:1.5b-base.');
    assert.equal(noFimError(ollama, '', 'no insert').message,
      'The model is a chat/instruct model without fill-in-the-middle (server said: no insert); use a base/coder model such as qwen2.5-coder:1.5b-base.');
    assert.equal(noFimError(openai, 'm', 'suffix is not supported').message,
      'The OpenAI-compatible server at http://127.0.0.1:9 does not take a `suffix` (server said: suffix is not supported); that is the server, not the model. Set `infill.template` to the model\'s family so Infill sends its own FIM prompt.');
    assert.match(noFimError(openai, 'm', 'Suffix rejected').message, /does not take a `suffix`/);
    // Only the OpenAI-compatible kind, and only about the suffix.
    assert.match(noFimError(llama, 'm', 'suffix is not supported').message, /^m is a chat\/instruct model/);
    assert.match(noFimError(openai, 'm', 'infill is not supported').message, /^m is a chat\/instruct model.*Qwen\/Qwen2\.5-Coder-1\.5B\.$/);
    assert.match(noFimError(openai, 'm').message, /^m is a chat/);
    assert.equal(noFimError(openai, 'm').kind, 'no-fim');
    assert.match(noFimError(at('codestral'), 'm').message, /such as codestral-latest\.$/);
    assert.match(noFimError(at('deepseek'), 'm').message, /such as deepseek-chat \(the model the FIM beta serves\)\.$/);
    assert.match(noFimError(llama, 'm').message, /such as Qwen2\.5-Coder-1\.5B \(GGUF, e\.g\. `llama-server --fim-qwen-1\.5b-default`\)\.$/);
  });

  it('names the missing model, how to get it, and at most eight that exist', () => {
    assert.equal(modelNotFoundError(ollama, 'qwen').message,
      'Ollama at http://127.0.0.1:9 has no model "qwen" — run `ollama pull qwen`.');
    assert.equal(modelNotFoundError(llama, 'qwen', ['a', 'b']).message,
      'The llama.cpp server at http://127.0.0.1:9 has no model "qwen" — load it on the server or set `infill.model` to a model the server has or choose one of: a, b.');
    const nine = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'];
    assert.match(modelNotFoundError(ollama, 'x', nine).message, /choose one of: m1, m2, m3, m4, m5, m6, m7, m8, …\.$/);
    assert.match(modelNotFoundError(ollama, 'x', nine.slice(0, 8)).message, /choose one of: m1, m2, m3, m4, m5, m6, m7, m8\.$/);
    const err = modelNotFoundError(ollama, 'x');
    assert.equal(err.kind, 'model-not-found');
    assert.equal(err.status, 404);
  });

  it('points to the API key, except for Ollama', () => {
    assert.equal(authError(openai, 401, 'bad key').message,
      'The OpenAI-compatible server refused the request (HTTP 401: bad key). Run "Infill: Set API Key" to store the right key.');
    assert.equal(authError(ollama, 403, '').message, 'Ollama refused the request (HTTP 403). Check the server\'s access settings.');
    assert.equal(authError(ollama, 403, '').status, 403);
  });

  it('names a redirect\'s target, resolved against the endpoint and without credentials, and follows none', () => {
    const msg = (location: string) => redirectError(llama, 307, location).message;
    assert.equal(msg('http://other.example/infill'),
      'The llama.cpp server at http://127.0.0.1:9 redirected the request (HTTP 307) to http://other.example/infill. Infill sends code only to `infill.endpoint` and does not follow redirects: if the server moved, set `infill.endpoint` to the new address.');
    assert.match(msg('/v2/infill'), /\(HTTP 307\) to http:\/\/127\.0\.0\.1:9\/v2\/infill\. /);
    // A relative target resolves below the endpoint's own path, as the server's client would read it.
    assert.match(redirectError({ kind: 'openai', endpoint: 'http://127.0.0.1:9/api' }, 302, 'v2').message, /to http:\/\/127\.0\.0\.1:9\/api\/v2\. /);
    assert.match(msg(''), /\(HTTP 307\) to an address it did not give\. /);
    assert.match(msg('http://ann:s3cret@other.example/'), /to http:\/\/\*\*\*@other\.example\/\. /);
    // A target that is no URL at all is quoted as sent, still masked.
    assert.match(redirectError({ kind: 'llamacpp', endpoint: 'not a url' }, 301, 'http://a:b@[bad').message, /to http:\/\/\*\*\*@\[bad\. /);
    assert.equal(redirectError(llama, 308, '/x').status, 308);
    assert.equal(redirectError(llama, 308, '/x').kind, 'http');
  });

  it('reads the message out of nested, alternative and overlong error bodies', () => {
    assert.equal(serverMessageFrom('  {"message":"busy"}  '), 'busy');
    assert.equal(serverMessageFrom('{"error":{"message":"bad request"}}'), 'bad request');
    assert.equal(serverMessageFrom('{"detail":{"message":"nested detail"}}'), 'nested detail');
    // JSON without a readable message: the text itself.
    assert.equal(serverMessageFrom('{"error":{"code":3}}'), '{"error":{"code":3}}');
    assert.equal(serverMessageFrom('null'), 'null');
    assert.equal(serverMessageFrom('   '), '');
    assert.equal(serverMessageFrom('x'.repeat(200)), 'x'.repeat(200));
    assert.equal(serverMessageFrom('x'.repeat(201)), 'x'.repeat(200) + '…');
  });

  it('classifies every status and server wording', () => {
    const kindOf = (status: number, text: string) => httpStatusError(llama, status, text, 'm').kind;
    for (const text of ['model does not support insert', 'Infill is not supported', 'this server does not support suffix',
      'not supported: fim', 'suffix is not supported', 'FIM not currently supported', 'infill not supported']) {
      assert.equal(kindOf(400, text), 'no-fim', text);
    }
    assert.equal(kindOf(501, ''), 'no-fim');
    assert.equal(kindOf(400, 'bad request'), 'http');
    for (const text of ['model "m" not found', 'The model `m` does not exist', 'no such model']) assert.equal(kindOf(404, text), 'model-not-found', text);
    assert.equal(kindOf(404, 'model loaded'), 'http');
    assert.equal(kindOf(404, 'file not found'), 'http');
    assert.equal(kindOf(400, 'model not found'), 'http', 'not-found wording only counts on a 404');
    assert.equal(httpStatusError(llama, 404, '').message,
      'The llama.cpp server at http://127.0.0.1:9 answered 404 Not Found — is `infill.backend` the right kind for this server?');
    assert.equal(httpStatusError(llama, 404, 'no route').message,
      'The llama.cpp server at http://127.0.0.1:9 answered 404 Not Found (no route) — is `infill.backend` the right kind for this server?');
    assert.equal(httpStatusError(llama, 503, '').message, 'The llama.cpp server is busy or still loading the model (HTTP 503); try again in a moment.');
    assert.equal(httpStatusError(llama, 503, 'Loading model').message,
      'The llama.cpp server is busy or still loading the model (HTTP 503: Loading model); try again in a moment.');
    assert.equal(httpStatusError(llama, 500, '').message, 'The llama.cpp server answered HTTP 500.');
    for (const status of [404, 503, 500]) assert.equal(httpStatusError(llama, status, '').status, status);
    assert.match(httpStatusError(ollama, 404, "model 'm' not found", 'm').message, /has no model "m"/);
    // Without a model name the messages speak of "the model".
    assert.match(httpStatusError(ollama, 501, 'not implemented').message, /^The model is a chat\/instruct model/);
  });

  it('maps a BackendError thrown before the answer unchanged, and other failures by whether the answer started', () => {
    const own = new BackendError('auth', 'x');
    assert.equal(mapFailure(llama, own, undefined, false), own);
    const notAborted = new AbortController().signal;
    assert.equal((mapFailure(llama, new Error('boom'), notAborted, false) as BackendError).kind, 'unreachable');
    assert.equal((mapFailure(llama, new Error('boom'), notAborted, true) as BackendError).kind, 'interrupted');
  });

  it('quotes an unexpected body on one short line', () => {
    assert.equal(describeText(''), 'an empty body');
    assert.equal(describeText(' \n\t '), 'an empty body');
    assert.equal(describeText('  <html>\n  <body>Bad\tGateway</body>\n</html> '), '"<html> <body>Bad Gateway</body> </html>"');
    assert.equal(describeText('y'.repeat(80)), JSON.stringify('y'.repeat(80)));
    assert.equal(describeText('y'.repeat(81)), JSON.stringify('y'.repeat(80) + '…'));
  });
});
