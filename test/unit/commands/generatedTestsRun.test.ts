// Write Tests, end to end without VS Code: detect the setup in a fixture workspace, generate the tests against
// the fake Ollama (a plausible model answer), write the files as the command does, then run them with their
// framework the way a user types it at the project root: `pytest`, `node --test`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createBackend } from '../../../src/backend';
import { applyEdits, generateTests, type GenerationDeps } from '../../../src/commands/generate';
import { findSymbols } from '../../../src/commands/symbols';
import { detectTestSetup, nodeWorkspaceReader } from '../../../src/commands/testFramework';
import { importableNames } from '../../../src/commands/testImports';
import { DEFAULT_CONFIG } from '../../../src/config/types';
import { templateFor } from '../../../src/prompt/templates';
import { silentLogger } from '../../../src/util/log';
import { OLLAMA_MODELS, startFakeOllama, type FakeServer } from '../../support/fakeServers';
import { findPytest, runNodeTest, runPytest, transpileTypeScript } from '../../support/testRunners';

const PRICING = 'def total(prices):\n    return sum(prices)\n\n\ndef apply_discount(price, percent):\n    if percent < 0:\n        raise ValueError("negative discount")\n    return price * (100 - percent) / 100\n';
/** What a small FIM model writes after "# Tests for total (pytest)": it also uses the module's other function. */
const PY_ANSWER = 'def test_total_sums_prices():\n    assert total([1.0, 2.5]) == 3.5\n\n\ndef test_total_of_empty_list_is_zero():\n    assert total([]) == 0\n\n\ndef test_total_after_discount():\n    assert total([apply_discount(10.0, 50), 5.0]) == 10.0\n';
const STRINGS_JS = "export function reverse(text) {\n  return [...text].reverse().join('');\n}\n\nexport function shout(text) {\n  return text.toUpperCase() + '!';\n}\n";
/** A node:test answer that uses `test` (not in the scaffold's `describe, it`) and the module's `shout`. */
const JS_ANSWER = "test('reverse reverses the characters', () => {\n  assert.equal(reverse('abc'), 'cba');\n});\n\ntest('reverse undoes itself', () => {\n  assert.equal(reverse(reverse(shout('ab'))), 'AB!');\n});\n";

