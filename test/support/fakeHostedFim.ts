// Stand-ins for the hosted FIM APIs, speaking their documented wire formats on 127.0.0.1:
// - Mistral Codestral: POST /v1/fim/completions {model, prompt, suffix, max_tokens, stop, stream}; the stream is
//   SSE `chat.completion.chunk`s with the text in choices[0].delta.content, usage on the last one, then [DONE].
//   Errors: {"object":"error","message":...,"type":...,"code":...}; a missing or wrong key is 401 "Unauthorized".
// - DeepSeek FIM beta: POST /beta/completions, OpenAI completions (choices[0].text), max_tokens at most 4096;
//   errors {"error":{"message":...,"type":...}}; a missing or wrong key is 401 "Authentication Fails".
import type { FakeServer, FakeServerOptions, FakeGeneration, Handler } from './fakeServers';
import {
  bearerOk, chunksOf, countTokens, defaultRespond, planOutput, sendJson, sse, startServer, streamChunks, takeFault, wait,
} from './fakeServers';

export const CODESTRAL_PATH = '/v1/fim/completions';
export const DEEPSEEK_PATH = '/beta/completions';

function codestralError(res: Parameters<typeof sendJson>[0], status: number, message: string, type = 'invalid_request_error'): void {
  sendJson(res, status, { object: 'error', message, type, param: null, code: null });
}

/** Fake Codestral: the FIM endpoint only (the real API has chat and others, which Infill never calls). */
export function startFakeCodestral(initial: FakeServerOptions = {}): Promise<FakeServer> {
  const base: FakeServerOptions = { models: [{ name: 'codestral-latest' }, { name: 'codestral-2501' }], ...initial };
  let counter = 0;
  const fim: Handler = async ctx => {
    const { res, rec, opts } = ctx;
    const body = rec.body;
    if (!body || typeof body !== 'object' || typeof body.prompt !== 'string') return codestralError(res, 422, 'prompt: Field required');
    const name = String(body.model ?? '');
    if (!(opts.models ?? []).some(m => m.name === name)) return codestralError(res, 400, `Invalid model: ${name}`, 'invalid_model');
    const fault = takeFault(ctx, [CODESTRAL_PATH]);
    if (fault === 'hang') return;
    if (typeof fault === 'number') return codestralError(res, fault, opts.faultMessage ?? 'Service unavailable.', 'service_error');
    const gen: FakeGeneration = { endpoint: rec.path, model: name, prompt: body.prompt, suffix: String(body.suffix ?? ''), raw: false };
    const planned = planOutput((opts.respond ?? defaultRespond)(body, gen), body.stop, opts.ignoreTokenLimit ? undefined : body.max_tokens);
    const id = `cmpl-${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: countTokens(gen.prompt + gen.suffix), completion_tokens: planned.tokens, total_tokens: countTokens(gen.prompt + gen.suffix) + planned.tokens };
    const chunk = (content: string, finish: string | null, withUsage = false) => ({
      id, object: 'chat.completion.chunk', created, model: name,
      choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: finish }],
      ...(withUsage ? { usage } : {}),
    });
    if (body.stream !== true) {
      await wait(opts.firstChunkDelayMs ?? 0);
      return sendJson(res, 200, { id, object: 'chat.completion', created, model: name, choices: [{ index: 0, message: { role: 'assistant', content: planned.text }, finish_reason: planned.reason }], usage });
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    await streamChunks(
      ctx,
      chunksOf(planned.text, opts.chunkChars ?? 4),
      piece => sse(chunk(piece, null)),
      () => sse(chunk('', planned.reason, true)) + sse('[DONE]'),
      fault,
      'data: {"id":"cmpl-broken","choices":[{"delta":\n\n',
      sse({ object: 'error', message: opts.faultMessage ?? 'Internal server error', type: 'internal_server_error', param: null, code: null }),
    );
  };
  return startServer(
    base,
    { [`POST ${CODESTRAL_PATH}`]: fim },
    [CODESTRAL_PATH],
    (_status, message) => ({ object: 'error', message, type: 'service_error', param: null, code: null }),
    ctx => {
      if (bearerOk(ctx)) return true;
      sendJson(ctx.res, 401, { message: 'Unauthorized', request_id: 'fake' });
      return false;
    },
  );
}

/** Fake DeepSeek: the FIM beta endpoint only. */
export function startFakeDeepSeek(initial: FakeServerOptions = {}): Promise<FakeServer> {
  const base: FakeServerOptions = { models: [{ name: 'deepseek-chat' }], ...initial };
  let counter = 0;
  const fim: Handler = async ctx => {
    const { res, rec, opts } = ctx;
    const body = rec.body;
    const fail = (status: number, message: string, type = 'invalid_request_error') => sendJson(res, status, { error: { message, type, param: null, code: 'invalid_request_error' } });
    if (!body || typeof body !== 'object' || typeof body.prompt !== 'string') return fail(422, 'Failed to deserialize the JSON body into the target type: missing field `prompt`');
    const name = String(body.model ?? '');
    if (!(opts.models ?? []).some(m => m.name === name)) return fail(400, 'Model Not Exist');
    if (typeof body.max_tokens === 'number' && body.max_tokens > 4096) return fail(400, 'Invalid max_tokens value, the valid range of max_tokens is [1, 4096]');
    const fault = takeFault(ctx, [DEEPSEEK_PATH]);
    if (fault === 'hang') return;
    if (typeof fault === 'number') return fail(fault, opts.faultMessage ?? 'Server busy', 'server_error');
    const gen: FakeGeneration = { endpoint: rec.path, model: name, prompt: body.prompt, suffix: String(body.suffix ?? ''), raw: false };
    const planned = planOutput((opts.respond ?? defaultRespond)(body, gen), body.stop, opts.ignoreTokenLimit ? undefined : body.max_tokens);
    const id = `fake-${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: countTokens(gen.prompt + gen.suffix), completion_tokens: planned.tokens, total_tokens: countTokens(gen.prompt + gen.suffix) + planned.tokens, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: countTokens(gen.prompt + gen.suffix) };
    const chunk = (text: string, finish: string | null, withUsage = false) => ({
      id, object: 'text_completion', created, model: name, system_fingerprint: 'fp_fake',
      choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
      ...(withUsage ? { usage } : {}),
    });
    if (body.stream !== true) return sendJson(res, 200, chunk(planned.text, planned.reason, true));
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    await streamChunks(
      ctx,
      chunksOf(planned.text, opts.chunkChars ?? 4),
      piece => sse(chunk(piece, null)),
      () => sse(chunk('', planned.reason, true)) + sse('[DONE]'),
      fault,
      'data: {"id":"broken","choices":[{"text":\n\n',
      sse({ error: { message: opts.faultMessage ?? 'Server error', type: 'server_error', param: null, code: null } }),
    );
  };
  return startServer(
    base,
    { [`POST ${DEEPSEEK_PATH}`]: fim },
    [DEEPSEEK_PATH],
    (_status, message) => ({ error: { message, type: 'server_error', param: null, code: null } }),
    ctx => {
      if (bearerOk(ctx)) return true;
      sendJson(ctx.res, 401, { error: { message: 'Authentication Fails (no such user)', type: 'authentication_error', param: null, code: 'invalid_request_error' } });
      return false;
    },
  );
}
