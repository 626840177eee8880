import * as assert from 'assert';
import { cutAtEndToken, stripChatArtefacts, stripMarkdownFence, stripThinkBlocks } from '../../../src/postprocess/artefacts';
import { findCloserCollision, findClosingLines, findRestOfLine, findSuffixEcho, isEchoOfSuffix } from '../../../src/postprocess/echo';
import { atTopLevelGap, cutAtScopeExit, emptyBlockHeaderIndent, scopeFloor } from '../../../src/postprocess/scope';
import { insideProse } from '../../../src/text/code';
import { finalizeWhitespace, keepFirstLine } from '../../../src/postprocess/whitespace';
import { indentationErrors, spliceChecker, windowEnd, windowStart } from '../../../src/postprocess/syntaxCheck';
import { processDetailed } from '../../../src/postprocess';

describe('postprocess/artefacts', () => {
  it('cuts at the first end or FIM token', () => {
    assert.strictEqual(cutAtEndToken('a<|endoftext|>b'), 'a');
    assert.strictEqual(cutAtEndToken('a<EOT>b<|file_sep|>c'), 'a');
    assert.strictEqual(cutAtEndToken('x<｜end▁of▁sentence｜>'), 'x');
    assert.strictEqual(cutAtEndToken('no token'), 'no token');
  });
  it('cuts at every end and FIM token it knows, each on its own', () => {
    // Written out here (not read from the module) so that dropping one from the list fails.
    const tokens = [
      '<|endoftext|>', '<|file_sep|>', '<|fim_pad|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|repo_name|>',
      '<|im_end|>', '<|im_start|>', '<|end|>', '<|eot_id|>', '<EOT>', '<|EOT|>', '</s>', '<｜end▁of▁sentence｜>',
      '<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<file_sep>',
      '<|endofmask|>', '<end_of_turn>', '[SUFFIX]', '[PREFIX]', '[MIDDLE]',
    ];
    for (const token of tokens) assert.strictEqual(cutAtEndToken(`return a + b${token}utils.py\nimport os\n`), 'return a + b', token);
  });
  it('drops think blocks, and everything when the block never closes', () => {
    assert.strictEqual(stripThinkBlocks('<think>plan</think>\ncode'), 'code');
    assert.strictEqual(stripThinkBlocks('<think>still thinking'), '');
    assert.strictEqual(stripThinkBlocks('reasoning</think>\ncode'), 'code');
  });
  it('unwraps a leading markdown fence and stops at its end', () => {
    assert.strictEqual(stripMarkdownFence('```python\nx = 1\n```\nExplanation'), 'x = 1\n');
    assert.strictEqual(stripMarkdownFence('x = 1\n```'), 'x = 1\n');
    assert.strictEqual(stripMarkdownFence('x = "```"'), 'x = "```"');
  });
  it('unwraps a fence after a chat model\'s sentence before it', () => {
    assert.strictEqual(stripMarkdownFence('Here is the missing code:\n```java\nint x = 1;\n```\nThis sets x.'), 'int x = 1;\n');
    assert.strictEqual(stripMarkdownFence('Sure! The loop below sums the values:\n\n```\ns += x\n```'), 's += x\n');
    // While streaming, before the closing fence.
    assert.strictEqual(stripMarkdownFence('Here it is:\n```python\ny = 2\n'), 'y = 2\n');
  });
  it('keeps code or indented text before a fence: no preamble', () => {
    // Code before a fence (a docstring's example, a comment) is not a preamble: the closing-fence rule applies.
    assert.strictEqual(stripMarkdownFence('x = 1\n```python\ny = 2\n```\n'), 'x = 1\n');
    assert.strictEqual(stripMarkdownFence('    Example:\n```python\ny = 2\n```\n'), '    Example:\n');
    // No colon: a sentence that introduces no code.
    assert.strictEqual(stripMarkdownFence('This is done\n```python\ny = 2\n```\n'), 'This is done\n');
  });
  it('applies all three', () => {
    assert.strictEqual(stripChatArtefacts('<think>a</think>```ts\nf();\n```<|im_end|>'), 'f();\n');
  });
});

