// Fake model servers speaking the real wire protocols of Ollama, llama.cpp server and OpenAI-compatible servers.
// Plain node:http on 127.0.0.1, port 0: usable from unit tests, the bench and integration tests inside the
// extension host (no mocha, no vscode imports). Each server records what it received and can inject faults.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string without its `?` ('' when there is none). */
  query: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body; undefined for GET or an unparsable body (then `rawBody` holds it). */
  body: any;
  rawBody: string;
  /** Set when the client closed the connection before the server finished answering. */
  abortedByClient: boolean;
  /** Date.now() when the request arrived, and when the server noticed the client went away. */
  receivedAt: number;
  abortedAt?: number;
}

/** A model the fake server knows. */
export interface FakeModel {
  name: string;
  /** Ollama capabilities: ['completion', 'insert'] for FIM models, ['completion'] for chat-only. */
  capabilities?: string[];
  /** Ollama details.family ("qwen2", "starcoder2", "llama", ...). */
  family?: string;
  /** Ollama Go template text (or llama.cpp chat template). */
  template?: string;
  /** llama.cpp: whether the vocab has FIM tokens (default true). */
  fim?: boolean;
}

/**
 * Faults a server can inject on generation endpoints:
 * - a number: answer with that HTTP status and the server's real error body;
 * - 'cut': send a few chunks, then destroy the socket;
 * - 'truncate': send a few chunks, then end the response cleanly without the final frame (no done / stop / [DONE]);
 * - 'malformed': send a broken NDJSON line / bad SSE data, then end;
 * - 'hang': never answer at all (not even headers), for first-byte timeouts;
 * - 'stall': send headers and the first chunk, then nothing more;
 * - 'stream-error': send a few chunks, then the server's in-stream error (Ollama `{"error":...}` line,
 *   llama.cpp `error: {...}` line, OpenAI `data: {"error":{...}}`), as when the runner crashes mid-generation.
 */
export type FakeFault = number | 'cut' | 'truncate' | 'malformed' | 'hang' | 'stall' | 'stream-error';

/** What `respond` gets besides the raw body: the request normalised across endpoints. */
export interface FakeGeneration {
  endpoint: string;
  model: string;
  /** Ollama `prompt`, llama.cpp `input_prefix` (or `prompt` on /completion), OpenAI `prompt`. */
  prompt: string;
  suffix: string;
  raw: boolean;
}

export interface FakeServerOptions {
  models?: FakeModel[];
  /** Produces the model output for a generation request. Default: `defaultRespond`. */
  respond?: (body: any, gen: FakeGeneration) => string;
  /** Characters per streamed chunk (default 4, about one token). */
  chunkChars?: number;
  /** Delay before each chunk after the first, and before the first chunk (ms). */
  chunkDelayMs?: number;
  firstChunkDelayMs?: number;
  fault?: FakeFault;
  /** Custom error text for a numeric fault. */
  faultMessage?: string;
  /**
   * Write every streamed frame in pieces of this many bytes, with a pause between them, so lines and events
   * arrive split across network reads (as through a proxy or a busy loopback). Default: one write per frame.
   */
  fragmentBytes?: number;
  /** Apply the fault to this many more generation requests only, then clear it (default: all). */
  faultCount?: number;
  /** Paths the fault applies to (default: the server's generation and pull endpoints). */
  faultPaths?: string[];
  /** Require `Authorization: Bearer <apiKey>` (OpenAI, llama.cpp --api-key). */
  apiKey?: string;
  /** Ollama /api/pull: number of progress steps per layer (default 4) and names that exist in the registry. */
  pullSteps?: number;
  pullable?: (name: string) => boolean;
  /** llama.cpp /props model_path and whether its vocab has FIM tokens. */
  modelPath?: string;
  /** Ollama /api/version answer. */
  version?: string;
  /**
   * OpenAI: request fields this server refuses with HTTP 400, as strict servers do ("Unrecognized request
   * argument supplied: stream_options"); 'suffix' gets vLLM's "suffix is not currently supported".
   */
  rejectFields?: string[];
  /** Answer every request with this redirect status and `Location: <redirectTo><path>` (a hostile or moved server). */
  redirectTo?: string;
  redirectStatus?: number;
  /** Send the whole `respond` output whatever the token limit (a server that ignores max_tokens). */
  ignoreTokenLimit?: boolean;
  /** llama.cpp router mode: several models behind one server, chosen by `model` (body) or `?model=` (GET). */
  router?: boolean;
}

export interface FakeServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43123 */
  url: string;
  requests: RecordedRequest[];
  /** Merge new options (models, respond, faults, delays) into the running server. */
  set(opts: Partial<FakeServerOptions>): void;
  /** Requests to one path, in arrival order. */
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

