// Stage 1: remove what chat-tuned or FIM models wrap around code: <think> blocks, markdown fences, and
// end-of-text / FIM control tokens that a server failed to treat as special.

/** Tokens after which nothing the model says belongs in the document. */
const END_TOKENS = [
  '<|endoftext|>',
  '<|file_sep|>',
  '<|fim_pad|>',
  '<|fim_prefix|>',
  '<|fim_suffix|>',
  '<|fim_middle|>',
  '<|repo_name|>',
  '<|im_end|>',
  '<|im_start|>',
  '<|end|>',
  '<|eot_id|>',
  '<EOT>',
  '<|EOT|>',
  '</s>',
  '<｜end▁of▁sentence｜>',
  '<｜fim▁begin｜>',
  '<｜fim▁hole｜>',
  '<｜fim▁end｜>',
  '<fim_prefix>',
  '<fim_suffix>',
  '<fim_middle>',
  '<file_sep>',
  '<|endofmask|>',
  '<end_of_turn>',
  '[SUFFIX]',
  '[PREFIX]',
  '[MIDDLE]',
];

/** Cuts the text at the first end/control token. */
export function cutAtEndToken(text: string): string {
  let end = text.length;
  for (const token of END_TOKENS) {
    const at = text.indexOf(token);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}

/**
 * Drops `<think>…</think>` reasoning. An unterminated block at the start means the model never got to the
 * code, so nothing is left.
 */
export function stripThinkBlocks(text: string): string {
  // Whole blocks go (with the line break after them), found with indexOf: a regex retries every unclosed
  // `<think>` to the end of the text, which is quadratic in long outputs.
  let result = '';
  let from = 0;
  for (let open = text.indexOf('<think>'); open >= 0; open = text.indexOf('<think>', from)) {
    const close = text.indexOf('</think>', open + '<think>'.length);
    if (close < 0) break;
    result += text.slice(from, open);
    from = close + '</think>'.length;
    if (text[from] === '\n') from++;
  }
  result += text.slice(from);
  const open = result.indexOf('<think>');
  if (open >= 0) result = result.slice(0, open);
  // A closing tag without its opener (the server ate the opener as a special token).
  const close = result.indexOf('</think>');
  if (close >= 0) result = result.slice(close + '</think>'.length).replace(/^\n/, '');
  return result;
}

/**
 * Unwraps a markdown code fence. Only a fence at the very start counts (possibly after blank lines, or after a chat
 * preamble: withoutChatPreamble): a FIM model never starts with one unless it is talking chat. The content ends at the closing fence.
 * A closing fence alone (the model closed a fence it imagined) also ends the text.
 */
export function stripMarkdownFence(output: string): string {
  const text = withoutChatPreamble(output);
  const opening = /^\s*```[\w+#.-]*[^\S\n]*\n/.exec(text);
  let body = text;
  if (opening) body = text.slice(opening[0].length);
  const closing = /(^|\n)[^\S\n]*```/.exec(body);
  if (closing) body = body.slice(0, closing.index + (closing[1] ? 1 : 0));
  return body;
}

/** A chat model's sentence before its code (`Here is the missing code:`): unindented words, ending a line. */
const PREAMBLE_LINE = /^[A-Za-z][^\s`]* [^\n`]*$/;
const PREAMBLE_LINES = 3;

/**
 * A fence after a few lines of prose is a chat answer's code block: the prose goes, so that the fence counts as one
 * at the start. Only when each of those lines reads as a sentence (unindented, starting with a word, with a space
 * and no backtick) and one ends with a colon: code before a fence keeps it. (No closing fence is needed: while
 * streaming it has not come yet.)
 */
function withoutChatPreamble(text: string): string {
  const fence = /(^|\n)```[\w+#.-]*[^\S\n]*\n/.exec(text);
  if (!fence || fence.index === 0 || !isChatPreamble(text.slice(0, fence.index))) return text;
  return text.slice(fence.index + fence[1].length);
}

/** The text reads as a chat preamble (see withoutChatPreamble); while streaming, such lines wait for a fence. */
export function isChatPreamble(text: string): boolean {
  const lines = text.split('\n').filter(line => line.trim() !== '');
  if (lines.length === 0 || lines.length > PREAMBLE_LINES) return false;
  return lines.every(line => PREAMBLE_LINE.test(line)) && lines.some(line => line.trimEnd().endsWith(':'));
}

export function stripChatArtefacts(text: string): string {
  return stripMarkdownFence(stripThinkBlocks(cutAtEndToken(text)));
}
