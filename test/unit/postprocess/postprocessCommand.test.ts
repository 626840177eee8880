import * as assert from 'assert';
import { PassThrough } from 'stream';
import { runPostprocessCommand } from '../../../src/cli/postprocessCommand';

async function run(input: string): Promise<unknown[]> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', chunk => chunks.push(chunk as Buffer));
  stdin.end(input);
  await runPostprocessCommand(stdin, stdout);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(line => line !== '')
    .map(line => JSON.parse(line) as unknown);
}

describe('cli/postprocess command', () => {
  it('answers every line in order, with an error record for bad lines', async () => {
    const lines = [
      JSON.stringify({ id: 'a', language: 'python', prefix: 'x = foo(', suffix: ')\n', output: '1, 2)' }),
      'not json',
      JSON.stringify({ id: 7, language: 'python', prefix: 'x' }),
      '',
      JSON.stringify({ id: 'b', language: 'typescript', prefix: 'function f() {\n  ', suffix: '\n}\n', output: 'return 1;\n}\n\nfunction g() {}\n' }),
      JSON.stringify({ id: 'c', language: 'python', prefix: 'def f():\n    ', suffix: '\n', output: 'a = 1\nb = 2', multiline: false }),
      JSON.stringify([1, 2]),
    ];
    const records = await run(lines.join('\n') + '\n');
    assert.deepStrictEqual(records, [
      { id: 'a', completion: '1, 2' },
      { id: null, error: records[1] && (records[1] as { error: string }).error },
      { id: 7, error: 'field "suffix" must be a string' },
      { id: 'b', completion: 'return 1;' },
      { id: 'c', completion: 'a = 1' },
      { id: null, error: 'expected a JSON object' },
    ]);
    assert.match((records[1] as { error: string }).error, /not valid JSON/);
  });

  it('"multiline": "auto" takes the provider\'s decision and the stop sequences of that request', async () => {
    const body = 'def f(xs):\n    total = 0\n';
    const lines = [
      // An empty line inside a block: multi-line, and the server would have stopped at the first "\n\n\n".
      { id: 'block', language: 'python', prefix: body, suffix: '\n    return total\n', output: '    for x in xs:\n        total += x\n\n\n    total *= 2\n', multiline: 'auto' },
      // Code right of the cursor: single line, cut at the first line break.
      { id: 'line', language: 'python', prefix: body + '    total = ', suffix: ' + 1\n', output: 'len(xs)\n    total += 2', multiline: 'auto' },
      { id: 'bad', language: 'python', prefix: '', suffix: '', output: '', multiline: 'yes' },
    ];
    const records = await run(lines.map(line => JSON.stringify(line)).join('\n') + '\n');
    assert.deepStrictEqual(records, [
      { id: 'block', completion: '    for x in xs:\n        total += x' },
      { id: 'line', completion: 'len(xs)' },
      { id: 'bad', error: 'field "multiline" must be a boolean or "auto"' },
    ]);
  });

  it('handles an empty input', async () => {
    assert.deepStrictEqual(await run(''), []);
  });
});