/** Deterministic default model output. */
export const FAKE_COMPLETION = 'fake_completion()';
export const defaultRespond = (): string => FAKE_COMPLETION;

/** Characters per "token" when the fake servers count tokens. */
export const FAKE_CHARS_PER_TOKEN = 4;

// ---- Realistic Ollama model presets (templates as Ollama's library ships them, abridged) ----

export const OLLAMA_TEMPLATES = {
  qwenCoderBase:
    '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>\n{{- else }}{{ .Prompt }}\n{{- end }}',
  starcoder2:
    '{{- if .Suffix }}<fim_prefix>{{ .Prompt }}<fim_suffix>{{ .Suffix }}<fim_middle>\n{{- else }}{{ .Prompt }}\n{{- end }}',
  codellamaCode: '{{- if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>\n{{- else }}{{ .Prompt }}\n{{- end }}',
  deepseekBase:
    '{{- if .Suffix }}<｜fim▁begin｜>{{ .Prompt }}<｜fim▁hole｜>{{ .Suffix }}<｜fim▁end｜>\n{{- else }}{{ .Prompt }}\n{{- end }}',
  codegemmaCode:
    '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>\n{{- else }}{{ .Prompt }}\n{{- end }}',
  llamaChat:
    '<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n',
  qwenInstructChat:
    '{{- if .Messages }}{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n{{ else }}{{ .Prompt }}{{ end }}',
};

export const OLLAMA_MODELS: Record<string, FakeModel> = {
  qwenBase: { name: 'qwen2.5-coder:1.5b-base', capabilities: ['completion', 'insert'], family: 'qwen2', template: OLLAMA_TEMPLATES.qwenCoderBase },
  starcoder2: { name: 'starcoder2:3b', capabilities: ['completion', 'insert'], family: 'starcoder2', template: OLLAMA_TEMPLATES.starcoder2 },
  codellama: { name: 'codellama:7b-code', capabilities: ['completion', 'insert'], family: 'llama', template: OLLAMA_TEMPLATES.codellamaCode },
  deepseek: { name: 'deepseek-coder:1.3b-base', capabilities: ['completion', 'insert'], family: 'llama', template: OLLAMA_TEMPLATES.deepseekBase },
  /** A chat-only model: no 'insert' capability, chat template without FIM tokens. */
  llamaChat: { name: 'llama3.2:1b', capabilities: ['completion', 'tools'], family: 'llama', template: OLLAMA_TEMPLATES.llamaChat },
  /** An instruct model whose template has no .Suffix branch. */
  qwenInstruct: { name: 'qwen2.5:0.5b-instruct', capabilities: ['completion', 'tools'], family: 'qwen2', template: OLLAMA_TEMPLATES.qwenInstructChat },
};

const DEFAULT_OLLAMA_MODELS = [OLLAMA_MODELS.qwenBase, OLLAMA_MODELS.starcoder2, OLLAMA_MODELS.llamaChat];

// ---- Shared machinery ----

export type Handler = (ctx: Ctx) => void | Promise<void>;

export interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  rec: RecordedRequest;
  opts: FakeServerOptions;
  /** True once the client has gone away. */
  gone(): boolean;
}

interface Planned {
  text: string;
  tokens: number;
  /** 'stop' (natural end or stop string), 'length' (token limit). */
  reason: 'stop' | 'length';
  stoppingWord?: string;
}

/** Cut `output` the way a real server would: at the first stop string, then at the token limit. */
export function planOutput(output: string, stop: unknown, maxTokens: unknown): Planned {
  let text = output;
  let reason: Planned['reason'] = 'stop';
  let stoppingWord: string | undefined;
  const stops = Array.isArray(stop) ? stop.filter((s): s is string => typeof s === 'string' && s.length > 0) : typeof stop === 'string' && stop ? [stop] : [];
  let cut = -1;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (cut < 0 || i < cut)) { cut = i; stoppingWord = s; }
  }
  if (cut >= 0) text = text.slice(0, cut);
  const limit = typeof maxTokens === 'number' && maxTokens > 0 ? maxTokens * FAKE_CHARS_PER_TOKEN : Infinity;
  if (text.length > limit) { text = text.slice(0, limit); reason = 'length'; stoppingWord = undefined; }
  return { text, tokens: countTokens(text), reason, stoppingWord };
}

export function countTokens(text: string): number {
  return Math.ceil(text.length / FAKE_CHARS_PER_TOKEN);
}

export function chunksOf(text: string, size: number): string[] {
  if (size >= text.length) return text ? [text] : []; // one piece: no need to split characters (a 10 MB token)
  const chars = Array.from(text); // never split a surrogate pair
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) out.push(chars.slice(i, i + Math.max(1, size)).join(''));
  return out;
}

