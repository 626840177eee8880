// The golden cases (format in goldenCases.ts), run the way the editor runs them: in the engine's own multi-line
// mode, and on their CRLF twins.
import * as assert from 'assert';
import { processDetailed } from '../../../src/postprocess';
import { engineMultiline, loadGoldenCases } from './goldenCases';

describe('postprocess golden cases', () => {
  const cases = loadGoldenCases();

  it('has at least 15 cases for each main language', () => {
    for (const language of ['python', 'typescript', 'javascript', 'java', 'go', 'rust']) {
      const count = cases.filter(c => c.languageId === language).length;
      assert.ok(count >= 15, `${language}: ${count} golden cases`);
    }
  });

  for (const c of cases) {
    it(c.file, async () => {
      const multiline = engineMultiline(c);
      if (c.multiline !== undefined) assert.strictEqual(multiline, c.multiline, 'the engine decides the mode the case states');
      const result = await processDetailed({ languageId: c.languageId, prefix: c.prefix, suffix: c.suffix, output: c.output, multiline });
      assert.strictEqual(result.completion, c.expected);
      if (c.rules) assert.deepStrictEqual(result.rules, c.rules, 'the rules that fire');
      if (c.expectedCli !== undefined) {
        const cli = await processDetailed({ languageId: c.languageId, prefix: c.prefix, suffix: c.suffix, output: c.output });
        assert.strictEqual(cli.completion, c.expectedCli, 'syntax-only mode (multiline not given)');
      }
    });
  }

  for (const c of cases) {
    it(`${c.file} (CRLF)`, async () => {
      const lf = { languageId: c.languageId, prefix: c.prefix, suffix: c.suffix, output: c.output, multiline: engineMultiline(c) };
      const expected = await processDetailed(lf);
      const document = { ...lf, prefix: crlf(c.prefix), suffix: crlf(c.suffix) };
      assert.strictEqual(engineMultiline(document), lf.multiline, 'the engine decides the same mode');
      for (const output of [c.output, crlf(c.output)]) {
        const twin = await processDetailed({ ...document, output });
        const what = output === c.output ? 'LF output' : 'CRLF output';
        assert.strictEqual(twin.completion, crlf(expected.completion), what);
        assert.deepStrictEqual(twin.rules, expected.rules, `${what}: the same rules`);
      }
      if (c.expectedCli !== undefined) {
        const cli = await processDetailed({ ...document, multiline: undefined });
        assert.strictEqual(cli.completion, crlf(c.expectedCli), 'syntax-only mode (multiline not given)');
      }
    });
  }
});

function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}
