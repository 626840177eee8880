// Every entry of every security list, tested on its own (issue 13, "tests that would catch a regression"): each
// example below is caught by exactly one entry, so deleting or breaking any single entry fails a test.
import * as assert from 'assert';
import * as path from 'path';
import picomatch from 'picomatch';
import {
  createExclusion, looksLikeSecretContent, looksLikeSecretPath, SECRET_CONTENT, SECRET_DIRS, SECRET_GLOBS,
} from '../../../src/context/exclusion';

/** One file name per secret glob, matched by that glob and by no other. */
const GLOB_EXAMPLES: Record<string, string> = {
  '.env.*': '.env.production',
  '*.env': 'prod.env',
  '.envrc': '.envrc',
  '*.pem': 'server.pem',
  '*.key': 'tls.key',
  '*.crt': 'site.crt',
  '*.cer': 'site.cer',
  '*.der': 'root.der',
  '*.p12': 'cert.p12',
  '*.pfx': 'cert.pfx',
  '*.jks': 'store.jks',
  '*.keystore': 'release.keystore',
  '*.kdbx': 'passwords.kdbx',
  '*.gpg': 'backup.tar.gpg',
  '*.asc': 'key.asc',
  'id_rsa*': 'id_rsa.pub',
  'id_dsa*': 'id_dsa',
  'id_ecdsa*': 'id_ecdsa',
  'id_ed25519*': 'id_ed25519',
  '*.ppk': 'putty.ppk',
  'known_hosts': 'known_hosts',
  'authorized_keys': 'authorized_keys',
  '*credential*': 'aws_credentials.json',
  'secrets.*': 'secrets.ts',
  'secret.*': 'secret.txt',
  '*.secret': 'db.secret',
  '*.secrets': 'ci.secrets',
  '*secrets.json': 'appsecrets.json',
  '*secrets.yaml': 'k8s-secrets.yaml',
  '*secrets.yml': 'k8s-secrets.yml',
  '.npmrc': '.npmrc',
  '.yarnrc': '.yarnrc',
  '.yarnrc.yml': '.yarnrc.yml',
  '.pypirc': '.pypirc',
  '.netrc': '.netrc',
  '_netrc': '_netrc',
  '.htpasswd': '.htpasswd',
  '.pgpass': '.pgpass',
  '.my.cnf': '.my.cnf',
  '.dockercfg': '.dockercfg',
  '*.tfvars': 'prod.tfvars',
  '*.tfstate': 'terraform.tfstate',
  '*.tfstate.*': 'terraform.tfstate.backup',
  'service-account*.json': 'service-account-prod.json',
  '*.ovpn': 'office.ovpn',
};

/** Names the removed duplicates used to list: still caught through a wider glob. */
const COVERED_BY_WIDER_GLOB = ['.env', '.git-credentials', 'Credentials.xml', 'ID_RSA'];

/** One text per content pattern, each caught by that pattern alone; and a near miss that none catches. */
const CONTENT_EXAMPLES: Array<{ secret: string; nearMiss: string }> = [
  { secret: 'key = """-----BEGIN EC PRIVATE KEY-----\nMHcC', nearMiss: '-----BEGIN PUBLIC KEY-----' },
  { secret: 'aws_key = "AKIAABCDEFGHIJKLMNOP"', nearMiss: 'AKIAABCDEFGHIJKLMNO' },
  { secret: 'token = "ghp_' + 'a'.repeat(36) + '"', nearMiss: 'ghp_' + 'a'.repeat(20) },
  { secret: 'github_pat_' + 'A1_'.repeat(12), nearMiss: 'github_pat_short' },
  { secret: 'SLACK = "xoxb-1234567890-abcdef"', nearMiss: 'xoxz-1234567890-abcdef' },
  { secret: 'OPENAI_API_KEY=sk-proj-' + 'b'.repeat(40), nearMiss: 'sk-' + 'b'.repeat(20) },
  { secret: 'maps: AIza' + 'C'.repeat(35), nearMiss: 'AIza' + 'C'.repeat(20) },
];

