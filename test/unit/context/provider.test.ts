import * as assert from 'assert';
import * as path from 'path';
import { createContextProvider, createExclusion, createNodeContextProvider, RecentActivity } from '../../../src/context';
import { createNodeFs, type WorkspaceFs } from '../../../src/context/fs';
import { snippetCost } from '../../../src/context/ranking';
import type { ContextSnippet } from '../../../src/context/types';
import type { DocumentSnapshot } from '../../../src/document/types';
import { isAbortError } from '../../../src/util/abort';
import { CURSOR_MARKER, dedent } from '../../support/cursor';
import { FakeClock } from '../pipeline/fakes';
import { contextAt, contextAtMarker, copyFixture, FIXTURES, neverAbort, removeTemp, snapshotOf, writeFile } from './helpers';

const FAKE_KEY = 'FAKE-SECRET-0123456789-DO-NOT-SHIP';

describe('context/provider', () => {
  describe('secrets and ignored files', () => {
    let root: string;
    before(() => {
      root = copyFixture('ts');
      writeFile(root, '.env', `API_KEY=${FAKE_KEY}\n`);
      writeFile(root, 'id_rsa', `-----BEGIN OPENSSH PRIVATE KEY-----\n${FAKE_KEY}\n-----END OPENSSH PRIVATE KEY-----\n`);
      writeFile(root, 'certs/server.pem', `-----BEGIN PRIVATE KEY-----\n${FAKE_KEY}\n`);
      writeFile(root, 'src/secrets.ts', `export const apiToken = '${FAKE_KEY}';\n`);
      writeFile(root, 'src/config/credentials.ts', `export const dbPassword = '${FAKE_KEY}';\n`);
      // An innocent name with a private key inside: caught by content.
      writeFile(root, 'src/keyring.ts', `export const pem = \`-----BEGIN RSA PRIVATE KEY-----\n${FAKE_KEY}\`;\nexport function useKeyring() { return pem; }\n`);
      writeFile(root, 'src/publicConfig.ts', 'export const apiBase = "https://example.test";\n');
      writeFile(root, '.gitignore', 'generated/\n');
      writeFile(root, 'src/generated/api.ts', 'export function fetchGeneratedThing(): number { return 1; }\n');
      writeFile(root, 'src/sub/.gitignore', '*.gen.ts\n');
      writeFile(root, 'src/sub/thing.gen.ts', 'export function generatedHelper(): number { return 2; }\n');
      writeFile(root, 'src/sub/thing.ts', 'export function handWrittenHelper(): number { return 3; }\n');
      writeFile(root, 'src/main.ts', dedent(`
        import { apiToken } from './secrets';
        import { dbPassword } from './config/credentials';
        import { pem, useKeyring } from './keyring';
        import { apiBase } from './publicConfig';
        import { fetchGeneratedThing } from './generated/api';
        import { generatedHelper } from './sub/thing.gen';
        import { handWrittenHelper } from './sub/thing';

        export function start() {
          const all = [apiToken, dbPassword, pem, useKeyring(), apiBase, fetchGeneratedThing(), generatedHelper(), handWrittenHelper()];
          // ${CURSOR_MARKER}
          return all;
        }
      `));
    });
    after(() => removeTemp(root));

    async function gatherMain(): Promise<ContextSnippet[]> {
      const activity = new RecentActivity({ now: () => 1000 });
      // The user even edited and looked at the secret files.
      activity.recordEdit({ relativePath: '.env', startLine: 0, endLine: 0, at: 1000 });
      activity.recordView({ relativePath: 'id_rsa', startLine: 0, endLine: 2, at: 1000 });
      activity.recordEdit({ relativePath: 'src/generated/api.ts', startLine: 0, endLine: 0, at: 1000 });
      const provider = createNodeContextProvider({
        workspace: root, activity, now: () => 1000, maxContextTokens: 4000,
        openFiles: ['.env', 'id_rsa', 'certs/server.pem', 'src/secrets.ts', 'src/keyring.ts', 'src/main.ts'].map(f => path.join(root, f)),
      });
      return provider.gather(contextAtMarker(snapshotOf(root, 'src/main.ts')), neverAbort());
    }

    it('never puts a secret file into a snippet, even when imported, open, edited or viewed', async () => {
      const s = await gatherMain();
      const dump = JSON.stringify(s);
      assert.ok(!dump.includes(FAKE_KEY), dump);
      for (const bad of ['.env', 'id_rsa', 'certs/server.pem', 'src/secrets.ts', 'src/config/credentials.ts', 'src/keyring.ts']) {
        assert.ok(!s.some(x => x.relativePath === bad), `${bad} in ${dump}`);
      }
      // The same mechanism does bring the harmless import: the test can see an import when there is one.
      assert.ok(s.some(x => x.relativePath === 'src/publicConfig.ts' && x.content.includes('apiBase')), dump);
    });

    it('never reads gitignored files (root and nested .gitignore), but does read their neighbours', async () => {
      const s = await gatherMain();
      const dump = JSON.stringify(s);
      assert.ok(!dump.includes('fetchGeneratedThing(): number') && !dump.includes('generatedHelper(): number'), dump);
      assert.ok(!s.some(x => x.relativePath === 'src/generated/api.ts' || x.relativePath === 'src/sub/thing.gen.ts'), dump);
      assert.ok(s.some(x => x.relativePath === 'src/sub/thing.ts'), dump);
    });

    it('offers no context inside an excluded file and reports it as excluded', async () => {
      const provider = createNodeContextProvider({ workspace: root, openFiles: [path.join(root, 'src/app.ts')] });
      for (const f of ['.env', 'src/secrets.ts', 'src/generated/api.ts']) assert.ok(provider.isExcluded(path.join(root, f)), f);
      assert.ok(!provider.isExcluded(path.join(root, 'src/app.ts')));
      assert.ok(provider.isExcluded('file://' + path.join(root, '.env')));
      const env: DocumentSnapshot = { uri: path.join(root, '.env'), relativePath: '.env', languageId: 'dotenv', text: `API_KEY=${FAKE_KEY}\n`, version: 1 };
      assert.deepStrictEqual(await provider.gather(contextAt(env, 0, 3), neverAbort()), []);
    });

    it('honours infill.exclude globs given to the CLI provider', async () => {
      const provider = createNodeContextProvider({ workspace: root, exclude: ['src/publicConfig.ts'], maxContextTokens: 4000 });
      const s = await provider.gather(contextAtMarker(snapshotOf(root, 'src/main.ts')), neverAbort());
      assert.ok(!s.some(x => x.relativePath === 'src/publicConfig.ts'), JSON.stringify(s));
      assert.ok(s.some(x => x.relativePath === 'src/sub/thing.ts'));
    });
  });

  describe('budget, order and stability', () => {
    const root = path.join(FIXTURES, 'ts');
    const open = ['src/app.ts', 'src/models/cart.ts', 'src/unrelated.ts', 'src/math.ts'];

    function provider(maxContextTokens = 512) {
      return createNodeContextProvider({ workspace: root, openFiles: open.map(f => path.join(root, f)), maxContextTokens, now: () => 5000 });
    }

    it('respects the token budget', async () => {
      const big = await provider(4000).gather(contextAtMarker(snapshotOf(root, 'src/app.ts')), neverAbort());
      const total = (s: ContextSnippet[]) => s.reduce((n, x) => n + snippetCost(x.relativePath, x.content, 'typescript'), 0);
      assert.ok(big.length >= 4);
      for (const budget of [40, 80, 150]) {
        const s = await provider(budget).gather(contextAtMarker(snapshotOf(root, 'src/app.ts')), neverAbort());
        assert.ok(total(s) <= budget, `${total(s)} > ${budget}`);
        assert.ok(s.length < big.length);
      }
      assert.deepStrictEqual(await provider(0).gather(contextAtMarker(snapshotOf(root, 'src/app.ts')), neverAbort()), []);
    });

    it('gives the same snippets in the same order for the same input (fresh providers)', async () => {
      const a = await provider().gather(contextAtMarker(snapshotOf(root, 'src/app.ts')), neverAbort());
      const b = await provider().gather(contextAtMarker(snapshotOf(root, 'src/app.ts')), neverAbort());
      assert.deepStrictEqual(a, b);
      for (let i = 1; i < a.length; i++) assert.ok(a[i - 1].score >= a[i].score, 'best first');
    });

    it('keeps the previous line\'s selection when it still scores nearly as well (the prompt start stays reusable)', async () => {
      const base = snapshotOf(root, 'src/app.ts');
      const lines = base.text.split('\n');
      const ids = (s: ContextSnippet[]) => s.map(x => `${x.relativePath}:${x.startLine}-${x.endLine}`);
      // A pair of neighbouring lines where fresh providers choose different snippets: the case stickiness is for.
      let pair: { line: number; a: ContextSnippet[]; b: ContextSnippet[] } | undefined;
      for (let line = 1; line < lines.length - 1 && !pair; line++) {
        const a = await provider().gather(contextAt(base, line, 0), neverAbort());
        const b = await provider().gather(contextAt(base, line + 1, 0), neverAbort());
        if (a.length && b.length && ids(a).join() !== ids(b).join()) pair = { line, a, b };
      }
      assert.ok(pair, 'the fixture has neighbouring lines with different fresh selections');
      const p = provider();
      assert.deepStrictEqual(ids(await p.gather(contextAt(base, pair.line, 0), neverAbort())), ids(pair.a));
      const next = await p.gather(contextAt(base, pair.line + 1, 0), neverAbort());
      const score = (s: ContextSnippet[]) => s.reduce((n, x) => n + x.score, 0);
      // The kept selection is judged against the new cursor; its old scores are close enough for this check.
      if (score(pair.a) >= 0.9 * score(pair.b)) assert.deepStrictEqual(ids(next), ids(pair.a), 'the previous selection stayed');
      else if (score(pair.a) < 0.8 * score(pair.b)) assert.deepStrictEqual(ids(next), ids(pair.b), 'a much better selection replaced it');
    });

    it('keeps the selection unchanged while the user types along a line, even words that match another tab', async () => {
      const p = provider();
      const base = snapshotOf(root, 'src/app.ts');
      const lines = base.text.split('\n');
      const line = lines.findIndex(l => l.includes(CURSOR_MARKER));
      const typed = '  const z = zebraCrossingSignal(clampPercent(total));';
      let first: ContextSnippet[] | undefined;
      for (let i = 0; i <= typed.length; i += 3) {
        const text = [...lines.slice(0, line), typed.slice(0, i), ...lines.slice(line + 1)].join('\n');
        const snap = { ...base, text, version: i + 1 };
        const s = await p.gather(contextAt(snap, line, i), neverAbort());
        if (!first) first = s;
        else assert.deepStrictEqual(s, first, `changed after typing ${JSON.stringify(typed.slice(0, i))}`);
      }
      // On the next line the typed code is part of the query: the tab it names may now come in.
      const text = [...lines.slice(0, line), typed, '  ', ...lines.slice(line + 1)].join('\n');
      const next = await p.gather(contextAt({ ...base, text, version: 999 }, line + 1, 2), neverAbort());
      assert.ok(next.some(x => x.relativePath === 'src/unrelated.ts'), JSON.stringify(next));
    });
  });

  describe('sources', () => {
    it('brings recent edits, decayed by age, and open tabs of the same language only', async () => {
      const root = copyFixture('ts');
      try {
        writeFile(root, 'src/orders.ts', 'export function orderTotal(cart: Cart): number {\n  return cart.total();\n}\n');
        writeFile(root, 'src/discount.ts', 'export function loyaltyPercent(user: User): number {\n  return user.loyaltyDiscount;\n}\n');
        writeFile(root, 'scripts/report.py', 'def cart_total(cart):\n    return cart.total()\n');
        let t = 0;
        const activity = new RecentActivity({ now: () => t, editHalfLifeMs: 60_000 });
        activity.recordEdit({ relativePath: 'src/discount.ts', startLine: 1, endLine: 1, at: 0 });
        activity.recordEdit({ relativePath: 'src/orders.ts', startLine: 1, endLine: 1, at: 120_000 });
        t = 120_000;
        const p = createNodeContextProvider({ workspace: root, activity, now: () => t, maxContextTokens: 4000, openFiles: ['scripts/report.py'].map(f => path.join(root, f)) });
        const s = await p.gather(contextAtMarker(snapshotOf(root, 'src/app.ts')), neverAbort());
        const orders = s.find(x => x.relativePath === 'src/orders.ts');
        const discount = s.find(x => x.relativePath === 'src/discount.ts');
        assert.strictEqual(orders?.source, 'recent-edit', JSON.stringify(s));
        assert.strictEqual(discount?.source, 'recent-edit');
        assert.ok(orders!.score > discount!.score, 'the older edit weighs less');
        assert.ok(!s.some(x => x.relativePath === 'scripts/report.py'), 'a Python tab is no context for TypeScript');
      } finally {
        removeTemp(root);
      }
    });

    it("adds the current file's own definitions that fall outside the prefix/suffix window", async () => {
      const fns = Array.from({ length: 40 }, (_, i) => `function helper${i}(value: number): number {\n  return value + ${i};\n}\n`);
      const text = `${fns.join('\n')}\nexport function main() {\n  const a = helper0(1) + helper39(2);\n  \n}\n`;
      const snap: DocumentSnapshot = { uri: '/virtual/ws/src/big.ts', relativePath: 'src/big.ts', languageId: 'typescript', text, version: 3 };
      const line = text.split('\n').length - 3;
      const p = createContextProvider({
        fs: createNodeFs({ root: '/virtual/ws' }), workspaceRoot: '/virtual/ws', openDocuments: () => [snap],
        activity: new RecentActivity(), exclusion: createExclusion({ root: '/virtual/ws' }), config: () => ({ enabled: true, maxContextTokens: 300 }),
      });
      const s = await p.gather(contextAt(snap, line, 2, { prefixTokens: 60, suffixTokens: 20 }), neverAbort());
      const helper0 = s.find(x => x.content.includes('function helper0('));
      assert.strictEqual(helper0?.source, 'same-file', JSON.stringify(s));
      assert.ok(!s.some(x => x.content.includes('export function main')), 'the code in the prompt is not repeated');
    });

    it('neither parses nor offers an open document larger than maxFileBytes, and warming it starts no import walk', async () => {
      const body = Array.from({ length: 60_000 }, (_, i) => `export function bigHelper${i}(v: number) { return v + ${i}; }`).join('\n');
      const huge: DocumentSnapshot = { uri: '/virtual/ws/src/huge.ts', relativePath: 'src/huge.ts', languageId: 'typescript', text: body, version: 1 };
      const cur: DocumentSnapshot = { uri: '/virtual/ws/src/app.ts', relativePath: 'src/app.ts', languageId: 'typescript', text: 'const x = bigHelper7(1);\n\n', version: 1 };
      const p = createContextProvider({
        fs: createNodeFs({ root: '/virtual/ws' }), workspaceRoot: '/virtual/ws', openDocuments: () => [cur, huge],
        activity: new RecentActivity(), exclusion: createExclusion({ root: '/virtual/ws' }),
        config: () => ({ enabled: true, maxContextTokens: 500 }), maxFileBytes: 1_000_000,
      });
      assert.ok(huge.text.length > 1_000_000);
      await p.warm(huge); // parsing and indexing this would take seconds
      assert.strictEqual(p.statistics().imports.collects, 0, 'the huge document was refused before its imports were walked');
      await p.warm(cur);
      assert.strictEqual(p.statistics().imports.collects, 1, 'a normal document is warmed');
      const s = await p.gather(contextAt(cur, 1, 0), neverAbort());
      assert.ok(!s.some(x => x.relativePath === 'src/huge.ts'), JSON.stringify(s.map(x => x.relativePath)));
    });

    it('answers when its time budget runs out on the injected clock, with what it has', async () => {
      const hang: WorkspaceFs = {
        readFile: () => new Promise(() => {}),
        stat: async () => ({ type: 'file', size: 10, mtimeMs: 1 }),
      };
      const tab: DocumentSnapshot = { uri: '/ws/src/cart.ts', relativePath: 'src/cart.ts', languageId: 'typescript', text: 'export function cartTotal(cart: Cart) { return cart.total(); }\n', version: 1 };
      const cur: DocumentSnapshot = { uri: '/ws/src/app.ts', relativePath: 'src/app.ts', languageId: 'typescript', text: "import { x } from './x';\nconst t = cartTotal(cart);\n\n", version: 1 };
      const clock = new FakeClock();
      const p = createContextProvider({
        fs: hang, workspaceRoot: '/ws', openDocuments: () => [cur, tab], activity: new RecentActivity(),
        exclusion: createExclusion({ root: '/ws' }), config: () => ({ enabled: true, maxContextTokens: 500 }), timeBudgetMs: 40, clock,
      });
      let answer: ContextSnippet[] | undefined;
      const pending = p.gather(contextAt(cur, 2, 0), neverAbort()).then(s => { answer = s; });
      await clock.advance(39);
      assert.strictEqual(answer, undefined, 'still waiting for the disk inside the budget');
      await clock.advance(1);
      await pending;
      assert.ok(answer!.some(x => x.relativePath === 'src/cart.ts'), JSON.stringify(answer));
      assert.strictEqual(clock.pendingTimers, 0, 'the budget leaves no timer behind');
    });

    it('rejects with an AbortError when the request is cancelled', async () => {
      const p = createNodeContextProvider({ workspace: path.join(FIXTURES, 'ts') });
      const c = new AbortController();
      c.abort();
      await assert.rejects(p.gather(contextAtMarker(snapshotOf(path.join(FIXTURES, 'ts'), 'src/app.ts')), c.signal), e => isAbortError(e));
    });
  });
});

