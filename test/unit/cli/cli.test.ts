import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE, main, type CliIo } from '../../../src/cli/main';
import { CODESTRAL_PATH, DEEPSEEK_PATH, startFakeCodestral, startFakeDeepSeek } from '../../support/fakeHostedFim';
import { startFakeLlamaCpp, startFakeOllama, startFakeOpenAI, type FakeServer } from '../../support/fakeServers';
import { closedPort } from '../pipeline/fakes';

const ROOT = path.join(__dirname, '../../../..');
const FIB = 'test/fixtures/sample/fib.py';

interface Run { code: number; stdout: string; stderr: string }

async function run(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {}): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', d => { out += d; });
  stderr.on('data', d => { err += d; });
  const io: CliIo = {
    stdin: Readable.from([options.stdin ?? '']),
    stdout, stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
  };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}

describe('cli', () => {
  let ollama: FakeServer;
  let respond = 'return fib(n - 1) + fib(n - 2)\n';
  before(async () => { ollama = await startFakeOllama({ respond: () => respond }); });
  after(async () => { await ollama.close(); });

  it('complete prints the suggestion for the sample file (1-based line and column)', async () => {
    const r = await run(['complete', '--file', FIB, '--line', '5', '--col', '5', '--endpoint', ollama.url]);
    assert.equal(r.code, EXIT_OK, r.stderr);
    assert.equal(r.stdout, 'return fib(n - 1) + fib(n - 2)\n');
    assert.equal(r.stderr, '');
    const body = ollama.requestsTo('/api/generate').at(-1)!.body;
    assert.equal(body.model, 'qwen2.5-coder:1.5b-base');
    // The cursor line's typed text (its 4 spaces) goes after the middle token (buildRequest.withPrompt).
    assert.match(body.prompt, /        return n\n<\|fim_suffix\|>[^]*<\|fim_middle\|> {4}$/, 'cursor after the 4 spaces of line 5');
  });

  it('complete --json and --verbose give the range and the request figures', async () => {
    const r = await run(['complete', '--file', FIB, '--line', '5', '--col', '5', '--endpoint', ollama.url, '--json', '--verbose', '--max-tokens', '20']);
    assert.equal(r.code, EXIT_OK, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.text, 'return fib(n - 1) + fib(n - 2)');
    assert.deepEqual(json.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } });
    assert.equal(json.source, 'model');
    assert.ok(json.timings.totalMs >= 0);
    assert.match(r.stderr, /\[timings\] first token \d+ ms/);
    assert.match(r.stderr, /maxTokens 20/);
    assert.equal(ollama.requestsTo('/api/generate').at(-1)!.body.options.num_predict, 20);
  });

  it('complete reads the endpoint and model from the environment', async () => {
    const r = await run(['complete', '--file', FIB, '--line', '5', '--col', '5'], { env: { INFILL_ENDPOINT: ollama.url, INFILL_MODEL: 'starcoder2:3b' } });
    assert.equal(r.code, EXIT_OK, r.stderr);
    const body = ollama.requestsTo('/api/generate').at(-1)!.body;
    assert.equal(body.model, 'starcoder2:3b');
    assert.match(body.prompt, /<fim_prefix>/, 'StarCoder layout detected from the server');
  });

  it('complete says clearly that no server answers, and exits 2', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const r = await run(['complete', '--file', FIB, '--line', '5', '--col', '5', '--endpoint', endpoint]);
    assert.equal(r.code, EXIT_UNREACHABLE);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(`Cannot reach Ollama at ${endpoint}`), r.stderr);
    assert.match(r.stderr, /ollama serve/);
    assert.match(r.stderr, /--endpoint/);
  });

  it('never prints a password written into the endpoint (issue 13 row 7)', async () => {
    const r = await run(['complete', '--file', FIB, '--line', '5', '--col', '5', '--verbose', '--endpoint', `http://alice:s3cret@127.0.0.1:${await closedPort()}`]);
    assert.equal(r.code, EXIT_UNREACHABLE);
    assert.match(r.stderr, /Cannot reach Ollama at http:\/\/127\.0\.0\.1/);
    assert.doesNotMatch(r.stdout + r.stderr, /s3cret/);
  });

  for (const { backend, start, path: fimPath, model } of [
    { backend: 'codestral', start: startFakeCodestral, path: CODESTRAL_PATH, model: 'codestral-latest' },
    { backend: 'deepseek', start: startFakeDeepSeek, path: DEEPSEEK_PATH, model: 'deepseek-chat' },
  ] as const) {
    it(`complete through ${backend}'s FIM API: prefix and suffix as the API takes them, the key from INFILL_API_KEY`, async () => {
      const server = await start({ apiKey: 'sk-cli', respond: () => 'return fib(n - 1) + fib(n - 2)\n' });
      try {
        const r = await run(['complete', '--file', FIB, '--line', '5', '--col', '5', '--backend', backend, '--endpoint', server.url], { env: { INFILL_API_KEY: 'sk-cli' } });
        assert.equal(r.code, EXIT_OK, r.stderr);
        assert.equal(r.stdout, 'return fib(n - 1) + fib(n - 2)\n');
        const [rec] = server.requestsTo(fimPath);
        assert.equal(rec.body.model, model);
        assert.match(rec.body.prompt, /        return n\n    $/);
        assert.match(rec.body.suffix, /^\n/);
        assert.doesNotMatch(rec.body.prompt, /fim_prefix|fim_suffix/, 'the API lays out the FIM prompt itself');
      } finally {
        await server.close();
      }
    });
  }

  it('complete reports a chat-only model as a failure, not chat text', async () => {
    const r = await run(['complete', '--file', FIB, '--line', '5', '--col', '5', '--endpoint', ollama.url, '--model', 'llama3.2:1b']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /chat\/instruct model without fill-in-the-middle/);
  });

  it('complete rejects bad arguments with usage errors', async () => {
    assert.equal((await run(['complete', '--file', FIB, '--line', '5'])).code, EXIT_USAGE);
    const pastEnd = await run(['complete', '--file', FIB, '--line', '5', '--col', '9']);
    assert.equal(pastEnd.code, EXIT_USAGE);
    assert.match(pastEnd.stderr, /--col 9 is past the end of line 5 \(4 characters; the last column is 5\)/);
    assert.equal((await run(['complete', '--file', FIB, '--line', '0', '--col', '1'])).code, EXIT_USAGE);
    assert.equal((await run(['complete', '--file', FIB, '--line', '1', '--col', '1', '--backend', 'gpt'])).code, EXIT_USAGE);
    assert.equal((await run(['complete', '--file', FIB, '--line', '1', '--col', '1', '--template', 'llama'])).code, EXIT_USAGE);
    assert.equal((await run(['complete', '--file', FIB, '--line', '1', '--col', '1', '--bogus'])).code, EXIT_USAGE);
    const missing = await run(['complete', '--file', 'nope.py', '--line', '1', '--col', '1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read nope\.py: no such file/);
    assert.equal((await run(['frobnicate'])).code, EXIT_USAGE);
  });

  it('complete refuses secret-looking and binary files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-cli-'));
    try {
      fs.writeFileSync(path.join(dir, '.env'), 'API_KEY=\n');
      fs.writeFileSync(path.join(dir, 'blob.py'), 'x = 1\u0000\u0001\n');
      const secret = await run(['complete', '--file', '.env', '--line', '1', '--col', '9', '--endpoint', ollama.url], { cwd: dir });
      assert.equal(secret.code, 1);
      assert.match(secret.stderr, /looks like a secret/);
      const binary = await run(['complete', '--file', 'blob.py', '--line', '1', '--col', '1', '--endpoint', ollama.url], { cwd: dir });
      assert.equal(binary.code, 1);
      assert.match(binary.stderr, /Binary file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('complete --workspace --open sends related files in the prompt', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-ws-'));
    try {
      fs.writeFileSync(path.join(dir, 'geometry.py'), 'def area_of_circle(radius: float) -> float:\n    return 3.14159 * radius * radius\n');
      fs.writeFileSync(path.join(dir, 'main.py'), 'from geometry import area_of_circle\n\nprint(area_of_circle(2))\nresult = \n');
      respond = 'area_of_circle(3)\n';
      const r = await run(['complete', '--file', 'main.py', '--line', '4', '--col', '10', '--endpoint', ollama.url, '--workspace', '.', '--open', 'geometry.py'], { cwd: dir });
      assert.equal(r.code, EXIT_OK, r.stderr);
      assert.equal(r.stdout, 'area_of_circle(3)\n');
      const prompt: string = ollama.requestsTo('/api/generate').at(-1)!.body.prompt;
      assert.ok(prompt.includes('return 3.14159 * radius * radius'), prompt);
    } finally {
      respond = 'return fib(n - 1) + fib(n - 2)\n';
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('check reports the setup and exits 0, or 2 when nothing answers', async () => {
    const ok = await run(['check', '--endpoint', ollama.url]);
    assert.equal(ok.code, EXIT_OK, ok.stderr);
    assert.match(ok.stdout, /✓ Ollama at .* answers/);
    assert.match(ok.stdout, /OK: qwen2\.5-coder:1\.5b-base .* fills in the middle \(qwen template\)/);
    const down = await run(['check', '--endpoint', `http://127.0.0.1:${await closedPort()}`]);
    assert.equal(down.code, EXIT_UNREACHABLE);
    assert.match(down.stderr, /Cannot reach Ollama/);
  });

  it('postprocess applies the provider post-processing to JSON Lines', async () => {
    const lines = [
      { id: 'a', language: 'python', prefix: 'def f(x):\n    return ', suffix: '\n', output: 'x + 1\n\ndef g():\n    pass\n' },
      { id: 'b', language: 'typescript', prefix: 'const y = f(', suffix: ');\n', output: 'a, b);' },
    ];
    const r = await run(['postprocess'], { stdin: lines.map(l => JSON.stringify(l)).join('\n') + '\n' });
    assert.equal(r.code, EXIT_OK, r.stderr);
    const out = r.stdout.trim().split('\n').map(l => JSON.parse(l));
    assert.deepEqual(out.map(o => o.id), ['a', 'b']);
    assert.equal(out[0].completion, 'x + 1');
    assert.equal(out[1].completion, 'a, b');
  });

  it('help prints the usage', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, EXIT_OK);
    assert.match(r.stdout, /complete --file F --line L --col C/);
    assert.equal((await run([])).code, EXIT_USAGE);
  });

  it('runs as a bundled process: output on stdout, exit code 2 with no server', async function () {
    this.timeout(30_000);
    const ok = await spawnCli(['complete', '--file', FIB, '--line', '5', '--col', '5', '--endpoint', ollama.url]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'return fib(n - 1) + fib(n - 2)\n');
    const down = await spawnCli(['complete', '--file', FIB, '--line', '5', '--col', '5', '--endpoint', `http://127.0.0.1:${await closedPort()}`]);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /Cannot reach Ollama at http:\/\/127\.0\.0\.1:\d+/);
  });

  // Issue 13 row 2: a metadata answer that sends headers and then stalls used to keep the process alive for ever.
  const stallingMetadata = [
    { backend: 'ollama', start: startFakeOllama, path: '/api/show' },
    { backend: 'llamacpp', start: startFakeLlamaCpp, path: '/props' },
    { backend: 'openai', start: startFakeOpenAI, path: '/v1/models' },
  ] as const;
  for (const { backend, start, path: stalledPath } of stallingMetadata) {
    it(`exits after --timeout-ms when ${backend}'s ${stalledPath} stalls`, async function () {
      this.timeout(40_000);
      const server = await start({ fault: 'stall', faultPaths: [stalledPath] });
      try {
        // A hang is what is tested, not a speed: 9 s is far past the 1 s timeout, and short of the 10 s metadata
        // deadline, so the abort itself (not the deadline) must end the lookup.
        const r = await spawnCli(['complete', '--file', FIB, '--line', '5', '--col', '5', '--backend', backend, '--endpoint', server.url, '--timeout-ms', '1000'], 9_000);
        assert.notEqual(r.code, -1, 'the process had to be killed: it did not exit on its own');
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /infill: /);
      } finally {
        await server.close();
      }
    });
  }
});

let bundled: Promise<string> | undefined;

/** The CLI bundled as esbuild.mjs does, into out/ (grammars are found by walking up from the bundle). */
function bundledCli(): Promise<string> {
  bundled ??= (async () => {
    const esbuild = await import('esbuild');
    const outfile = path.join(ROOT, 'out', 'cli-test-bundle', 'cli.js');
    await esbuild.build({ entryPoints: [path.join(ROOT, 'src/cli/main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, external: ['vscode'], logLevel: 'silent' });
    return outfile;
  })();
  return bundled;
}

/** Runs the bundled CLI; a process still running after `killAfterMs` is killed and reported with code -1. */
async function spawnCli(args: string[], killAfterMs = 25_000): Promise<Run> {
  const outfile = await bundledCli();
  return new Promise<Run>(resolve => {
    const child = spawn(process.execPath, [outfile, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, killAfterMs);
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('close', code => { clearTimeout(timer); resolve({ code: killed ? -1 : code ?? -1, stdout, stderr }); });
  });
}
