// `infill` command line (dist/cli.js): the same engine the VS Code provider drives, without VS Code.
//   complete     one suggestion for a file position, printed to stdout
//   postprocess  JSON Lines in, post-processed completions out (for quality benchmarks)
//   check        is the server reachable, is the model there, does it fill in the middle, how fast
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend } from '../backend';
import { BACKEND_KINDS, type Backend, type BackendKind } from '../backend/types';
import { DEFAULT_CONFIG, DEFAULT_ENDPOINTS, DEFAULT_MODELS, type InfillConfig } from '../config/types';
import { createNodeContextProvider, languageForPath, looksLikeSecretPath } from '../context';
import { noContext, type ContextProvider } from '../context/types';
import { documentBlocker } from '../document/documentContext';
import type { DocumentSnapshot } from '../document/types';
import { CompletionEngine, type EngineStatus, type RequestRecord, type Suggestion } from '../pipeline/engine';
import { checkSetup, describeTiming } from '../pipeline/setupCheck';
import { TemplateResolver } from '../pipeline/templateResolver';
import { decideMultiline } from '../decisions';
import { createPostprocessor } from '../postprocess';
import { isFimFamily } from '../prompt/templates';
import type { FimFamily } from '../prompt/types';
import { stderrLogger, type Logger } from '../util/log';
import { maskCredentials } from '../util/url';
import { runPostprocessCommand } from './postprocessCommand';
import { errorMessage } from '../util/errors';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** No server answered at the endpoint. */
export const EXIT_UNREACHABLE = 2;
export const EXIT_USAGE = 64;

/** The CLI waits longer than the editor: a cold model load on a CPU can take many seconds. */
const CLI_REQUEST_TIMEOUT_MS = 120_000;

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborts the running command (Ctrl+C). */
  signal?: AbortSignal;
}

/** How users start the CLI from the project folder (after `npm run build`): package.json's bin, or the file. */
const CLI = 'npx infill';
const CLI_FILE = 'node dist/cli.js';

const USAGE = `Usage: ${CLI} <command> [options]      (or ${CLI_FILE} <command> [options])

Commands:
  complete --file F --line L --col C   Print the suggestion for line L, column C of F (1-based, as editors show).
      --backend KIND                     ollama, llamacpp, openai, codestral or deepseek (default ollama; env INFILL_BACKEND).
      --endpoint URL                     Server URL (default per backend, e.g. http://127.0.0.1:11434;
                                         env INFILL_ENDPOINT, or OLLAMA_HOST for Ollama).
      --model M                          Model name (default ${DEFAULT_CONFIG.model}; env INFILL_MODEL).
      --template FAMILY                  FIM template: qwen, starcoder, codellama, deepseek, codegemma,
                                         codestral, granite (default: detect from the server and the name).
      --workspace DIR                    Gather related context from this folder (imports, ignore files honoured).
      --open FILE [FILE...]              Files treated as open editor tabs (related context).
      --max-tokens N                     Generation limit (default ${DEFAULT_CONFIG.maxTokensSingleLine} single-line, ${DEFAULT_CONFIG.maxTokensMultiline} multi-line).
      --timeout-ms N                     Give up after N ms (default ${CLI_REQUEST_TIMEOUT_MS}).
      --json                             Print {text, insertText, range, source, timings} as JSON.
      --verbose                          Request log and figures on stderr.
  postprocess                          Read JSON Lines {"id","language","prefix","suffix","output"} on stdin,
                                       write {"id","completion"} lines: the provider's exact post-processing.
  check [--backend --endpoint --model --template]
                                       Check the server, the model and its FIM support; time one request.
  help                                 This text.

Environment: INFILL_API_KEY is sent as the bearer token (OpenAI-compatible servers, llama.cpp --api-key).
Exit codes: 0 success, 1 failure, 2 no server answers at the endpoint, 64 bad usage.`;

