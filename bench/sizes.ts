// Size check for the code under src/: files over 400 lines, functions over 80 (STYLE.md "Sizes to aim at") and
// functions taking more than three positional parameters (STYLE.md: those become an options object).
// A function's lines are counted from its first to its last line, nested functions included (a closure that
// holds a module's worth of inner functions is what this is meant to catch).
//
//   npx tsc -p . && node out/bench/sizes.js [--max-file 400] [--max-function 80] [--max-params 3]
//
// Prints every finding; exits 1 when a file or function is over its size (parameter counts are advice).
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export interface Oversize {
  file: string;
  /** Undefined for the file itself. */
  name?: string;
  line: number;
  lines: number;
  /** Set when the finding is the parameter count. */
  params?: number;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '(anonymous)';
}

/** The files and functions of one source text over the limits. */
export function oversizes(file: string, text: string, limits: { maxFile: number; maxFunction: number; maxParams: number }): Oversize[] {
  const { maxFile, maxFunction, maxParams } = limits;
  const found: Oversize[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const fileLines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (fileLines > maxFile) found.push({ file, line: 1, lines: fileLines });
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = lineOf(node.getStart(source));
      const lines = lineOf(node.getEnd()) - start + 1;
      if (lines > maxFunction) found.push({ file, name: functionName(node), line: start, lines });
      const params = (node as ts.FunctionLikeDeclaration).parameters.length;
      if (params > maxParams) found.push({ file, name: functionName(node), line: start, lines, params });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const maxFile = option('--max-file', 400);
  const maxFunction = option('--max-function', 80);
  const maxParams = option('--max-params', 3);
  const root = path.resolve(__dirname, '../..');
  const all = sourceFiles(path.join(root, 'src'))
    .flatMap(f => oversizes(path.relative(root, f), fs.readFileSync(f, 'utf8'), { maxFile, maxFunction, maxParams }));
  for (const o of all) {
    console.log(o.name === undefined ? `${o.file}: ${o.lines} lines (file limit ${maxFile})`
      : o.params !== undefined ? `${o.file}:${o.line} ${o.name}: ${o.params} parameters (limit ${maxParams})`
        : `${o.file}:${o.line} ${o.name}: ${o.lines} lines (function limit ${maxFunction})`);
  }
  console.log(all.length ? `${all.length} over the limits`
    : `no file over ${maxFile} lines, no function over ${maxFunction} lines or ${maxParams} parameters`);
  if (all.some(o => o.params === undefined)) process.exitCode = 1;
}

if (require.main === module) main();
