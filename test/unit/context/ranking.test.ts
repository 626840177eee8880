import * as assert from 'assert';
import { bestFirst, identifierTokens, jaccard, selectSnippets, snippetCost, type ContextCandidate } from '../../../src/context/ranking';

/** A small deterministic PRNG, so a failure names its seed and can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return s / 2 ** 32; };
}

const WORDS = ['order', 'total', 'weight', 'items', 'threshold', 'render', 'parse', 'queue', 'cursor', 'ledger', 'frame',
  'packet', 'sensor', 'vector', 'matrix', 'token', 'route', 'shape', 'widget', 'invoice', 'account', 'user', 'record', 'store'];

function randomCandidates(random: () => number, n: number): ContextCandidate[] {
  const out: ContextCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 2 + Math.floor(random() * 30) }, () => WORDS[Math.floor(random() * WORDS.length)]);
    const content = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, l) => `  const ${words[l % words.length]} = ${words.join(' + ')};`).join('\n');
    const startLine = Math.floor(random() * 200);
    out.push({
      relativePath: `src/f${Math.floor(random() * 5)}.ts`, source: random() < 0.5 ? 'open-tab' : 'import',
      startLine, endLine: startLine + Math.floor(random() * 8), content, prior: [0, 0.15, 0.4, 0.9][Math.floor(random() * 4)],
      tokens: identifierTokens(content), needsOverlap: random() < 0.5,
    });
  }
  return out;
}

/** The ranking written the slow, obvious way: score every candidate, sort everything, fill the budget. */
function referenceSelection(candidates: ContextCandidate[], queryTokens: Set<string>, maxTokens: number): string[] {
  const scored = candidates
    .map(c => ({ c, sim: jaccard(c.tokens, queryTokens) }))
    .filter(({ c, sim }) => !(c.needsOverlap && sim <= 0))
    .map(({ c, sim }) => ({ c, score: Math.round((c.prior + sim) * 1e6) / 1e6 }))
    .sort((a, b) => b.score - a.score || a.c.relativePath.localeCompare(b.c.relativePath) || a.c.startLine - b.c.startLine
      || a.c.endLine - b.c.endLine || a.c.source.localeCompare(b.c.source));
  const out: string[] = [];
  const taken: Array<[string, number, number]> = [];
  const seen = new Set<string>();
  let budget = maxTokens;
  for (const { c } of scored) {
    if (out.length >= 16 || budget < 8) break;
    const cost = snippetCost(c.relativePath, c.content, 'typescript');
    if (cost > budget) continue;
    if (taken.some(([p, s, e]) => p === c.relativePath && c.startLine <= e && c.endLine >= s)) continue;
    if (seen.has(c.content.trim())) continue;
    budget -= cost;
    taken.push([c.relativePath, c.startLine, c.endLine]);
    seen.add(c.content.trim());
    out.push(`${c.relativePath}:${c.startLine}-${c.endLine}:${c.source}`);
  }
  return out;
}

describe('context/ranking', () => {
  it('bestFirst yields exactly the full sort, in pieces, whatever k', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = prng(seed);
      const xs = Array.from({ length: 10 + Math.floor(random() * 400) }, (_, i) => ({ v: Math.floor(random() * 50), i }));
      const cmp = (a: { v: number; i: number }, b: { v: number; i: number }) => b.v - a.v || a.i - b.i;
      const expected = xs.slice().sort(cmp);
      for (const k of [1, 3, 64]) assert.deepStrictEqual([...bestFirst(xs.slice(), cmp, { k })], expected, `seed ${seed}, k ${k}`);
    }
  });

  it('bestFirst drops, past the first k, the items the caller no longer wants (and only those)', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    const got = [...bestFirst(xs, (a, b) => a - b, { stillWanted: x => x % 2 === 0, k: 10 })];
    assert.deepStrictEqual(got, [...Array.from({ length: 10 }, (_, i) => i), ...xs.filter(x => x >= 10 && x % 2 === 0)]);
  });

  it('selectSnippets picks the same snippets in the same order as the obvious full-sort ranking', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = prng(seed * 7919);
      const candidates = randomCandidates(random, 20 + Math.floor(random() * 600));
      const query = identifierTokens(Array.from({ length: 12 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' '));
      const maxTokens = 50 + Math.floor(random() * 2000);
      const got = selectSnippets({ candidates, queryTokens: query, maxTokens, languageId: 'typescript' })
        .map(s => `${s.relativePath}:${s.startLine}-${s.endLine}:${s.source}`);
      assert.deepStrictEqual(got, referenceSelection(candidates, query, maxTokens), `seed ${seed}`);
      assert.ok(got.length > 0, `seed ${seed}: something was selected`);
    }
  });

  it('scores a candidate against a query whose words were first seen after the candidate was', () => {
    const early = identifierTokens('alphaOnlyHere betaOnlyHere');
    const c: ContextCandidate = { relativePath: 'a.ts', source: 'open-tab', startLine: 0, endLine: 0, content: 'alphaOnlyHere betaOnlyHere', prior: 0.15, tokens: early, needsOverlap: true };
    selectSnippets({ candidates: [c], queryTokens: identifierTokens('unrelatedWord'), maxTokens: 500 });
    const [s] = selectSnippets({ candidates: [c], queryTokens: identifierTokens('betaOnlyHere gammaBrandNew'), maxTokens: 500 });
    assert.ok(s, 'the candidate shares a token with the query');
    assert.strictEqual(s.score, Math.round((0.15 + 1 / 3) * 1e6) / 1e6);
  });
});
