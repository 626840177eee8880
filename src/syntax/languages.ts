// Which tree-sitter grammar serves which VS Code language id. The .wasm files are copied into grammars/
// by `npm run grammars` (see grammars/build.mjs) from the npm packages recorded in grammars/PROVENANCE.json.

const GRAMMAR_BY_LANGUAGE: Record<string, string> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  java: 'java',
  go: 'go',
  rust: 'rust',
  c: 'c',
  cpp: 'cpp',
  csharp: 'c_sharp',
  ruby: 'ruby',
  php: 'php',
  shellscript: 'bash',
  json: 'json',
  jsonc: 'json',
};

/** The grammar name ("tsx", "c_sharp", ...) for a VS Code language id, or undefined when we have none. */
export function grammarFor(languageId: string): string | undefined {
  return GRAMMAR_BY_LANGUAGE[languageId];
}

export function supportedLanguageIds(): string[] {
  return Object.keys(GRAMMAR_BY_LANGUAGE);
}
