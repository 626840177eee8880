// The chain's own decisions (index.ts) that the golden cases do not pin: the output bound's line count from the
// first character, the streaming memo's key, a weak rest-of-line cut competing with the syntax. One behaviour per case.
import * as assert from 'assert';
import { createPostprocessor, isCompleteOutput, MAX_OUTPUT_LINES, processDetailed } from '../../../src/postprocess';

import { py } from './inputs';

describe('postprocess: the output bound counts lines from the first character', () => {
  const input = { languageId: 'plaintext', prefix: 'f(\n', suffix: '\n' };

  it('a line break at the very start is a line', async () => {
    assert.strictEqual(await isCompleteOutput({ ...input, output: '\n' + '  a\n'.repeat(MAX_OUTPUT_LINES) }), true);
    assert.strictEqual(await isCompleteOutput({ ...input, output: '\n' + '  a\n'.repeat(MAX_OUTPUT_LINES - 1) }), false);
  });

  it('so is a one-character first line', async () => {
    assert.strictEqual(await isCompleteOutput({ ...input, output: ' \n' + '  a\n'.repeat(MAX_OUTPUT_LINES) }), true);
    assert.strictEqual(await isCompleteOutput({ ...input, output: ' \n' + '  a\n'.repeat(MAX_OUTPUT_LINES - 1) }), false);
  });
});

describe('postprocess: the streaming memo', () => {
  const pastScope = 'total = sum(xs)\n    return total\n\n\ndef g():\n';

  it('a complete answer stays complete while the partial line grows', async () => {
    const postprocessor = createPostprocessor();
    assert.strictEqual(await postprocessor.isComplete(py(pastScope + 'pa')), true);
    assert.strictEqual(await postprocessor.isComplete(py(pastScope + 'pass')), true);
  });

  it('is kept per suffix, multi-line mode and completed lines', async () => {
    const echoed = 'total = sum(xs)\n    return total\n';
    const postprocessor = createPostprocessor();
    assert.strictEqual(await postprocessor.isComplete(py(echoed, { suffix: '\n    return total\n' })), true);
    assert.strictEqual(await postprocessor.isComplete(py(echoed)), false, 'another suffix');
    assert.strictEqual(await postprocessor.isComplete(py('return 1\n', { multiline: false })), true);
    assert.strictEqual(await postprocessor.isComplete(py('return 1\n')), false, 'another multi-line mode');
    assert.strictEqual(await postprocessor.isComplete(py('return 1\n', { multiline: false })), true);
    assert.strictEqual(await postprocessor.isComplete(py('return 1\nx', { multiline: false })), true);
    assert.strictEqual(await postprocessor.isComplete(py('return 1', { multiline: false })), false, 'fewer completed lines');
  });

  it('a new end token in an output with no line break yet, and a new last line, are seen', async () => {
    const postprocessor = createPostprocessor();
    assert.strictEqual(await postprocessor.isComplete(py('x')), false);
    assert.strictEqual(await postprocessor.isComplete(py('x<|endoftext|>')), true);
    const single = createPostprocessor();
    assert.strictEqual(await single.isComplete(py(' \n', { multiline: false })), false);
    assert.strictEqual(await single.isComplete(py('x\n', { multiline: false })), true);
  });

  it('is kept per prefix', async () => {
    const postprocessor = createPostprocessor();
    const output = 'x\ndef g():\n';
    assert.strictEqual(await postprocessor.isComplete(py(output)), true, 'a new top-level item after the cursor\'s function');
    assert.strictEqual(await postprocessor.isComplete(py(output, { prefix: 'x = [\n' })), false, 'inside an open list');
  });
});

describe('postprocess: a rest-of-line cut past the cursor\'s line', () => {
  it('competes with the syntax cut and wins when it parses better', async () => {
    const out = await processDetailed(py('b:\n    go()', { prefix: 'if a and ', suffix: ':\n    pass\n' }));
    assert.deepStrictEqual(out, { completion: 'b', rules: ['rest-of-line'], parses: 4 }, 'judged once, in the syntax cut');
  });
});

