// `cli.js postprocess`: JSON Lines in, JSON Lines out, through the same post-processor the provider uses.
//   in:  {"id": ..., "language": "<VS Code language id>", "prefix": "...", "suffix": "...", "output": "...",
//         "multiline"?: boolean, "truncated"?: boolean}
//   out: {"id": ..., "completion": "..."}   or   {"id": ..., "error": "..."} for a line that cannot be used.
// Order is preserved; a bad line never stops the rest. `multiline` is optional: the provider passes the
// decision it used for the request (decideMultiline); without it no line limit is imposed.
import * as readline from 'readline';
import { createPostprocessor } from '../postprocess';
import { errorMessage } from '../util/errors';

interface Request {
  id: unknown;
  language: string;
  prefix: string;
  suffix: string;
  output: string;
  multiline?: boolean;
  truncated?: boolean;
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
  for (const field of ['multiline', 'truncated']) {
    if (record[field] !== undefined && typeof record[field] !== 'boolean') throw new Error(`field "${field}" must be a boolean`);
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

export async function runPostprocessCommand(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const postprocessor = createPostprocessor();
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let record: object;
    try {
      const request = parseRequest(line);
      const completion = await postprocessor.process({
        languageId: request.language,
        prefix: request.prefix,
        suffix: request.suffix,
        output: request.output,
        multiline: request.multiline,
        truncated: request.truncated,
      });
      record = { id: request.id ?? null, completion };
    } catch (error) {
      record = { id: idOf(line), error: errorMessage(error) };
    }
    await write(output, record);
  }
}