describe('postprocess/echo', () => {
  it('recognises an echo of the next suffix lines, tolerating trailing whitespace', () => {
    assert.ok(isEchoOfSuffix('  return x  \n}', '  return x\n}\n'));
    assert.ok(!isEchoOfSuffix('  return y\n', '  return x\n'));
    assert.ok(isEchoOfSuffix('  return x\n}', '  return x\n}\nmore'));
  });
  it('cuts before the earliest echo, confident only for a whole line of code', () => {
    const cut = findSuffixEcho('a = 1\n    return a\n', '    return a\n');
    assert.deepStrictEqual(cut && { keep: cut.keep, confident: cut.confident }, { keep: 'a = 1\n', confident: true });
    assert.strictEqual(findSuffixEcho('f(x)', ')')?.confident, false);
    assert.strictEqual(findSuffixEcho('nothing repeated', 'else'), undefined);
  });
  it('does not take a deeper-indented single line for an echo', () => {
    assert.strictEqual(findSuffixEcho('        return False\n', '    return False\n'), undefined);
  });
  it('one echoed line: after code it is cut; after only a line break or indentation it is the model\'s own line', () => {
    assert.strictEqual(findSuffixEcho('x = 1\n    return x\n', '\n    return x\n')?.keep, 'x = 1');
    assert.strictEqual(findSuffixEcho('x = 1\n    return x', '\n    return x')?.keep, 'x = 1', 'the file ends with the echoed line');
    assert.strictEqual(findSuffixEcho('\n    return x\n', '    return x\n'), undefined);
    // Several lines after a line break are an echo, and so is one line the output stops in.
    assert.strictEqual(findSuffixEcho('\n    a()\n    b()\n', '    a()\n    b()\n')?.keep, '\n');
    assert.strictEqual(findSuffixEcho('\n    a()', '    a()\n')?.keep, '\n');
  });
  it('finds the rest of the line at the end of the output', () => {
    assert.strictEqual(findRestOfLine('a, b)', ')\n')?.keep, 'a, b');
    assert.strictEqual(findRestOfLine('x', ')\n'), undefined);
  });
  it('marks an earlier rest-of-line match as needing a parse improvement', () => {
    const cut = findRestOfLine('d(n)\n    more = 1', ')\n');
    assert.strictEqual(cut?.mustImprove, true);
  });
  it('finds closers colliding with auto-closed ones, but not brackets the completion reopens', () => {
    assert.strictEqual(findCloserCollision('x > 0) {', ')')?.keep, 'x > 0');
    assert.strictEqual(findCloserCollision('0]', '])')?.keep, '0');
    assert.strictEqual(findCloserCollision("encode('a')).hexdigest(", ') if t else None'), undefined);
    assert.strictEqual(findCloserCollision('f(x)', ')'), undefined);
  });
  it('finds closing lines the suffix already has', () => {
    assert.strictEqual(findClosingLines('  return y;\n}', '\n}\n', false)?.keep, '  return y;\n');
    assert.strictEqual(findClosingLines('  return y;\n  }\n}', '\n}\n', false)?.keep, '  return y;\n  }\n');
    assert.strictEqual(findClosingLines('  return y;', '\n}\n', false), undefined);
  });
});