class UsageError extends Error {}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'complete': return await complete(rest, io);
      case 'postprocess': await runPostprocessCommand(io.stdin, io.stdout); return EXIT_OK;
      case 'check': return await check(rest, io);
      case undefined: case 'help': case '--help': case '-h':
        (command === undefined ? io.stderr : io.stdout).write(USAGE + '\n');
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`infill: ${(err as Error).message}\nRun "${CLI} --help" (or "${CLI_FILE} --help") for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`infill: ${errorMessage(err)}\n`);
    return EXIT_FAILURE;
  }
}

const serverOptions = {
  backend: { type: 'string' },
  endpoint: { type: 'string' },
  model: { type: 'string' },
  template: { type: 'string' },
  'timeout-ms': { type: 'string' },
  verbose: { type: 'boolean', default: false },
} as const;

interface ServerSettings {
  config: InfillConfig;
  backend: Backend;
}

/** Settings from flags, then environment, then defaults. */
function serverSettings(values: { backend?: string; endpoint?: string; model?: string; template?: string; 'timeout-ms'?: string }, env: NodeJS.ProcessEnv): ServerSettings {
  const kind = (values.backend ?? env.INFILL_BACKEND ?? 'ollama') as BackendKind;
  if (!BACKEND_KINDS.includes(kind)) throw new UsageError(`--backend must be one of ${BACKEND_KINDS.join(', ')} (got "${kind}")`);
  const endpoint = normaliseEndpoint(values.endpoint ?? env.INFILL_ENDPOINT ?? (kind === 'ollama' ? ollamaHost(env) : undefined) ?? DEFAULT_ENDPOINTS[kind]);
  const template = values.template ?? 'auto';
  if (template !== 'auto' && !isFimFamily(template)) {
    throw new UsageError(`--template must be one of qwen, starcoder, codellama, deepseek, codegemma, codestral, granite (got "${template}")`);
  }
  const config: InfillConfig = {
    ...DEFAULT_CONFIG,
    backend: kind,
    endpoint,
    model: values.model ?? env.INFILL_MODEL ?? DEFAULT_MODELS[kind] ?? DEFAULT_CONFIG.model,
    template: template as FimFamily | 'auto',
    requestTimeoutMs: positiveInt(values['timeout-ms'], '--timeout-ms') ?? CLI_REQUEST_TIMEOUT_MS,
  };
  const backend = createBackend({ kind, endpoint, apiKey: env.INFILL_API_KEY || undefined });
  return { config, backend };
}

function normaliseEndpoint(raw: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try { url = new URL(withScheme); } catch { throw new UsageError(`--endpoint is not a URL: "${raw}"`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--endpoint must be an http(s) URL (got "${raw}")`);
  return withScheme.replace(/\/+$/, '');
}

