// How a generated function fits the file it lands in: `export` where the file's other top-level functions are
// exported (JavaScript/TypeScript; `pub` in Rust; `public` where a Java class's methods are), `async` where the comment asks for it or the signature says so,
// and the file's own indentation step (tabs, or its width) inside the body. Also repairs the model repeating the
// declaration start we seeded the prompt with ("def def area", "function function add", "fn fn", "func func").
import type { FoundComment } from './comments';
import type { CommandLanguage } from './languageRules';
import { guessIndentation } from '../text/indentation';

export interface FunctionStyle {
  /** Declare it exported (`export` / `pub`), like its neighbours. */
  exported: boolean;
  /** Declare it `async`. */
  async: boolean;
  /** One indentation step in this file: '\t', or a run of spaces. */
  indentUnit: string;
}

export const PLAIN_STYLE: FunctionStyle = { exported: false, async: false, indentUnit: '    ' };

const isJs = (language: CommandLanguage) => language === 'javascript' || language === 'typescript' || language === 'tsx';

/** The style a new function gets in `text`, described by `comment`. */
export function functionStyle(language: CommandLanguage, text: string, comment: FoundComment): FunctionStyle {
  const topLevel = !comment.inClass && comment.indentation === '';
  const exported = language === 'java' ? comment.inClass && javaMethodsPublic(text, comment.indentation) : topLevel && neighboursExported(language, text);
  return {
    exported,
    async: asksForAsync(language, comment),
    indentUnit: detectIndentUnit(text, language),
  };
}

/**
 * True when most top-level functions of the file are exported (or, with no functions yet, most top-level
 * declarations). Only JavaScript/TypeScript (`export`) and Rust (`pub`) say so with a keyword.
 */
export function neighboursExported(language: CommandLanguage, text: string): boolean {
  let exported = 0;
  let plain = 0;
  let exportedDecls = 0;
  let plainDecls = 0;
  for (const line of text.split('\n')) {
    if (isJs(language)) {
      const m = /^(export\s+(?:default\s+)?)?(?:declare\s+)?(?:(async\s+)?function\b|(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*(?:async\b|function\b|\([^)]*\)\s*(?::[^=]+)?=>|[\w$]+\s*=>)|(class|interface|type|enum|const|let|var|abstract)\b)/.exec(line);
      if (!m) continue;
      const isFunction = m[3] === undefined;
      if (isFunction) m[1] ? exported++ : plain++;
      else m[1] ? exportedDecls++ : plainDecls++;
    } else if (language === 'rust') {
      const m = /^(pub(?:\([^)]*\))?\s+)?(?:(?:const|async|unsafe)\s+)*(fn|struct|enum|trait|type|const|static|mod)\b/.exec(line);
      if (!m || m[2] === 'mod') continue;
      if (m[2] === 'fn') m[1] ? exported++ : plain++;
      else m[1] ? exportedDecls++ : plainDecls++;
    }
  }
  if (exported + plain > 0) return exported > plain;
  return exportedDecls > plainDecls;
}

/** Java: most methods declared at `indentation` (the class body the new one joins) are public. */
export function javaMethodsPublic(text: string, indentation: string): boolean {
  let publicCount = 0;
  let other = 0;
  const head = /^((?:(?:public|protected|private|static|final|abstract|synchronized)\s+)*)(?:<[^>]*>\s*)?[\w.<>[\], ?]+\s+\w+\s*\([^;]*$/;
  for (const line of text.split('\n')) {
    if (!line.startsWith(indentation) || /^\s/.test(line.slice(indentation.length))) continue;
    const m = head.exec(line.slice(indentation.length));
    if (!m || /^(return|new|throw|else)\b/.test(line.slice(indentation.length))) continue;
    /\bpublic\b/.test(m[1]) ? publicCount++ : other++;
  }
  return publicCount > other;
}

/** The comment asks for an asynchronous function, or the signature it gives is async or returns a promise/future. */
export function asksForAsync(language: CommandLanguage, comment: FoundComment): boolean {
  if (language === 'go' || language === 'java') return false;
  const sig = comment.signature;
  if (sig && /(^|\s)async\s/.test(sig.text)) return true;
  if (sig && isJs(language) && /\)\s*:\s*Promise\s*</.test(sig.text)) return true;
  // A TypeScript signature that returns something else cannot be async.
  if (sig?.explicit && isJs(language) && /\)\s*:\s*\S/.test(sig.text)) return false;
  const prose = sig ? comment.text.replace(sig.text, ' ') : comment.text;
  return /\b(async|asynchronous(ly)?|await(s|ing)?|coroutine)\b/i.test(prose) || (isJs(language) && /\b(returns?|resolv\w*)\s+(a|the|with\s+a)?\s*promise\b/i.test(prose));
}