describe('context/exclusion security lists, entry by entry', () => {
  it('has an example for every secret glob, and nothing else', () => {
    assert.deepStrictEqual(Object.keys(GLOB_EXAMPLES), [...SECRET_GLOBS]);
  });

  for (const [glob, example] of Object.entries(GLOB_EXAMPLES)) {
    it(`"${glob}": ${example} is a secret at the root, in a folder, in any letter case, and only this glob says so`, () => {
      const others = SECRET_GLOBS.filter(g => g !== glob);
      assert.ok(!picomatch(others, { dot: true, nocase: true })(example), `${example} must be caught by "${glob}" alone`);
      assert.ok(looksLikeSecretPath(example));
      assert.ok(looksLikeSecretPath(`config/deploy/${example}`));
      assert.ok(looksLikeSecretPath(`C:\\Users\\me\\${example.toUpperCase()}`));
      assert.strictEqual(createExclusion({ root: '/ws' }).reason(`src/${example}`), 'secret');
    });
  }

  it('still catches the names a wider glob covers', () => {
    for (const name of COVERED_BY_WIDER_GLOB) assert.ok(looksLikeSecretPath(`app/${name}`), name);
  });

  it('leaves ordinary source names alone', () => {
    for (const p of ['src/app.ts', 'environment.ts', 'keyboard.py', 'src/secretary.ts', 'docs/keys.md', 'envelope.go', 'monkey.java', 'id_card.ts', 'hosts.txt']) {
      assert.ok(!looksLikeSecretPath(p), p);
    }
  });

  for (const dir of SECRET_DIRS) {
    it(`folder ${dir}/: every file below it is secret, the folder name alone as a file is not`, () => {
      assert.ok(looksLikeSecretPath(`${dir}/notes.txt`));
      assert.ok(looksLikeSecretPath(`home/me/${dir}/sub/readme.md`));
      assert.ok(!looksLikeSecretPath(`home/me/${dir}-backup/readme.md`));
      assert.strictEqual(createExclusion({ root: '/ws' }).reason(`${dir}/notes.txt`), 'secret');
    });
  }

  it('has an example for every content pattern', () => {
    assert.strictEqual(CONTENT_EXAMPLES.length, SECRET_CONTENT.length);
  });

  CONTENT_EXAMPLES.forEach(({ secret, nearMiss }, i) => {
    it(`content pattern ${i + 1} (${SECRET_CONTENT[i]?.source.slice(0, 24)}…) catches its secret alone, not the near miss`, () => {
      assert.deepStrictEqual(SECRET_CONTENT.map(re => re.test(secret)), SECRET_CONTENT.map((_, j) => j === i));
      assert.ok(looksLikeSecretContent(`const config = {\n  ${secret}\n};`));
      assert.ok(!looksLikeSecretContent(nearMiss), nearMiss);
    });
  });
});

describe('context/exclusion nested .gitignore prefixes', () => {
  const root = path.resolve('/work/ws');
  const ex = createExclusion({ root, gitignore: [{ dir: 'pkg/sub', content: '*.gen.ts\n/local-only.ts\n' }, { dir: '', content: 'dist/\n' }] });

  it('a .gitignore in pkg/sub does not reach the sibling pkg/subway, and nothing throws', () => {
    assert.ok(ex.isExcluded('pkg/sub/api.gen.ts'));
    for (const p of ['pkg/subway/api.gen.ts', 'pkg/subway/local-only.ts', 'pkg/subway', 'pkg/sub', 'pkg/sub/', 'pkg/su/api.gen.ts']) {
      assert.doesNotThrow(() => ex.reason(p), p);
      assert.strictEqual(ex.isExcluded(p), false, p);
    }
  });

  it('a root folder whose name starts with ".." is inside the workspace (its .gitignore applies)', () => {
    assert.strictEqual(ex.relative(path.join(root, '..cache', 'dist', 'a.js')), '..cache/dist/a.js');
    assert.strictEqual(ex.reason(path.join(root, '..cache', 'dist', 'a.js')), 'gitignore');
    assert.strictEqual(ex.relative(path.join(root, '..', 'other', 'a.js')), undefined);
  });
});

