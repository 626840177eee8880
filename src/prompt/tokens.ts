// Cheap token estimates. We never run the model's tokenizer in the extension: it would cost a vocabulary
// download per model and time on every keystroke. Instead a characters-per-token ratio per language.
// Measured with llama.cpp's tokenizer (node-llama-cpp, vocab-only GGUFs from llama.cpp) on this repo's
// TypeScript, picomatch's JavaScript, CPython's standard library, glibc headers and package-lock.json:
//   StarCoder vocab: TS 3.8, JS 3.6, Python 3.9, C 3.3, JSON 2.4 characters per token;
//   DeepSeek-Coder vocab: TS 3.3, JS 2.9, Python 3.2, C 2.9, JSON 2.0.
// The table sits between the two, nearer the denser vocabulary so that a budget is rarely overrun. Budgets
// are soft limits: being off by 10-20% only moves a cut by a few lines.

const DEFAULT_CHARS_PER_TOKEN = 3.5;

/** Average characters per token by VS Code language id. Lower = denser text = more tokens per character. */
const CHARS_PER_TOKEN: Record<string, number> = {
  json: 2.5, jsonc: 2.5,
  javascript: 3.3, javascriptreact: 3.3, typescript: 3.3, typescriptreact: 3.3,
  java: 3.6, csharp: 3.6, go: 3.3, rust: 3.2, c: 3.2, cpp: 3.2,
  python: 3.6, ruby: 3.6, php: 3.3, shellscript: 3.2,
  html: 3.0, css: 3.0, scss: 3.0, xml: 3.0, yaml: 3.4,
  markdown: 4.0, plaintext: 4.0,
};

export function charsPerToken(languageId?: string): number {
  return (languageId && CHARS_PER_TOKEN[languageId]) || DEFAULT_CHARS_PER_TOKEN;
}

/** Estimated token count of `text`. */
export function estimateTokens(text: string, languageId?: string): number {
  if (!text) return 0;
  return Math.ceil(text.length / charsPerToken(languageId));
}

/** How many characters a token budget buys (rounded down, never negative). */
export function tokensToChars(tokens: number, languageId?: string): number {
  return Math.max(0, Math.floor(tokens * charsPerToken(languageId)));
}

/**
 * The longest tail of `text` that fits `maxTokens`, starting at a line start when the text had to be cut
 * (a half line at the top of a prompt confuses models more than a few lines fewer). If not even the last
 * line fits, the tail of that line is cut at a character.
 */
export function takeTailByTokens(text: string, maxTokens: number, languageId?: string): string {
  const maxChars = tokensToChars(maxTokens, languageId);
  if (text.length <= maxChars) return text;
  const start = text.length - maxChars;
  if (text[start - 1] === '\n') return text.slice(start);
  const nextLineStart = text.indexOf('\n', start) + 1;
  if (nextLineStart === 0 || nextLineStart >= text.length) return text.slice(start);
  return text.slice(nextLineStart);
}

/**
 * The longest head of `text` that fits `maxTokens`, ending at a line end when the text had to be cut.
 * If not even the first line fits, that line is cut at a character.
 */
export function takeHeadByTokens(text: string, maxTokens: number, languageId?: string): string {
  const maxChars = tokensToChars(maxTokens, languageId);
  if (text.length <= maxChars) return text;
  if (text[maxChars] === '\n') return text.slice(0, maxChars);
  const lastNl = text.lastIndexOf('\n', maxChars - 1);
  if (lastNl <= 0) return text.slice(0, maxChars);
  return text.slice(0, lastNl);
}