export const wait = (ms: number) => new Promise<void>(r => (ms > 0 ? setTimeout(r, ms) : setImmediate(r)));

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Decides whether the current request gets the configured fault, consuming one use of `faultCount`. */
export function takeFault(ctx: Ctx, defaultPaths: string[]): FakeFault | undefined {
  const { opts, rec } = ctx;
  if (opts.fault === undefined) return undefined;
  const paths = opts.faultPaths ?? defaultPaths;
  if (!paths.includes(rec.path)) return undefined;
  const fault = opts.fault;
  if (opts.faultCount !== undefined) {
    opts.faultCount -= 1;
    if (opts.faultCount <= 0) { opts.fault = undefined; opts.faultCount = undefined; }
  }
  return fault;
}

/** Streams pre-cut chunks with delays, stopping as soon as the client goes away. Honours cut/malformed/stall. */
export async function streamChunks(
  ctx: Ctx,
  pieces: string[],
  write: (piece: string) => string,
  finish: () => string,
  fault: FakeFault | undefined,
  malformedLine: string,
  errorLine = '',
): Promise<void> {
  const { res, opts } = ctx;
  await wait(opts.firstChunkDelayMs ?? opts.chunkDelayMs ?? 0);
  for (let i = 0; i < pieces.length; i++) {
    if (ctx.gone()) return;
    if (i > 0) await wait(opts.chunkDelayMs ?? 0);
    if (ctx.gone()) return;
    if (fault === 'cut' && i >= Math.min(2, pieces.length - 1)) { res.socket?.destroy(); return; }
    if (fault === 'truncate' && i >= Math.min(2, pieces.length - 1)) { res.end(); return; }
    if (fault === 'malformed' && i >= Math.min(1, pieces.length - 1)) { res.write(malformedLine); res.end(); return; }
    if (fault === 'stream-error' && i >= Math.min(2, pieces.length - 1)) { res.write(errorLine); res.end(); return; }
    await writeFragmented(ctx, write(pieces[i]));
    if (fault === 'stall') return; // leave the response open forever (until close())
  }
  if (ctx.gone()) return;
  if (fault === 'cut') { res.socket?.destroy(); return; }
  if (fault === 'truncate') { res.end(); return; }
  if (fault === 'malformed') { res.write(malformedLine); res.end(); return; }
  if (fault === 'stream-error') { res.write(errorLine); res.end(); return; }
  res.end(finish());
}

/** How a server words an error body for a status (each server kind has its own JSON shape). */
export type ErrorBody = (status: number, message: string) => unknown;

/**
 * Faults on paths without their own streaming fault handling (/api/show, /api/tags, /props, /v1/models ...):
 * only when the test names the path in `faultPaths`. Returns true when the fault answered the request.
 */
function genericFault(ctx: Ctx, streamingPaths: string[], errorBody: ErrorBody): boolean {
  const { opts, rec, res } = ctx;
  if (opts.fault === undefined || streamingPaths.includes(rec.path) || !opts.faultPaths?.includes(rec.path)) return false;
  const fault = takeFault(ctx, []);
  if (fault === undefined) return false;
  if (fault === 'hang') return true;
  if (typeof fault === 'number') { sendJson(res, fault, errorBody(fault, opts.faultMessage ?? `fake failure ${fault}`)); return true; }
  if (fault === 'cut') { res.socket?.destroy(); return true; }
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  if (fault === 'stall') { res.write('{'); return true; }
  res.end('{"broken": '); // malformed, truncate, stream-error: a body that is not JSON
  return true;
}

async function writeFragmented(ctx: Ctx, frame: string): Promise<void> {
  const size = ctx.opts.fragmentBytes;
  if (!size || size <= 0) { ctx.res.write(frame); return; }
  const bytes = Buffer.from(frame, 'utf8');
  for (let at = 0; at < bytes.length; at += size) {
    if (ctx.gone()) return;
    ctx.res.write(bytes.subarray(at, at + size));
    await new Promise(r => setTimeout(r, 1));
  }
}