/** The file's indentation step (text/indentation's guess); files without indented lines get the language's usual step. */
export function detectIndentUnit(text: string, language?: CommandLanguage): string {
  const style = guessIndentation(text.split('\n'));
  if (style) return style.tabs ? '\t' : ' '.repeat(style.width);
  if (language === 'go') return '\t';
  return language && isJs(language) ? '  ' : '    ';
}

const ACCESS = ['public', 'protected', 'private'];

/** Keywords that may open a declaration, before its name, per language. */
const HEAD_KEYWORDS: Record<CommandLanguage, string[]> = {
  python: ['async', 'def'],
  javascript: ['export', 'default', 'async', 'function', 'function*', 'static'],
  typescript: ['export', 'default', 'async', 'function', 'function*', 'static', 'public', 'private', 'protected', 'declare'],
  tsx: ['export', 'default', 'async', 'function', 'function*', 'static', 'public', 'private', 'protected', 'declare'],
  go: ['func'],
  java: ['public', 'private', 'protected', 'static', 'final', 'abstract', 'synchronized'],
  rust: ['pub', 'pub(crate)', 'pub(super)', 'const', 'async', 'unsafe', 'extern', 'fn'],
};

/** The declaration keywords `text` opens with, and what follows them. */
function splitHead(language: CommandLanguage, text: string): { keywords: string[]; rest: string } {
  const keywords: string[] = [];
  let rest = text;
  for (;;) {
    const m = /^[ \t]*(pub\([a-z]+\)|function\*|[A-Za-z]+)(?=\s|$)/.exec(rest);
    if (!m || !HEAD_KEYWORDS[language].includes(m[1])) return { keywords, rest: rest.replace(/^[ \t]+/, '') };
    keywords.push(m[1]);
    rest = rest.slice(m[0].length);
  }
}

/**
 * The seeded start plus the model's continuation, with a repeated start taken out: when the continuation opens
 * with the seed itself ("def area" after "def "), or restates the declaration keywords around the seed's
 * last one ("async def area" after "def ", "pub fn" after "fn "), the declaration head is written once.
 */
export function joinSeed(language: CommandLanguage, seed: string, output: string): string {
  const trimmedSeed = seed.trim();
  if (!trimmedSeed) return seed + output;
  const out = output.replace(/^\s+/, '');
  if (out.startsWith(trimmedSeed) && !(/\w$/.test(trimmedSeed) && /^\w/.test(out.slice(trimmedSeed.length)))) {
    return seed + out.slice(trimmedSeed.length).replace(/^[ \t]+/, seed.endsWith(' ') ? '' : '$&');
  }
  const seedHead = splitHead(language, seed);
  const outHead = splitHead(language, out);
  // A seeded Java access modifier gives way to the one the model chose ("public " + "private int x()").
  if (language === 'java' && !seedHead.rest && outHead.keywords.some(k => ACCESS.includes(k))) return out;
  const last = seedHead.keywords[seedHead.keywords.length - 1];
  if (!last || !outHead.keywords.includes(last)) return seed + output;
  // The model's head replaces ours, keeping the seed's rest (a name or parameters) only when it restates it.
  if (seedHead.rest && !outHead.rest.startsWith(seedHead.rest)) return seed + output;
  const missing = seedHead.keywords.filter(k => !outHead.keywords.includes(k));
  return [...missing, out].join(' ');
}

/**
 * Adds `export`/`pub` and `async` to the head of `code` (a whole function) where the style asks for them and the
 * head lacks them. Methods in a class are never exported.
 */
export function withStyleKeywords(language: CommandLanguage, code: string, style: FunctionStyle, inClass: boolean): string {
  const { keywords, rest } = splitHead(language, code);
  const lead = /^[ \t]*/.exec(code)![0];
  const words = [...keywords];
  const exportWord = language === 'rust' ? 'pub' : isJs(language) ? 'export' : language === 'java' ? 'public' : undefined;
  const exportable = declares(language, words, rest) || (isJs(language) && words.length === 0 && /^(const|let)\s/.test(rest));
  // Java's `public` is for methods (in a class); export/pub for top-level functions.
  const placeFits = language === 'java' ? inClass : !inClass;
  const hasVisibility = words.some(w => w === exportWord || w.startsWith('pub(') || (language === 'java' && ACCESS.includes(w)));
  if (style.exported && placeFits && exportWord && !hasVisibility && exportable) words.unshift(exportWord);
  if (style.async && !words.includes('async') && language !== 'go' && language !== 'java' && declares(language, words, rest, inClass)) {
    words.splice(asyncPosition(words), 0, 'async');
  }
  if (words.length === keywords.length) return code;
  return lead + [...words, rest].join(' ');
}

