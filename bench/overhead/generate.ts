// Generated TypeScript workspaces for the overhead bench: a main file of N lines importing from 20 other files
// that stand for the open tabs. Seeded, so every run measures the same code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../replay/typist';

const NOUNS = ['order', 'item', 'user', 'account', 'invoice', 'widget', 'shape', 'route', 'token', 'buffer', 'record', 'queue',
  'matrix', 'vector', 'session', 'ledger', 'sensor', 'packet', 'frame', 'cursor', 'option', 'filter', 'parser', 'store'];
const VERBS = ['compute', 'render', 'validate', 'parse', 'merge', 'load', 'save', 'resolve', 'format', 'update', 'collect', 'build'];

function cap(s: string): string { return s[0].toUpperCase() + s.slice(1); }

/** One module of about `lines` lines: interfaces, functions with loops and branches, a class. */
export function generateModule(lines: number, seed: number, imports: { from: string; names: string[] }[] = []): { text: string; exports: string[] } {
  const random = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const out: string[] = [];
  const exports: string[] = [];
  for (const imp of imports) out.push(`import { ${imp.names.join(', ')} } from './${imp.from}';`);
  out.push('');
  const used = imports.flatMap(i => i.names).filter(n => /^[a-z]/.test(n));
  let k = 0;
  while (out.length < lines) {
    const noun = pick(NOUNS), verb = pick(VERBS), n = `${seed % 1000}_${k++}`;
    const type = `${cap(noun)}${n}`;
    const fn = `${verb}${cap(noun)}${n}`;
    exports.push(type, fn);
    out.push(
      `export interface ${type} {`,
      `  id: number;`,
      `  name: string;`,
      `  weight: number;`,
      `  tags: string[];`,
      `}`,
      '',
      `/** ${cap(verb)}s every ${noun} above the threshold and returns the weighted total. */`,
      `export function ${fn}(items: ${type}[], threshold: number): number {`,
      `  let total = 0;`,
      `  for (const ${noun} of items) {`,
      `    if (${noun}.weight > threshold && ${noun}.tags.includes('${pick(NOUNS)}')) {`,
      `      total += ${noun}.weight * ${(1 + random() * 3).toFixed(2)};`,
      `    } else if (${noun}.name.startsWith('${pick(NOUNS).slice(0, 3)}')) {`,
      `      total -= ${used.length ? `${pick(used)}.length` : `${noun}.id`};`,
      `    }`,
      `  }`,
      `  return Math.round(total * 100) / 100;`,
      `}`,
      '',
    );
    if (k % 4 === 0) {
      out.push(
        `export class ${type}Store {`,
        `  private readonly entries = new Map<number, ${type}>();`,
        '',
        `  add(entry: ${type}): void {`,
        `    this.entries.set(entry.id, entry);`,
        `  }`,
        '',
        `  total(threshold: number): number {`,
        `    return ${fn}([...this.entries.values()], threshold);`,
        `  }`,
        `}`,
        '',
      );
      exports.push(`${type}Store`);
    }
  }
  return { text: out.slice(0, lines).join('\n') + '\n', exports };
}

export interface OverheadWorkspace {
  root: string;
  mainPath: string;
  mainText: string;
  tabPaths: string[];
}

/** Writes (once) a workspace with a main file of `lines` lines and `tabs` other files, 300–1500 lines each. */
export function ensureWorkspace(dir: string, lines: number, tabs: number): OverheadWorkspace {
  const root = path.join(dir, `ws-${lines}-${tabs}`);
  const mainPath = path.join(root, 'src', 'main.ts');
  const tabPaths = Array.from({ length: tabs }, (_, i) => path.join(root, 'src', `tab${String(i).padStart(2, '0')}.ts`));
  if (!fs.existsSync(mainPath)) {
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    const tabExports: string[][] = [];
    tabPaths.forEach((p, i) => {
      const m = generateModule(300 + ((i * 397) % 1200), 101 + i);
      tabExports.push(m.exports);
      fs.writeFileSync(p, m.text);
    });
    const imports = tabPaths.slice(0, 8).map((p, i) => ({
      from: path.basename(p, '.ts'),
      names: tabExports[i].filter((_, j) => j % 7 === 0).slice(0, 4),
    }));
    fs.writeFileSync(mainPath, generateModule(lines, 7, imports).text);
  }
  return { root, mainPath, mainText: fs.readFileSync(mainPath, 'utf8'), tabPaths };
}
