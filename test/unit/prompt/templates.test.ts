import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commentOut, commentSyntax } from '../../../src/prompt/comments';
import { FIM_FAMILIES, FIM_TEMPLATES, templateFor, isFimFamily } from '../../../src/prompt/templates';
import type { PromptInput } from '../../../src/prompt/types';

const input: PromptInput = {
  prefix: 'def area(r):\n    return ',
  suffix: '\n\nprint(area(2))\n',
  relativePath: 'src/geometry.py',
  languageId: 'python',
  repoName: 'shapes',
  snippets: [
    { relativePath: 'src/consts.py', content: 'PI = 3.14159\n', source: 'import', score: 1 },
    { relativePath: 'src/util.py', content: 'def square(x):\n    return x * x', source: 'open-tab', score: 0.5 },
  ],
};
const bare: PromptInput = { ...input, snippets: [], repoName: undefined };

describe('prompt/templates', () => {
  it('has a template for every family', () => {
    assert.deepEqual([...FIM_FAMILIES].sort(), ['codegemma', 'codellama', 'codestral', 'deepseek', 'granite', 'qwen', 'starcoder']);
    for (const f of FIM_FAMILIES) assert.equal(templateFor(f).family, f);
    assert.ok(isFimFamily('qwen'));
    assert.ok(!isFimFamily('toString'));
    assert.throws(() => templateFor('nope' as never), /No FIM template/);
  });

  describe('golden prompts', () => {
    it('qwen: repo-level tokens, snippets first', () => {
      assert.equal(templateFor('qwen').build(input),
        '<|repo_name|>shapes\n' +
        '<|file_sep|>src/consts.py\nPI = 3.14159\n' +
        '<|file_sep|>src/util.py\ndef square(x):\n    return x * x\n' +
        '<|file_sep|>src/geometry.py\n<|fim_prefix|>def area(r):\n    return <|fim_suffix|>\n\nprint(area(2))\n<|fim_middle|>');
      assert.equal(templateFor('qwen').build(bare),
        '<|file_sep|>src/geometry.py\n<|fim_prefix|>def area(r):\n    return <|fim_suffix|>\n\nprint(area(2))\n<|fim_middle|>');
    });

    it('starcoder: StarCoder2 repo-level form with the path after <fim_prefix>', () => {
      assert.equal(templateFor('starcoder').build(input),
        '<repo_name>shapes' +
        '<file_sep>src/consts.py\nPI = 3.14159\n' +
        '<file_sep>src/util.py\ndef square(x):\n    return x * x\n' +
        '<file_sep><fim_prefix>src/geometry.py\ndef area(r):\n    return <fim_suffix>\n\nprint(area(2))\n<fim_middle>');
    });

    it('codellama: <PRE> with snippets as comments', () => {
      assert.equal(templateFor('codellama').build(input),
        '<PRE> # Path: src/consts.py\n# PI = 3.14159\n' +
        '# Path: src/util.py\n# def square(x):\n#     return x * x\n' +
        '# Path: src/geometry.py\n' +
        'def area(r):\n    return  <SUF>\n\nprint(area(2))\n <MID>');
      assert.equal(templateFor('codellama').build(bare), '<PRE> def area(r):\n    return  <SUF>\n\nprint(area(2))\n <MID>');
    });

    it('deepseek: full-width bar tokens with snippets as comments', () => {
      assert.equal(templateFor('deepseek').build({ ...input, snippets: input.snippets.slice(0, 1) }),
        '<｜fim▁begin｜># Path: src/consts.py\n# PI = 3.14159\n# Path: src/geometry.py\n' +
        'def area(r):\n    return <｜fim▁hole｜>\n\nprint(area(2))\n<｜fim▁end｜>');
    });

    it('codegemma: <|file_separator|> between files', () => {
      assert.equal(templateFor('codegemma').build(input),
        'src/consts.py\nPI = 3.14159\n<|file_separator|>' +
        'src/util.py\ndef square(x):\n    return x * x\n<|file_separator|>' +
        '<|fim_prefix|>def area(r):\n    return <|fim_suffix|>\n\nprint(area(2))\n<|fim_middle|>');
    });

    it('codestral: suffix first, +++++ sections', () => {
      assert.equal(templateFor('codestral').build(input),
        '[SUFFIX]\n\nprint(area(2))\n[PREFIX]' +
        '+++++ src/consts.py\nPI = 3.14159\n\n' +
        '+++++ src/util.py\ndef square(x):\n    return x * x\n\n' +
        '+++++ src/geometry.py\ndef area(r):\n    return ');
      assert.equal(templateFor('codestral').build(bare), '[SUFFIX]\n\nprint(area(2))\n[PREFIX]def area(r):\n    return ');
    });

    it('granite: <fim_prefix> with comments in the file language (TypeScript)', () => {
      const ts: PromptInput = { prefix: 'const a = ', suffix: ';\n', relativePath: 'a.ts', languageId: 'typescript', snippets: [{ relativePath: 'b.ts', content: 'export const b = 1;\n', source: 'import', score: 1 }] };
      assert.equal(templateFor('granite').build(ts),
        '<fim_prefix>// Path: b.ts\n// export const b = 1;\n// Path: a.ts\nconst a = <fim_suffix>;\n<fim_middle>');
    });
  });

  it('keeps the prompt head identical while typing at the cursor (KV-cache friendly)', () => {
    for (const family of FIM_FAMILIES) {
      const t = templateFor(family);
      const before = t.build(input);
      const after = t.build({ ...input, prefix: input.prefix + 'math.p' });
      let common = 0;
      while (common < before.length && before[common] === after[common]) common++;
      // Everything up to the cursor is unchanged: only the part from the cursor on differs.
      const cursor = before.indexOf(input.prefix) + input.prefix.length;
      assert.ok(common >= cursor, `${family}: prompts differ from char ${common}, before the cursor at ${cursor}`);
      assert.ok(after.includes('src/consts.py') && after.indexOf('src/consts.py') < after.indexOf('def area'), `${family}: snippets before the file`);
    }
  });

  it('stop sequences per family include the end-of-middle/EOT and separator tokens', () => {
    const expect: Record<string, string[]> = {
      qwen: ['<|endoftext|>', '<|file_sep|>', '<|fim_prefix|>', '<|im_end|>'],
      starcoder: ['<|endoftext|>', '<file_sep>', '<fim_prefix>'],
      codellama: ['<EOT>'],
      deepseek: ['<｜end▁of▁sentence｜>', '<|EOT|>', '<｜fim▁begin｜>'],
      codegemma: ['<|file_separator|>', '<eos>'],
      codestral: ['[PREFIX]', '</s>'],
      granite: ['<|endoftext|>', '<fim_prefix>'],
    };
    for (const [family, stops] of Object.entries(expect)) {
      for (const s of stops) assert.ok(FIM_TEMPLATES[family as keyof typeof FIM_TEMPLATES].stop.includes(s), `${family} stops on ${s}`);
      assert.equal(FIM_TEMPLATES[family as keyof typeof FIM_TEMPLATES].stop[0].length > 0, true);
    }
  });

  it('token spellings match the GGUF vocabularies where present', function () {
    const dir = '/work/shared/models/vocab';
    const tokens = (file: string) => { const p = path.join(dir, file); return fs.existsSync(p) ? ggufTokens(fs.readFileSync(p)) : undefined; };
    const starcoder = tokens('ggml-vocab-starcoder.gguf');
    const deepseek = tokens('ggml-vocab-deepseek-coder.gguf');
    if (!starcoder && !deepseek) this.skip();
    if (starcoder) for (const t of ['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<fim_pad>', '<file_sep>', '<repo_name>', '<|endoftext|>']) assert.ok(starcoder.has(t), t);
    if (deepseek) for (const t of ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<｜end▁of▁sentence｜>', '<|EOT|>']) assert.ok(deepseek.has(t), t);
    // and every special token our templates emit for those families is in the vocabulary
    const emitted = (family: 'starcoder' | 'deepseek') => new Set((templateFor(family).build(input).match(/<[^<>\n ]+>/g) ?? []).filter(t => /fim|file|repo|▁/.test(t)));
    if (starcoder) for (const t of emitted('starcoder')) assert.ok(starcoder.has(t), `starcoder emits ${t}`);
    if (deepseek) for (const t of emitted('deepseek')) assert.ok(deepseek.has(t), `deepseek emits ${t}`);
  });

  describe('comments', () => {
    it('uses each language\'s comment syntax', () => {
      assert.equal(commentSyntax('python').line, '#');
      assert.equal(commentSyntax('typescriptreact').line, '//');
      assert.equal(commentSyntax('sql').line, '--');
      assert.equal(commentSyntax('clojure').line, ';;');
      assert.deepEqual(commentSyntax('html').block, ['<!--', '-->']);
      assert.equal(commentSyntax('some-new-language').line, '//');
      assert.equal(commentOut('a\n\nb\n', 'lua'), '-- a\n--\n-- b\n');
      assert.equal(commentOut('x --> y', 'html'), '<!--\nx - - > y\n-->\n');
    });
  });
});

/** Reads `tokenizer.ggml.tokens` from a GGUF file (v2/v3 little-endian). */
function ggufTokens(buf: Buffer): Set<string> {
  let o = 0;
  const u32 = () => { const v = buf.readUInt32LE(o); o += 4; return v; };
  const u64 = () => { const v = Number(buf.readBigUInt64LE(o)); o += 8; return v; };
  const str = () => { const n = u64(); const s = buf.toString('utf8', o, o + n); o += n; return s; };
  const sizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
  const skipOrRead = (type: number, keep: boolean): unknown => {
    if (type === 8) return str();
    if (type === 9) {
      const et = u32(); const n = u64();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) { const v = skipOrRead(et, keep); if (keep) out.push(v); }
      return out;
    }
    o += sizes[type];
    return undefined;
  };
  if (buf.toString('latin1', 0, 4) !== 'GGUF') throw new Error('not GGUF');
  o = 4; u32(); u64(); const nkv = u64();
  for (let i = 0; i < nkv; i++) {
    const key = str(); const type = u32();
    const value = skipOrRead(type, key === 'tokenizer.ggml.tokens');
    if (key === 'tokenizer.ggml.tokens') return new Set(value as string[]);
  }
  return new Set();
}