/** The head really is a function declaration (not a const, a class, a call). */
function declares(language: CommandLanguage, words: string[], rest: string, inClass = false): boolean {
  if (language === 'python') return words.includes('def');
  if (language === 'rust') return words.includes('fn');
  if (isJs(language)) return words.includes('function') || words.includes('function*') || (inClass && /^[#\w$]+\s*[(<]/.test(rest));
  // Java: a method head (a return type, a name, a parameter list) or a constructor.
  if (language === 'java') return /^(?:<[^>]*>\s*)?[\w.<>[\], ?]+\s+\w+\s*\(|^[A-Z]\w*\s*\(/.test(rest);
  return false;
}

/** Where `async` goes among the head's keywords: before `def`/`function`/`fn`, after export and modifiers. */
function asyncPosition(words: string[]): number {
  const anchor = words.findIndex(w => w === 'def' || w === 'function' || w === 'function*' || w === 'fn' || w === 'unsafe' || w === 'extern');
  return anchor === -1 ? words.length : anchor;
}

/**
 * Re-indents a function's body from the step the model used to the file's: each line's indentation beyond
 * `base` is counted in the model's steps (tabs, or the width of the first indented line) and written in
 * `unit`. Lines that continue an open ( or [ keep their place relative to the line that opened it: aligned
 * arguments stay aligned, a hanging indent is converted like a block. The first line sits after the insertion
 * point and is left as it is.
 */
export function reindentToUnit(code: string, base: string, unit: string): string {
  const lines = code.split('\n');
  const extra = (line: string) => (line.trim() && line.startsWith(base) ? /^[ \t]*/.exec(line.slice(base.length))![0] : undefined);
  const first = firstBlockIndent(lines, extra);
  if (!first) return code;
  const modelUnit = first.startsWith('\t') ? '\t' : first;
  if (modelUnit === unit) return code;
  const convert = (lead: string) => convertLead(lead, modelUnit, unit);
  let depth = 0;
  let opener: { oldLead: string; newLead: string; hanging: boolean } | undefined;
  return lines
    .map((line, i) => {
      const lead = extra(line);
      let out = line;
      if (i > 0 && lead !== undefined) {
        const rel = opener && depth > 0 && lead.startsWith(opener.oldLead) ? lead.slice(opener.oldLead.length) : undefined;
        const newLead = rel !== undefined ? opener!.newLead + (opener!.hanging ? convert(rel) : rel) : convert(lead);
        out = base + newLead + line.slice(base.length + lead.length);
      }
      const before = depth;
      depth = Math.max(0, depth + bracketBalance(line));
      if (before === 0 && depth > 0) {
        const oldLead = i === 0 ? '' : lead ?? '';
        opener = { oldLead, newLead: i === 0 || lead === undefined ? oldLead : convert(oldLead), hanging: /[([]\s*$/.test(line) };
      }
      return out;
    })
    .join('\n');
}

/** The indentation (beyond the base) of the first line that opens a block level, not one continuing a bracket. */
function firstBlockIndent(lines: string[], extra: (line: string) => string | undefined): string | undefined {
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const lead = extra(lines[i]);
    if (i > 0 && depth === 0 && lead) return lead;
    depth = Math.max(0, depth + bracketBalance(lines[i]));
  }
  return undefined;
}

/** Opened minus closed round and square brackets on a line. */
function bracketBalance(line: string): number {
  return (line.match(/[([]/g)?.length ?? 0) - (line.match(/[)\]]/g)?.length ?? 0);
}

/** One line's indentation counted in `from` steps and written in `to` steps; a remainder stays as spaces. */
function convertLead(lead: string, from: string, to: string): string {
  const tabs = /^\t*/.exec(lead)![0].length;
  const spaces = lead.slice(tabs).replace(/\t/g, ' '.repeat(from === '\t' ? 4 : from.length)).length;
  const levels = from === '\t' ? tabs : tabs + Math.floor(spaces / from.length);
  const left = from === '\t' ? spaces : spaces % from.length;
  return to.repeat(levels) + ' '.repeat(left);
}
