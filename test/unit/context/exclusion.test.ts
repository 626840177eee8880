import * as assert from 'assert';
import * as path from 'path';
import { createExclusion, looksLikeSecretContent, looksLikeSecretPath } from '../../../src/context/exclusion';

const root = path.resolve('/work/ws');

describe('context/exclusion', () => {
  it('treats credential-looking names as secrets wherever they are', () => {
    for (const p of ['.env', '.env.local', 'config/.env.production', 'prod.env', 'server.pem', 'keys/tls.key', 'id_rsa', 'id_rsa.pub',
      '.ssh/config', 'home/.aws/credentials', 'aws_credentials.json', 'db-credentials.yaml', '.npmrc', '.netrc', 'cert.p12', 'cert.pfx',
      'secrets.yaml', 'secrets.ts', 'app/.git-credentials', 'infra/prod.tfvars', 'terraform.tfstate']) {
      assert.ok(looksLikeSecretPath(p), p);
    }
    for (const p of ['src/app.ts', 'environment.ts', 'keyboard.py', 'src/secretary.ts', 'docs/keys.md', 'envelope.go']) {
      assert.ok(!looksLikeSecretPath(p), p);
    }
  });

  it('recognises private keys and provider tokens in content', () => {
    assert.ok(looksLikeSecretContent('x = """-----BEGIN RSA PRIVATE KEY-----\nMIIE..."""'));
    assert.ok(looksLikeSecretContent('-----BEGIN OPENSSH PRIVATE KEY-----'));
    assert.ok(looksLikeSecretContent('aws_key = "AKIAABCDEFGHIJKLMNOP"'));
    assert.ok(looksLikeSecretContent('token = "ghp_' + 'a'.repeat(36) + '"'));
    assert.ok(!looksLikeSecretContent('const privateKey = loadKey(path); // BEGIN'));
  });

  it('applies nested .gitignore files below their folder only, with negation', () => {
    const ex = createExclusion({
      root,
      gitignore: [
        { dir: '', content: 'build/\n*.log\n!keep.log\n' },
        { dir: 'pkg/sub', content: '*.gen.ts\n/local-only.ts\n' },
      ],
    });
    assert.strictEqual(ex.reason('build/out.js'), 'gitignore');
    assert.strictEqual(ex.reason(path.join(root, 'src/build/deep/x.ts')), 'gitignore');
    assert.ok(ex.isExcluded('a/b/c.log'));
    assert.ok(!ex.isExcluded('keep.log'));
    assert.ok(ex.isExcluded('pkg/sub/api.gen.ts'));
    assert.ok(ex.isExcluded('pkg/sub/deeper/api.gen.ts'));
    assert.ok(!ex.isExcluded('pkg/api.gen.ts'), 'a nested .gitignore does not reach its parent');
    assert.ok(ex.isExcluded('pkg/sub/local-only.ts'));
    assert.ok(!ex.isExcluded('pkg/sub/deeper/local-only.ts'), 'anchored pattern');
    assert.ok(!ex.isExcluded('src/app.ts'));
  });

  it('honours files.exclude (object or list, false switches off) and infill.exclude globs, folders included', () => {
    const ex = createExclusion({
      root,
      filesExclude: { '**/.DS_Store': true, '**/node_modules': true, 'vendor': false, 'tmp/**': { when: '$(basename).ts' } },
      userGlobs: ['internal/**', '*.sql', 'docs/private'],
    });
    assert.strictEqual(ex.reason('web/node_modules/lib/index.js'), 'files.exclude');
    assert.strictEqual(ex.reason('tmp/a.ts'), 'files.exclude');
    assert.ok(!ex.isExcluded('vendor/lib.go'));
    assert.strictEqual(ex.reason('internal/store/store.go'), 'infill.exclude');
    assert.strictEqual(ex.reason('db/migrations/001.sql'), 'infill.exclude', 'a glob without a slash matches the name anywhere');
    assert.strictEqual(ex.reason('docs/private/plan.md'), 'infill.exclude');
    assert.ok(!ex.isExcluded('docs/public/plan.md'));
  });

  it('maps paths to root-relative POSIX form and leaves outside files to the secret list', () => {
    const ex = createExclusion({ root, gitignore: [{ dir: '', content: '*.ts\n' }] });
    assert.strictEqual(ex.relative(path.join(root, 'a', 'b.ts')), 'a/b.ts');
    assert.strictEqual(ex.relative(path.resolve('/elsewhere/x.ts')), undefined);
    assert.ok(!ex.isExcluded(path.resolve('/elsewhere/x.ts')), 'the workspace .gitignore does not govern other folders');
    assert.ok(ex.isExcluded(path.resolve('/elsewhere/.env')));
  });
});
