// Post-processing: turn a raw model output into the suggestion shown as ghost text.

export interface PostprocessInput {
  /** VS Code language id. */
  languageId: string;
  /** Document text before and after the cursor (as sent in the prompt, or the whole file). */
  prefix: string;
  suffix: string;
  /** Raw model text (possibly still streaming). */
  output: string;
  /** Whether a multi-line suggestion is wanted here (see multiline.ts); undefined = decide from prefix/suffix. */
  multiline?: boolean;
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
