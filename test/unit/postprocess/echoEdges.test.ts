// The echo finders' edge cases (echo.ts): where a candidate starts, when a cut is confident, and what the rest of the
// line may follow. One behaviour per case.
import * as assert from 'assert';
import { findRestOfLine, findSuffixEcho, isEchoOfSuffix } from '../../../src/postprocess/echo';

const confidence = (text: string, suffix: string) => {
  const cut = findSuffixEcho(text, suffix);
  return cut && { keep: cut.keep, confident: cut.confident };
};

describe('postprocess/echo: an echo of the suffix', () => {
  it('every line must match: a different line before matching ones is no echo', () => {
    assert.strictEqual(isEchoOfSuffix('a\nb\nc', 'x\nb\nc'), false);
  });

  it('an output longer than the suffix is no echo of it', () => {
    assert.strictEqual(isEchoOfSuffix('a\na', 'a'), false);
  });

  it('an echo at the very start, and one of a suffix that starts with a line break', () => {
    assert.deepStrictEqual(confidence('return a\n', 'return a\nfoo'), { keep: '', confident: true });
    assert.deepStrictEqual(confidence('\nx = 10', '\nx = 10'), { keep: '', confident: true });
  });

  it('one line shifted deeper after code is the model\'s own line, not an echo', () => {
    assert.strictEqual(findSuffixEcho('x = 1\n        return False\n', '    return False\n'), undefined);
  });

  it('confident only for a whole line of real code at a line start', () => {
    assert.deepStrictEqual(confidence('x = foo(bar)', 'foo(bar)\n'), { keep: 'x = ', confident: false }, 'mid-line');
    assert.deepStrictEqual(confidence('foo();\n})));\n', '})));\n'), { keep: 'foo();\n', confident: false }, 'closers');
    assert.deepStrictEqual(confidence('foo();\n} else {\n', '} else {\n'), { keep: 'foo();\n', confident: true }, 'a closer then code');
    assert.deepStrictEqual(confidence('foo();\nbar;\n', 'bar;\n'), { keep: 'foo();\n', confident: true }, 'four characters');
    assert.deepStrictEqual(confidence('foo();\nx++\n', 'x++\n'), { keep: 'foo();\n', confident: false }, 'three characters');
    assert.deepStrictEqual(confidence('foo();\na b\n', 'a b\n'), { keep: 'foo();\n', confident: false }, 'spaces do not count');
    assert.deepStrictEqual(confidence('foo();\n}\n', '}\n'), { keep: 'foo();\n', confident: false }, 'only the echoed part is judged');
  });
});

describe('postprocess/echo: the rest of the line', () => {
  it('at the end of the output, after code on its line; a whole output of it leaves nothing to keep', () => {
    assert.deepStrictEqual(findRestOfLine('a, b)\n', ')\n'), { keep: 'a, b', rule: 'rest-of-line', confident: false });
    assert.strictEqual(findRestOfLine(')', ')\n'), undefined);
  });

  it('after only indentation, only where the output stops right there (no line break after it)', () => {
    assert.deepStrictEqual(findRestOfLine('x = 1\n    )', ')\n'), { keep: 'x = 1\n    ', rule: 'rest-of-line', confident: false });
    assert.strictEqual(findRestOfLine('x = 1\n    )\n', ')\n'), undefined);
  });
});