describe('postprocess: small decisions of the chain, without a grammar', () => {
  const plain = (output: string, more: object = {}) => processDetailed({ languageId: 'plaintext', prefix: 'f(', suffix: ')\n', output, ...more });

  it('an unsure cut is kept only when it leaves no more brackets open than the output did', async () => {
    assert.deepStrictEqual(await plain('a, g(b)'), { completion: 'a, g(b)', rules: [], parses: 0 });
    assert.deepStrictEqual(await plain('a, b)'), { completion: 'a, b', rules: ['suffix-echo'], parses: 0 });
  });

  it('an output that was not cut at a line break keeps no line break of its own', async () => {
    assert.strictEqual((await plain('a', { prefix: 'x\n', suffix: 'c\n' })).completion, 'a');
  });

  it('nor does the text before an echo of the rest of the cursor\'s line', async () => {
    assert.deepStrictEqual(await plain('a c d e f', { prefix: 'x\n', suffix: 'c d e f\n' }), { completion: 'a ', rules: ['suffix-echo'], parses: 0 });
  });

  it('a restart that repeats everything leaves nothing', async () => {
    const out = await processDetailed(py('def f(xs):\n', { multiline: true }));
    assert.deepStrictEqual(out, { completion: '', rules: ['restart'], parses: 0 });
  });

  it('a restart that leaves only the indentation of the cursor\'s line leaves nothing, even where the line goes on', async () => {
    const out = await processDetailed({ languageId: 'python', prefix: 'def f(xs):\n    ', suffix: 'return xs\n', output: 'def f(xs):\n    ', multiline: true });
    assert.deepStrictEqual(out, { completion: '', rules: ['lines-above', 'restart'], parses: 0 });
  });

  it('single-line mode keeps a token-limit cut\'s last line when it is the first real one', async () => {
    const out = await processDetailed({ languageId: 'plaintext', prefix: 'x', suffix: '\n', output: '\nb', multiline: false, truncated: true });
    assert.deepStrictEqual(out, { completion: '\nb', rules: [], parses: 0 });
  });
});

describe('postprocess: nothing parses', () => {
  it('a completion no cut can make parse is dropped', async () => {
    assert.deepStrictEqual(await processDetailed(py(')))')), { completion: '', rules: ['syntax-empty'], parses: 3 });
  });
});

describe('postprocess: what only the editor\'s multi-line mode does', () => {
  it('the statement ends where the cursor line\'s brackets close only in multi-line mode', async () => {
    const input = { languageId: 'python', prefix: 'def f(rows):\n    print(', suffix: '\n    return rows\n', output: 'rows)\n    log(rows)\n' };
    assert.strictEqual((await processDetailed({ ...input, multiline: true })).completion, 'rows)');
    assert.strictEqual((await processDetailed(input)).completion, 'rows)\n    log(rows)', 'no decision: what parses is kept');
  });

  it('the block the first line is in ends the completion only in multi-line mode', async () => {
    const input = { languageId: 'python', prefix: 'def f(x):\n    if x:\n        a = 1\n        ', suffix: '\n    return x\n', output: 'b = x\n    c = 1\n' };
    assert.strictEqual((await processDetailed({ ...input, multiline: true })).completion, 'b = x');
    assert.strictEqual((await processDetailed(input)).completion, 'b = x\n    c = 1');
  });

  it('single-line mode moves no lone header out', async () => {
    const prefix = 'def f(n):\n    while True:\n        if ok(n):\n            n -= 1\n';
    const out = await processDetailed({ languageId: 'python', prefix, suffix: '\n            return n\n', output: '            if n == 0:\n', multiline: false });
    assert.strictEqual(out.completion, '            if n == 0:');
  });

  it('single-line mode shows the first line as written (no restart rule)', async () => {
    const out = await processDetailed(py('def f(xs):\n    return 1', { multiline: false }));
    assert.deepStrictEqual([out.completion, out.rules], ['def f(xs):', ['single-line']]);
  });
});

describe('postprocess: single-line mode and the line break after the first line', () => {
  it('a break the parse needs before the rest of the cursor\'s line decides, then goes (the line is not inserted whole)', async () => {
    const out = await processDetailed({ languageId: 'python', prefix: 'x = ', suffix: 'y = 2\n', output: '1\nz', multiline: false });
    assert.deepStrictEqual([out.completion, out.rules], ['1', ['single-line']]);
  });

  it('blank lines before the first real line are no line break after it: one reading is parsed', async () => {
    const out = await processDetailed({ languageId: 'javascript', prefix: 'x = ', suffix: ' + y;\n', output: '\n\n1\n2', multiline: false });
    assert.deepStrictEqual(out, { completion: '\n\n1', rules: ['single-line'], parses: 1 });
  });

  it('at the start of a line with text after it: the first real line and its break, blank lines before it kept', async () => {
    const out = await processDetailed({ languageId: 'plaintext', prefix: 'x\n', suffix: 'c\n', output: '\na\nb', multiline: false });
    assert.strictEqual(out.completion, '\na\n');
  });
});

