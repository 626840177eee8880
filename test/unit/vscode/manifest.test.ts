// package.json as the Marketplace and VS Code 1.100 read it: categories, the Alt+\ binding, no made-up URLs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));

/** The categories VS Code 1.100.3 accepts (its extension manifest schema; others are flagged as unknown). */
const VSCODE_1_100_CATEGORIES = [
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Extension Packs', 'Education', 'Formatters', 'Keymaps',
  'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Programming Languages', 'SCM Providers', 'Snippets',
  'Testing', 'Themes', 'Visualization', 'Other',
];

describe('package.json manifest', () => {
  it('uses categories VS Code 1.100 knows and that fit a code-completion extension', () => {
    for (const category of pkg.categories) assert.ok(VSCODE_1_100_CATEGORIES.includes(category), category);
    assert.ok(pkg.categories.includes('AI'));
    // Infill contributes no language support (grammar, language server): that category would mislead.
    assert.ok(!pkg.categories.includes('Programming Languages'));
  });

  it('binds Alt+\\ to the inline-suggestion trigger while an editor has focus and shows no suggestion', () => {
    const binding = pkg.contributes.keybindings.find((b: { command: string }) => b.command === 'editor.action.inlineSuggest.trigger');
    assert.deepStrictEqual(binding, {
      command: 'editor.action.inlineSuggest.trigger',
      key: 'alt+\\',
      when: 'editorTextFocus && !editorReadonly && !inlineSuggestionVisible',
    });
  });

  it('puts no backticks in plain-text fields (VS Code would show them literally)', () => {
    const plain: string[] = [];
    for (const [name, prop] of Object.entries<Record<string, unknown>>(pkg.contributes.configuration.properties)) {
      for (const field of ['description', 'enumDescriptions', 'patternErrorMessage']) {
        for (const text of ([] as unknown[]).concat(prop[field] ?? [])) plain.push(`${name}.${field}: ${String(text)}`);
      }
    }
    for (const command of pkg.contributes.commands) plain.push(`${command.command}.title: ${command.title}`);
    assert.deepStrictEqual(plain.filter(text => text.includes('`')), []);
  });

  it('names no made-up repository URL', () => {
    const url: string | undefined = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    if (url !== undefined) assert.doesNotMatch(url, /\.invalid\b|example\./);
    assert.match(pkg.scripts.package, /--allow-missing-repository/, 'packaging does not stop to ask about it');
  });
});
