import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { detectTestSetup, nodeWorkspaceReader, type TestSetup } from '../../../src/commands/testFramework';
import { memoryWorkspace } from '../../support/memoryWorkspace';

// Fixtures live in the source tree (tsc does not copy them to out/).
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/frameworks');

async function setupFor(workspace: string, sourcePath: string, languageId: string, symbol: { name: string; kind: 'function' | 'method' | 'class'; container?: string }): Promise<TestSetup> {
  const root = path.join(FIXTURES, workspace);
  const sourceText = fs.readFileSync(path.join(root, sourcePath), 'utf8');
  const setup = await detectTestSetup(nodeWorkspaceReader(root), { sourcePath, languageId, sourceText, symbol });
  assert.ok(setup, `no setup for ${workspace}/${sourcePath}`);
  return setup;
}

/** What the test file looks like after inserting `tests` the way the command does. */
function applied(setup: TestSetup, tests: string): string {
  let text = setup.existingContent;
  text = text.slice(0, setup.insertAt) + setup.scaffoldBefore + tests + setup.scaffoldAfter + text.slice(setup.insertAt);
  if (setup.addImport) text = text.slice(0, setup.addImport.insertAt) + setup.addImport.text + text.slice(setup.addImport.insertAt);
  return text;
}


describe('commands/testFramework', () => {
  describe('Python', () => {
    it('pytest: finds the existing tests/test_x.py and appends after it', async () => {
      const s = await setupFor('pytest', 'shop/pricing.py', 'python', { name: 'total', kind: 'function' });
      assert.strictEqual(s.framework, 'pytest');
      assert.strictEqual(s.testFilePath, 'tests/test_pricing.py');
      assert.strictEqual(s.exists, true);
      assert.match(s.existingContent, /import pytest/);
      assert.strictEqual(s.insertAt, s.existingContent.trimEnd().length);
      // `total` is not imported yet: the import goes after the existing imports.
      const out = applied(s, 'def test_total():\n    assert total([1, 2]) == 3');
      assert.match(out, /from shop\.pricing import apply_discount\nfrom shop\.pricing import total\n/);
      assert.match(out, /apply_discount\(10\.0, -1\)\n\n\ndef test_total\(\):\n {4}assert total\(\[1, 2\]\) == 3\n$/);
    });

    it('pytest: a new file under tests/ with the module import (pyproject mentions pytest)', async () => {
      const s = await setupFor('pytest', 'shop/tax.py', 'python', { name: 'tax_for', kind: 'method', container: 'TaxTable' });
      assert.strictEqual(s.framework, 'pytest');
      assert.strictEqual(s.testFilePath, 'tests/test_tax.py');
      assert.strictEqual(s.exists, false);
      assert.strictEqual(s.existingContent, '');
      assert.match(s.scaffoldBefore, /^import pytest\n\nfrom shop\.tax import TaxTable\n/);
    });

    it('unittest: adds methods inside the existing TestCase class, before the __main__ block', async () => {
      const s = await setupFor('unittest', 'calc/ops.py', 'python', { name: 'mul', kind: 'function' });
      assert.strictEqual(s.framework, 'unittest');
      assert.strictEqual(s.testFilePath, 'tests/test_ops.py');
      assert.strictEqual(s.indentation, '    ');
      const out = applied(s, '    def test_mul(self):\n        self.assertEqual(mul(2, 3), 6)');
      assert.match(out, /self\.assertEqual\(add\(2, 3\), 5\)\n\n {4}def test_mul\(self\):\n {8}self\.assertEqual\(mul\(2, 3\), 6\)\n\n\nif __name__/);
      assert.match(out, /from calc\.ops import add\nfrom calc\.ops import mul\n/);
    });

    it('unittest: a new file gets a TestCase class because the other tests use unittest', async () => {
      const s = await setupFor('unittest', 'calc/stats.py', 'python', { name: 'mean', kind: 'function' });
      assert.strictEqual(s.framework, 'unittest');
      assert.match(s.evidence, /test_ops\.py imports unittest/);
      assert.strictEqual(s.testFilePath, 'tests/test_stats.py');
      assert.match(s.scaffoldBefore, /import unittest\n\nfrom calc\.stats import mean\n\n\nclass TestMean\(unittest\.TestCase\):\n$/);
      assert.match(s.scaffoldAfter, /unittest\.main\(\)/);
    });

    it('defaults to pytest with tests/ when nothing says otherwise', async () => {
      const s = await detectTestSetup(memoryWorkspace({ 'app.py': 'def f(): pass\n' }), { sourcePath: 'app.py', languageId: 'python', sourceText: 'def f(): pass\n', symbol: { name: 'f', kind: 'function' } });
      assert.strictEqual(s?.framework, 'pytest');
      assert.strictEqual(s?.testFilePath, 'tests/test_app.py');
      assert.match(s!.scaffoldBefore, /from app import f/);
    });

    it('puts tests beside the source when the project keeps test_*.py there', async () => {
      const s = await detectTestSetup(memoryWorkspace({ 'pkg/a.py': '', 'pkg/test_b.py': 'import pytest\n' }), { sourcePath: 'pkg/a.py', languageId: 'python', sourceText: '', symbol: { name: 'f', kind: 'function' } });
      assert.strictEqual(s?.testFilePath, 'pkg/test_a.py');
      assert.match(s!.scaffoldBefore, /from a import f/);
    });
  });

  describe('JavaScript / TypeScript', () => {
    it('jest: scripts.test decides; a new test goes beside the source like the existing *.test.js', async () => {
      const s = await setupFor('jest', 'src/strings.js', 'javascript', { name: 'capitalize', kind: 'function' });
      assert.strictEqual(s.framework, 'jest');
      assert.strictEqual(s.testFilePath, 'src/strings.test.js');
      assert.strictEqual(s.exists, false);
      assert.strictEqual(s.scaffoldBefore, "const { capitalize } = require('./strings');\n\n");
    });

    it('jest: an existing test file is appended to, with its imports kept', async () => {
      const s = await setupFor('jest', 'src/math.js', 'javascript', { name: 'clamp', kind: 'function' });
      assert.strictEqual(s.testFilePath, 'src/math.test.js');
      assert.strictEqual(s.exists, true);
      assert.strictEqual(s.addImport, undefined, 'clamp is already imported');
      assert.match(s.existingContent, /describe\('clamp'/);
    });

    it('vitest: mirrors src/ under tests/ with the project\'s .spec suffix and imports vitest', async () => {
      const s = await setupFor('vitest', 'src/utils/format.ts', 'typescript', { name: 'formatBytes', kind: 'function' });
      assert.strictEqual(s.framework, 'vitest');
      assert.strictEqual(s.testFilePath, 'tests/utils/format.spec.ts');
      assert.match(s.scaffoldBefore, /import \{ describe, it, expect \} from 'vitest';\nimport \{ formatBytes \} from '..\/..\/src\/utils\/format';/);
    });

    it('vitest: finds the existing spec for a file', async () => {
      const s = await setupFor('vitest', 'src/utils/slug.ts', 'typescript', { name: 'slugify', kind: 'function' });
      assert.strictEqual(s.testFilePath, 'tests/utils/slug.spec.ts');
      assert.strictEqual(s.exists, true);
    });

    it('mocha: new tests go to test/ (lib/ stripped) in CommonJS', async () => {
      const s = await setupFor('mocha', 'lib/queue.js', 'javascript', { name: 'push', kind: 'method', container: 'Queue' });
      assert.strictEqual(s.framework, 'mocha');
      assert.strictEqual(s.testFilePath, 'test/queue.test.js');
      assert.match(s.scaffoldBefore, /const assert = require\('node:assert\/strict'\);\nconst \{ Queue \} = require\('..\/lib\/queue'\);/);
    });

    it('node:test: "node --test" in scripts.test, ESM import with the .js extension', async () => {
      const s = await setupFor('node-test', 'src/greet.js', 'javascript', { name: 'greet', kind: 'function' });
      assert.strictEqual(s.framework, 'node:test');
      assert.strictEqual(s.testFilePath, 'src/greet.test.js');
      assert.match(s.scaffoldBefore, /import \{ describe, it \} from 'node:test';\nimport assert from 'node:assert\/strict';\nimport \{ greet \} from '.\/greet.js';/);
    });

    it('uses __tests__ when the folder has one', async () => {
      const s = await detectTestSetup(
        memoryWorkspace({ 'package.json': '{"devDependencies":{"jest":"1"}}', 'src/a.ts': '', 'src/__tests__/b.test.ts': '' }),
        { sourcePath: 'src/a.ts', languageId: 'typescript', sourceText: '', symbol: { name: 'a', kind: 'function' } },
      );
      assert.strictEqual(s?.testFilePath, 'src/__tests__/a.test.ts');
      assert.match(s!.scaffoldBefore, /import \{ a \} from '..\/a';/);
    });
  });

  describe('Go, Java, Rust', () => {
    it('go: x_test.go beside the file, same package, imports testing', async () => {
      const s = await setupFor('go', 'mathx/add.go', 'go', { name: 'Add', kind: 'function' });
      assert.strictEqual(s.framework, 'go');
      assert.strictEqual(s.testFilePath, 'mathx/add_test.go');
      assert.strictEqual(s.exists, false);
      assert.strictEqual(s.scaffoldBefore, 'package mathx\n\nimport "testing"\n\n');
    });

    it('go: appends to an existing _test.go', async () => {
      const s = await setupFor('go', 'mathx/abs.go', 'go', { name: 'Abs', kind: 'function' });
      assert.strictEqual(s.testFilePath, 'mathx/abs_test.go');
      assert.strictEqual(s.exists, true);
      assert.strictEqual(s.insertAt, s.existingContent.trimEnd().length);
    });

    it('junit 5: src/test/java mirror of src/main/java, FooTest.java, jupiter imports', async () => {
      const s = await setupFor('junit', 'src/main/java/com/acme/Calculator.java', 'java', { name: 'add', kind: 'method', container: 'Calculator' });
      assert.strictEqual(s.framework, 'junit5');
      assert.strictEqual(s.testFilePath, 'src/test/java/com/acme/CalculatorTest.java');
      assert.match(s.scaffoldBefore, /^package com\.acme;\n\nimport org\.junit\.jupiter\.api\.Test;[\s\S]*class CalculatorTest \{\n$/);
      assert.strictEqual(s.scaffoldAfter, '\n}\n');
    });

    it('junit 5: inserts into an existing test class before its closing brace', async () => {
      const s = await setupFor('junit', 'src/main/java/com/acme/Greeter.java', 'java', { name: 'greet', kind: 'method', container: 'Greeter' });
      assert.strictEqual(s.exists, true);
      const out = applied(s, '    @Test\n    void other() {}');
      assert.match(out, /\n {4}\}\n\n {4}@Test\n {4}void other\(\) \{\}\n\}\n$/);
    });

    it('junit 4: build.gradle with junit:junit', async () => {
      const s = await setupFor('junit4', 'src/main/java/org/demo/Strings.java', 'java', { name: 'reverse', kind: 'method', container: 'Strings' });
      assert.strictEqual(s.framework, 'junit4');
      assert.strictEqual(s.testFilePath, 'src/test/java/org/demo/StringsTest.java');
      assert.match(s.scaffoldBefore, /import org\.junit\.Test;/);
    });

    it('cargo: inserts into the file\'s own #[cfg(test)] mod tests', async () => {
      const s = await setupFor('cargo', 'src/lib.rs', 'rust', { name: 'double', kind: 'function' });
      assert.strictEqual(s.framework, 'cargo');
      assert.strictEqual(s.sameFile, true);
      assert.strictEqual(s.testFilePath, 'src/lib.rs');
      const out = applied(s, '    #[test]\n    fn doubles_zero() {\n        assert_eq!(double(0), 0);\n    }');
      assert.match(out, /assert_eq!\(double\(2\), 4\);\n {4}\}\n\n {4}#\[test\]\n {4}fn doubles_zero\(\) \{\n {8}assert_eq!\(double\(0\), 0\);\n {4}\}\n\}\n$/);
    });

    it('cargo: a file without tests gets a new #[cfg(test)] mod tests', async () => {
      const s = await setupFor('cargo', 'src/geometry.rs', 'rust', { name: 'area', kind: 'method', container: 'Rect' });
      assert.strictEqual(s.sameFile, true);
      assert.match(s.evidence, /Cargo\.toml/);
      const out = applied(s, '    #[test]\n    fn area_works() {}');
      assert.match(out, /\n\}\n\n#\[cfg\(test\)\]\nmod tests \{\n {4}use super::\*;\n\n {4}#\[test\]\n {4}fn area_works\(\) \{\}\n\}\n$/);
    });
  });
});
