import * as assert from 'node:assert/strict';
import { promptPrefixReuse } from '../../../src/context/reuse';
import type { ContextSnippet } from '../../../src/context/types';
import { buildDocumentContext } from '../../../src/document/documentContext';
import { buildCompletionRequest, defaultPromptMode, snippetsWithinBudget } from '../../../src/prompt/buildRequest';
import { templateFor } from '../../../src/prompt/templates';
import { testConfig } from './fakes';
import { atCursor } from '../../support/cursor';

const source = atCursor('import { add } from "./math";\n\nexport function twice(x: number) {\n  ┃\n}\n');
const doc = buildDocumentContext(
  { uri: 'file:///w/src/app.ts', relativePath: 'src/app.ts', languageId: 'typescript', text: source.text, version: 1 },
  source.position,
  { prefixTokens: 1000, suffixTokens: 200 },
);
const snippet = (relativePath: string, content: string, score = 1): ContextSnippet => ({ relativePath, content, source: 'import', score });
const math = snippet('src/math.ts', 'export function add(a: number, b: number) { return a + b; }');

describe('prompt/buildRequest', () => {
  it('lays out a templated prompt with related files, stops and generation settings', () => {
    const config = testConfig({ contextEnabled: true, temperature: 0.2, keepAlive: '10m' });
    const qwen = templateFor('qwen');
    const request = buildCompletionRequest({ doc, snippets: [math], template: qwen, config, multiline: true, repoName: 'w' });
    assert.equal(request.model, config.model);
    assert.equal(request.prefix, doc.prefix);
    assert.equal(request.suffix, doc.suffix);
    // The cursor line's typed text ("  ") comes after the middle token: the hole starts at the line start.
    assert.ok(doc.prefix.endsWith('{\n  '));
    assert.equal(request.prompt, qwen.build({
      prefix: doc.prefix.slice(0, -2), suffix: doc.suffix, relativePath: 'src/app.ts', languageId: 'typescript', snippets: [math], repoName: 'w',
    }) + '  ');
    assert.ok(request.prompt!.includes('export function add(a: number'), 'the related file is in the prompt');
    assert.ok(request.prompt!.includes('src/math.ts'));
    assert.equal(request.extra, undefined);
    assert.deepEqual(request.stop, ['\n\n\n', ...qwen.stop]); // line stops first: OpenAI keeps four
    assert.equal(request.maxTokens, config.maxTokensMultiline);
    assert.equal(request.maxPredictMs, 2500);
    assert.equal(request.temperature, 0.2);
    assert.equal(request.keepAlive, '10m');
    assert.equal(request.indent, 2);
  });

  it('asks for one line with a line-end stop when single-line', () => {
    const request = buildCompletionRequest({ doc, snippets: [], template: templateFor('starcoder'), config: testConfig(), multiline: false });
    assert.equal(request.maxTokens, testConfig().maxTokensSingleLine);
    assert.ok(request.stop.includes('\n'));
    assert.equal(request.maxPredictMs, undefined);
    assert.match(request.prompt!, /<fim_prefix>[^]*\{\n<fim_suffix>\n\}\n<fim_middle>  $/);
    const capped = buildCompletionRequest({ doc, snippets: [], template: templateFor('qwen'), config: testConfig(), multiline: false, maxTokens: 7 });
    assert.equal(capped.maxTokens, 7);
  });

  it('puts the cursor line after the middle token only where the prompt ends with it', () => {
    const mid = atCursor('def area(r):\n    return 3.14 * r┃ * r\n');
    const d = buildDocumentContext({ uri: 'file:///w/g.py', relativePath: 'g.py', languageId: 'python', text: mid.text, version: 1 }, mid.position,
      { prefixTokens: 1000, suffixTokens: 200 });
    const config = testConfig({ contextEnabled: false });
    const psm = buildCompletionRequest({ doc: d, snippets: [], template: templateFor('deepseek'), config, multiline: false });
    assert.equal(psm.prompt, '<｜fim▁begin｜>def area(r):\n<｜fim▁hole｜> * r\n<｜fim▁end｜>    return 3.14 * r');
    assert.equal(psm.prefix, d.prefix, 'the request keeps the whole prefix (post-processing reads it)');
    // Codestral's trained form ends with the prefix already: nothing moves.
    const spm = buildCompletionRequest({ doc: d, snippets: [], template: templateFor('codestral'), config, multiline: false });
    assert.equal(spm.prompt, '[SUFFIX] * r\n[PREFIX]def area(r):\n    return 3.14 * r');
  });

  it('lets llama.cpp lay out the prompt itself and sends snippets as input_extra', () => {
    const config = testConfig({ backend: 'llamacpp', contextEnabled: true });
    assert.equal(defaultPromptMode('llamacpp'), 'native');
    assert.equal(defaultPromptMode('ollama'), 'template');
    const request = buildCompletionRequest({ doc, snippets: [math], template: templateFor('qwen'), config, multiline: false });
    assert.equal(request.prompt, undefined);
    assert.deepEqual(request.extra, [{ filename: 'src/math.ts', text: math.content }]);
  });

  it('keeps related context within its budget and leaves it out when disabled', () => {
    const big = snippet('src/big.ts', 'x'.repeat(4000));
    const small = snippet('src/small.ts', 'const y = 1;');
    assert.deepEqual(snippetsWithinBudget([big, small], 100, 'typescript').map(s => s.relativePath), ['src/small.ts']);
    const off = buildCompletionRequest({ doc, snippets: [math], template: templateFor('qwen'), config: testConfig({ contextEnabled: false }), multiline: false });
    assert.ok(!off.prompt!.includes('src/math.ts'));
  });

  it('keeps the prompt\'s leading tokens while the user types along a line (server KV-cache reuse)', () => {
    // A long file, so the prefix budget cuts it: the cut must not move as the line grows. With the line's typed
    // text after the middle token only that text changes; in the plain prefix-suffix-middle layout the suffix
    // after the cursor was evaluated again (worst share ~0.8 at the default budgets).
    const lines = Array.from({ length: 400 }, (_, i) => `    total_${i} = weights[${i}] * values[${i}] + bias`);
    const typed = '    result = normalise(total_1 + total_2 + total_3, scale=factor)';
    const config = testConfig({ contextEnabled: true });
    const related = snippet('lib/stats.py', Array.from({ length: 40 }, (_, i) => `def stat_${i}(xs): return sum(xs) / ${i + 1}`).join('\n'));
    const reuse = (snippets: ContextSnippet[]) => {
      let previous: string | undefined;
      const shares: number[] = [];
      for (let i = 4; i <= typed.length; i++) {
        const text = [...lines.slice(0, 250), typed.slice(0, i), ...lines.slice(250)].join('\n');
        const d = buildDocumentContext({ uri: 'file:///w/m.py', relativePath: 'm.py', languageId: 'python', text, version: i }, { line: 250, character: i },
          { prefixTokens: config.maxPrefixTokens, suffixTokens: config.maxSuffixTokens });
        const prompt = buildCompletionRequest({ doc: d, snippets, template: templateFor('qwen'), config, multiline: false }).prompt!;
        if (previous !== undefined) shares.push(promptPrefixReuse(previous, prompt).tokenShare);
        previous = prompt;
      }
      return { mean: shares.reduce((a, b) => a + b, 0) / shares.length, worst: Math.min(...shares) };
    };
    const bare = reuse([]);
    assert.ok(bare.worst >= 0.95, `no context: worst reuse ${bare.worst.toFixed(3)}`);
    const withContext = reuse([related]);
    assert.ok(withContext.worst >= 0.95, `with related context: worst reuse ${withContext.worst.toFixed(3)}`);
    if (process.env.INFILL_TEST_VERBOSE) console.log({ bare, withContext });
  });
});