/** OLLAMA_HOST as Ollama itself reads it ("0.0.0.0:11434" means this machine). */
function ollamaHost(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.OLLAMA_HOST?.trim();
  if (!host) return undefined;
  const withScheme = /^[a-z]+:\/\//i.test(host) ? host : `http://${host}`;
  const withPort = /:\d+(\/|$)/.test(withScheme.replace(/^[a-z]+:\/\//i, '')) ? withScheme : `${withScheme}:11434`;
  return withPort.replace('://0.0.0.0', '://127.0.0.1');
}

function positiveInt(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer (got "${raw}")`);
  return n;
}

/** What `complete` was asked for, checked. */
interface CompleteRequest {
  /** The file as the user named it (for messages), and resolved. */
  name: string;
  file: string;
  /** 1-based, as given. */
  line: number;
  col: number;
  openFiles: string[];
  workspace?: string;
  /** --workspace as given, for messages. */
  workspaceName?: string;
  maxTokens?: number;
  json: boolean;
  verbose: boolean;
}

async function complete(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...serverOptions,
      file: { type: 'string' },
      line: { type: 'string' },
      col: { type: 'string' },
      workspace: { type: 'string' },
      open: { type: 'string', multiple: true },
      'max-tokens': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (!values.file || !values.line || !values.col) throw new UsageError('complete needs --file, --line and --col');
  // `--open a.ts b.ts`: the files after the first one arrive as positionals.
  if (positionals.length && !values.open) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const openFiles = [...(values.open ?? []), ...positionals];
  const request: CompleteRequest = {
    name: values.file,
    file: path.resolve(io.cwd, values.file),
    line: positiveInt(values.line, '--line')!,
    col: positiveInt(values.col, '--col')!,
    openFiles,
    workspace: values.workspace ? path.resolve(io.cwd, values.workspace) : openFiles.length ? io.cwd : undefined,
    workspaceName: values.workspace,
    maxTokens: positiveInt(values['max-tokens'], '--max-tokens'),
    json: values.json ?? false,
    verbose: values.verbose ?? false,
  };
  const { config, backend } = serverSettings(values, io.env);
  const log = stderrLoggerTo(io.stderr, request.verbose ? 'debug' : 'error');

  const text = readDocumentAt(request);
  const { context, relativePath } = contextFor(request, { config, log, cwd: io.cwd });
  const snapshot: DocumentSnapshot = { uri: request.file, relativePath, languageId: languageForPath(request.file) ?? 'plaintext', text, version: 0 };
  const blocked = documentBlocker(snapshot, config.maxFileBytes);
  if (blocked) throw new Error(`${request.name}: ${blocked}`);

  const resolver = new TemplateResolver();
  const engine = new CompletionEngine({
    config: () => config,
    backend: async () => backend,
    template: signal => resolver.resolve(backend, config, signal),
    context,
    postprocessor: createPostprocessor(),
    decideMultiline,
    log,
    maxTokens: request.maxTokens,
    repoName: request.workspace ? path.basename(request.workspace) : undefined,
    // One answer per process: waiting for related context is worth more than a fast empty answer.
    contextTimeoutMs: 3000,
  });
  let error: EngineStatus | undefined;
  let record: RequestRecord | undefined;
  engine.onStatus(s => { if (s.state === 'error') error = s; });
  engine.onRequest(r => { record = r; });

  const signal = io.signal ?? new AbortController().signal;
  const suggestion = await engine.provide(snapshot, { line: request.line - 1, character: request.col - 1 }, signal, { explicit: true });
  engine.dispose();

  if (request.verbose && record) writeRequestDetails(io, { record, snapshot, request, config });
  if (signal.aborted) return 130;
  return reportSuggestion(io, { request, suggestion, record, error });
}

/** The file's text, once the position is known to be inside it and the file is not a secret. */
function readDocumentAt({ name, file, line, col }: CompleteRequest): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const lines = text.split('\n');
  if (line > lines.length) throw new UsageError(`--line ${line} is past the end of ${name} (${lines.length} lines)`);
  const lineText = lines[line - 1].replace(/\r$/, '');
  if (col > lineText.length + 1) {
    throw new UsageError(`--col ${col} is past the end of line ${line} (${lineText.length} characters; the last column is ${lineText.length + 1})`);
  }
  if (looksLikeSecretPath(file)) throw new Error(`${name} looks like a secret (keys, credentials, .env): Infill does not complete in it`);
  return text;
}

/** Related context from the workspace (none without one), and the file's path as the prompt shows it. */
function contextFor(request: CompleteRequest, deps: { config: InfillConfig; log: Logger; cwd: string }): { context: ContextProvider; relativePath: string } {
  const { workspace, file, name } = request;
  const relativePath = path.basename(file);
  if (!workspace) return { context: noContext, relativePath };
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) throw new Error(`--workspace ${request.workspaceName}: no such folder`);
  const nodeContext = createNodeContextProvider({
    workspace,
    openFiles: request.openFiles.map(f => path.resolve(deps.cwd, f)),
    exclude: deps.config.exclude,
    maxContextTokens: deps.config.maxContextTokens,
    log: deps.log,
  });
  if (nodeContext.exclusion.isExcluded(file)) {
    throw new Error(`${name} is excluded (.gitignore, files.exclude or a secret-looking name): Infill does not complete in it`);
  }
  return { context: nodeContext, relativePath: nodeContext.exclusion.relative(file) ?? relativePath };
}

/** --verbose: what was asked of which server, the timings and the raw answer, on stderr. */
function writeRequestDetails(io: CliIo, at: { record: RequestRecord; snapshot: DocumentSnapshot; request: CompleteRequest; config: InfillConfig }): void {
  const { record, snapshot, request, config } = at;
  const req = record.request;
  io.stderr.write(`[request] ${snapshot.relativePath}:${request.line}:${request.col} (${snapshot.languageId}) → ${config.backend} ${maskCredentials(config.endpoint)} model ${config.model}\n`);
  if (req) io.stderr.write(`[request] ${req.prompt !== undefined ? 'templated prompt' : 'native FIM'}, maxTokens ${req.maxTokens}, stop ${JSON.stringify(req.stop)}${req.extra ? `, ${req.extra.length} extra snippets` : ''}\n`);
  if (record.timings) {
    const t = record.timings;
    io.stderr.write(`[timings] first token ${Math.round(t.ttftMs)} ms, total ${Math.round(t.totalMs)} ms, ${t.tokens} tokens`
      + `${t.earlyStopped ? ` (stopped early, ~${t.tokensSaved} tokens saved)` : ''}, prompt ${t.promptTokens} tokens (${t.cachedPromptTokens} cached)\n`);
  }
  if (record.raw) io.stderr.write(`[raw] ${JSON.stringify(record.raw)}\n`);
}

/** The suggestion on stdout (text, or JSON), or why there is none on stderr; the exit code. */
function reportSuggestion(
  io: CliIo,
  outcome: { request: CompleteRequest; suggestion: Suggestion | undefined; record: RequestRecord | undefined; error: EngineStatus | undefined },
): number {
  const { request, suggestion, record, error } = outcome;
  if (!suggestion) {
    if (error) {
      io.stderr.write(`infill: ${error.reason}\n`);
      if (error.errorKind === 'unreachable') {
        io.stderr.write(`Pass --endpoint URL (or set INFILL_ENDPOINT) if the server runs elsewhere; "${CLI} check" (or "${CLI_FILE} check") tests the setup.\n`);
        return EXIT_UNREACHABLE;
      }
      return EXIT_FAILURE;
    }
    io.stderr.write(`infill: no suggestion at ${request.name}:${request.line}:${request.col} (the model's answer was empty after post-processing)\n`);
    if (request.json) io.stdout.write(JSON.stringify({ text: '', source: 'model', timings: record?.timings }) + '\n');
    return EXIT_OK;
  }
  if (request.json) {
    io.stdout.write(JSON.stringify({ ...suggestion, timings: record?.timings }) + '\n');
  } else {
    io.stdout.write(suggestion.text.endsWith('\n') ? suggestion.text : suggestion.text + '\n');
  }
  return EXIT_OK;
}

async function check(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: serverOptions, allowPositionals: false });
  const { config, backend } = serverSettings(values, io.env);
  const signal = io.signal ?? new AbortController().signal;
  const report = await checkSetup(backend, config, signal, { onProgress: values.verbose ? m => io.stderr.write(`… ${m}\n`) : undefined });
  for (const line of report.lines) io.stdout.write(line + '\n');
  if (values.verbose && report.sample !== undefined) io.stdout.write(`sample: ${JSON.stringify(report.sample)}\n`);
  if (report.ok) {
    io.stdout.write(`OK: ${report.summary}\n`);
    return EXIT_OK;
  }
  io.stderr.write(`infill: ${report.summary}\n`);
  if (report.timing) io.stderr.write(`(${describeTiming(report.timing)})\n`);
  return report.errorKind === 'unreachable' ? EXIT_UNREACHABLE : EXIT_FAILURE;
}

function stderrLoggerTo(stream: NodeJS.WritableStream, level: 'debug' | 'error') {
  if (stream === process.stderr) return stderrLogger(level);
  const order = ['trace', 'debug', 'info', 'warn', 'error'];
  const at = (l: string) => (message: string | Error) => {
    if (order.indexOf(l) >= order.indexOf(level)) stream.write(`[${l}] ${maskCredentials(errorMessage(message))}\n`);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  main(process.argv.slice(2), { ...processIo(), signal: controller.signal }).then(
    code => { process.exitCode = code; },
    err => { process.stderr.write(`infill: ${maskCredentials(errorMessage(err))}\n`); process.exitCode = EXIT_FAILURE; },
  );
}
