import * as assert from 'assert';
import { detectTestSetup } from '../../../src/commands/testFramework';
import { conftestFor, importRootFor, pytestConfig, pytestSysPath } from '../../../src/commands/testFramework/pythonPath';
import { memoryWorkspace } from '../../support/memoryWorkspace';


async function setupFor(files: Record<string, string>, sourcePath: string, name = 'f') {
  const setup = await detectTestSetup(memoryWorkspace(files), { sourcePath, languageId: 'python', sourceText: files[sourcePath] ?? '', symbol: { name, kind: 'function' } });
  assert.ok(setup);
  return setup;
}

describe('commands/testFramework/pythonPath: pytest at the workspace root finds the code', () => {
  it('reads pythonpath and the import mode from pytest.ini, pyproject.toml, tox.ini or setup.cfg', async () => {
    assert.deepStrictEqual(await pytestConfig(memoryWorkspace({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\npythonpath = ["src", "."]\naddopts = "--import-mode=importlib"\n' })), { pythonpath: ['src', ''], importlib: true });
    assert.deepStrictEqual(await pytestConfig(memoryWorkspace({ 'pytest.ini': '[pytest]\npythonpath = src\n    lib\n' })), { pythonpath: ['src', 'lib'], importlib: false });
    assert.deepStrictEqual(await pytestConfig(memoryWorkspace({ 'setup.cfg': '[metadata]\nname = x\n[tool:pytest]\npythonpath = ./src\n' })), { pythonpath: ['src'], importlib: false });
    assert.deepStrictEqual(await pytestConfig(memoryWorkspace({ 'pyproject.toml': '[project]\nname = "x"\n' })), { pythonpath: [], importlib: false });
  });

  it("sys.path holds the test file's first non-package folder and each conftest.py's", async () => {
    const files = { 'tests/test_a.py': '', 'conftest.py': '', 'pkg/__init__.py': '', 'pkg/tests/__init__.py': '', 'pkg/tests/test_b.py': '' };
    assert.deepStrictEqual(await pytestSysPath(memoryWorkspace(files), 'tests/test_a.py', { pythonpath: [], importlib: false }), ['', 'tests']);
    assert.deepStrictEqual(await pytestSysPath(memoryWorkspace(files), 'pkg/tests/test_b.py', { pythonpath: [], importlib: false }), ['', '']);
    assert.deepStrictEqual(await pytestSysPath(memoryWorkspace(files), 'tests/test_a.py', { pythonpath: ['src'], importlib: true }), ['src']);
  });

  it('the import root of a module', () => {
    assert.strictEqual(importRootFor('src/shop/pricing.py', 'shop.pricing'), 'src');
    assert.strictEqual(importRootFor('src/shop/pricing.py', 'src.shop.pricing'), '');
    assert.strictEqual(importRootFor('app.py', 'app'), '');
    assert.strictEqual(importRootFor('shop/pricing.py', 'other.pricing'), undefined);
  });

  it('flat package and tests/ without __init__.py: a root conftest.py puts the root on sys.path', async () => {
    const setup = await setupFor({ 'shop/__init__.py': '', 'shop/pricing.py': 'def f():\n    pass\n' }, 'shop/pricing.py');
    assert.strictEqual(setup.testFilePath, 'tests/test_pricing.py');
    assert.match(setup.scaffoldBefore, /^from shop\.pricing import f$/m);
    assert.strictEqual(setup.supportFile?.path, 'conftest.py');
    assert.match(setup.supportFile!.content, /^sys\.path\.insert\(0, os\.path\.dirname\(os\.path\.abspath\(__file__\)\)\)$/m);
  });

  it('src layout: the conftest.py puts src/ on sys.path', async () => {
    const setup = await setupFor({ 'src/shop/__init__.py': '', 'src/shop/pricing.py': '', 'tests/test_other.py': 'import pytest\n' }, 'src/shop/pricing.py');
    assert.match(setup.scaffoldBefore, /^from shop\.pricing import f$/m);
    assert.strictEqual(setup.supportFile?.path, 'conftest.py');
    assert.match(setup.supportFile!.content, /^sys\.path\.insert\(0, os\.path\.join\(os\.path\.dirname\(os\.path\.abspath\(__file__\)\), "src"\)\)$/m);
  });

  it('no conftest.py when the project already makes it importable (pythonpath, a root conftest, a tests package)', async () => {
    const source = { 'shop/__init__.py': '', 'shop/pricing.py': '' };
    assert.strictEqual((await setupFor({ ...source, 'pytest.ini': '[pytest]\npythonpath = .\n' }, 'shop/pricing.py')).supportFile, undefined);
    assert.strictEqual((await setupFor({ ...source, 'conftest.py': '' }, 'shop/pricing.py')).supportFile, undefined);
    assert.strictEqual((await setupFor({ ...source, 'tests/__init__.py': '' }, 'shop/pricing.py')).supportFile, undefined);
    // Tests beside the module import it by its bare name: their own folder is on sys.path.
    assert.strictEqual((await setupFor({ 'app/a.py': '', 'app/test_b.py': 'import pytest\n' }, 'app/a.py')).supportFile, undefined);
  });

  it('a root conftest.py that does not cover src/: the new one goes beside the tests', async () => {
    const support = await conftestFor(memoryWorkspace({ 'conftest.py': '', 'src/m.py': '' }), 'tests/test_m.py', 'src/m.py', 'm');
    assert.strictEqual(support?.path, 'tests/conftest.py');
    assert.match(support!.content, /os\.path\.join\(os\.path\.dirname\(os\.path\.abspath\(__file__\)\), "\.\.", "src"\)/);
  });

  it("an existing test file's way of naming the module is kept", async () => {
    const files = { 'src/shop/pricing.py': '', 'tests/test_pricing.py': 'import pytest\n\nfrom src.shop.pricing import other\n' };
    const setup = await setupFor(files, 'src/shop/pricing.py', 'total');
    assert.strictEqual(setup.addImport?.text, 'from src.shop.pricing import total\n');
    assert.strictEqual(setup.supportFile?.path, 'conftest.py');
    assert.match(setup.supportFile!.content, /the project root/);
  });

  it('unittest files get no conftest.py', async () => {
    const setup = await setupFor({ 'calc/ops.py': '', 'tests/test_x.py': 'import unittest\n' }, 'calc/ops.py');
    assert.strictEqual(setup.framework, 'unittest');
    assert.strictEqual(setup.supportFile, undefined);
  });
});
