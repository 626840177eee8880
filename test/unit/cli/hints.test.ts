// The CLI's hints name commands a user can type in the project folder: `npx infill …` (package.json's bin) or
// `node dist/cli.js …` (the file esbuild writes), and the subcommand they name exists.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { EXIT_UNREACHABLE, EXIT_USAGE, main } from '../../../src/cli/main';
import { closedPort } from '../pipeline/fakes';

const ROOT = path.join(__dirname, '../../../..');

async function stderrOf(args: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', d => { text += d; });
  const code = await main(args, { stdin: Readable.from(['']), stdout: new PassThrough(), stderr, env: {}, cwd: ROOT });
  return { code, stderr: text };
}

describe('cli hints', () => {
  it('package.json bin "infill" is the bundle esbuild writes, with a node shebang', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.bin, { infill: 'dist/cli.js' });
    const build = fs.readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8');
    assert.match(build, /outfile: 'dist\/cli\.js', banner: \{ js: '#!\/usr\/bin\/env node' \}/);
  });

  it('a failed completion names the check command both ways, and that command exists', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const down = await stderrOf(['complete', '--file', 'test/fixtures/sample/fib.py', '--line', '5', '--col', '5', '--endpoint', endpoint]);
    assert.equal(down.code, EXIT_UNREACHABLE);
    assert.match(down.stderr, /"npx infill check" \(or "node dist\/cli\.js check"\)/);
    const check = await stderrOf(['check', '--endpoint', endpoint]);
    assert.equal(check.code, EXIT_UNREACHABLE, 'check is a real subcommand (not a usage error)');
  });

  it('a usage error points at --help the same way', async () => {
    const bad = await stderrOf(['nonsense']);
    assert.equal(bad.code, EXIT_USAGE);
    assert.match(bad.stderr, /Run "npx infill --help" \(or "node dist\/cli\.js --help"\) for usage\./);
    assert.doesNotMatch(bad.stderr, /Run "infill/);
  });
});
