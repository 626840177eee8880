// `cli.js postprocess`: JSON Lines in, JSON Lines out, through the same post-processor the provider uses.
//   in:  {"id": ..., "language": "<VS Code language id>", "prefix": "...", "suffix": "...", "output": "...",
//         "multiline"?: boolean | "auto", "truncated"?: boolean}
//   out: {"id": ..., "completion": "..."}   or   {"id": ..., "error": "..."} for a line that cannot be used.
// Order is preserved; a bad line never stops the rest. `multiline` is optional: true / false is the decision
// a request was made with; "auto" is what the editor does, the provider's own decision for that language,
// prefix and suffix (decideMultiline), with the output cut at the stop sequences that request would have sent
// (the server stops there); absent, no line limit is imposed (a mode the editor never uses).
import * as readline from 'readline';
import { decideMultiline, stopSequencesFor } from '../decisions';
import { createPostprocessor, type PostprocessInput } from '../postprocess';
import { errorMessage } from '../util/errors';

/** One input line of `cli.js postprocess`, without its id (the bench writes these). */
export interface PostprocessRequest {
  language: string;
  prefix: string;
  suffix: string;
  output: string;
  multiline?: boolean | 'auto';
  truncated?: boolean;
}

export interface Request extends PostprocessRequest {
  id: unknown;
}

function parseRequest(line: string): Request {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  const record = value as Record<string, unknown>;
  for (const field of ['language', 'prefix', 'suffix', 'output']) {
    if (typeof record[field] !== 'string') throw new Error(`field "${field}" must be a string`);
  }
  if (record.truncated !== undefined && typeof record.truncated !== 'boolean') throw new Error('field "truncated" must be a boolean');
  if (record.multiline !== undefined && typeof record.multiline !== 'boolean' && record.multiline !== 'auto') {
    throw new Error('field "multiline" must be a boolean or "auto"');
  }
  return record as unknown as Request;
}

function idOf(line: string): unknown {
  try {
    const value = JSON.parse(line) as { id?: unknown };
    return typeof value === 'object' && value !== null && 'id' in value ? value.id : null;
  } catch {
    return null;
  }
}

function write(output: NodeJS.WritableStream, record: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = output.write(JSON.stringify(record) + '\n', error => (error ? reject(error) : undefined));
    if (ok) resolve();
    else output.once('drain', resolve);
  });
}

/** The post-processor's input for a request line; "auto" settles the decision (and the server's stop) here. */
export function toInput(request: Request): PostprocessInput {
  const { language: languageId, prefix, suffix, truncated } = request;
  if (request.multiline !== 'auto') return { languageId, prefix, suffix, output: request.output, multiline: request.multiline, truncated };
  const multiline = decideMultiline({ languageId, prefix, suffix });
  return { languageId, prefix, suffix, output: cutAtStop(request.output, stopSequencesFor(multiline, languageId)), multiline, truncated };
}

/** The output as the server would have returned it: up to (not including) the first stop sequence. */
function cutAtStop(output: string, stops: string[]): string {
  let end = output.length;
  for (const stop of stops) {
    const at = output.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  return output.slice(0, end);
}

export async function runPostprocessCommand(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const postprocessor = createPostprocessor();
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let record: object;
    try {
      const request = parseRequest(line);
      const completion = await postprocessor.process(toInput(request));
      record = { id: request.id ?? null, completion };
    } catch (error) {
      record = { id: idOf(line), error: errorMessage(error) };
    }
    await write(output, record);
  }
}
