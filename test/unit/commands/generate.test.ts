// The generation loop against the fake Ollama (real wire format, 127.0.0.1, port 0) through the real backend.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createBackend } from '../../../src/backend';
import { BackendError, type Backend } from '../../../src/backend/types';
import { findCommentAt } from '../../../src/commands/comments';
import { applyEdits, generateFunction, generateTests, GenerationFailed, type GenerationDeps } from '../../../src/commands/generate';
import { symbolAtDeclaration } from '../../../src/commands/symbols';
import { detectTestSetup, nodeWorkspaceReader } from '../../../src/commands/testFramework';
import { DEFAULT_CONFIG } from '../../../src/config/types';
import { templateFor } from '../../../src/prompt/templates';
import { silentLogger } from '../../../src/util/log';
import { isAbortError } from '../../../src/util/abort';
import { OLLAMA_MODELS, startFakeOllama, type FakeServer } from '../../support/fakeServers';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/frameworks');

const PY_FILE = 'import math\n\n\n# Area of a circle of radius r.\n\n\nprint("done")\n';
const PY_CURSOR = PY_FILE.indexOf('\n\n\nprint') + 1;

describe('commands/generate (fake Ollama)', function () {
  let server: FakeServer;
  let backend: Backend;
  let outputs: string[];

  before(async () => {
    server = await startFakeOllama({
      models: [OLLAMA_MODELS.qwenBase, OLLAMA_MODELS.llamaChat],
      respond: () => outputs.shift() ?? '',
      chunkChars: 7,
    });
    backend = createBackend({ kind: 'ollama', endpoint: server.url });
  });

  after(async () => server?.close());

  beforeEach(() => {
    outputs = [];
    server.requests.length = 0;
    server.set({ fault: undefined, chunkDelayMs: 0 });
  });

  function deps(mode: GenerationDeps['mode'], signal = new AbortController().signal, model = OLLAMA_MODELS.qwenBase.name): GenerationDeps {
    return { backend, mode, config: { ...DEFAULT_CONFIG, endpoint: server.url, model }, log: silentLogger, signal };
  }
  const fim = (): GenerationDeps['mode'] => ({ kind: 'fim', template: templateFor('qwen') });
  const generations = () => server.requests.filter(r => r.path === '/api/generate' || r.path === '/api/chat');

  async function pythonComment() {
    const comment = await findCommentAt('python', PY_FILE, PY_CURSOR);
    assert.ok(comment);
    return comment;
  }

  describe('Generate Function from Comment', () => {
    it('FIM: the prompt ends with the comment and "def ", the function lands below the comment; junk after it is cut', async () => {
      outputs.push('area(r):\n    return math.pi * r * r\n\nprint(area(2))\n');
      const previews: string[] = [];
      const result = await generateFunction({ ...deps(fim()), onPreview: p => previews.push(p) }, { languageId: 'python', relativePath: 'geo.py', text: PY_FILE, comment: await pythonComment() });
      // The live preview grows from "def " as the text streams in (7 characters per chunk).
      assert.ok(previews.length >= 3, `previews: ${previews.length}`);
      assert.ok(previews.every(p => p.startsWith('def ')));
      assert.ok(previews[previews.length - 1].startsWith('def area(r):\n    return math.pi'));
      const after = applyEdits(PY_FILE, [result.edit]);
      // The blank line under the comment became the function; the next blank line still separates it from print().
      assert.strictEqual(after, 'import math\n\n\n# Area of a circle of radius r.\ndef area(r):\n    return math.pi * r * r\n\nprint("done")\n');
      assert.strictEqual(result.attempts, 1);
      const [req] = generations();
      assert.strictEqual(req.body.raw, true);
      assert.ok(String(req.body.prompt).includes('<|fim_prefix|>import math\n\n\n# Area of a circle of radius r.\ndef <|fim_suffix|>\n\nprint("done")\n<|fim_middle|>'), req.body.prompt);
      assert.ok(req.body.options.num_predict >= 512, 'a whole function gets a larger token budget than ghost text');
    });

    it('retries once with a tighter request when the first answer is not a valid function', async () => {
      outputs.push('area(r) return math.pi * r * r\n');
      outputs.push('area(r):\n    return math.pi * r ** 2\n');
      const result = await generateFunction(deps(fim()), { languageId: 'python', relativePath: 'geo.py', text: PY_FILE, comment: await pythonComment() });
      assert.strictEqual(result.attempts, 2);
      assert.strictEqual(result.functionText, 'def area(r):\n    return math.pi * r ** 2');
      const [first, second] = generations();
      assert.strictEqual(second.body.options.temperature, 0);
      assert.ok(second.body.options.stop.includes('\ndef '), 'sibling stop sequences on the retry');
      assert.ok(!first.body.options.stop.includes('\ndef '));
    });

    it('reports clearly when both attempts fail', async () => {
      outputs.push('area(r) return r\n', 'x = (');
      await assert.rejects(
        generateFunction(deps(fim()), { languageId: 'python', relativePath: 'geo.py', text: PY_FILE, comment: await pythonComment() }),
        (err: unknown) => err instanceof GenerationFailed && /did not produce one complete function/.test(err.message) && err.reasons.length === 2,
      );
      assert.strictEqual(generations().length, 2);
    });

    it('stops the stream as soon as the function is complete', async () => {
      outputs.push('area(r):\n    return math.pi * r * r\n\n' + 'print("more")\n'.repeat(200));
      server.set({ chunkDelayMs: 5 });
      const started = Date.now();
      const result = await generateFunction(deps(fim()), { languageId: 'python', relativePath: 'geo.py', text: PY_FILE, comment: await pythonComment() });
      assert.strictEqual(result.functionText, 'def area(r):\n    return math.pi * r * r');
      // 2800 characters at 7 per 5 ms chunk would take 2 s; we stop after the first few chunks.
      assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    });

    it('Java: no keyword to start with, so the model writes the whole method; its extra indentation and the next method are dropped', async () => {
      const text = 'public class Calc {\n    // Returns twice x.\n    \n}\n';
      const comment = await findCommentAt('java', text, text.indexOf('    \n}') + 4);
      assert.ok(comment?.inClass);
      outputs.push('\n    public int twice(int x) {\n        return 2 * x;\n    }\n\n    public int thrice(int x) {\n        return 3 * x;\n    }\n');
      const result = await generateFunction(deps(fim()), { languageId: 'java', relativePath: 'Calc.java', text, comment });
      assert.strictEqual(applyEdits(text, [result.edit]), 'public class Calc {\n    // Returns twice x.\n    public int twice(int x) {\n        return 2 * x;\n    }\n}\n');
    });

    it('chat-only model: asks /api/chat and takes the fenced code, indented as a method', async () => {
      const text = 'class Circle:\n    def __init__(self, r):\n        self.r = r\n\n    # The area of the circle.\n    \n';
      const comment = await findCommentAt('python', text, text.length - 1);
      assert.ok(comment?.inClass);
      outputs.push('Here is the method:\n```python\ndef area(self):\n    return 3.14159 * self.r ** 2\n```\nIt uses the radius.');
      const result = await generateFunction(deps({ kind: 'chat' }, undefined, OLLAMA_MODELS.llamaChat.name), { languageId: 'python', relativePath: 'c.py', text, comment });
      assert.strictEqual(applyEdits(text, [result.edit]), 'class Circle:\n    def __init__(self, r):\n        self.r = r\n\n    # The area of the circle.\n    def area(self):\n        return 3.14159 * self.r ** 2\n');
      const [req] = generations();
      assert.strictEqual(req.path, '/api/chat');
      assert.match(req.body.messages[1].content, /<<<FUNCTION GOES HERE>>>/);
    });

    it('FIM: a model that repeats the seeded "def " is repaired on the first attempt, not rejected', async () => {
      outputs.push('def area(r):\n    return math.pi * r * r\n');
      const previews: string[] = [];
      const result = await generateFunction({ ...deps(fim()), onPreview: p => previews.push(p) }, { languageId: 'python', relativePath: 'geo.py', text: PY_FILE, comment: await pythonComment() });
      assert.strictEqual(result.functionText, 'def area(r):\n    return math.pi * r * r');
      assert.strictEqual(result.attempts, 1);
      assert.ok(previews.every(p => !p.includes('def def')), 'the preview never shows the repeated keyword');
    });

    it('FIM: the function follows the file: export like its neighbours, the file\'s tabs, the keyword written once', async () => {
      const text = 'export const EPSILON = 1e-9;\n\n// Clamp v into [lo, hi].\n\n\nexport function lerp(a: number, b: number, t: number): number {\n\treturn a + (b - a) * t;\n}\n';
      const comment = await findCommentAt('typescript', text, text.indexOf('\n\n\nexport function') + 1);
      assert.ok(comment);
      // The model restates the declaration and indents with four spaces.
      outputs.push('function clamp(v: number, lo: number, hi: number): number {\n    if (v < lo) {\n        return lo;\n    }\n    return Math.min(v, hi);\n}\n');
      const result = await generateFunction(deps(fim()), { languageId: 'typescript', relativePath: 'm.ts', text, comment });
      assert.strictEqual(
        result.functionText,
        'export function clamp(v: number, lo: number, hi: number): number {\n\tif (v < lo) {\n\t\treturn lo;\n\t}\n\treturn Math.min(v, hi);\n}',
      );
      assert.strictEqual(result.attempts, 1);
      assert.ok(String(generations()[0].body.prompt).includes('// Clamp v into [lo, hi].\nexport function <|fim_suffix|>'), 'the prompt seeds "export function "');
    });

    it('Java: a method among public ones is seeded with "public "; the model repeating it ("public public") is repaired', async () => {
      const text = 'public class Calc {\n    public int once(int x) {\n        return x;\n    }\n\n    // Returns three times x.\n    \n}\n';
      const comment = await findCommentAt('java', text, text.indexOf('    \n}') + 4);
      assert.ok(comment?.inClass);
      outputs.push('public int thrice(int x) {\n        return 3 * x;\n    }\n');
      const result = await generateFunction(deps(fim()), { languageId: 'java', relativePath: 'Calc.java', text, comment });
      assert.strictEqual(result.functionText, '    public int thrice(int x) {\n        return 3 * x;\n    }');
      assert.strictEqual(result.attempts, 1);
      assert.ok(String(generations()[0].body.prompt).includes('// Returns three times x.\n    public <|fim_suffix|>'));
    });

    it('chat: a function the comment asks to be asynchronous gets async when the model forgot it', async () => {
      const text = 'import aiohttp\n\n\n# Fetch the url asynchronously with the session and return the body text.\n\n';
      const comment = await findCommentAt('python', text, text.length - 1);
      assert.ok(comment);
      outputs.push('```python\ndef fetch(session, url):\n    response = await session.get(url)\n    return await response.text()\n```');
      const result = await generateFunction(deps({ kind: 'chat' }, undefined, OLLAMA_MODELS.llamaChat.name), { languageId: 'python', relativePath: 'f.py', text, comment });
      assert.strictEqual(result.functionText, 'async def fetch(session, url):\n    response = await session.get(url)\n    return await response.text()');
    });

    it('a backend failure mid-stream rejects with the backend\'s error (nothing to apply)', async () => {
      outputs.push('area(r):\n    return math.pi * r * r\n');
      server.set({ fault: 'stream-error' });
      await assert.rejects(
        generateFunction(deps(fim()), { languageId: 'python', relativePath: 'geo.py', text: PY_FILE, comment: await pythonComment() }),
        (err: unknown) => err instanceof BackendError,
      );
    });

    it('cancellation rejects with an abort error', async () => {
      outputs.push('area(r):\n' + '    x = 1\n'.repeat(500));
      server.set({ chunkDelayMs: 5 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(
        generateFunction(deps(fim(), controller.signal), { languageId: 'python', relativePath: 'geo.py', text: PY_FILE, comment: await pythonComment() }),
        (err: unknown) => isAbortError(err),
      );
    });
  });

  describe('Write Tests for This', () => {
    it('FIM into an existing pytest file: symbol source as context, header, import added', async () => {
      const root = path.join(FIXTURES, 'pytest');
      const sourceText = fs.readFileSync(path.join(root, 'shop/pricing.py'), 'utf8');
      const symbol = await symbolAtDeclaration('python', sourceText, sourceText.indexOf('def total') + 5);
      assert.strictEqual(symbol?.name, 'total');
      const setup = await detectTestSetup(nodeWorkspaceReader(root), { sourcePath: 'shop/pricing.py', languageId: 'python', sourceText, symbol });
      assert.ok(setup);
      outputs.push('def test_total_sums():\n    assert total([1.0, 2.5]) == 3.5\n\n\ndef test_total_empty():\n    assert total([]) == 0\n');
      const result = await generateTests(deps(fim()), setup, { languageId: 'python', sourcePath: 'shop/pricing.py', symbol });
      const out = applyEdits(setup.existingContent, result.edits);
      assert.ok(out.startsWith('import pytest\n\nfrom shop.pricing import apply_discount\nfrom shop.pricing import total\n'), out);
      assert.ok(out.endsWith('        apply_discount(10.0, -1)\n\n\n# Tests for total (pytest)\ndef test_total_sums():\n    assert total([1.0, 2.5]) == 3.5\n\n\ndef test_total_empty():\n    assert total([]) == 0\n'), out);
      const prompt = String(generations()[0].body.prompt);
      assert.ok(prompt.includes('<|file_sep|>shop/pricing.py\ndef total(prices: list[float]) -> float:'), 'the symbol source is sent as a related file');
      assert.ok(prompt.includes('<|file_sep|>tests/test_pricing.py\n<|fim_prefix|>import pytest'), 'the test file is the FIM file');
      assert.ok(prompt.includes('# Tests for total (pytest)\n<|fim_suffix|>'));
    });

    it('chat-only model: a new vitest file from the scaffold plus the fenced tests', async () => {
      const root = path.join(FIXTURES, 'vitest');
      const sourceText = fs.readFileSync(path.join(root, 'src/utils/format.ts'), 'utf8');
      const symbol = await symbolAtDeclaration('typescript', sourceText, 10);
      assert.strictEqual(symbol?.name, 'formatBytes');
      const setup = await detectTestSetup(nodeWorkspaceReader(root), { sourcePath: 'src/utils/format.ts', languageId: 'typescript', sourceText, symbol });
      assert.ok(setup && !setup.exists);
      outputs.push("```ts\ndescribe('formatBytes', () => {\n  it('formats bytes', () => {\n    expect(formatBytes(10)).toBe('10 B');\n  });\n});\n```");
      const result = await generateTests(deps({ kind: 'chat' }, undefined, OLLAMA_MODELS.llamaChat.name), setup, { languageId: 'typescript', sourcePath: 'src/utils/format.ts', symbol });
      const out = applyEdits('', result.edits);
      assert.strictEqual(out, "import { describe, it, expect } from 'vitest';\nimport { formatBytes } from '../../src/utils/format';\n\n// Tests for formatBytes (Vitest)\ndescribe('formatBytes', () => {\n  it('formats bytes', () => {\n    expect(formatBytes(10)).toBe('10 B');\n  });\n});\n");
      const user = generations()[0].body.messages[1].content as string;
      assert.match(user, /export function formatBytes/);
      assert.match(user, /Write Vitest tests for `formatBytes`/);
    });

    it('rejects tests that never parse, after one retry', async () => {
      const setup = await detectTestSetup(nodeWorkspaceReader(path.join(FIXTURES, 'go')), { sourcePath: 'mathx/add.go', languageId: 'go', sourceText: 'package mathx\n', symbol: { name: 'Add', kind: 'function' } });
      assert.ok(setup);
      outputs.push('func TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {', 'this is not go');
      await assert.rejects(
        generateTests(deps(fim()), setup, { languageId: 'go', sourcePath: 'mathx/add.go', symbol: { name: 'Add', kind: 'function', text: 'func Add(a, b int) int { return a + b }' } }),
        /did not produce valid tests/,
      );
    });
  });
});
