// Which FIM template a model wants, and whether it can fill in the middle at all. Evidence, strongest first:
// the explicit setting; Ollama's /api/show (the FIM tokens in its template, its capabilities, details.family);
// the model name (or llama.cpp's model file name). A chat-only model is reported as such, with one message
// naming what to use instead, so chat text never reaches the editor.
import type { FimFamily } from './types';

export interface FamilyHints {
  /** `infill.template`: a family, or 'auto' / undefined to detect. */
  setting?: FimFamily | 'auto';
  modelName: string;
  /** From Ollama's /api/show. */
  ollama?: { family?: string; template?: string; capabilities?: string[] };
  /** From llama.cpp's /props. */
  llamacppProps?: { model_path?: string; chat_template?: string };
}

export interface FamilyDetection {
  family?: FimFamily;
  /** True when the model cannot fill in the middle (a chat/instruct model): do not ask it for completions. */
  chatOnly: boolean;
  /** Why, in words for the log or a message to the user. For chat-only models: what to use instead. */
  reason: string;
}

/** A base/coder model of the same family to suggest instead of a chat-only one (Ollama names). */
export const FIM_MODEL_SUGGESTION: Record<FimFamily, string> = {
  qwen: 'qwen2.5-coder:1.5b-base',
  starcoder: 'starcoder2:3b',
  codellama: 'codellama:7b-code',
  deepseek: 'deepseek-coder:1.3b-base',
  codegemma: 'codegemma:2b',
  codestral: 'codestral',
  granite: 'granite-code:3b-base',
};
const DEFAULT_SUGGESTION = FIM_MODEL_SUGGESTION.qwen;

/** FIM tokens as they appear in prompt templates, and the family each one means. Order matters: first match. */
const TEMPLATE_TOKENS: [RegExp, FimFamily | 'fim-prefix-pipe' | 'fim-prefix-angle'][] = [
  [/<｜fim▁begin｜>|fim▁begin/, 'deepseek'],
  [/\[SUFFIX\]|\[PREFIX\]/, 'codestral'],
  [/<PRE>|<SUF>|<MID>/, 'codellama'],
  [/<\|fim_prefix\|>/, 'fim-prefix-pipe'],   // Qwen or CodeGemma
  [/<fim_prefix>|<fim-prefix>/, 'fim-prefix-angle'], // StarCoder or Granite
];

/** Model name patterns (lower-case). */
const NAME_PATTERNS: [RegExp, FimFamily][] = [
  [/qwen[\d.]*[-_]?coder|codeqwen/, 'qwen'],
  [/codegemma/, 'codegemma'],
  [/codestral/, 'codestral'],
  [/code[-_]?llama/, 'codellama'],
  [/deepseek[-_]?coder/, 'deepseek'],
  [/granite[\w.-]*code|granite-code/, 'granite'],
  [/starcoder|santacoder|stable[-_]?code|refact/, 'starcoder'],
];

/** Ollama details.family values that name a FIM family on their own. */
const OLLAMA_FAMILIES: Record<string, FimFamily> = {
  starcoder: 'starcoder',
  starcoder2: 'starcoder',
  deepseek2: 'deepseek', // DeepSeek-Coder-V2 (only coder variants report it together with 'insert')
  granite: 'granite',
};

/** Families whose FIM-trained models are the base ones: their -instruct/-chat/-it variants are chat-only. */
const BASE_ONLY_FIM: FimFamily[] = ['starcoder', 'codellama', 'deepseek', 'codegemma', 'granite'];
const CHAT_NAME = /(^|[-_:.\/])(instruct|chat|it)([-_:.\/]|$)|-instruct|-chat/;