export async function startServer(
  initial: FakeServerOptions,
  routes: Record<string, Handler>,
  streamingPaths: string[],
  errorBody: ErrorBody,
  guard?: (ctx: Ctx) => boolean,
): Promise<FakeServer> {
  const opts: FakeServerOptions = { ...initial };
  const requests: RecordedRequest[] = [];
  const server = http.createServer({ noDelay: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try { body = rawBody ? JSON.parse(rawBody) : undefined; } catch { body = undefined; }
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0],
        query: (req.url ?? '').split('?')[1] ?? '',
        headers: req.headers,
        body,
        rawBody,
        abortedByClient: false,
        receivedAt: Date.now(),
      };
      requests.push(rec);
      let closed = false;
      res.on('close', () => {
        closed = true;
        if (!res.writableFinished) { rec.abortedByClient = true; rec.abortedAt = Date.now(); }
      });
      const ctx: Ctx = { req, res, rec, opts, gone: () => closed || res.destroyed };
      if (opts.redirectTo !== undefined) {
        res.writeHead(opts.redirectStatus ?? 307, { Location: opts.redirectTo + rec.path, 'Content-Length': 0 });
        res.end();
        return;
      }
      if (guard && !guard(ctx)) return;
      if (genericFault(ctx, streamingPaths, errorBody)) return;
      const handler = routes[`${rec.method} ${rec.path}`];
      if (!handler) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('404 page not found');
        return;
      }
      Promise.resolve(handler(ctx)).catch(err => {
        if (!res.headersSent) sendJson(res, 500, { error: String(err?.message ?? err) });
        else res.destroy();
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set(next) { Object.assign(opts, next); },
    requestsTo(path) { return requests.filter(r => r.path === path); },
    close() {
      return new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections(); // also ends hanging/stalled responses
      });
    },
  };
}

function modelNamed(models: FakeModel[], name: string): FakeModel | undefined {
  const norm = (n: string) => (n.includes(':') ? n : `${n}:latest`);
  return models.find(m => norm(m.name) === norm(name));
}

// ---- Ollama ----

const OLLAMA_GEN_PATHS = ['/api/generate', '/api/chat', '/api/pull'];

function ollamaError(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: message });
}

function ollamaStatusMessage(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not found';
  if (status === 503) return 'server busy, please try again.  maximum pending requests exceeded';
  return 'llama runner process has terminated: exit status 2';
}

/**
 * Ollama's api/types.go Duration.UnmarshalJSON: a number is seconds, a string goes through Go's
 * time.ParseDuration, which wants a unit on every number except a bare "0".
 */
export function ollamaKeepAliveError(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'number') return undefined;
  if (typeof value !== 'string') return `json: cannot unmarshal ${typeof value} into Go struct field GenerateRequest.keep_alive of type api.Duration`;
  if (/^[-+]?0$/.test(value) || /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(value)) return undefined;
  return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(value) ? `time: missing unit in duration "${value}"` : `time: invalid duration "${value}"`;
}

function nsFromMs(ms: number): number {
  return Math.round(ms * 1e6);
}