describe('postprocess/scope', () => {
  const py = (prefix: string, suffix = '') => ({ languageId: 'python', prefix, suffix });
  it('finds the outermost enclosing function as the floor', () => {
    assert.strictEqual(scopeFloor(py('def f():\n    def g():\n        '), 9), 0);
    assert.strictEqual(scopeFloor(py('x = 1\n'), 0), -1);
  });
  it("uses a method's own def, not its class", () => {
    assert.strictEqual(scopeFloor(py('class A:\n    def f(self):\n        ', '\n        return 1\n'), 9), 4);
  });
  it('cuts before a line that leaves the function', () => {
    const cut = cutAtScopeExit('return 1\n\n\ndef other():\n    pass\n', py('def f():\n    '));
    assert.deepStrictEqual(cut, { keep: 'return 1', atNewline: true });
  });
  it('keeps dedents that stay inside the function, and lines inside triple-quoted strings', () => {
    assert.strictEqual(cutAtScopeExit('if x:\n        y()\n    return 1', py('def f(x):\n    ')), undefined);
    assert.strictEqual(cutAtScopeExit('"""doc\ntext at column 0\n"""\n    return 1', py('def f():\n    ')), undefined);
  });
  it('ends an opened empty block in multi-line mode, allowing else', () => {
    const input = py('def f(x):\n    if x:\n        ', '\n    return 0\n');
    assert.strictEqual(emptyBlockHeaderIndent(input), 4);
    assert.deepStrictEqual(cutAtScopeExit('a()\n    b()', input, { endWithOpenedBlock: true }), { keep: 'a()', atNewline: true });
    assert.strictEqual(cutAtScopeExit('a()\n    else:\n        b()', input, { endWithOpenedBlock: true }), undefined);
  });
  it('brace languages: the line that closes the enclosing block ends the unit', () => {
    const input = { languageId: 'java', prefix: 'class A {\n  int f() {\n    ', suffix: '\n  }\n}\n' };
    assert.deepStrictEqual(cutAtScopeExit('return 1;\n  }\n\n  int g() {}\n', input), { keep: 'return 1;\n  }', atNewline: true });
    assert.strictEqual(cutAtScopeExit('if (a) {\n    b();\n  } else {\n    c();\n  }', { languageId: 'java', prefix: 'void f() {\n  ', suffix: '\n}' }), undefined);
  });
});

describe('postprocess/scope: a new top-level item between items', () => {
  const ts = (prefix: string, suffix = '') => ({ languageId: 'typescript', prefix, suffix });
  const py = (prefix: string, suffix = '') => ({ languageId: 'python', prefix, suffix });
  it('knows a blank line between finished top-level items from one inside a block', () => {
    assert.ok(atTopLevelGap(ts('function a() {\n  return 1\n}\n\n', '\nfunction b() {}\n')));
    assert.ok(atTopLevelGap(ts('import x from "y";\n/** Docs. */\n')), 'a doc comment above belongs to what follows');
    assert.ok(!atTopLevelGap(ts('function a() {\n  const x = 1\n')), 'inside a function');
    assert.ok(!atTopLevelGap(ts('const x = [\n')), 'after an opener');
    assert.ok(atTopLevelGap(py('def a():\n    return 1\n\n\n', '\n\ndef b():\n    pass\n')), 'Python: the suffix resumes at column 0');
    assert.ok(!atTopLevelGap(py('def a():\n    x = 1\n', '    return x\n')), 'Python: the body goes on below');
  });
  it('keeps the first item whole, with its doc comment, and cuts before the next one', () => {
    const input = ts('function a() {\n  return 1\n}\n\n', '\nfunction z() {}\n');
    const out = '/**\n * Doubles.\n */\nexport const b = (\n  x: number,\n): number => {\n  return 2 * x\n}\n\n/**\n * Next.\n */\nexport const c = 1\n';
    assert.deepStrictEqual(cutAtScopeExit(out, input, { endWithOpenedBlock: true }),
      { keep: '/**\n * Doubles.\n */\nexport const b = (\n  x: number,\n): number => {\n  return 2 * x\n}', atNewline: true });
    assert.strictEqual(cutAtScopeExit('/**\n * Still writing the docs', input), undefined, 'a doc comment alone is not cut');
    const pyInput = py('def a():\n    return 1\n\n\n', '\n\ndef z():\n    pass\n');
    assert.deepStrictEqual(cutAtScopeExit('@cache\ndef b(x):\n    if x:\n        return 1\n    return 2\n\n\ndef c():\n    pass\n', pyInput),
      { keep: '@cache\ndef b(x):\n    if x:\n        return 1\n    return 2', atNewline: true });
  });
  it('inside a function a new top-level item is still a scope exit', () => {
    assert.deepStrictEqual(cutAtScopeExit('  return x\n}\n\nfunction b() {}\n', ts('function a() {\n  const x = 1\n')), { keep: '  return x\n}', atNewline: true });
  });
  it('keeps a new item through the whole post-processor (it used to come out empty)', async () => {
    const prefix = 'def a():\n    return 1\n\n\n';
    const suffix = '\n\ndef z():\n    pass\n';
    const out = await processDetailed({ languageId: 'python', prefix, suffix, output: 'def b(x):\n    return x * 2\n\n\ndef c():\n    pass\n', multiline: true });
    assert.strictEqual(out.completion, 'def b(x):\n    return x * 2');
  });
});

