import * as assert from 'assert';
import { applyEdits } from '../../../src/commands/generate';
import type { TestSetup } from '../../../src/commands/testFramework';
import { finishTestImports, importableNames, missingRunnerFunction } from '../../../src/commands/testImports';

function newFile(framework: TestSetup['framework'], scaffoldBefore: string): TestSetup {
  return { framework, evidence: '', testFilePath: 't.test.ts', exists: false, sameFile: false, existingContent: '', insertAt: 0, scaffoldBefore, scaffoldAfter: '\n', indentation: '' };
}

function existing(framework: TestSetup['framework'], content: string, addImport?: TestSetup['addImport']): TestSetup {
  return { framework, evidence: '', testFilePath: 't.test.ts', exists: true, sameFile: false, existingContent: content, insertAt: content.length, scaffoldBefore: '\n', scaffoldAfter: '', indentation: '', addImport };
}

const NODE_TEST_TS = "import { describe, it } from 'node:test';\nimport * as assert from 'node:assert/strict';\nimport { reverse } from './strings';\n\n";

describe('commands/testImports', () => {
  describe('a new test file imports exactly what its tests use', () => {
    it('node:test: the runner names the tests call, not the ones they do not', () => {
      const tests = "test('reverses', () => {\n  assert.equal(reverse('ab'), 'ba');\n});\n";
      const { scaffoldBefore } = finishTestImports(newFile('node:test', NODE_TEST_TS), tests);
      assert.strictEqual(scaffoldBefore, "import { test } from 'node:test';\nimport * as assert from 'node:assert/strict';\nimport { reverse } from './strings';\n\n");
    });

    it('node:test in CommonJS, with hooks and mock', () => {
      const scaffold = "const { describe, it } = require('node:test');\nconst assert = require('node:assert/strict');\nconst { add } = require('./add');\n\n";
      const tests = "describe('add', () => {\n  beforeEach(() => mock.restoreAll());\n  it('adds', () => assert.equal(add(1, 2), 3));\n});\n";
      const { scaffoldBefore } = finishTestImports(newFile('node:test', scaffold), tests);
      assert.ok(scaffoldBefore.startsWith("const { describe, it, beforeEach, mock } = require('node:test');\nconst assert = require('node:assert/strict');\n"), scaffoldBefore);
    });

    it('vitest: vi and test are imported; assert is added only when used', () => {
      const scaffold = "import { describe, it, expect } from 'vitest';\nimport { fmt } from '../src/fmt';\n\n";
      const tests = "test('calls back', () => {\n  const spy = vi.fn();\n  fmt(1, spy);\n  expect(spy).toHaveBeenCalled();\n});\n";
      assert.strictEqual(finishTestImports(newFile('vitest', scaffold), tests).scaffoldBefore, "import { test, expect, vi } from 'vitest';\nimport { fmt } from '../src/fmt';\n\n");
    });

    it('drops an assert import the tests do not use, and adds one they need', () => {
      const tests = "describe('x', () => { it('y', () => { expect(1).toBe(1); }); });";
      assert.ok(!finishTestImports(newFile('mocha', "const assert = require('node:assert/strict');\nconst { x } = require('../x');\n\n"), tests).scaffoldBefore.includes('assert'));
      const needs = finishTestImports(newFile('jest', "const { x } = require('./x');\n\n"), "test('x', () => { assert.ok(x()); });");
      assert.strictEqual(needs.scaffoldBefore, "const assert = require('node:assert/strict');\nconst { x } = require('./x');\n\n");
    });

    it('other functions of the module that the tests call are imported too (TypeScript and Python)', () => {
      const tests = "it('round-trips', () => {\n  assert.equal(reverse(shout('a')), '!A');\n});\n";
      const ts = finishTestImports(newFile('node:test', NODE_TEST_TS), tests, ['shout', 'unused']);
      assert.match(ts.scaffoldBefore, /^import \{ reverse, shout \} from '.\/strings';$/m);
      const py = finishTestImports(newFile('pytest', 'import pytest\n\nfrom shop.pricing import total\n\n\n'), 'def test_total_after_discount():\n    assert total([apply_discount(10.0, 50)]) == 5.0\n', ['apply_discount', 'tax']);
      assert.match(py.scaffoldBefore, /^from shop\.pricing import total, apply_discount$/m);
    });
  });

  describe('an existing test file gets the imports it lacks, as insertions', () => {
    it('node:test: names added to the runner import; the symbol import lists the other functions used', () => {
      const content = "import { describe, it } from 'node:test';\nimport * as assert from 'node:assert/strict';\nimport { shout } from './strings';\n\ndescribe('shout', () => {});\n";
      const addImport = { insertAt: content.indexOf('\n\ndescribe') + 1, text: "import { reverse } from './strings';\n" };
      const tests = "test('reverse of shout', () => {\n  assert.equal(reverse(shout('a')), '!A');\n  assert.equal(reverse(lower('A')), 'a');\n});\n";
      const { importEdits } = finishTestImports(existing('node:test', content, addImport), tests, ['shout', 'lower']);
      assert.ok(importEdits.every(e => e.start === e.end), 'insertions only');
      const out = applyEdits(content, importEdits);
      assert.ok(out.startsWith("import { describe, it, test } from 'node:test';\nimport * as assert from 'node:assert/strict';\nimport { shout } from './strings';\nimport { reverse, lower } from './strings';\n"), out);
    });

    it('an assert import is added after the last import when the file has none', () => {
      const content = "const { test } = require('node:test');\nconst { add } = require('./add');\n\ntest('a', () => {});\n";
      const out = applyEdits(content, finishTestImports(existing('node:test', content), "test('b', () => { assert.equal(add(1, 1), 2); });").importEdits);
      assert.ok(out.startsWith("const { test } = require('node:test');\nconst { add } = require('./add');\nconst assert = require('node:assert/strict');\n"), out);
    });

    it('nothing changes when everything used is imported', () => {
      const content = "import { describe, it } from 'node:test';\nimport * as assert from 'node:assert/strict';\nimport { reverse } from './strings';\n";
      assert.deepStrictEqual(finishTestImports(existing('node:test', content), "it('r', () => assert.equal(reverse('a'), 'a'));").importEdits, []);
    });
  });

  it('tests that call expect() cannot run under node:test or mocha', () => {
    assert.match(missingRunnerFunction('node:test', "it('x', () => { expect(1).toBe(1); });") ?? '', /expect\(\)/);
    assert.strictEqual(missingRunnerFunction('vitest', "it('x', () => { expect(1).toBe(1); });"), undefined);
    assert.strictEqual(missingRunnerFunction('node:test', "it('x', () => { assert.ok(true); });"), undefined);
  });

  it('importable names: top-level exported functions and classes, not methods, nested or private ones', () => {
    const names = importableNames([
      { name: 'reverse', kind: 'function', exported: true, start: 0, end: 10 },
      { name: 'inner', kind: 'function', exported: true, start: 2, end: 8 },
      { name: 'helper', kind: 'function', exported: false, start: 11, end: 20 },
      { name: 'Shape', kind: 'class', exported: true, start: 21, end: 40 },
      { name: 'area', kind: 'method', container: 'Shape', exported: undefined, start: 25, end: 30 },
    ]);
    assert.deepStrictEqual(names, ['reverse', 'Shape']);
  });
});
