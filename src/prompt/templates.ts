// FIM prompt templates, one per model family. Token spellings were checked against the GGUF vocabularies in
// /work/shared/models/vocab (StarCoder2: <fim_prefix> <fim_suffix> <fim_middle> <repo_name> <file_sep>
// <|endoftext|>; DeepSeek-Coder: <｜fim▁begin｜> <｜fim▁hole｜> <｜fim▁end｜> <｜end▁of▁sentence｜> <|EOT|>, with
// full-width bars and U+2581) and against the model cards / llama.cpp's repo-level infill layout for the others.
//
// Layout rule, for the server's KV cache: related snippets first (in the order given), then the current file's
// FIM part, and (buildRequest.withPrompt) the cursor line's typed text after the middle token where the prompt
// ends with it. Typing along a line then changes only the tail of the prompt, so the server re-evaluates a few
// tokens instead of the suffix and everything after the cursor. (Codestral's trained form puts the suffix
// first and the prefix last: only its tail changes there too.)
import type { ContextSnippet } from '../context/types';
import { commentOut } from './comments';
import type { FimFamily, FimTemplate, PromptInput } from './types';

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

/**
 * Snippets as comments in the current file's language, each headed by its path, followed by the current
 * file's path: for families without repo-level tokens. Empty when there are no snippets.
 */
export function commentedSnippets(input: PromptInput): string {
  if (!input.snippets.length) return '';
  const blocks = input.snippets.map((s: ContextSnippet) => commentOut(`Path: ${s.relativePath}\n${s.content}`, input.languageId));
  return blocks.join('') + commentOut(`Path: ${input.relativePath}`, input.languageId);
}

/** Qwen2.5-Coder / Qwen3-Coder repo-level form (Qwen2.5-Coder report, also what llama.cpp /infill builds). */
const qwen: FimTemplate = {
  family: 'qwen',
  description: 'Qwen2.5-Coder and Qwen3-Coder (base models; <|fim_prefix|> tokens, <|repo_name|>/<|file_sep|> repo context)',
  build(input) {
    let out = input.repoName ? `<|repo_name|>${input.repoName}\n` : '';
    for (const s of input.snippets) out += `<|file_sep|>${s.relativePath}\n${withNewline(s.content)}`;
    out += `<|file_sep|>${input.relativePath}\n<|fim_prefix|>${input.prefix}<|fim_suffix|>${input.suffix}<|fim_middle|>`;
    return out;
  },
  stop: ['<|endoftext|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|im_start|>', '<|im_end|>'],
  middleLast: true,
};

/** StarCoder2 repo-level FIM form from its paper: the FIM file's path sits right after <fim_prefix>. */
const starcoder: FimTemplate = {
  family: 'starcoder',
  description: 'StarCoder / StarCoder2 (<fim_prefix> tokens; StarCoder2 <repo_name>/<file_sep> repo context)',
  build(input) {
    let out = input.repoName ? `<repo_name>${input.repoName}` : '';
    for (const s of input.snippets) out += `<file_sep>${s.relativePath}\n${withNewline(s.content)}`;
    out += `<file_sep><fim_prefix>${input.relativePath}\n${input.prefix}<fim_suffix>${input.suffix}<fim_middle>`;
    return out;
  },
  stop: ['<|endoftext|>', '<file_sep>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<fim_pad>', '<repo_name>'],
  middleLast: true,
};

/** CodeLlama infilling: `<PRE> prefix <SUF>suffix <MID>` (the spaces are part of the trained format). */
const codellama: FimTemplate = {
  family: 'codellama',
  description: 'CodeLlama (code/base models; <PRE> <SUF> <MID>, snippets as comments)',
  build(input) {
    return `<PRE> ${commentedSnippets(input)}${input.prefix} <SUF>${input.suffix} <MID>`;
  },
  stop: ['<EOT>', '<PRE>', '<SUF>', '<MID>', '</s>'],
  middleLast: true,
};

/** DeepSeek-Coder v1 and DeepSeek-Coder-V2 share these FIM tokens. */
const deepseek: FimTemplate = {
  family: 'deepseek',
  description: 'DeepSeek-Coder v1 and V2 (base models; <｜fim▁begin｜> tokens, snippets as comments)',
  build(input) {
    return `<｜fim▁begin｜>${commentedSnippets(input)}${input.prefix}<｜fim▁hole｜>${input.suffix}<｜fim▁end｜>`;
  },
  stop: ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<｜end▁of▁sentence｜>', '<|EOT|>'],
  middleLast: true,
};

/** CodeGemma: <|file_separator|> separates the files of a multi-file context. */
const codegemma: FimTemplate = {
  family: 'codegemma',
  description: 'CodeGemma 2B / 7B (pretrained; <|fim_prefix|> tokens, <|file_separator|> between files)',
  build(input) {
    let out = '';
    for (const s of input.snippets) out += `${s.relativePath}\n${withNewline(s.content)}<|file_separator|>`;
    out += `<|fim_prefix|>${input.prefix}<|fim_suffix|>${input.suffix}<|fim_middle|>`;
    return out;
  },
  stop: ['<|file_separator|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<eos>', '<end_of_turn>'],
  middleLast: true,
};

/** Codestral: suffix first ([SUFFIX]…[PREFIX]…); other files as `+++++ path` sections before the prefix. */
const codestral: FimTemplate = {
  family: 'codestral',
  description: 'Codestral (Mistral; [SUFFIX]/[PREFIX] tokens, "+++++ path" multi-file sections)',
  build(input) {
    const files = input.snippets.length
      ? input.snippets.map(s => `+++++ ${s.relativePath}\n${withNewline(s.content)}`).join('\n') + `\n+++++ ${input.relativePath}\n`
      : '';
    return `[SUFFIX]${input.suffix}[PREFIX]${files}${input.prefix}`;
  },
  stop: ['[PREFIX]', '[SUFFIX]', '[MIDDLE]', '</s>', '\n+++++ '],
};

/** Granite-code uses StarCoder-style FIM tokens without repo-level ones. */
const granite: FimTemplate = {
  family: 'granite',
  description: 'IBM Granite Code (base models; <fim_prefix> tokens, snippets as comments)',
  build(input) {
    return `<fim_prefix>${commentedSnippets(input)}${input.prefix}<fim_suffix>${input.suffix}<fim_middle>`;
  },
  stop: ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<fim_pad>', '<filename>', '<reponame>'],
  middleLast: true,
};

export const FIM_TEMPLATES: Readonly<Record<FimFamily, FimTemplate>> = { qwen, starcoder, codellama, deepseek, codegemma, codestral, granite };

export const FIM_FAMILIES = Object.keys(FIM_TEMPLATES) as FimFamily[];

export function templateFor(family: FimFamily): FimTemplate {
  const template = FIM_TEMPLATES[family];
  if (!template) throw new Error(`No FIM template for "${family}" (known: ${FIM_FAMILIES.join(', ')})`);
  return template;
}

export function isFimFamily(value: unknown): value is FimFamily {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(FIM_TEMPLATES, value);
}