/** Starts a fake Ollama: /api/generate, /api/chat, /api/show, /api/tags, /api/pull, /api/version. */
export function startFakeOllama(initial: FakeServerOptions = {}): Promise<FakeServer> {
  const base: FakeServerOptions = { models: DEFAULT_OLLAMA_MODELS, ...initial };
  const models = (ctx: Ctx) => ctx.opts.models ?? [];

  const generateLike = (chat: boolean): Handler => async ctx => {
    const { res, rec, opts } = ctx;
    const body = rec.body;
    if (!body || typeof body !== 'object') return ollamaError(res, 400, 'missing request body');
    const name = String(body.model ?? '');
    const model = modelNamed(models(ctx), name);
    if (!model) return ollamaError(res, 404, `model '${name}' not found`);
    const fault = takeFault(ctx, OLLAMA_GEN_PATHS);
    if (fault === 'hang') return;
    if (typeof fault === 'number') return ollamaError(res, fault, opts.faultMessage ?? ollamaStatusMessage(fault));
    const keepAliveProblem = ollamaKeepAliveError(body.keep_alive);
    if (keepAliveProblem) return ollamaError(res, 400, keepAliveProblem);
    const caps = model.capabilities ?? ['completion'];
    if (!chat && body.suffix && !caps.includes('insert')) {
      return ollamaError(res, 400, `registry.ollama.ai/library/${model.name} does not support insert`);
    }
    if (!chat && body.raw && (body.template || body.system || body.context)) {
      return ollamaError(res, 400, 'raw mode does not support template, system, or context');
    }
    const gen: FakeGeneration = chat
      ? { endpoint: rec.path, model: name, prompt: (body.messages ?? []).map((m: any) => m.content).join('\n'), suffix: '', raw: false }
      : { endpoint: rec.path, model: name, prompt: String(body.prompt ?? ''), suffix: String(body.suffix ?? ''), raw: !!body.raw };
    const o = body.options ?? {};
    const planned = planOutput((opts.respond ?? defaultRespond)(body, gen), o.stop, opts.ignoreTokenLimit ? undefined : o.num_predict);
    const streaming = body.stream !== false;
    const started = Date.now();
    const promptTokens = countTokens(gen.prompt + gen.suffix);
    const frame = (text: string, done: boolean) => {
      const created_at = new Date().toISOString();
      const head = chat
        ? { model: name, created_at, message: { role: 'assistant', content: text }, done }
        : { model: name, created_at, response: text, done };
      if (!done) return head;
      const total = Date.now() - started;
      return {
        ...head,
        done_reason: planned.reason,
        ...(chat || body.raw ? {} : { context: [1, 2, 3] }),
        total_duration: nsFromMs(total + 1),
        load_duration: nsFromMs(0.5),
        prompt_eval_count: promptTokens,
        prompt_eval_duration: nsFromMs(Math.max(0.1, opts.firstChunkDelayMs ?? opts.chunkDelayMs ?? 0)),
        eval_count: planned.tokens,
        eval_duration: nsFromMs(Math.max(0.1, total)),
      };
    };
    if (!streaming) {
      await wait(opts.firstChunkDelayMs ?? 0);
      if (ctx.gone()) return;
      return sendJson(res, 200, { ...frame(planned.text, true), ...(chat ? { message: { role: 'assistant', content: planned.text } } : { response: planned.text }) });
    }
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    await streamChunks(
      ctx,
      chunksOf(planned.text, opts.chunkChars ?? 4),
      piece => JSON.stringify(frame(piece, false)) + '\n',
      () => JSON.stringify(frame('', true)) + '\n',
      fault,
      `{"model":"${name}","created_at":"2024-01-01T00:00:00Z","response":"bro\n`,
      JSON.stringify({ error: opts.faultMessage ?? 'an error was encountered while running the model: unexpected EOF' }) + '\n',
    );
  };

  const showHandler: Handler = ctx => {
    const { res, rec } = ctx;
    const name = String(rec.body?.model ?? rec.body?.name ?? '');
    const model = modelNamed(models(ctx), name);
    if (!model) return ollamaError(res, 404, `model '${name}' not found`);
    const family = model.family ?? 'llama';
    sendJson(res, 200, {
      license: 'Apache License 2.0',
      modelfile: `# Modelfile generated by "ollama show"\nFROM /root/.ollama/models/blobs/sha256-0000\nTEMPLATE """${model.template ?? '{{ .Prompt }}'}"""\n`,
      parameters: 'stop                           "<|endoftext|>"',
      template: model.template ?? '{{ .Prompt }}',
      details: { parent_model: '', format: 'gguf', family, families: [family], parameter_size: '1.5B', quantization_level: 'Q4_K_M' },
      model_info: {
        'general.architecture': family,
        'general.basename': model.name.split(':')[0],
        'general.parameter_count': 1543714304,
        [`${family}.context_length`]: 32768,
      },
      capabilities: model.capabilities ?? ['completion'],
      modified_at: '2025-01-01T00:00:00Z',
    });
  };

  const tagsHandler: Handler = ctx => {
    sendJson(ctx.res, 200, {
      models: models(ctx).map(m => ({
        name: m.name.includes(':') ? m.name : `${m.name}:latest`,
        model: m.name.includes(':') ? m.name : `${m.name}:latest`,
        modified_at: '2025-01-01T00:00:00Z',
        size: 986061892,
        digest: 'a'.repeat(64),
        details: { parent_model: '', format: 'gguf', family: m.family ?? 'llama', families: [m.family ?? 'llama'], parameter_size: '1.5B', quantization_level: 'Q4_K_M' },
      })),
    });
  };

  const pullHandler: Handler = async ctx => {
    const { res, rec, opts } = ctx;
    const name = String(rec.body?.model ?? rec.body?.name ?? '');
    const fault = takeFault(ctx, OLLAMA_GEN_PATHS);
    if (fault === 'hang') return;
    if (typeof fault === 'number') return ollamaError(res, fault, opts.faultMessage ?? ollamaStatusMessage(fault));
    const pullable = opts.pullable ?? (() => true);
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    const lines: object[] = [{ status: 'pulling manifest' }];
    if (!pullable(name)) {
      lines.push({ error: 'pull model manifest: file does not exist' });
    } else {
      const layers = [{ digest: 'sha256:' + '1'.repeat(64), total: 986_000_000 }, { digest: 'sha256:' + '2'.repeat(64), total: 1_500 }];
      const steps = Math.max(1, opts.pullSteps ?? 4);
      for (const layer of layers) {
        for (let i = 0; i <= steps; i++) {
          lines.push({ status: `pulling ${layer.digest.slice(7, 19)}`, digest: layer.digest, total: layer.total, completed: Math.round((layer.total * i) / steps) });
        }
      }
      lines.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' });
    }
    await streamChunks(
      ctx,
      lines.map(l => JSON.stringify(l) + '\n'),
      piece => piece,
      () => {
        if (pullable(name) && !modelNamed(opts.models ?? [], name)) {
          opts.models = [...(opts.models ?? []), { name, capabilities: ['completion', 'insert'], family: 'qwen2', template: OLLAMA_TEMPLATES.qwenCoderBase }];
        }
        return '';
      },
      fault,
      '{"status":"pulling 1111","digest":\n',
    );
  };

  return startServer(base, {
    'POST /api/generate': generateLike(false),
    'POST /api/chat': generateLike(true),
    'POST /api/show': showHandler,
    'GET /api/tags': tagsHandler,
    'POST /api/pull': pullHandler,
    'GET /api/version': ctx => sendJson(ctx.res, 200, { version: ctx.opts.version ?? '0.12.6' }),
    'GET /': ctx => { ctx.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }); ctx.res.end('Ollama is running'); },
    'HEAD /': ctx => { ctx.res.writeHead(200); ctx.res.end(); },
  }, OLLAMA_GEN_PATHS, (_status, message) => ({ error: message }));
}

