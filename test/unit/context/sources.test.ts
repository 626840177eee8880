// Each context source on its own: what it offers for one gathering, and the statistics it keeps.
import * as assert from 'assert';
import * as path from 'path';
import { RecentActivity } from '../../../src/context/activity';
import { NO_DEADLINE, TimeBudget } from '../../../src/context/budget';
import { createExclusion } from '../../../src/context/exclusion';
import { FileStore } from '../../../src/context/fileStore';
import { createNodeFs } from '../../../src/context/fs';
import type { ContextCandidate } from '../../../src/context/ranking';
import { ImportsSource, mayDefine } from '../../../src/context/sources/imports';
import { OpenTabsSource } from '../../../src/context/sources/openTabs';
import { OwnSymbolsSource } from '../../../src/context/sources/ownSymbols';
import { RecentActivitySource } from '../../../src/context/sources/recentActivity';
import { collectFrom, PRIORS, type ContextSource, type Gathering } from '../../../src/context/sources/source';
import type { DocumentContext, DocumentSnapshot } from '../../../src/document/types';
import { silentLogger } from '../../../src/util/log';
import { FakeClock } from '../pipeline/fakes';
import { contextAt, contextAtMarker, FIXTURES, neverAbort, snapshotOf } from './helpers';

const root = path.join(FIXTURES, 'ts');

function storeFor(workspace = root): FileStore {
  return new FileStore({
    fs: createNodeFs({ root: workspace }), exclusion: createExclusion({ root: workspace }), log: silentLogger,
    now: () => 0, statTtlMs: 2000, maxFileBytes: 1_000_000,
  });
}

/** Runs one source for `doc` with the given open documents; the candidates it offered, in order. */
async function offeredBy(source: ContextSource, at: { doc: DocumentContext; open: DocumentSnapshot[]; store: FileStore }): Promise<ContextCandidate[]> {
  const { doc, store } = at;
  const open = new Map(at.open.map(d => [d.relativePath, d]));
  const current = await store.load(doc.relativePath, open);
  const offered: ContextCandidate[] = [];
  const gathering: Gathering = {
    doc, current, currentPath: doc.relativePath, open, queryTokens: new Set(['cart', 'total', 'formatPrice', 'helper0']),
    signal: neverAbort(), deadline: NO_DEADLINE, offer: c => offered.push(c),
  };
  await collectFrom(source, gathering, () => 0);
  return offered;
}

