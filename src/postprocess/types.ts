// Post-processing: turn a raw model output into the suggestion shown as ghost text.

export interface PostprocessInput {
  /** VS Code language id. */
  languageId: string;
  /** Document text before and after the cursor (as sent in the prompt, or the whole file). */
  prefix: string;
  suffix: string;
  /** Raw model text (possibly still streaming). */
  output: string;
  /**
   * The multi-line decision the request was made with (decideMultiline in multiline.ts). false: only the
   * first line is kept; true: also ends the suggestion with an empty block the cursor opens; undefined: no
   * line limit, the syntax alone decides (what `cli.js postprocess` does when a line has no "multiline").
   */
  multiline?: boolean;
  /**
   * The server stopped at the token limit: the last line may be cut anywhere, and blocks the output opened
   * may still be open. Their complete lines are kept rather than thrown away for being unclosed.
   */
  truncated?: boolean;
}

export interface Postprocessor {
  /** The suggestion to show for a finished (or stopped) output; '' when nothing useful is left. */
  process(input: PostprocessInput): Promise<string>;
  /**
   * While streaming: true as soon as the output so far already holds the complete suggestion, so the
   * request can be aborted early. Must be cheap; it runs on every chunk.
   */
  isComplete(input: PostprocessInput): Promise<boolean>;
}