export function detectFamily(hints: FamilyHints): FamilyDetection {
  const name = hints.modelName ?? '';
  const lower = name.toLowerCase();

  if (hints.setting && hints.setting !== 'auto') {
    return { family: hints.setting, chatOnly: false, reason: `template "${hints.setting}" set by infill.template` };
  }

  // llama.cpp serves whatever file it loaded, whatever infill.model says: its file name is the better evidence.
  const file = (hints.llamacppProps?.model_path ?? '').split(/[\\/]/).pop() ?? '';
  const fileName = file.toLowerCase();
  const byFile = familyFromName(fileName);
  const byName = byFile ?? familyFromName(lower);
  const nameForChat = byFile ? fileName : lower;

  const ollama = hints.ollama;
  if (ollama) {
    const template = ollama.template ?? '';
    const fromTemplate = familyFromTemplate(template, ollama.family, lower);
    const caps = ollama.capabilities;
    const canInsert = caps ? caps.includes('insert') : /\.Suffix/.test(template);
    if (fromTemplate) {
      return { family: fromTemplate, chatOnly: false, reason: `Ollama's template for ${name} uses ${fromTemplate} FIM tokens` };
    }
    if (!canInsert) {
      const suggestion = byName ? FIM_MODEL_SUGGESTION[byName] : DEFAULT_SUGGESTION;
      return { family: byName, chatOnly: true, reason: chatOnlyMessage(name, suggestion) };
    }
    const fromFamily = ollama.family ? OLLAMA_FAMILIES[ollama.family] : undefined;
    if (byName) return { family: byName, chatOnly: false, reason: `Ollama fills in the middle for ${name}; family ${byName} from the model name` };
    if (fromFamily) return { family: fromFamily, chatOnly: false, reason: `Ollama fills in the middle for ${name}; family ${fromFamily} from details.family "${ollama.family}"` };
    return { chatOnly: false, reason: `Ollama fills in the middle for ${name} with its own template; its FIM tokens are unknown to Infill (set infill.template to use related-file context)` };
  }

  if (byName) {
    if (BASE_ONLY_FIM.includes(byName) && CHAT_NAME.test(nameForChat)) {
      const reason = byFile
        ? `${file} is a chat/instruct model without fill-in-the-middle; start llama-server with a base/coder model (e.g. the GGUF of ${FIM_MODEL_SUGGESTION[byName]}), or set infill.template if this one does fill in the middle.`
        : chatOnlyMessage(name, FIM_MODEL_SUGGESTION[byName]);
      return { family: byName, chatOnly: true, reason };
    }
    const source = byFile ? 'the model file name' : 'the model name';
    return { family: byName, chatOnly: false, reason: `family ${byName} from ${source}` };
  }
  if (CHAT_NAME.test(lower)) {
    return { chatOnly: true, reason: chatOnlyMessage(name, DEFAULT_SUGGESTION) };
  }
  return { chatOnly: false, reason: `cannot tell the FIM format of "${name}" from its name; set infill.template to its family (qwen, starcoder, codellama, deepseek, codegemma, codestral, granite)` };
}

export function chatOnlyMessage(model: string, suggestion = DEFAULT_SUGGESTION): string {
  return `${model} is a chat/instruct model without fill-in-the-middle; use a base/coder model such as ${suggestion} (set infill.model).`;
}

export function familyFromName(lowerName: string): FimFamily | undefined {
  if (!lowerName) return undefined;
  for (const [pattern, family] of NAME_PATTERNS) if (pattern.test(lowerName)) return family;
  return undefined;
}

/** The family whose FIM tokens a prompt template contains; undefined when it has none. */
export function familyFromTemplate(template: string, ollamaFamily = '', lowerName = ''): FimFamily | undefined {
  for (const [pattern, hit] of TEMPLATE_TOKENS) {
    if (!pattern.test(template)) continue;
    if (hit === 'fim-prefix-pipe') {
      // Qwen and CodeGemma spell their FIM tokens the same way.
      return /<\|file_separator\|>/.test(template) || /gemma/.test(ollamaFamily) || /gemma/.test(lowerName) ? 'codegemma' : 'qwen';
    }
    if (hit === 'fim-prefix-angle') {
      return /granite/.test(ollamaFamily) || /granite/.test(lowerName) ? 'granite' : 'starcoder';
    }
    return hit;
  }
  return undefined;
}
