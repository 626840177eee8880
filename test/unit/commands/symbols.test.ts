import * as assert from 'assert';
import { findSymbols, symbolAtDeclaration, symbolContaining } from '../../../src/commands/symbols';

const summary = async (languageId: string, text: string) =>
  (await findSymbols(languageId, text)).map(s => `${s.kind} ${s.container ? s.container + '.' : ''}${s.name}`);

describe('commands/symbols', () => {
  it('Python: functions, classes, methods (decorators included), nested functions stay functions', async () => {
    const text = 'class Cart:\n    @property\n    def total(self):\n        def add(a, b):\n            return a + b\n        return 0\n\ndef helper():\n    pass\n';
    assert.deepStrictEqual(await summary('python', text), ['class Cart', 'method Cart.total', 'function add', 'function helper']);
    const total = (await findSymbols('python', text)).find(s => s.name === 'total')!;
    assert.ok(total.text.startsWith('@property\n    def total(self):'), 'the decorator belongs to the method');
  });

  it('TypeScript: exported functions, arrow functions, classes and methods', async () => {
    const text = 'export function a(x: number) { return x; }\nconst b = (x: number) => x;\nexport class C {\n  m(): void {}\n}\nabstract class D {}\n';
    assert.deepStrictEqual(await summary('typescript', text), ['function a', 'function b', 'class C', 'method C.m', 'class D']);
    const a = (await findSymbols('typescript', text))[0];
    assert.strictEqual(a.exported, true);
    assert.ok(a.text.startsWith('export function a'));
  });

  it('JavaScript, Go, Java, Rust', async () => {
    assert.deepStrictEqual(await summary('javascript', 'function f() {}\nclass K { g() {} }\n'), ['function f', 'class K', 'method K.g']);
    assert.deepStrictEqual(await summary('go', 'package m\nfunc F() {}\ntype S struct{}\nfunc (s *S) M() {}\n'), ['function F', 'class S', 'method S.M']);
    assert.deepStrictEqual(await summary('java', 'class A {\n  A() {}\n  int f() { return 1; }\n}\n'), ['class A', 'method A.A', 'method A.f']);
    assert.deepStrictEqual(await summary('rust', 'fn f() {}\nstruct P;\nimpl P {\n    pub fn g(&self) {}\n}\n'), ['function f', 'class P', 'method P.g']);
  });

  it('offers a symbol only on its declaration head, innermost first', async () => {
    const text = 'class Cart:\n    def total(self):\n        return 0\n';
    assert.strictEqual((await symbolAtDeclaration('python', text, text.indexOf('total')))?.name, 'total');
    assert.strictEqual((await symbolAtDeclaration('python', text, text.indexOf('Cart')))?.name, 'Cart');
    assert.strictEqual(await symbolAtDeclaration('python', text, text.indexOf('return')), undefined, 'not in the body');
    assert.strictEqual((await symbolContaining('python', text, text.indexOf('return')))?.name, 'total');
  });

  it('gives the declaration range and text', async () => {
    const text = 'const x = 1;\n\nfunction add(a, b) {\n  return a + b;\n}\n';
    const [add] = await findSymbols('javascript', text);
    assert.strictEqual(add.start, text.indexOf('function'));
    assert.strictEqual(add.end, text.lastIndexOf('}') + 1);
    assert.strictEqual(add.text, 'function add(a, b) {\n  return a + b;\n}');
    assert.strictEqual(text.slice(add.start, add.headEnd), 'function add(a, b) {');
  });

  it('returns nothing for a language without rules', async () => {
    assert.deepStrictEqual(await findSymbols('plaintext', 'def f(): pass'), []);
  });
});
