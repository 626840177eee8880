// The pipeline stages the replay and the overhead bench drive: the project's real ones (template, post-processor,
// multi-line decision). Each is looked up at run time so the bench still runs, and says so, while a stage is
// missing; the report names which implementation ran.
import * as path from 'node:path';
import type { Postprocessor, PostprocessInput } from '../../src/postprocess/types';
import type { FimTemplate, PromptInput } from '../../src/prompt/types';

export interface PipelineParts {
  template: FimTemplate;
  postprocessor: Postprocessor;
  decideMultiline(input: { languageId: string; prefix: string; suffix: string }): boolean;
  /** 'real' or 'fallback' for each stage, for the report. */
  provenance: { template: string; postprocessor: string; multiline: string };
}

const SRC = path.resolve(__dirname, '..', '..', 'src');

function tryRequire(rel: string): Record<string, unknown> | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(SRC, rel)) as Record<string, unknown>;
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

function findExport<T>(modules: string[], names: string[]): { value: T; where: string } | undefined {
  for (const m of modules) {
    const mod = tryRequire(m);
    if (!mod) continue;
    for (const n of names) if (typeof mod[n] === 'function' || (mod[n] && typeof mod[n] === 'object')) return { value: mod[n] as T, where: `src/${m}#${n}` };
  }
  return undefined;
}

/** StarCoder's FIM layout (prefix-suffix-middle): used only when src/prompt/templates is missing. */
const fallbackStarcoder: FimTemplate = {
  family: 'starcoder',
  description: 'bench fallback',
  build: (i: PromptInput) => `${i.snippets.map(s => `<file_sep>${s.relativePath}\n${s.content}\n`).join('')}<fim_prefix>${i.prefix}<fim_suffix>${i.suffix}<fim_middle>`,
  stop: ['<|endoftext|>', '<file_sep>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
};

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;

/** Indentation-scope cut: used only when src/postprocess is missing. */
const fallbackPostprocessor: Postprocessor = {
  async process(input: PostprocessInput) { return cutByIndent(input).text; },
  async isComplete(input: PostprocessInput) { return cutByIndent(input).complete; },
};

function cutByIndent(input: PostprocessInput): { text: string; complete: boolean } {
  const multiline = input.multiline ?? false;
  const out = input.output;
  if (!multiline) {
    const nl = out.indexOf('\n');
    return nl >= 0 ? { text: out.slice(0, nl).trimEnd(), complete: true } : { text: out.trimEnd(), complete: false };
  }
  const lines = out.split('\n');
  const curLine = input.prefix.slice(input.prefix.lastIndexOf('\n') + 1);
  const base = curLine.trim() === '' ? curLine.length : indentOf(curLine) + 1;
  for (let i = 1; i < lines.length - 1; i++) {
    if (lines[i].trim() !== '' && indentOf(lines[i]) < base) return { text: lines.slice(0, i).join('\n').trimEnd(), complete: true };
  }
  return { text: out.trimEnd(), complete: false };
}

function fallbackMultiline(input: { prefix: string; suffix: string }): boolean {
  const line = input.prefix.slice(input.prefix.lastIndexOf('\n') + 1);
  const rest = input.suffix.slice(0, Math.max(0, input.suffix.indexOf('\n')));
  return line.trim() === '' && rest.trim() === '';
}

export function loadPipelineParts(family = 'starcoder'): PipelineParts {
  const provenance = { template: 'fallback (bench)', postprocessor: 'fallback (bench, indentation)', multiline: 'fallback (bench)' };

  let template = fallbackStarcoder;
  const templates = findExport<unknown>(['prompt/templates'], ['TEMPLATES', 'templates', 'getTemplate', 'templateFor']);
  if (templates) {
    const t = typeof templates.value === 'function'
      ? (templates.value as (f: string) => FimTemplate | undefined)(family)
      : (templates.value as Record<string, FimTemplate>)[family];
    if (t && typeof t.build === 'function') { template = t; provenance.template = `${templates.where}('${family}')`; }
  }

  let postprocessor = fallbackPostprocessor;
  const create = findExport<() => Postprocessor>(['postprocess/index', 'postprocess/postprocessor', 'postprocess/postprocess'], ['createPostprocessor']);
  if (create) { postprocessor = create.value(); provenance.postprocessor = create.where; }

  let decideMultiline: PipelineParts['decideMultiline'] = fallbackMultiline;
  const multi = findExport<PipelineParts['decideMultiline']>(['decisions/index', 'postprocess/multiline'], ['decideMultiline']);
  if (multi) { decideMultiline = multi.value; provenance.multiline = multi.where; }

  return { template, postprocessor, decideMultiline, provenance };
}
