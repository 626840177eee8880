import * as assert from 'assert';
import { findCommentAt } from '../../../src/commands/comments';
import {
  asksForAsync, detectIndentUnit, javaMethodsPublic, joinSeed, neighboursExported, reindentToUnit, withStyleKeywords, type FunctionStyle,
} from '../../../src/commands/conventions';
import { planFunctionInsertion } from '../../../src/commands/insertion';

const style = (o: Partial<FunctionStyle>): FunctionStyle => ({ exported: false, async: false, indentUnit: '    ', ...o });

/** The comment at `|` in `sample` (the marker removed). */
async function commentIn(languageId: string, sample: string) {
  const offset = sample.indexOf('|');
  const text = sample.slice(0, offset) + sample.slice(offset + 1);
  const comment = await findCommentAt(languageId, text, offset);
  assert.ok(comment, 'comment found');
  return { text, comment };
}

describe('commands/conventions', () => {
  describe('a repeated seeded start is repaired', () => {
    const cases: Array<[string, string, string, string]> = [
      ['python', 'def ', 'def area(r):\n    return r', 'def area(r):\n    return r'],
      ['javascript', 'function ', 'function add(a, b) {', 'function add(a, b) {'],
      ['typescript', 'function clamp(', 'function clamp(v: number) {', 'function clamp(v: number) {'],
      ['rust', 'fn ', 'fn double(x: i32) -> i32 {', 'fn double(x: i32) -> i32 {'],
      ['go', 'func ', 'func Add(a, b int) int {', 'func Add(a, b int) int {'],
      ['java', 'public int twice(int x)', 'public int twice(int x) {', 'public int twice(int x) {'],
      ['java', 'public int twice(int x)', 'public static int twice(int x) {', 'public static int twice(int x) {'],
      ['python', 'def parse(s)', ' def parse(s):\n    pass', 'def parse(s):\n    pass'],
      // The model adds keywords around the seeded one: its head wins, the seed's extra keywords stay.
      ['python', 'def ', 'async def fetch(url):', 'async def fetch(url):'],
      ['typescript', 'export function ', 'function add(a: number) {', 'export function add(a: number) {'],
      ['typescript', 'export function ', 'async function load() {', 'export async function load() {'],
      ['rust', 'fn ', 'pub fn area(&self) -> f64 {', 'pub fn area(&self) -> f64 {'],
      ['java', 'public ', 'public int twice(int x) {', 'public int twice(int x) {'],
      ['java', 'public ', '\n    public int twice(int x) {', 'public int twice(int x) {'],
      ['java', 'public ', 'private int twice(int x) {', 'private int twice(int x) {'],
      ['java', 'public ', 'static int twice(int x) {', 'public static int twice(int x) {'],
    ];
    for (const [language, seed, output, expected] of cases) {
      it(`${language}: "${seed}" + "${output.split('\n')[0]}"`, () => {
        assert.strictEqual(joinSeed(language as never, seed, output), expected);
      });
    }

    it('leaves a continuation alone when it only looks like the keyword (a name starting with it)', () => {
      assert.strictEqual(joinSeed('python', 'def ', 'define_table(rows):'), 'def define_table(rows):');
      assert.strictEqual(joinSeed('javascript', 'function ', 'functional(x) {'), 'function functional(x) {');
      assert.strictEqual(joinSeed('python', 'def ', 'area(r):'), 'def area(r):');
      assert.strictEqual(joinSeed('java', '', 'public int x() {'), 'public int x() {');
    });
  });

  describe('export where the neighbours are exported', () => {
    it('JavaScript/TypeScript: most top-level functions exported, or (without functions) most declarations', () => {
      assert.strictEqual(neighboursExported('typescript', 'export function a() {}\nexport const b = (x: number) => x;\nfunction c() {}\n'), true);
      assert.strictEqual(neighboursExported('typescript', 'function a() {}\nexport function b() {}\nconst c = () => 1;\n'), false);
      assert.strictEqual(neighboursExported('typescript', 'export const EPSILON = 1e-9;\nexport interface P { x: number }\n'), true);
      assert.strictEqual(neighboursExported('javascript', "function a() {}\nmodule.exports = { a };\n"), false);
      assert.strictEqual(neighboursExported('javascript', ''), false);
    });

    it('Rust: pub fn neighbours', () => {
      assert.strictEqual(neighboursExported('rust', 'pub fn a() {}\npub fn b() {}\nfn helper() {}\n'), true);
      assert.strictEqual(neighboursExported('rust', 'fn a() {}\n'), false);
    });

    it('Java: public where most methods of the class are', () => {
      const cls = 'public class A {\n    public int a() {\n        return 1;\n    }\n\n    public static String b(int x) {\n        return "";\n    }\n\n    private void c() {\n    }\n}\n';
      assert.strictEqual(javaMethodsPublic(cls, '    '), true);
      assert.strictEqual(javaMethodsPublic(cls.replace(/public (int|static)/g, '$1'), '    '), false);
      assert.strictEqual(withStyleKeywords('java', '    int twice(int x) {\n    }', style({ exported: true }), true), '    public int twice(int x) {\n    }');
      assert.strictEqual(withStyleKeywords('java', '    private int twice(int x) {}', style({ exported: true }), true), '    private int twice(int x) {}');
    });

    it('Python has no export keyword', () => {
      assert.strictEqual(neighboursExported('python', 'def a():\n    pass\n'), false);
    });
  });

  describe('async where asked', () => {
    it('the comment asks for it', async () => {
      const { comment } = await commentIn('python', '# Fetch the page asynchronously and return its text.\n|');
      assert.strictEqual(asksForAsync('python', comment), true);
      const { comment: await_ } = await commentIn('typescript', '// Wait for the job: await its result and return it.\n|');
      assert.strictEqual(asksForAsync('typescript', await_), true);
      const { comment: promise } = await commentIn('typescript', '// Load the user; returns a promise of the user.\n|');
      assert.strictEqual(asksForAsync('typescript', promise), true);
    });

    it('the signature says so (async, or a Promise return type)', async () => {
      const { comment } = await commentIn('typescript', '// function loadUser(id: string): Promise<User>\n|');
      assert.strictEqual(asksForAsync('typescript', comment), true);
      const { comment: py } = await commentIn('python', '# async def fetch(url)\n|');
      assert.strictEqual(asksForAsync('python', py), true);
    });

    it('not for a TypeScript signature that returns something other than a Promise', async () => {
      const { comment } = await commentIn('typescript', '// Read the cached rows, without awaiting the network.\n// function cachedRows(key: string): Row[]\n|');
      assert.strictEqual(asksForAsync('typescript', comment), false);
    });

    it('not otherwise, and never in Go or Java', async () => {
      const { comment } = await commentIn('python', '# Sort the rows by date.\n|');
      assert.strictEqual(asksForAsync('python', comment), false);
      const { comment: go } = await commentIn('go', '// Fetch the page asynchronously.\n|');
      assert.strictEqual(asksForAsync('go', go), false);
    });
  });

  describe('style keywords on a whole function', () => {
    it('adds export and async in the right order, once', () => {
      const exported = style({ exported: true, async: true });
      assert.strictEqual(withStyleKeywords('typescript', 'function load(id: string) {\n}', exported, false), 'export async function load(id: string) {\n}');
      assert.strictEqual(withStyleKeywords('typescript', 'export async function load() {}', exported, false), 'export async function load() {}');
      assert.strictEqual(withStyleKeywords('typescript', 'const f = (x: number) => x;', style({ exported: true }), false), 'export const f = (x: number) => x;');
      assert.strictEqual(withStyleKeywords('rust', 'fn area() -> f64 {}', style({ exported: true }), false), 'pub fn area() -> f64 {}');
    });

    it('methods get async but never export', () => {
      const s = style({ exported: true, async: true });
      assert.strictEqual(withStyleKeywords('typescript', '  load(id: string) {\n  }', s, true), '  async load(id: string) {\n  }');
      assert.strictEqual(withStyleKeywords('python', '    def fetch(self):\n        pass', s, true), '    async def fetch(self):\n        pass');
    });

    it('leaves other code alone', () => {
      const s = style({ exported: true, async: true });
      assert.strictEqual(withStyleKeywords('python', '@cache\ndef f():\n    pass', s, false), '@cache\ndef f():\n    pass');
      assert.strictEqual(withStyleKeywords('go', 'func F() {}', s, false), 'func F() {}');
    });
  });

  describe("the file's indentation", () => {
    it('detects tabs, the usual step (not the one space of JSDoc lines), and a default', () => {
      assert.strictEqual(detectIndentUnit('function a() {\n\treturn 1;\n}\n'), '\t');
      assert.strictEqual(detectIndentUnit('/**\n * Doc.\n */\nfunction a() {\n  if (x) {\n    return 1;\n  }\n}\n'), '  ');
      assert.strictEqual(detectIndentUnit('def a():\n    if x:\n        return (1 +\n                2)\n'), '    ');
      assert.strictEqual(detectIndentUnit('x = 1\n', 'python'), '    ');
      assert.strictEqual(detectIndentUnit('package p\n', 'go'), '\t');
      assert.strictEqual(detectIndentUnit('', 'typescript'), '  ');
    });

    it("re-indents the body from the model's step to the file's, keeping the base and alignment", () => {
      assert.strictEqual(
        reindentToUnit('function a() {\n    if (x) {\n        return 1;\n    }\n}', '', '\t'),
        'function a() {\n\tif (x) {\n\t\treturn 1;\n\t}\n}',
      );
      assert.strictEqual(
        reindentToUnit('def area(self):\n        return (self.w *\n                self.h)', '    ', '  '),
        'def area(self):\n      return (self.w *\n              self.h)',
        'aligned arguments stay under the bracket',
      );
      assert.strictEqual(
        reindentToUnit('function a() {\n    return call(\n        1,\n        2,\n    );\n}', '', '\t'),
        'function a() {\n\treturn call(\n\t\t1,\n\t\t2,\n\t);\n}',
        'a hanging indent is converted like a block',
      );
      assert.strictEqual(reindentToUnit('fn a() {\n\tx();\n}', '', '    '), 'fn a() {\n    x();\n}');
      assert.strictEqual(
        reindentToUnit('def f(\n        a,\n        b):\n  return a', '', '    '),
        'def f(\n                a,\n                b):\n    return a',
        "the step is the body's, not the parameters' hanging indent",
      );
      assert.strictEqual(reindentToUnit('def a():\n    pass', '', '    '), 'def a():\n    pass', 'unchanged when the steps agree');
    });
  });

  describe('planFunctionInsertion takes the style into its seed', () => {
    it('TypeScript with exported neighbours and an async request: "export async function "', async () => {
      const { text, comment } = await commentIn('typescript', 'export function a() {\n\treturn 1;\n}\n\n// Fetch the rows asynchronously.\n|\n');
      const plan = planFunctionInsertion('typescript', text, comment);
      assert.strictEqual(plan.signatureStart, 'export async function ');
      assert.strictEqual(plan.style.indentUnit, '\t');
    });

    it('an explicit signature gets export too; a method does not', async () => {
      const { text, comment } = await commentIn('typescript', 'export const E = 1;\n\n// function clamp(v: number): number\n|\n');
      assert.strictEqual(planFunctionInsertion('typescript', text, comment).signatureStart, 'export function clamp(v: number): number');
      const inClass = await commentIn('typescript', 'export class A {\n  // Load the rows asynchronously.\n  |\n}\n');
      assert.strictEqual(planFunctionInsertion('typescript', inClass.text, inClass.comment).signatureStart, 'async ');
    });

    it('Java: a method among public ones is seeded with "public "', async () => {
      const { text, comment } = await commentIn('java', 'public class A {\n    public int a() {\n        return 1;\n    }\n\n    // Returns twice x.\n    |\n}\n');
      assert.strictEqual(planFunctionInsertion('java', text, comment).signatureStart, 'public ');
    });

    it('Python: async def when asked', async () => {
      const { text, comment } = await commentIn('python', 'import asyncio\n\n\n# Fetch the url asynchronously.\n|\n');
      assert.strictEqual(planFunctionInsertion('python', text, comment).signatureStart, 'async def ');
    });
  });
});