describe('postprocess: output cut by the token limit', () => {
  const prefix = 'def a():\n    return 1\n\n\n';
  const suffix = '\n\ndef z():\n    pass\n';
  const output = 'def b(x):\n    y = x * 2\n    if y > 3:\n        return y\n    ret';
  it('keeps the whole lines of a block the limit left open', async () => {
    const out = await processDetailed({ languageId: 'python', prefix, suffix, output, multiline: true, truncated: true });
    assert.strictEqual(out.completion, 'def b(x):\n    y = x * 2\n    if y > 3:\n        return y');
    assert.ok(out.rules.includes('truncated'));
  });
  it('without the flag an unclosed block is not shown whole (the syntax alone cannot tell it was cut)', async () => {
    const out = await processDetailed({ languageId: 'python', prefix, suffix, output, multiline: true });
    assert.notStrictEqual(out.completion, 'def b(x):\n    y = x * 2\n    if y > 3:\n        return y');
  });
  it('brace languages: the body so far, without the cut last line; garbage still comes out empty', async () => {
    const ts = { languageId: 'typescript', prefix: 'function a() {\n  return 1\n}\n\n', suffix: '\nfunction z() {}\n', multiline: true, truncated: true };
    const out = await processDetailed({ ...ts, output: 'function b(x: number) {\n  const y = x * 2\n  if (y > 3) {\n    return y\n  }\n  return thi' });
    assert.strictEqual(out.completion, 'function b(x: number) {\n  const y = x * 2\n  if (y > 3) {\n    return y\n  }');
    const junk = await processDetailed({ ...ts, output: ')) ]] }} ((\n  ;; ))\n  ]]' });
    assert.strictEqual(junk.completion, '');
  });
});

describe('postprocess: prose and windows', () => {
  it('tells an open docstring or block comment from closed ones', () => {
    assert.ok(insideProse('def f():\n    """Sorts the\n    items', 'python'));
    assert.ok(!insideProse('def f():\n    """Sorts."""\n    return 1', 'python'));
    assert.ok(insideProse('/**\n * Parses the', 'typescript'));
    assert.ok(!insideProse('/** Parses. */\nconst x = ', 'typescript'));
  });
  it('keeps docstring prose the parser cannot judge (the string is open until the user closes it)', async () => {
    const prefix = 'def f(graph):\n    r"""Sorts the graph.\n\n    Returns:\n      A list ';
    const out = await processDetailed({ languageId: 'python', prefix, suffix: '\n\n\ndef g():\n    pass\n', output: 'of node names.', multiline: false });
    assert.strictEqual(out.completion, 'of node names.');
  });
  it('starts the syntax window at the cursor line when it begins a top-level item, never at a header continuation', () => {
    const prefix = 'export const a = async (\n  x: number,\n): Promise<number> => {\n  return x\n}\nexport const ';
    assert.strictEqual(prefix.slice(windowStart(prefix)), 'export const ');
    const inside = 'export const a = async (\n  x: number,\n): Promise<number> => {\n  return ';
    assert.strictEqual(inside.slice(windowStart(inside)), inside);
  });
  it('keeps a line that opens a parameter list continued below (it used to be emptied)', async () => {
    const prefix = 'export const a = 1\n\nexport const ';
    const out = await processDetailed({ languageId: 'typescript', prefix, suffix: '\n\nexport const z = 2\n', output: 'parse = async function* <T = unknown>(', multiline: false });
    assert.strictEqual(out.completion, 'parse = async function* <T = unknown>(');
  });
});

