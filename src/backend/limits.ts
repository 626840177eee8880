// A server that ignores the token limit must not flood the editor: the streamed text is capped at what
// `maxTokens` tokens can produce, with a wide margin, and the stream is stopped and reported past it.
import { overlongError, type ServerRef } from './errors';
import type { StreamChunk } from './types';

/** No tokenizer has tokens this long on average (the longest are runs of spaces, about 16 to 32 characters). */
export const MAX_CHARS_PER_TOKEN = 32;
/** A token holds at most a couple of line ends ("\n\n"); two per token is already generous. */
export const MAX_LINES_PER_TOKEN = 2;
/** Slack for short limits (a 1-token request may still end with a few characters of stop text). */
const SLACK_CHARS = 256;
const SLACK_LINES = 16;

export interface StreamLimits {
  maxChars: number;
  maxLines: number;
}

export function streamLimits(maxTokens: number): StreamLimits {
  const tokens = Number.isFinite(maxTokens) && maxTokens > 0 ? maxTokens : 1;
  return { maxChars: tokens * MAX_CHARS_PER_TOKEN + SLACK_CHARS, maxLines: tokens * MAX_LINES_PER_TOKEN + SLACK_LINES };
}

/**
 * Passes the chunks on until their text goes past the limits for `maxTokens`, then throws (the source's own
 * cleanup closes the connection, so the server stops sending). A chunk past the limit is never passed on.
 */
export async function* limitStream(source: AsyncIterable<StreamChunk>, maxTokens: number, server: ServerRef): AsyncGenerator<StreamChunk, void, undefined> {
  const limits = streamLimits(maxTokens);
  let chars = 0;
  let lines = 0;
  for await (const chunk of source) {
    chars += chunk.text.length;
    if (chars > limits.maxChars) throw overlongError(server, maxTokens, `more than ${limits.maxChars} characters`);
    lines += countLineEnds(chunk.text);
    if (lines > limits.maxLines) throw overlongError(server, maxTokens, `more than ${limits.maxLines} lines`);
    yield chunk;
  }
}

function countLineEnds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
