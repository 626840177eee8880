import * as assert from 'assert';
import { languageDisplayName, languageNamesFrom } from '../../../src/vscode/languageNames';

describe('language display names', () => {
  const names = languageNamesFrom([
    { id: 'typescript', aliases: ['TypeScript', 'ts', 'typescript'] },
    { id: 'cpp', aliases: ['C++', 'Cpp', 'cpp'] },
    // A second contribution for an id (e.g. a grammar extension) does not rename it.
    { id: 'typescript', aliases: ['TS (other extension)'] },
    { id: 'jsonc', aliases: ['', '  JSON with Comments '] },
    { id: 'noalias' },
    { id: 42, aliases: ['not an id'] },
  ]);

  it('takes the first alias of the first extension that names the language', () => {
    assert.strictEqual(languageDisplayName('typescript', names), 'TypeScript');
    assert.strictEqual(languageDisplayName('cpp', names), 'C++');
    assert.strictEqual(languageDisplayName('jsonc', names), 'JSON with Comments');
  });

  it('capitalises an id no extension names', () => {
    assert.strictEqual(languageDisplayName('noalias', names), 'Noalias');
    assert.strictEqual(languageDisplayName('zig', names), 'Zig');
    assert.strictEqual(names.size, 3);
  });
});
