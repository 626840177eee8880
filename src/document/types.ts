// The text around the cursor, cut from a document snapshot. Plain data: the VS Code adapter, the CLI and the
// bench all build it the same way (see documentContext.ts).

/** What the pipeline knows about a document: enough to build a prompt without VS Code. */
export interface DocumentSnapshot {
  /** A stable identity (a VS Code URI string, or a file path in the CLI). */
  uri: string;
  /** Workspace-relative path for prompts ("src/app.ts"); the file name for untitled documents. */
  relativePath: string;
  /** VS Code language id ("python", "typescript", "typescriptreact", ...). */
  languageId: string;
  text: string;
  /** Increases with every edit (VS Code's document.version; 0 in the CLI). */
  version: number;
}

export interface Position {
  /** Zero-based, as in VS Code. */
  line: number;
  character: number;
}

export interface DocumentContext {
  uri: string;
  relativePath: string;
  languageId: string;
  version: number;
  position: Position;
  /** Offset of the cursor in the full text. */
  offset: number;
  /** Text before the cursor, cut at a line start to fit the prefix budget. */
  prefix: string;
  /** Text after the cursor, cut at a line end to fit the suffix budget. */
  suffix: string;
  /** The current line split at the cursor. */
  linePrefix: string;
  lineSuffix: string;
  /** True when the prefix/suffix were cut short of the file's start/end. */
  prefixTruncated: boolean;
  suffixTruncated: boolean;
  /** Indentation (whitespace) of the current line. */
  indent: string;
}

export interface ContextBudget {
  /** Tokens for the prefix and the suffix (estimated; see prompt/tokens.ts). */
  prefixTokens: number;
  suffixTokens: number;
}
