// The document being edited changes at every key. What the context stage derives from a whole file (the secret
// check, its index, the names it uses) must then cost only what the edit touched, or be refreshed in the background.
import * as assert from 'assert';
import { seededRandom } from '../../../bench/replay/typist';
import { createExclusion, editAddsSecret, looksLikeSecretContent } from '../../../src/context/exclusion';
import { FileStore } from '../../../src/context/fileStore';
import { createNodeFs } from '../../../src/context/fs';
import type { DocumentSnapshot } from '../../../src/document/types';
import { silentLogger } from '../../../src/util/log';

const KEY = 'ghp_' + 'a1B2'.repeat(9);

describe('context/edited document', () => {
  describe('editAddsSecret', () => {
    const cases: Array<[string, string, string]> = [
      ['a key typed into a line', 'const a = 1;\nconst t = "";\nconst b = 2;\n', `const a = 1;\nconst t = "${KEY}";\nconst b = 2;\n`],
      ['a space that makes a word boundary', `x = "z${KEY}"\n`, `x = "z ${KEY}"\n`],
      ['a newline that makes a word boundary', `x = z${KEY}\n`, `x = z\n${KEY}\n`],
      ['a deleted newline that joins a key header', 'k = """-----BEGIN RSA PRIVATE KE\nY-----"""\n', 'k = """-----BEGIN RSA PRIVATE KEY-----"""\n'],
      ['a deleted space that joins an AWS key', 'id = "AKIA12345678 90ABCDEF"\n', 'id = "AKIA1234567890ABCDEF"\n'],
      ['a character appended after a key cut short', `t = ${KEY.slice(0, 33)}\n`, `t = ${KEY.slice(0, 34)}\n`],
      ['an edit far from a partial key', `t = ${KEY.slice(0, 20)}\n${'line\n'.repeat(50)}`, `t = ${KEY.slice(0, 20)}\n${'line\n'.repeat(49)}more\n`],
      ['a whole new text', 'nothing here\n', `${KEY}\n`],
      ['an empty text', '', 'AKIA1234567890ABCDEF'],
    ];
    for (const [name, before, after] of cases) {
      it(`agrees with a full scan: ${name}`, () => {
        assert.ok(!looksLikeSecretContent(before), 'the text before holds no credential');
        assert.strictEqual(editAddsSecret(before, after), looksLikeSecretContent(after));
      });
    }

    it('agrees with a full scan over 3,000 random edits of text near credentials', () => {
      const random = seededRandom(20261203);
      const pieces = ['const x = 1;', '\n', ' ', 'ghp_', 'a1B2'.repeat(4), 'AKIA', '1234ABCD', '-----BEGIN ', 'RSA ', 'PRIVATE KEY', '-----', 'sk-', 'Q'.repeat(12), '"', 'z'];
      const pick = () => pieces[Math.floor(random() * pieces.length)];
      let text = '';
      let checked = 0;
      for (let i = 0; i < 3000; i++) {
        const at = Math.floor(random() * (text.length + 1));
        const cut = Math.floor(random() * Math.min(12, text.length - at + 1));
        const next = text.slice(0, at) + (random() < 0.7 ? pick() + pick() : '') + text.slice(at + cut);
        if (!looksLikeSecretContent(text)) {
          assert.strictEqual(editAddsSecret(text, next), looksLikeSecretContent(next), `${JSON.stringify(text)} -> ${JSON.stringify(next)}`);
          checked++;
        }
        // Keep the text short and mostly clean, so that edits keep crossing the line between clean and secret.
        text = looksLikeSecretContent(next) && random() < 0.8 ? text : next.slice(-400);
      }
      assert.ok(checked > 2000, `${checked} edits checked`);
    });
  });

  describe('the file store with an edited document', () => {
    const rel = 'src/edited.ts';
    const version = (v: number, extra: string): DocumentSnapshot => ({
      uri: `/virtual/ws/${rel}`, relativePath: rel, languageId: 'typescript', version: v,
      text: `import { a } from './a';\n${extra}\nexport function main() {\n  return a;\n}\n`,
    });
    const newStore = () => new FileStore({
      fs: createNodeFs({ root: '/virtual/ws' }), exclusion: createExclusion({ root: '/virtual/ws' }), log: silentLogger,
      now: () => 0, statTtlMs: 2000, maxFileBytes: 1_000_000,
    });
    const waitFor = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise(resolve => setTimeout(resolve, 10));
      assert.ok(done(), 'the background re-indexing never came');
    };

    it('answers later versions with the last index at once, then indexes only the newest one in the background', async () => {
      const store = newStore();
      const v1 = store.fromSnapshot(rel, version(1, ''));
      const first = await store.currentIndex(v1, { passed: () => false });
      assert.deepStrictEqual(first?.imports.map(i => i.specifier), ['./a']);
      const v2 = store.fromSnapshot(rel, version(2, "import { b } from './b';"));
      const v3 = store.fromSnapshot(rel, version(3, "import { b } from './b';\nimport { c } from './c';"));
      assert.strictEqual(await store.currentIndex(v2, { passed: () => false }), first, 'the earlier index serves at once');
      assert.strictEqual(await store.currentIndex(v3, { passed: () => false }), first);
      await waitFor(() => v3.index !== undefined);
      assert.deepStrictEqual((await v3.index)?.imports.map(i => i.specifier), ['./a', './b', './c']);
      assert.strictEqual(v2.index, undefined, 'a version typed past is never parsed');
      const v4 = store.fromSnapshot(rel, version(4, "import { b } from './b';\nimport { c } from './c';\n// more"));
      assert.deepStrictEqual((await store.currentIndex(v4, { passed: () => false }))?.imports.map(i => i.specifier), ['./a', './b', './c'],
        'the next version starts from the newest index');
    });

    it('answers with the names of an earlier version, and learns the new ones in the background', async () => {
      const store = newStore();
      const v1 = store.fromSnapshot(rel, version(1, ''));
      assert.ok(!store.currentTokens(v1).has('zebraCrossing'));
      const v2 = store.fromSnapshot(rel, version(2, 'const z = zebraCrossing();'));
      assert.ok(!store.currentTokens(v2).has('zebraCrossing'), 'the earlier names serve at once');
      await waitFor(() => v2.tokens !== undefined);
      assert.ok(store.currentTokens(v2).has('zebraCrossing'));
    });

    it('checks an edit of a clean version for credentials, and a credential typed into it is seen', () => {
      const store = newStore();
      const clean = store.fromSnapshot(rel, version(1, 'const t = "";'));
      assert.strictEqual(clean.secret, false);
      const typed = store.fromSnapshot(rel, version(2, `const t = "${KEY}";`));
      assert.strictEqual(typed.secret, true);
      const removed = store.fromSnapshot(rel, version(3, 'const t = "";'));
      assert.strictEqual(removed.secret, false, 'a full scan after a secret version');
    });
  });
});
