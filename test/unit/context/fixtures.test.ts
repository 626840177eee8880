import * as assert from 'assert';
import * as path from 'path';
import { createNodeContextProvider } from '../../../src/context';
import type { ContextSnippet } from '../../../src/context/types';
import { FIXTURES, contextAtMarker, neverAbort, snapshotOf } from './helpers';

async function gatherAt(lang: string, rel: string, openFiles: string[] = []) {
  const root = path.join(FIXTURES, lang);
  const provider = createNodeContextProvider({ workspace: root, openFiles: [rel, ...openFiles].map(f => path.join(root, f)) });
  const doc = contextAtMarker(snapshotOf(root, rel));
  return provider.gather(doc, neverAbort());
}

function has(snippets: ContextSnippet[], file: string, text: string, source = 'import'): boolean {
  return snippets.some(s => s.relativePath === file && s.content.includes(text) && s.source === source);
}

function describeResult(snippets: ContextSnippet[]): string {
  return snippets.map(s => `${s.source} ${s.relativePath}:${s.startLine}-${s.endLine} ${s.score}`).join('\n');
}

describe('context/fixtures: imported definitions per language', () => {
  it('TypeScript: named imports, re-exports through an index file, a namespace import with a .js extension', async () => {
    const s = await gatherAt('ts', 'src/app.ts');
    const why = describeResult(s);
    assert.ok(has(s, 'src/util/format.ts', 'export function formatPrice('), why);
    assert.ok(has(s, 'src/models/cart.ts', 'export class Cart'), why); // via export * from './cart'
    assert.ok(has(s, 'src/models/user.ts', 'export interface User'), why); // via export { User } from './user'
    assert.ok(has(s, 'src/math.ts', 'export function addTax('), why); // math.addTax, import './math.js'
    assert.ok(!s.some(x => x.relativePath === 'src/unrelated.ts'), why);
    assert.ok(!s.some(x => x.content.includes('padLeftLegacy')), 'a definition that was not imported: ' + why);
    assert.ok(!s.some(x => x.content.includes('clampPercent')), 'namespace import brings only what is used: ' + why);
  });

  it('Python: relative from-imports, a subpackage module, an absolute module import with alias', async () => {
    const s = await gatherAt('py', 'pkg/main.py');
    const why = describeResult(s);
    assert.ok(has(s, 'pkg/shapes.py', 'class Circle:'), why);
    assert.ok(has(s, 'pkg/geometry/vectors.py', 'class Vector:'), why);
    assert.ok(has(s, 'pkg/util.py', 'def slugify('), why);
    assert.ok(!s.some(x => x.content.includes('square_area')), why);
    assert.ok(!s.some(x => x.relativePath === 'pkg/unrelated.py'), why);
  });

  it('Go: a package of the same module through go.mod, with the types and methods used', async () => {
    const s = await gatherAt('go', 'cmd/app/main.go');
    const why = describeResult(s);
    assert.ok(has(s, 'internal/store/store.go', 'func NewStore() *Store'), why);
    assert.ok(has(s, 'internal/store/item.go', 'type Item struct'), why);
    assert.ok(has(s, 'internal/store/store.go', 'func (s *Store) Count() int'), why);
    assert.ok(!s.some(x => x.relativePath.startsWith('internal/other/')), why);
  });

  it('Java: a class import, a static member import, and a class of the same package', async () => {
    const s = await gatherAt('java', 'src/main/java/com/ex/app/Main.java');
    const why = describeResult(s);
    assert.ok(has(s, 'src/main/java/com/ex/util/Strings.java', 'public static String reverse('), why);
    assert.ok(has(s, 'src/main/java/com/ex/util/MathUtil.java', 'public static int clamp('), why);
    assert.ok(!s.some(x => x.content.includes('lerpLegacy')), 'a static import brings the member, not the class: ' + why);
    assert.ok(has(s, 'src/main/java/com/ex/app/Helper.java', 'static void greet('), why);
    assert.ok(!s.some(x => x.relativePath.includes('/other/')), why);
  });

  it('Rust: `mod x;` files and `use crate::…` paths, with the impl of the used type', async () => {
    const s = await gatherAt('rust', 'src/main.rs');
    const why = describeResult(s);
    assert.ok(has(s, 'src/geometry/shapes.rs', 'pub struct Circle'), why);
    assert.ok(has(s, 'src/geometry/shapes.rs', 'impl Circle'), why);
    assert.ok(has(s, 'src/util.rs', 'pub fn parse_num('), why);
    assert.ok(!s.some(x => x.content.includes('octagon_perimeter')), why);
    assert.ok(!s.some(x => x.relativePath === 'src/unrelated.rs'), why);
  });

  it('puts the imported definitions first and keeps an unrelated open tab out', async () => {
    const s = await gatherAt('ts', 'src/app.ts', ['src/unrelated.ts']);
    assert.ok(s.length > 0);
    assert.strictEqual(s[0].source, 'import', describeResult(s));
    assert.ok(!s.some(x => x.relativePath === 'src/unrelated.ts'), describeResult(s));
  });
});

describe('context/fixtures: TypeScript path aliases', () => {
  it('resolves tsconfig "paths" (with comments and trailing commas) and leaves packages alone', async () => {
    const s = await gatherAt('tsalias', 'src/app/total.ts');
    const why = describeResult(s);
    assert.ok(has(s, 'src/lib/money.ts', 'export function roundCents('), why);
    assert.ok(has(s, 'src/config.ts', "export const currencyCode = 'EUR';"), why);
    assert.strictEqual(s.filter(x => x.source === 'import').length, 2, why);
  });
});
