// Comment syntax per VS Code language id, for putting related snippets into a prompt as comments (for model
// families without repo-level tokens) so the model reads them as context rather than code to continue.

export interface CommentSyntax {
  /** Line comment marker ("//", "#", "--", ...). */
  line?: string;
  /** Block comment delimiters, for languages without line comments. */
  block?: [string, string];
}

const HASH = ['python', 'ruby', 'perl', 'shellscript', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'elixir', 'julia', 'coffeescript', 'nim', 'crystal', 'graphql', 'properties', 'ini', 'cmake', 'starlark', 'nix', 'tcl', 'gdscript', 'raku', 'dotenv', 'ignore', 'jsonnet-hash'];
const SLASH = ['c', 'cpp', 'cuda-cpp', 'csharp', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'rust', 'swift', 'kotlin', 'scala', 'dart', 'php', 'objective-c', 'objective-cpp', 'groovy', 'fsharp', 'zig', 'solidity', 'proto', 'proto3', 'jsonc', 'json5', 'less', 'scss', 'sass', 'hlsl', 'glsl', 'wgsl', 'v', 'odin', 'd', 'haxe', 'apex', 'verilog', 'systemverilog', 'jsonnet', 'typst', 'qml'];
const DASH = ['sql', 'lua', 'haskell', 'elm', 'ada', 'vhdl', 'purescript', 'agda', 'idris', 'plsql', 'applescript'];
const SEMI = ['lisp', 'clojure', 'scheme', 'racket', 'commonlisp', 'elisp', 'fennel', 'ini-semicolon', 'asm', 'nasm'];
const PERCENT = ['erlang', 'latex', 'tex', 'bibtex', 'matlab', 'octave', 'prolog'];

const TABLE: Record<string, CommentSyntax> = {
  ...Object.fromEntries(HASH.map(id => [id, { line: '#' }])),
  ...Object.fromEntries(SLASH.map(id => [id, { line: '//' }])),
  ...Object.fromEntries(DASH.map(id => [id, { line: '--' }])),
  ...Object.fromEntries(SEMI.map(id => [id, { line: ';;' }])),
  ...Object.fromEntries(PERCENT.map(id => [id, { line: '%' }])),
  vb: { line: "'" },
  bat: { line: 'REM' },
  fortran: { line: '!' },
  'fortran-modern': { line: '!' },
  vim: { line: '"' },
  html: { block: ['<!--', '-->'] },
  xml: { block: ['<!--', '-->'] },
  xsl: { block: ['<!--', '-->'] },
  svg: { block: ['<!--', '-->'] },
  markdown: { block: ['<!--', '-->'] },
  vue: { block: ['<!--', '-->'] },
  svelte: { block: ['<!--', '-->'] },
  astro: { block: ['<!--', '-->'] },
  razor: { block: ['@*', '*@'] },
  handlebars: { block: ['{{!--', '--}}'] },
  css: { block: ['/*', '*/'] },
  json: { block: ['/*', '*/'] },
  ocaml: { block: ['(*', '*)'] },
  pascal: { block: ['{', '}'] },
};

/** The comment syntax for a language id; unknown languages get `//`, the most common marker. */
export function commentSyntax(languageId: string): CommentSyntax {
  return TABLE[languageId] ?? { line: '//' };
}

/** Turns `text` into comment lines of `languageId` (every line commented, so no line reads as code). */
export function commentOut(text: string, languageId: string): string {
  const syntax = commentSyntax(languageId);
  const lines = text.replace(/\n$/, '').split('\n');
  if (syntax.line) {
    const mark = syntax.line;
    return lines.map(l => (l.length ? `${mark} ${l}` : mark)).join('\n') + '\n';
  }
  const [open, close] = syntax.block!;
  // Keep the block intact even if the snippet itself contains the closing delimiter.
  const body = lines.join('\n').split(close).join(close.split('').join(' '));
  return `${open}\n${body}\n${close}\n`;
}