describe('context/provider: slow reads and warming', () => {
  const root = path.join(FIXTURES, 'ts');
  /** Node fs whose reads wait while held (a slow network drive) and go on when released. */
  function heldFs() {
    const base = createNodeFs({ root });
    let release = () => {};
    let gate = Promise.resolve();
    const fs: WorkspaceFs = {
      stat: base.stat,
      listFiles: base.listFiles,
      readFile: async (p, signal) => { await gate; return base.readFile(p, signal); },
    };
    return {
      fs,
      hold() { gate = new Promise<void>(r => { release = r; }); },
      release: () => release(),
    };
  }
  function provider(fs: WorkspaceFs) {
    const app = snapshotOf(root, 'src/app.ts', undefined, 1);
    const clock = new FakeClock();
    const p = createContextProvider({
      fs, workspaceRoot: root, openDocuments: () => [app], activity: new RecentActivity(),
      exclusion: createExclusion({ root }), config: () => ({ enabled: true, maxContextTokens: 1000 }), timeBudgetMs: 40, clock,
    });
    /** Gathers, letting the budget run out if the sources are not done by then. */
    const gather = async () => {
      const pending = p.gather(contextAtMarker(app), neverAbort());
      await clock.advance(40);
      return pending;
    };
    return { p, app, gather };
  }

  it('answers without what is late, and a read that outlived the budget serves the next request', async () => {
    const disk = heldFs();
    const { p, gather } = provider(disk.fs);
    disk.hold();
    const first = await gather();
    assert.ok(!first.some(s => s.relativePath === 'src/util/format.ts'), JSON.stringify(first));
    disk.release();
    // The first request's imports walk goes on after its answer; once it is done, nothing new comes off the disk.
    while (p.statistics().imports.lastDoneMs === undefined) await new Promise(r => setTimeout(r, 5));
    disk.hold();
    const second = await gather();
    assert.ok(second.some(s => s.relativePath === 'src/util/format.ts' && s.source === 'import'), JSON.stringify(second));
  });

  it('warm() reads and parses the imports ahead, so the first request has them', async () => {
    const disk = heldFs();
    const { p, app, gather } = provider(disk.fs);
    await p.warm(app);
    disk.hold(); // from now on nothing new comes off the disk in time
    const s = await gather();
    assert.ok(s.some(x => x.relativePath === 'src/util/format.ts' && x.content.includes('formatPrice')), JSON.stringify(s));
    assert.ok(s.some(x => x.relativePath === 'src/models/cart.ts'), 'through the re-export too');
  });
});
