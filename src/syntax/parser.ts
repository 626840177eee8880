// Lazy loading of web-tree-sitter and its grammars. Every stage that needs a syntax tree goes through here,
// so each grammar is loaded once per process and a missing grammar is a quiet `undefined`, never a throw.
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { grammarFor } from './languages';

let grammarDir: string | undefined;
let runtimeInit: Promise<void> | undefined;
const languages = new Map<string, Promise<Language | undefined>>();
const parsers = new Map<string, Parser>();

/**
 * Where the grammar .wasm files are. The extension passes `<extensionPath>/grammars`; otherwise we look
 * upwards from this file (dist/, out/src/syntax/, src/syntax/) for a folder named grammars with the files.
 */
export function setGrammarDirectory(dir: string): void {
  grammarDir = dir;
}

export function grammarDirectory(): string {
  if (grammarDir) return grammarDir;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'grammars');
    if (fs.existsSync(path.join(candidate, 'tree-sitter-python.wasm'))) return (grammarDir = candidate);
    dir = path.dirname(dir);
  }
  throw new Error(`Infill: no grammars folder found above ${__dirname}; run "npm run grammars"`);
}

function initRuntime(): Promise<void> {
  // web-tree-sitter.wasm sits in grammars/ too, so the bundled extension and the CLI find it the same way.
  runtimeInit ??= Parser.init({
    locateFile: (name: string) => path.join(grammarDirectory(), name),
  });
  return runtimeInit;
}

/** The tree-sitter Language for a VS Code language id; undefined when there is no grammar for it. */
export function loadLanguage(languageId: string): Promise<Language | undefined> {
  const grammar = grammarFor(languageId);
  if (!grammar) return Promise.resolve(undefined);
  let pending = languages.get(grammar);
  if (!pending) {
    pending = (async () => {
      await initRuntime();
      const file = path.join(grammarDirectory(), `tree-sitter-${grammar}.wasm`);
      return Language.load(await fs.promises.readFile(file));
    })();
    // A failed load is remembered as undefined: the caller falls back to indentation rules.
    pending = pending.catch(() => undefined);
    languages.set(grammar, pending);
  }
  return pending;
}

/** A parser for the language, shared per grammar (parsing is synchronous, so sharing is safe). */
export async function getParser(languageId: string): Promise<Parser | undefined> {
  const grammar = grammarFor(languageId);
  const language = await loadLanguage(languageId);
  if (!grammar || !language) return undefined;
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(grammar, parser);
  }
  return parser;
}

/** Parses text once; undefined when the language has no grammar. The caller must `tree.delete()` it. */
export async function parseText(languageId: string, text: string, previous?: Tree): Promise<Tree | undefined> {
  const parser = await getParser(languageId);
  return parser?.parse(text, previous) ?? undefined;
}
