// Golden cases (run by golden.test.ts and streaming.test.ts): test/fixtures/golden/<language>/<case>.txt, each a document with a cursor marker, a raw
// model output and the suggestion expected from the post-processor, run the way the editor runs them. Format:
//
//   # what the case shows (free text, lines starting with #)
//   === code          the document; ┃ marks the cursor
//   === output        the raw model output
//   === expected      the suggestion in the editor's mode: `multiline` as the engine decides it here
//                     (decideMultiline, called as the engine calls it)
//   === multiline     optional: true / false, the engine's decision here, checked (says which mode the case is in)
//   === expected-cli  optional: the case also runs in the syntax-only mode (`multiline` not given, what
//                     `cli.js postprocess` does for a line without it) and gives this text there
//   === rules         optional: the rules that fire in the editor's mode (processDetailed().rules), in order,
//                     space-separated; `none` for none
//
// A section's text ends before the next "=== " line; its last line break is not part of it. "⏎" at the end
// of a line stands for a line break that ends the text, "·" for a trailing space.
//
// Every case also runs on its CRLF twin (a Windows file): the document with CRLF line ends and the model's
// output with LF (most models) and with CRLF; the suggestion must be the same with CRLF line ends, by the same
// rules.
import * as fs from 'fs';
import * as path from 'path';
import { decideMultiline } from '../../../src/decisions';

const ROOT = path.resolve(__dirname, '../../../../test/fixtures/golden');
const CURSOR = '┃';

export interface GoldenCase {
  file: string;
  languageId: string;
  prefix: string;
  suffix: string;
  output: string;
  expected: string;
  /** The engine's decision the case states (checked against decideMultiline). */
  multiline?: boolean;
  /** The suggestion in the syntax-only mode, where the case names that mode. */
  expectedCli?: string;
  rules?: string[];
}

function decode(text: string): string {
  return text.replace(/·/g, ' ').replace(/⏎/g, '\n');
}

export function parseGolden(file: string, languageId: string, text: string): GoldenCase {
  const sections = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (current) sections.set(current, decode(lines.join('\n')));
  };
  for (const line of text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n')) {
    const header = /^=== ([\w-]+)\s*$/.exec(line);
    if (header) {
      flush();
      current = header[1];
      if (!['code', 'output', 'expected', 'multiline', 'expected-cli', 'rules'].includes(current)) throw new Error(`${file}: unknown section ${current}`);
      lines = [];
    } else if (current) lines.push(line);
  }
  flush();
  const code = sections.get('code');
  const output = sections.get('output');
  const expected = sections.get('expected');
  if (code === undefined || output === undefined || expected === undefined) throw new Error(`${file}: needs code, output and expected sections`);
  const at = code.indexOf(CURSOR);
  if (at < 0 || code.indexOf(CURSOR, at + 1) >= 0) throw new Error(`${file}: needs exactly one cursor marker ${CURSOR}`);
  const multiline = sections.get('multiline')?.trim();
  const rules = sections.get('rules')?.trim();
  return {
    file,
    languageId,
    prefix: code.slice(0, at),
    suffix: code.slice(at + 1),
    output,
    expected,
    multiline: multiline === undefined ? undefined : multiline === 'true',
    expectedCli: sections.get('expected-cli'),
    rules: rules === undefined ? undefined : rules === 'none' ? [] : rules.split(/\s+/),
  };
}

export function loadGoldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const languageId of fs.readdirSync(ROOT).sort()) {
    const dir = path.join(ROOT, languageId);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.txt')) continue;
      const file = path.join(languageId, name);
      cases.push(parseGolden(file, languageId, fs.readFileSync(path.join(dir, name), 'utf8')));
    }
  }
  return cases;
}

/** The multi-line decision the engine makes for this document and cursor (as multilineAt calls it). */
export function engineMultiline(c: Pick<GoldenCase, 'languageId' | 'prefix' | 'suffix'>): boolean {
  return decideMultiline({ languageId: c.languageId, prefix: c.prefix, suffix: c.suffix });
}