describe('context/sources', () => {
  it('open tabs: windows of same-language tabs other than the current file, and counts them', async () => {
    const store = storeFor();
    const app = snapshotOf(root, 'src/app.ts', undefined, 1);
    const math = snapshotOf(root, 'src/math.ts', undefined, 1);
    const python: DocumentSnapshot = { uri: '/x/report.py', relativePath: 'report.py', languageId: 'python', text: 'def cart_total(cart):\n    return cart.total()\n', version: 1 };
    const source = new OpenTabsSource(store);
    const offered = await offeredBy(source, { doc: contextAtMarker(app), open: [app, math, python], store });
    assert.deepStrictEqual([...new Set(offered.map(c => c.relativePath))], ['src/math.ts']);
    assert.ok(offered.every(c => c.source === 'open-tab' && c.prior === PRIORS.openTab && c.needsOverlap));
    assert.deepStrictEqual(source.statistics, { collects: 1, candidates: offered.length, lastDoneMs: 0 });
  });

  it('recent activity: an edited range with three lines around it, a viewed range as it was', async () => {
    const store = storeFor();
    const activity = new RecentActivity({ now: () => 1000 });
    activity.recordEdit({ relativePath: 'src/math.ts', startLine: 3, endLine: 3, at: 1000 });
    activity.recordView({ relativePath: 'src/util/format.ts', startLine: 0, endLine: 2, at: 1000 });
    const source = new RecentActivitySource({ store, activity, now: () => 1000 });
    const offered = await offeredBy(source, { doc: contextAtMarker(snapshotOf(root, 'src/app.ts')), open: [], store });
    const edit = offered.find(c => c.source === 'recent-edit');
    const view = offered.find(c => c.source === 'recent-view');
    assert.deepStrictEqual([edit?.relativePath, edit?.startLine, edit?.endLine], ['src/math.ts', 0, 6]);
    assert.deepStrictEqual([view?.relativePath, view?.startLine, view?.endLine, view?.needsOverlap], ['src/util/format.ts', 0, 2, true]);
    assert.strictEqual(edit?.prior, PRIORS.recentEdit, 'an edit made just now keeps its full weight');
  });

  it("own symbols: only when the prompt window cuts the file, only definitions outside it that the code names", async () => {
    const fns = Array.from({ length: 40 }, (_, i) => `function helper${i}(value: number): number {\n  return value + ${i};\n}\n`);
    const text = `${fns.join('\n')}\nexport function main() {\n  const a = helper0(1);\n  \n}\n`;
    const snap: DocumentSnapshot = { uri: '/virtual/ws/src/big.ts', relativePath: 'src/big.ts', languageId: 'typescript', text, version: 3 };
    const line = text.split('\n').length - 3;
    const store = storeFor('/virtual/ws');
    const cut = await offeredBy(new OwnSymbolsSource(store), { doc: contextAt(snap, line, 2, { prefixTokens: 60, suffixTokens: 20 }), open: [snap], store });
    assert.deepStrictEqual(cut.map(c => c.content.split('(')[0]), ['function helper0']);
    assert.strictEqual(cut[0].source, 'same-file');
    const whole = await offeredBy(new OwnSymbolsSource(store), { doc: contextAt(snap, line, 2), open: [snap], store });
    assert.deepStrictEqual(whole, [], 'the whole file is in the prompt already');
  });

  it('imports: the named definitions, the ones the cursor code uses ranked higher, through a re-export too', async () => {
    const store = storeFor();
    const app = snapshotOf(root, 'src/app.ts', undefined, 1);
    const source = new ImportsSource({ store, exclusion: createExclusion({ root }), now: () => 0, statTtlMs: 2000, log: silentLogger });
    const offered = await offeredBy(source, { doc: contextAtMarker(app), open: [app], store });
    const formatPrice = offered.find(c => c.content.includes('function formatPrice'));
    assert.strictEqual(formatPrice?.relativePath, 'src/util/format.ts');
    assert.strictEqual(formatPrice?.prior, PRIORS.importUsedNearCursor);
    assert.ok(!offered.some(c => c.content.includes('padLeftLegacy')), 'a definition nobody imports stays out');
    assert.ok(offered.some(c => c.relativePath === 'src/models/cart.ts'), 'Cart through `export * from ./cart`');
  });

  it('mayDefine tells a declaration from a mere use', () => {
    assert.ok(mayDefine('export function formatPrice(a) {}', 'formatPrice'));
    assert.ok(mayDefine('class Cart {}', 'Cart'));
    assert.ok(!mayDefine('const x = formatPrice(1);', 'formatPrice'));
    assert.ok(!mayDefine('function formatPrices() {}', 'formatPrice'));
  });
});

describe('context/budget', () => {
  it('stops waiting when the budget runs out on the clock, and says so', async () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, 40);
    let timedOut: boolean | undefined;
    const waiting = budget.race(() => new Promise(() => {}), neverAbort()).then(t => { timedOut = t; });
    await clock.advance(39);
    assert.strictEqual(timedOut, undefined);
    assert.ok(!budget.passed());
    await clock.advance(2);
    await waiting;
    assert.strictEqual(timedOut, true);
    assert.ok(budget.passed());
  });

  it('answers as soon as the work is done, and cancels its wait', async () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, 40);
    assert.strictEqual(await budget.race(async () => {}, neverAbort()), false);
    assert.strictEqual(clock.pendingTimers, 0);
  });

  it('stops waiting when the request is cancelled', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const waiting = new TimeBudget(clock, 40).race(() => new Promise(() => {}), controller.signal);
    controller.abort();
    assert.strictEqual(await waiting, true);
    assert.strictEqual(clock.pendingTimers, 0);
  });
});
