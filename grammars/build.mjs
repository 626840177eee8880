// Copies the tree-sitter runtime and grammar .wasm files from their npm packages into grammars/ and records
// where each came from (package, version, licence, sha256) in grammars/PROVENANCE.json.
import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

// grammar name -> [npm package, file inside it]
const SOURCES = {
  python: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-python.wasm'],
  javascript: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-javascript.wasm'],
  typescript: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-typescript.wasm'],
  tsx: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-tsx.wasm'],
  java: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-java.wasm'],
  go: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-go.wasm'],
  rust: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-rust.wasm'],
  cpp: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-cpp.wasm'],
  c_sharp: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-c-sharp.wasm'],
  ruby: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-ruby.wasm'],
  php: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-php.wasm'],
  bash: ['@vscode/tree-sitter-wasm', 'wasm/tree-sitter-bash.wasm'],
  c: ['tree-sitter-c', 'tree-sitter-c.wasm'],
  json: ['tree-sitter-json', 'tree-sitter-json.wasm'],
};

function packageInfo(name) {
  const pkgJson = require.resolve(`${name}/package.json`);
  const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
  return { dir: path.dirname(pkgJson), version: pkg.version, license: pkg.license };
}

const sha256 = file => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const provenance = {};
function copy(name, pkgName, rel, target) {
  const info = packageInfo(pkgName);
  const src = path.join(info.dir, rel);
  const dest = path.join(here, target);
  fs.copyFileSync(src, dest);
  provenance[name] = { package: pkgName, version: info.version, license: info.license, file: rel, sha256: sha256(dest) };
}

// web-tree-sitter's own runtime: its package.json "exports" hides package.json, so find it via the main entry.
{
  const main = require.resolve('web-tree-sitter');
  const dir = path.dirname(main);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  fs.copyFileSync(path.join(dir, 'web-tree-sitter.wasm'), path.join(here, 'web-tree-sitter.wasm'));
  provenance['web-tree-sitter runtime'] = { package: 'web-tree-sitter', version: pkg.version, license: pkg.license, file: 'web-tree-sitter.wasm', sha256: sha256(path.join(here, 'web-tree-sitter.wasm')) };
}
for (const [name, [pkgName, rel]] of Object.entries(SOURCES)) copy(name, pkgName, rel, `tree-sitter-${name}.wasm`);
fs.writeFileSync(path.join(here, 'PROVENANCE.json'), JSON.stringify(provenance, null, 2) + '\n');
console.log(`grammars: ${Object.keys(SOURCES).length} grammars copied into ${here}`);