describe('postprocess/whitespace', () => {
  it('strips trailing whitespace, all of it at the end when the line is empty after the cursor', () => {
    assert.strictEqual(finalizeWhitespace('a  \nb \n\n', '\nrest'), 'a\nb');
  });
  it('keeps the tail when the suffix continues the line', () => {
    assert.strictEqual(finalizeWhitespace('+ ', 'b\n'), '+ ');
    assert.strictEqual(finalizeWhitespace('x = 1\n\n\n', '    return x\n'), 'x = 1\n');
    assert.strictEqual(finalizeWhitespace('if x:\n    ', '    y()\n'), 'if x:\n    ');
  });
  it('single-line mode keeps the first line, and its break before existing code at a line start', () => {
    assert.strictEqual(keepFirstLine('a\nb', '\n', 'x = '), 'a');
    assert.strictEqual(keepFirstLine('    a = 1\n    b = 2', '    c()\n', 'def f():\n'), '    a = 1\n');
  });
});

describe('postprocess/syntaxCheck', () => {
  it('bounds the window at the enclosing top-level line', () => {
    const prefix = 'import os\n\ndef f():\n    x = 1\n    ';
    assert.strictEqual(prefix.slice(windowStart(prefix)), 'def f():\n    x = 1\n    ');
    const suffix = '\n    return x\n\ndef g():\n    pass\n';
    assert.strictEqual(suffix.slice(0, windowEnd(suffix)), '\n    return x\n\n');
  });
  it('counts parse errors of a splice against the baseline', async () => {
    const check = await spliceChecker('python', 'def f(xs):\n    ', '\n    return ys\n');
    assert.ok(check);
    assert.strictEqual(check.errorsWith('ys = sorted(xs)'), 0);
    assert.ok(check.errorsWith('ys = sorted(xs)\n    ]') > 0);
  });
  it('flags Python indentation that tree-sitter tolerates', () => {
    assert.strictEqual(indentationErrors('    if x:\n', '    y()\n'), 1);
    assert.strictEqual(indentationErrors('    if x:\n', '        y()\n'), 0);
    assert.strictEqual(indentationErrors('    a = 1\n', '        b = 2\n'), 1);
    assert.strictEqual(indentationErrors('    a = f(1,\n', '          2)\n'), 0);
  });
  it('returns undefined for a language without a grammar', async () => {
    assert.strictEqual(await spliceChecker('plaintext', 'a', 'b'), undefined);
  });
});

describe('postprocess pipeline', () => {
  it('never breaks a correct answer: exact middles survive unchanged', async () => {
    const prefix = 'def f(xs):\n    total = 0\n    for x in xs:\n';
    const middle = '        if x > 0:\n            total += x\n    total *= 2\n';
    const suffix = '    return total\n';
    const result = await processDetailed({ languageId: 'python', prefix, suffix, output: middle });
    assert.strictEqual(result.completion, middle);
    assert.deepStrictEqual(result.rules, []);
  });
  it('cuts a model that runs on past the suffix it echoed and into new code', async () => {
    const result = await processDetailed({
      languageId: 'python',
      prefix: 'def f(xs):\n',
      suffix: '    return total\n',
      output: '    total = sum(xs)\n    return total\n\n\ndef g():\n    pass\n',
    });
    assert.strictEqual(result.completion, '    total = sum(xs)\n');
  });
  it('returns empty when nothing useful is left', async () => {
    const result = await processDetailed({ languageId: 'typescript', prefix: 'f(', suffix: ');\n', output: ');' });
    assert.strictEqual(result.completion, '');
  });
  it('keeps a whitespace-only answer that indents the rest of the line', async () => {
    const result = await processDetailed({ languageId: 'python', prefix: 'def f():\n', suffix: '  return 1\n', output: '  ' });
    assert.strictEqual(result.completion, '  ');
  });
  it('parses only a bounded window of a large file', async () => {
    const body = Array.from({ length: 3000 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`).join('\n');
    const result = await processDetailed({ languageId: 'python', prefix: body + '\ndef g(x):\n    ', suffix: '\n' + body, output: 'return x * 2\n' });
    assert.strictEqual(result.completion, 'return x * 2');
    assert.ok(result.parses <= 3, `parses: ${result.parses}`);
  });
});
