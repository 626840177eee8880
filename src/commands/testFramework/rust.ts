// Rust: the file's own `#[cfg(test)] mod tests`, else an integration test file named after the module, else a
// new `mod tests` at the end of the file; run by `cargo test`.
import type { TestSetup, TestTarget, WorkspaceReader } from './types';
import { appendedSetup, existingFileSetup, findUpward, joinPath, splitPath } from './workspace';

export async function rustSetup(wfs: WorkspaceReader, target: TestTarget): Promise<TestSetup> {
  const { dir, stem } = splitPath(target.sourcePath);
  const cargo = await findUpward(wfs, dir, 'Cargo.toml');
  const evidence = cargo ? `${cargo.path} exists` : 'Rust code is tested with cargo test';
  const text = target.sourceText;
  const mod = testsModule(text);
  if (mod) {
    return existingFileSetup({
      framework: 'cargo', evidence: `${evidence}; the file has a #[cfg(test)] mod tests`, testFilePath: target.sourcePath, sameFile: true,
      content: text, insertAt: mod.insertAt, scaffoldBefore: '\n\n', scaffoldAfter: '', indentation: mod.indentation,
    });
  }
  // An integration test file named after the module is the next best home.
  const crateRoot = dir.replace(/(^|\/)src(\/.*)?$/, '$1').replace(/\/$/, '');
  const integration = joinPath(crateRoot, 'tests', `${stem}.rs`);
  const integrationText = await wfs.readFile(integration);
  if (integrationText !== undefined) {
    return appendedSetup({ framework: 'cargo', evidence: `${evidence}; ${integration} exists`, testFilePath: integration, content: integrationText, blankLines: 1 });
  }
  return appendedSetup({
    framework: 'cargo', evidence, testFilePath: target.sourcePath, sameFile: true, content: text, blankLines: 1,
    scaffold: { before: '#[cfg(test)]\nmod tests {\n    use super::*;\n\n', after: '\n}', indentation: '    ' },
  });
}

/** The `mod tests { ... }` block's end (before its closing brace) and its item indentation. */
function testsModule(text: string): { insertAt: number; indentation: string } | undefined {
  const m = /^([ \t]*)mod\s+tests\s*\{/m.exec(text);
  if (!m) return undefined;
  let depth = 0;
  for (let i = m.index + m[0].length - 1; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      const body = text.slice(0, i).replace(/\s+$/, '');
      const inner = /\n([ \t]+)\S/.exec(text.slice(m.index, i))?.[1] ?? m[1] + '    ';
      return { insertAt: body.length, indentation: inner };
    }
    // Skip strings, chars and comments so their braces do not count.
    else if (c === '"') { i++; while (i < text.length && text[i] !== '"') { if (text[i] === '\\') i++; i++; } }
    else if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; }
  }
  return undefined;
}