// ---- SSE helpers (llama.cpp and OpenAI) ----

export const sse = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

export function bearerOk(ctx: Ctx): boolean {
  const key = ctx.opts.apiKey;
  if (!key) return true;
  return ctx.req.headers.authorization === `Bearer ${key}`;
}

// ---- llama.cpp server ----

const LLAMACPP_GEN_PATHS = ['/infill', '/completion', '/completions', '/v1/completions'];

function llamaError(res: http.ServerResponse, status: number, message: string, type: string): void {
  sendJson(res, status, { error: { code: status, message, type } });
}

const LLAMA_ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error', 501: 'not_supported_error', 503: 'unavailable_error' };

/** Starts a fake llama.cpp server: /infill, /completion, /props, /health, /v1/models. */
export function startFakeLlamaCpp(initial: FakeServerOptions = {}): Promise<FakeServer> {
  const base: FakeServerOptions = {
    models: [{ name: 'qwen2.5-coder-1.5b-q8_0.gguf', fim: true }],
    modelPath: '/models/qwen2.5-coder-1.5b-q8_0.gguf',
    ...initial,
  };
  let previousPrompt = ''; // for tokens_cached: how much of the last prompt the slot's KV cache still matches

  const loaded = (ctx: Ctx): FakeModel => (ctx.opts.models ?? [])[0] ?? { name: 'model.gguf', fim: true };
  // Router mode answers 400 without a model name and 404 for a name it does not serve (then returns undefined).
  const routedModel = (ctx: Ctx, name: unknown): FakeModel | undefined => {
    if (typeof name !== 'string' || !name) { llamaError(ctx.res, 400, 'model name is missing from the request', 'invalid_request_error'); return undefined; }
    const model = (ctx.opts.models ?? []).find(m => m.name === name);
    if (!model) llamaError(ctx.res, 404, `model not found: ${name}`, 'not_found_error');
    return model;
  };

  const generate = (infill: boolean): Handler => async ctx => {
    const { res, rec, opts } = ctx;
    const body = rec.body;
    if (!body || typeof body !== 'object') return llamaError(res, 400, 'Failed to parse JSON', 'invalid_request_error');
    const fault = takeFault(ctx, LLAMACPP_GEN_PATHS);
    if (fault === 'hang') return;
    if (typeof fault === 'number') return llamaError(res, fault, opts.faultMessage ?? (fault === 503 ? 'Loading model' : 'Internal server error'), LLAMA_ERROR_TYPES[fault] ?? 'server_error');
    if (opts.router && routedModel(ctx, body.model) === undefined) return;
    const model = opts.router ? routedModel(ctx, body.model)! : loaded(ctx);
    if (infill && model.fim === false) {
      return llamaError(res, 501, 'Infill is not supported by this model: prefix token is missing. suffix token is missing. middle token is missing. ', 'not_supported_error');
    }
    if (infill && (body.input_prefix === undefined || typeof body.input_prefix !== 'string')) {
      return llamaError(res, 400, '"input_prefix" is required', 'invalid_request_error');
    }
    if (infill && body.input_extra !== undefined && (!Array.isArray(body.input_extra) || body.input_extra.some((c: any) => typeof c?.text !== 'string'))) {
      return llamaError(res, 400, '"input_extra" must be an array of {"filename": string, "text": string}', 'invalid_request_error');
    }
    const gen: FakeGeneration = infill
      ? { endpoint: rec.path, model: model.name, prompt: String(body.input_prefix ?? ''), suffix: String(body.input_suffix ?? ''), raw: false }
      : { endpoint: rec.path, model: model.name, prompt: String(body.prompt ?? ''), suffix: '', raw: true };
    // The layout llama.cpp feeds the model: extra context, prefix, suffix, then the prompt after the middle token.
    const assembled = infill
      ? (body.input_extra ?? []).map((c: any) => `${c.filename}\n${c.text}`).join('\n') + '<PRE>' + gen.prompt + '<SUF>' + gen.suffix + '<MID>' + String(body.prompt ?? '')
      : gen.prompt;
    let common = 0;
    if (body.cache_prompt !== false) while (common < assembled.length && common < previousPrompt.length && assembled[common] === previousPrompt[common]) common++;
    previousPrompt = assembled;
    const promptTokens = countTokens(assembled);
    const cached = Math.min(promptTokens, Math.floor(common / FAKE_CHARS_PER_TOKEN));
    const planned = planOutput((opts.respond ?? defaultRespond)(body, gen), body.stop, opts.ignoreTokenLimit ? undefined : body.n_predict);
    const started = Date.now();
    const pieces = chunksOf(planned.text, opts.chunkChars ?? 4);
    const tMax = typeof body.t_max_predict_ms === 'number' && body.t_max_predict_ms > 0 ? body.t_max_predict_ms : Infinity;
    const final = (sent: string, timedOut: boolean) => {
      const elapsed = Date.now() - started;
      const predicted = countTokens(sent);
      const promptMs = Math.max(0.1, opts.firstChunkDelayMs ?? opts.chunkDelayMs ?? 0);
      return {
        content: '',
        id_slot: 0,
        stop: true,
        model: model.name,
        tokens_predicted: predicted,
        tokens_evaluated: promptTokens,
        generation_settings: { n_predict: body.n_predict ?? -1, temperature: body.temperature ?? 0.8 },
        prompt: '',
        has_new_line: sent.includes('\n'),
        truncated: false,
        stop_type: timedOut || planned.reason === 'length' ? 'limit' : planned.stoppingWord ? 'word' : 'eos',
        stopping_word: planned.stoppingWord ?? '',
        tokens_cached: cached + predicted,
        timings: {
          prompt_n: promptTokens - cached,
          prompt_ms: promptMs,
          prompt_per_token_ms: promptMs / Math.max(1, promptTokens - cached),
          prompt_per_second: (1000 * (promptTokens - cached)) / promptMs,
          predicted_n: predicted,
          predicted_ms: Math.max(0.1, elapsed),
          predicted_per_token_ms: Math.max(0.1, elapsed) / Math.max(1, predicted),
          predicted_per_second: (1000 * predicted) / Math.max(0.1, elapsed),
        },
        index: 0,
      };
    };
    if (body.stream !== true) {
      await wait(opts.firstChunkDelayMs ?? 0);
      if (ctx.gone()) return;
      return sendJson(res, 200, { ...final(planned.text, false), content: planned.text });
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    // t_max_predict_ms: stop early (as llama.cpp does) once generation time exceeds the cap.
    let sent = '';
    let timedOut = false;
    await streamChunks(
      ctx,
      pieces,
      piece => {
        if (timedOut) return '';
        if (Date.now() - started > tMax && sent.length > 0) { timedOut = true; return ''; }
        sent += piece;
        return sse({ index: 0, content: piece, tokens: [], stop: false, id_slot: 0, tokens_predicted: countTokens(sent), tokens_evaluated: promptTokens });
      },
      () => sse(final(sent, timedOut)),
      fault,
      'data: {"index":0,"content":"x\n\n',
      'error: ' + JSON.stringify({ code: 500, message: opts.faultMessage ?? 'Failed to decode the batch', type: 'server_error' }) + '\n\n',
    );
  };

  return startServer(
    base,
    {
      'POST /infill': generate(true),
      'POST /completion': generate(false),
      'POST /completions': generate(false),
      'GET /props': ctx => {
        const model = ctx.opts.router ? routedModel(ctx, new URLSearchParams(ctx.rec.query).get('model')) : loaded(ctx);
        if (!model) return;
        sendJson(ctx.res, 200, {
        default_generation_settings: { n_ctx: 4096, params: { n_predict: -1, temperature: 0.8, top_k: 40, top_p: 0.95 } },
        total_slots: 1,
        model_path: ctx.opts.router ? `/models/${model.name}` : ctx.opts.modelPath ?? `/models/${model.name}`,
        chat_template: model.template ?? '',
        modalities: { vision: false, audio: false },
        build_info: 'b6000-fake',
        });
      },
      'GET /health': ctx => sendJson(ctx.res, 200, { status: 'ok' }),
      'GET /v1/models': ctx => sendJson(ctx.res, 200, {
        object: 'list',
        data: (ctx.opts.models ?? []).map(m => ({ id: m.name, object: 'model', created: 1735689600, owned_by: 'llamacpp', meta: { n_ctx_train: 32768 } })),
      }),
    },
    LLAMACPP_GEN_PATHS,
    (status, message) => ({ error: { code: status, message, type: LLAMA_ERROR_TYPES[status] ?? 'server_error' } }),
    ctx => {
      if (bearerOk(ctx) || ctx.rec.path === '/health') return true;
      llamaError(ctx.res, 401, 'Invalid API Key', 'authentication_error');
      return false;
    },
  );
}

// ---- OpenAI-compatible ----

const OPENAI_GEN_PATHS = ['/v1/completions'];

function openaiError(res: http.ServerResponse, status: number, message: string, type: string, code: string | null): void {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

/** Starts a fake OpenAI-compatible server: /v1/completions (SSE), /v1/models, Bearer auth when apiKey is set. */
export function startFakeOpenAI(initial: FakeServerOptions = {}): Promise<FakeServer> {
  const base: FakeServerOptions = { models: [{ name: 'Qwen/Qwen2.5-Coder-1.5B' }], ...initial };
  let counter = 0;

  const completions: Handler = async ctx => {
    const { res, rec, opts } = ctx;
    const body = rec.body;
    if (!body || typeof body !== 'object') return openaiError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
    const name = String(body.model ?? '');
    const model = (opts.models ?? []).find(m => m.name === name);
    if (!model) return openaiError(res, 404, `The model \`${name}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    for (const field of opts.rejectFields ?? []) {
      if (body[field] === undefined) continue;
      return openaiError(res, 400, field === 'suffix' ? 'suffix is not currently supported' : `Unrecognized request argument supplied: ${field}`, 'invalid_request_error', null);
    }
    if (Array.isArray(body.stop) && body.stop.length > 4) {
      return openaiError(res, 400, `Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${body.stop.length} instead.`, 'invalid_request_error', 'array_above_max_length');
    }
    const fault = takeFault(ctx, OPENAI_GEN_PATHS);
    if (fault === 'hang') return;
    if (typeof fault === 'number') {
      const type = fault === 401 ? 'invalid_request_error' : fault === 429 ? 'rate_limit_error' : 'server_error';
      return openaiError(res, fault, opts.faultMessage ?? (fault === 401 ? 'Incorrect API key provided.' : 'The server had an error while processing your request.'), type, fault === 401 ? 'invalid_api_key' : null);
    }
    const gen: FakeGeneration = { endpoint: rec.path, model: name, prompt: String(body.prompt ?? ''), suffix: String(body.suffix ?? ''), raw: body.suffix === undefined };
    const planned = planOutput((opts.respond ?? defaultRespond)(body, gen), body.stop, opts.ignoreTokenLimit ? undefined : body.max_tokens ?? 16);
    const id = `cmpl-fake${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: countTokens(gen.prompt + gen.suffix), completion_tokens: planned.tokens, total_tokens: countTokens(gen.prompt + gen.suffix) + planned.tokens };
    const chunk = (text: string, finish: string | null) => ({ id, object: 'text_completion', created, model: name, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] });
    if (body.stream !== true) {
      await wait(opts.firstChunkDelayMs ?? 0);
      if (ctx.gone()) return;
      return sendJson(res, 200, { ...chunk(planned.text, planned.reason), usage });
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    await streamChunks(
      ctx,
      chunksOf(planned.text, opts.chunkChars ?? 4),
      piece => sse(chunk(piece, null)),
      () => sse(chunk('', planned.reason)) + (body.stream_options?.include_usage ? sse({ id, object: 'text_completion', created, model: name, choices: [], usage }) : '') + sse('[DONE]'),
      fault,
      'data: {"id":"cmpl-broken","choices":[{"text":\n\n',
      sse({ error: { message: opts.faultMessage ?? 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }),
    );
  };

  return startServer(
    base,
    {
      'POST /v1/completions': completions,
      'GET /v1/models': ctx => sendJson(ctx.res, 200, {
        object: 'list',
        data: (ctx.opts.models ?? []).map(m => ({ id: m.name, object: 'model', created: 1735689600, owned_by: 'organization-owner' })),
      }),
    },
    OPENAI_GEN_PATHS,
    (_status, message) => ({ error: { message, type: 'server_error', param: null, code: null } }),
    ctx => {
      if (bearerOk(ctx)) return true;
      const given = ctx.req.headers.authorization;
      openaiError(ctx.res, 401, given ? 'Incorrect API key provided.' : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", 'invalid_request_error', given ? 'invalid_api_key' : null);
      return false;
    },
  );
}