/** Writes `files` under a new temporary folder. */
function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-gen-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('commands: generated tests run with their framework', function () {
  this.timeout(60_000);
  let server: FakeServer;
  let answer = '';
  const roots: string[] = [];

  before(async () => {
    server = await startFakeOllama({ models: [OLLAMA_MODELS.qwenBase], respond: () => answer, chunkChars: 16 });
  });
  after(async () => {
    await server?.close();
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  const deps = (): GenerationDeps => ({
    backend: createBackend({ kind: 'ollama', endpoint: server.url }),
    mode: { kind: 'fim', template: templateFor('qwen') },
    config: { ...DEFAULT_CONFIG, endpoint: server.url, model: OLLAMA_MODELS.qwenBase.name },
    log: silentLogger,
    signal: new AbortController().signal,
  });

  /** Runs Write Tests for `name` in `sourcePath` and writes the result into the workspace; returns the test file. */
  async function writeTests(root: string, sourcePath: string, languageId: string, name: string, modelAnswer: string): Promise<{ testFile: string; supportFile?: string }> {
    answer = modelAnswer;
    const sourceText = fs.readFileSync(path.join(root, sourcePath), 'utf8');
    const symbols = await findSymbols(languageId, sourceText);
    const symbol = symbols.find(s => s.name === name);
    assert.ok(symbol, `${name} in ${sourcePath}`);
    const setup = await detectTestSetup(nodeWorkspaceReader(root), { sourcePath, languageId, sourceText, symbol });
    assert.ok(setup);
    const result = await generateTests(deps(), setup, { languageId, sourcePath, symbol, moduleNames: importableNames(symbols).filter(n => n !== name) });
    fs.mkdirSync(path.dirname(path.join(root, setup.testFilePath)), { recursive: true });
    fs.writeFileSync(path.join(root, setup.testFilePath), applyEdits(setup.existingContent, result.edits));
    if (result.supportFile) fs.writeFileSync(path.join(root, result.supportFile.path), result.supportFile.content);
    return { testFile: setup.testFilePath, supportFile: result.supportFile?.path };
  }

  describe('pytest', function () {
    const pytest = findPytest();
    before(function () {
      // npm run test:integration installs pytest (python3-pytest) when apt-get can; the unit run only uses it.
      if (!pytest) {
        console.warn('    (pytest is not installed: skipping the pytest runs; `npm run test:integration` installs it)');
        this.skip();
      }
    });

    it('a flat package with no pytest setup: the new tests/test_pricing.py passes with `pytest` thanks to the added conftest.py', async () => {
      const root = workspace({ 'shop/__init__.py': '', 'shop/pricing.py': PRICING });
      roots.push(root);
      const { testFile, supportFile } = await writeTests(root, 'shop/pricing.py', 'python', 'total', PY_ANSWER);
      assert.deepStrictEqual([testFile, supportFile], ['tests/test_pricing.py', 'conftest.py']);
      assert.match(fs.readFileSync(path.join(root, testFile), 'utf8'), /^from shop\.pricing import total, apply_discount$/m);
      const run = runPytest(root, pytest);
      assert.ok(run.ok, run.output);
      assert.match(run.output, /3 passed/);
      // The conftest.py is what makes it work: without it plain `pytest` cannot import the package.
      fs.renameSync(path.join(root, 'conftest.py'), path.join(root, 'conftest.off'));
      const without = runPytest(root, pytest);
      assert.ok(!without.ok && /ModuleNotFoundError|No module named/.test(without.output), without.output);
    });

    it('a src layout: the conftest.py puts src/ on sys.path and the tests pass', async () => {
      const root = workspace({ 'pyproject.toml': '[project]\nname = "shop"\n', 'src/shop/__init__.py': '', 'src/shop/pricing.py': PRICING });
      roots.push(root);
      const { testFile } = await writeTests(root, 'src/shop/pricing.py', 'python', 'total', PY_ANSWER);
      assert.strictEqual(testFile, 'tests/test_pricing.py');
      const run = runPytest(root, pytest);
      assert.ok(run.ok, run.output);
    });
  });

  describe('node:test', () => {
    it('JavaScript (ESM): the new src/strings.test.js imports test and shout, which the tests use, and passes with `node --test`', async () => {
      const root = workspace({ 'package.json': '{ "type": "module", "scripts": { "test": "node --test" } }\n', 'src/strings.js': STRINGS_JS });
      roots.push(root);
      const { testFile } = await writeTests(root, 'src/strings.js', 'javascript', 'reverse', JS_ANSWER);
      assert.strictEqual(testFile, 'src/strings.test.js');
      const text = fs.readFileSync(path.join(root, testFile), 'utf8');
      assert.ok(text.startsWith("import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { reverse, shout } from './strings.js';\n"), text);
      const run = runNodeTest(root, [testFile]);
      assert.ok(run.ok, run.output);
      assert.match(run.output, /# pass 2/);
    });

    it('TypeScript: appending to an existing node:test file adds the runner name it lacks; compiled, it passes', async () => {
      const fixture = path.resolve(__dirname, '../../../../test/fixtures/commands/cmdfix');
      const root = workspace({
        'strings.ts': fs.readFileSync(path.join(fixture, 'strings.ts'), 'utf8'),
        'strings.test.ts': fs.readFileSync(path.join(fixture, 'strings.test.ts'), 'utf8'),
      });
      roots.push(root);
      await writeTests(root, 'strings.ts', 'typescript', 'reverse', JS_ANSWER);
      const text = fs.readFileSync(path.join(root, 'strings.test.ts'), 'utf8');
      assert.match(text, /^import \{ describe, it, test \} from 'node:test';$/m);
      const compiled = transpileTypeScript([path.join(root, 'strings.ts'), path.join(root, 'strings.test.ts')], path.join(root, 'out'));
      const run = runNodeTest(root, [compiled[1]]);
      assert.ok(run.ok, run.output);
      assert.match(run.output, /# pass 3/);
    });
  });
});
