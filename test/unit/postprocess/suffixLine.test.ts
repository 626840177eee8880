import * as assert from 'assert';
import { findSuffixLine } from '../../../src/postprocess/echo';
import { dedentLoneHeader } from '../../../src/postprocess/headerIndent';

describe('postprocess/echo: the model reached the suffix\'s next lines', () => {
  const suffix = '\n    if not evens:\n        return []\n    return [min(evens)]\n';
  it('cuts before two lines equal to the suffix\'s next two code lines, however the output goes on', () => {
    const text = '    evens = [x for x in arr if x % 2 == 0]\n    if not evens:\n\n        return []\n    return None\n';
    assert.deepStrictEqual(findSuffixLine(text, suffix, ''), { keep: '    evens = [x for x in arr if x % 2 == 0]\n', rule: 'suffix-echo', confident: false });
  });
  it('gives an empty completion when the first lines already are those lines', () => {
    assert.strictEqual(findSuffixLine('    if not evens:\n        return []\n    return 0\n', suffix, '')?.keep, '');
  });
  it('one equal line is not enough: a statement can be written in two branches', () => {
    assert.strictEqual(findSuffixLine('    if not evens:\n        return None\n', suffix, ''), undefined);
    assert.strictEqual(findSuffixLine('    x = 1\n    if not evens:\n', suffix, ''), undefined);
  });
  it('needs the same indentation', () => {
    assert.strictEqual(findSuffixLine('    for e in evens:\n        if not evens:\n            return []\n', suffix, ''), undefined);
  });
  it('ignores a first line too short or too common to tell (a closer, `pass`)', () => {
    assert.strictEqual(findSuffixLine('    x = 1\n    }\n}\n', '\n    }\n}\n', ''), undefined);
    assert.strictEqual(findSuffixLine('    x = 1\n    pass\n    y = 2\n', '\n    pass\n    y = 2\n', ''), undefined);
  });
  it('leaves the model\'s own body alone when the code below is deeper than where the completion starts', () => {
    // `return False` below is the body of a header the completion writes; the model's `return False` is its own.
    const deeper = '\n        return False\n    return True\n';
    assert.strictEqual(findSuffixLine('    if day < 1:\n        return False\n    return True\n', deeper, ''), undefined);
    // The cursor's indentation counts for the first line.
    assert.strictEqual(findSuffixLine('if day < 1:\n        return False\n    return True\n', deeper, '    '), undefined);
    assert.ok(findSuffixLine('x = 1\n        return False\n    return True\n', deeper, '        '));
  });
  it('at the start of a line of code, that line is the next one', () => {
    const atCode = '            depth -= 1\n            current.append(c)\n';
    // The model's `current.append(c)` and what follows are not the code right of the cursor.
    assert.strictEqual(findSuffixLine('            depth += 1\n            current.append(c)\n        elif c == ")":\n', atCode, ''), undefined);
    assert.strictEqual(findSuffixLine('            depth += 1\n            depth -= 1\n            current.append(c)\n', atCode, '')?.keep, '            depth += 1\n');
    assert.strictEqual(findSuffixLine('depth += 1\n            depth -= 1\n            current.append(c)\n', atCode.trimStart(), '            ')?.keep, 'depth += 1\n');
  });
  it('mid-line, only from the second line on', () => {
    // The cursor's line is `    print(evens`: its indentation is where the completion starts.
    assert.strictEqual(findSuffixLine('    if not evens:\n        return []\n', suffix, '    print(evens'), undefined);
    assert.strictEqual(findSuffixLine(')\n    if not evens:\n        return []\n', suffix, '    print(evens')?.keep, ')\n');
  });
});
describe('postprocess/headerIndent: a lone header at the level of the code below', () => {
  const prefix = 'def f(n):\n    while True:\n        if ok(n):\n            n -= 1\n';
  const suffix = '\n            return n\n';
  const input = { languageId: 'python', prefix, suffix };
  it('moves out to the enclosing block, so the code below becomes its body', () => {
    assert.strictEqual(dedentLoneHeader('            if n == 0:\n', input), '        if n == 0:');
    assert.strictEqual(dedentLoneHeader('            if n == 0:  # done\n', input), '        if n == 0:  # done');
  });
  it('keeps what the cursor\'s indentation already gives', () => {
    assert.strictEqual(dedentLoneHeader('        if n == 0:', { ...input, prefix: prefix + '    ' }), '    if n == 0:');
    // Inserted text cannot remove indentation the line already has.
    assert.strictEqual(dedentLoneHeader('if n == 0:', { ...input, prefix: prefix + '            ' }), undefined);
  });
  it('leaves a header that can own the code below, several lines, a statement, and brace languages alone', () => {
    assert.strictEqual(dedentLoneHeader('        if n == 0:', input), undefined);
    assert.strictEqual(dedentLoneHeader('            if n == 0:\n                n = 1\n            if n == 1:', input), undefined);
    assert.strictEqual(dedentLoneHeader('            n -= 1', input), undefined);
    assert.strictEqual(dedentLoneHeader('            if (n == 0) {', { ...input, languageId: 'javascript' }), undefined);
  });
  it('only on an empty line with code below', () => {
    assert.strictEqual(dedentLoneHeader('            if n == 0:', { ...input, suffix: '\n' }), undefined);
    assert.strictEqual(dedentLoneHeader('if n == 0:', { ...input, prefix: prefix + '            x = ' }), undefined);
  });
});
describe('postprocess/echo: one line of the suffix reached at the completion\'s block level (multi-line mode)', () => {
  const suffix = '\n    validate(data)\n    return Config(**data)\n';
  const blockLevel = { blockLevel: true };
  it('cuts before one line equal to the suffix\'s next code line, however the output goes on', () => {
    const text = '    data = migrate(data)\n    validate(data)\n    return Config(data)\n';
    assert.deepStrictEqual(findSuffixLine(text, suffix, '', blockLevel), { keep: '    data = migrate(data)\n', rule: 'suffix-echo', confident: false });
    // Also when the suffix has only that line, and for a short line.
    assert.strictEqual(findSuffixLine('    x = 1\n    pass\n    y = 3\n', '\n    pass\n', '', blockLevel)?.keep, '    x = 1\n');
    // Without the editor's multi-line mode one line is not enough.
    assert.strictEqual(findSuffixLine(text, suffix, ''), undefined);
  });
  it('not for a line in a deeper block (a statement in another branch) or inside brackets the completion opened', () => {
    assert.strictEqual(findSuffixLine('    if not data:\n        validate(data)\n    x = 1\n', suffix, '', blockLevel), undefined);
    assert.strictEqual(findSuffixLine('    check(\n    validate(data)\n    )\n', suffix, '', blockLevel), undefined);
  });
  it('not where the suffix goes on in another block than the completion\'s', () => {
    const outer = '\n    validate(data)\n';
    assert.strictEqual(findSuffixLine('        data = migrate(data)\n    validate(data)\n', outer, '', blockLevel), undefined);
  });
  it('not for a block header: the model may write its own body under the same header', () => {
    const loop = '\n    for s in strings:\n        if len(s) == maxlen:\n            return s\n';
    const own = '    maxlen = 0\n    for s in strings:\n        if len(s) > maxlen:\n            maxlen = len(s)\n';
    assert.strictEqual(findSuffixLine(own, loop, '', blockLevel), undefined);
    assert.strictEqual(findSuffixLine('  let n = 0;\n  for (const s of xs) {\n    n++;\n', '\n  for (const s of xs) {\n    total += s;\n', '', blockLevel), undefined);
    // Its body equal too: the two-line rule.
    assert.strictEqual(findSuffixLine('    maxlen = 0\n    for s in strings:\n        if len(s) == maxlen:\n', loop, '', blockLevel)?.keep, '    maxlen = 0\n');
  });
  it('at the start of a line of code, that line is the one reached', () => {
    const atCode = '        return sum;\n    }\n';
    assert.strictEqual(findSuffixLine('        sum += tax;\n        return sum;\n', atCode, '', blockLevel)?.keep, '        sum += tax;\n');
    assert.strictEqual(findSuffixLine('sum += tax;\n        return sum;\n', atCode.trimStart(), '        ', blockLevel)?.keep, 'sum += tax;\n');
  });
});
describe('postprocess/echo: the body below reached right under the completion\'s header (multi-line mode)', () => {
  const body = '\n        s += x\n    return s\n';
  const blockLevel = { blockLevel: true };
  it('cuts after the header when its first body line is the code below\'s first line', () => {
    assert.strictEqual(findSuffixLine('    for x in xs:\n        s += x\n    return s / n\n', body, '', blockLevel)?.keep, '    for x in xs:\n');
    // Braces: the header's own `{` is no bracket to skip; an Allman brace is the header's line.
    assert.strictEqual(findSuffixLine('  for (const x of xs) {\n    s += x;\n  }\n', '\n    s += x;\n  }\n', '', blockLevel)?.keep, '  for (const x of xs) {\n');
    assert.strictEqual(findSuffixLine('    foreach (var x in a)\n    {\n        s += x;\n', '\n        s += x;\n    }\n', '', blockLevel)?.keep, '    foreach (var x in a)\n    {\n');
  });
  it('not when a later header of the completion takes the code below as its body', () => {
    // `x += 1` is the `if` branch's own line; the code below is the `elif`'s body.
    assert.strictEqual(findSuffixLine('    if a:\n        x += 1\n    elif b:\n', '\n        x += 1\n', '', blockLevel), undefined);
  });
  it('not without a header right above, nor below a deeper body line, nor in the syntax-only mode', () => {
    assert.strictEqual(findSuffixLine('    for x in xs:\n        y = x\n        s += x\n', body, '', blockLevel), undefined);
    assert.strictEqual(findSuffixLine('    s = 1\n        s += x\n', body, '', blockLevel), undefined);
    assert.strictEqual(findSuffixLine('    for x in xs:\n        s += x\n    return s / n\n', body, ''), undefined);
  });
});