describe('postprocess: echo cuts that decide everything', () => {
  it('an echo that leaves nothing ends the chain: no parse, no other rule', async () => {
    assert.deepStrictEqual(await processDetailed(py('return x', { suffix: 'return x\n' })), { completion: '', rules: ['suffix-echo'], parses: 0 });
  });

  it('an echo that leaves only a line break before the suffix\'s line ends the chain too: the break stays, unparsed', async () => {
    const out = await processDetailed({ languageId: 'javascript', prefix: 'const a = 1;\n', suffix: 'const b = 2;\nconst c = 3;\n', output: '\nconst b = 2;\nconst c = 3;\n' });
    assert.deepStrictEqual([out.completion, out.parses], ['\n', 0]);
  });

  it('closing lines that are the whole completion end the chain: no other rule', async () => {
    const out = await processDetailed({ languageId: 'javascript', prefix: 'f(', suffix: '\n)\n', output: '\n  )' });
    assert.deepStrictEqual([out.completion, out.rules], ['', ['closing-lines']]);
  });

  it('an echo that leaves lines goes on to the syntax cut', async () => {
    const out = await processDetailed(py('y = 1\n    z = (\n    return x\n', { prefix: 'def f(x):\n    ', suffix: '\n    return x\n' }));
    assert.deepStrictEqual([out.completion, out.rules], ['y = 1', ['suffix-echo', 'syntax-cut']]);
  });
});

describe('postprocess: the streaming stop\'s cheap checks', () => {
  it('only complete lines are judged, in both modes', async () => {
    assert.strictEqual(await isCompleteOutput(py('total = sum(xs)\n    return total\n\n\ndef g')), false, 'the partial line would leave the scope');
    assert.strictEqual(await isCompleteOutput(py('x\n', { multiline: false })), true, 'a one-character line');
  });

  it('a restart on its way is not complete', async () => {
    const prefix = 'def f(xs):\n    """Sum."""\n    total = 0\n    ';
    assert.strictEqual(await isCompleteOutput(py('def f(xs):\n', { prefix })), false);
    assert.strictEqual(await isCompleteOutput(py('def f(xs):\n    """Sum."""\n', { prefix })), false);
  });

  it('a confident echo of several suffix lines is complete', async () => {
    const suffix = '\n    total = 0\n    return total\n';
    assert.strictEqual(await isCompleteOutput(py('x = 1\n    total = 0\n    return total\n', { suffix })), true);
  });

  it('a confident echo that starts a line is complete', async () => {
    const suffix = 'total = sum(xs)\n    return total\n';
    assert.strictEqual(await isCompleteOutput(py('total = sum(xs)\n    return total\n', { suffix })), true);
  });

  it('the end of the empty block the cursor opens stops the stream only in multi-line mode', async () => {
    const input = { languageId: 'python', prefix: 'def f(x):\n    if x:\n        ', suffix: '\n    return 0\n', output: 'a()\n    b()\n' };
    assert.strictEqual(await isCompleteOutput({ ...input, multiline: true }), true);
    assert.strictEqual(await isCompleteOutput(input), false);
  });

  it('the statement end and the block end stop the stream only in multi-line mode', async () => {
    const statement = { languageId: 'python', prefix: 'def f(rows):\n    print(', suffix: '\n    return rows\n', output: 'rows)\n    log(rows)\n' };
    assert.strictEqual(await isCompleteOutput({ ...statement, multiline: true }), true);
    assert.strictEqual(await isCompleteOutput(statement), false);
    const block = { languageId: 'python', prefix: 'def f(x):\n    if x:\n        a = 1\n        ', suffix: '\n    return x\n', output: 'b = x\n    c = 1\n' };
    assert.strictEqual(await isCompleteOutput({ ...block, multiline: true }), true);
    assert.strictEqual(await isCompleteOutput(block), false);
  });
});