describe('context/exclusion details the mutation check found untested', () => {
  const root = path.resolve('/work/ws');

  it('judges a path with a trailing slash by its last name, and a file named like a secret folder by its own name', () => {
    assert.ok(looksLikeSecretPath('project/.env/'));
    assert.ok(!looksLikeSecretPath('worktree/.git'), 'a .git file (worktree pointer) is not the .git folder');
  });

  it('catches unencrypted PKCS#8 keys and plain sk- tokens too', () => {
    assert.ok(looksLikeSecretContent('-----BEGIN PRIVATE KEY-----\nMIIE'));
    assert.ok(looksLikeSecretContent('-----BEGIN ENCRYPTED PRIVATE KEY-----'));
    assert.ok(looksLikeSecretContent('key=sk-' + 'Q'.repeat(40)));
  });

  it('cleans user globs: blanks dropped, spaces trimmed, a leading ./ and trailing slashes removed', () => {
    const ex = createExclusion({ root, userGlobs: ['   ', '  *.sql  ', './internal/**', 'docs/private//', 'build./out/**'] });
    assert.strictEqual(ex.reason('db/seed.sql'), 'infill.exclude');
    assert.strictEqual(ex.reason('internal/a.go'), 'infill.exclude');
    assert.strictEqual(ex.reason('docs/private/plan.md'), 'infill.exclude');
    assert.strictEqual(ex.reason('build./out/x.js'), 'infill.exclude', 'only a leading ./ is removed');
    assert.strictEqual(ex.reason('src/app.ts'), undefined);
  });

  it('globs match dot files, a glob with a slash is anchored at the root, a bare one matches names anywhere', () => {
    const ex = createExclusion({ root, userGlobs: ['private/**', '*.sql', 'internal/**'] });
    assert.strictEqual(ex.reason('private/.notes'), 'infill.exclude');
    assert.strictEqual(ex.reason('db/.seed.sql'), 'infill.exclude');
    assert.strictEqual(ex.reason('src/internal/x.go'), undefined, '"internal/**" names the root folder only');
  });

  it('files.exclude entries set to null or undefined are off, like false', () => {
    const ex = createExclusion({ root, filesExclude: { 'tmp/**': null, 'cache/**': undefined, 'logs/**': true } });
    assert.ok(!ex.isExcluded('tmp/a.ts'));
    assert.ok(!ex.isExcluded('cache/a.ts'));
    assert.ok(ex.isExcluded('logs/a.ts'));
  });

  it('the root itself is "", and user globs also judge files outside the workspace', () => {
    const ex = createExclusion({ root, userGlobs: ['**/private/**'] });
    assert.strictEqual(ex.relative(root), '');
    assert.strictEqual(ex.reason(path.resolve('/elsewhere/private/a.ts')), 'infill.exclude');
    assert.strictEqual(ex.reason(path.resolve('/elsewhere/public/a.ts')), undefined);
  });

  it('a nested .gitignore folder may be written with backslashes, a leading ./ or a trailing slash', () => {
    for (const dir of ['pkg\\sub', './pkg/sub', 'pkg/sub/']) {
      const ex = createExclusion({ root, gitignore: [{ dir, content: '*.gen.ts\n' }] });
      assert.ok(ex.isExcluded('pkg/sub/api.gen.ts'), dir);
      assert.ok(!ex.isExcluded('pkg/api.gen.ts'), dir);
    }
  });
});

describe('context/exclusion: the second mutation pass', () => {
  const root = path.resolve('/work/ws');

  it('a glob with a slash also reaches into dot folders', () => {
    assert.strictEqual(createExclusion({ root, userGlobs: ['**/cache'] }).reason('.venv/cache/x.py'), 'infill.exclude');
  });

  it('the folder above the root is outside it', () => {
    assert.strictEqual(createExclusion({ root }).relative(path.dirname(root)), undefined);
  });

  it('outside the workspace, user globs are matched from the path without its leading slashes', () => {
    const ex = createExclusion({ root, userGlobs: ['elsewhere/private/**'] });
    assert.strictEqual(ex.reason('/elsewhere/private/a.ts'), 'infill.exclude');
    assert.strictEqual(ex.reason('//elsewhere/private/a.ts'), 'infill.exclude');
  });
});
