// The shapes test-framework detection works with: a read-only view of the workspace, what we know about the
// symbol to test, and the answer (which framework, which file, where in it the tests go).
import type { CodeSymbol } from '../symbols';

/**
 * Read-only view of a workspace for finding test files. Paths are workspace-relative with '/' separators;
 * '' is the root.
 */
export interface WorkspaceReader {
  /** The file's text, or undefined when it does not exist. */
  readFile(relativePath: string): Promise<string | undefined>;
  /** Entry names of a directory (sub-directories end with '/'), or undefined when it does not exist. */
  readDir(relativePath: string): Promise<string[] | undefined>;
}

export type TestFramework = 'pytest' | 'unittest' | 'jest' | 'vitest' | 'mocha' | 'node:test' | 'go' | 'junit4' | 'junit5' | 'cargo';

/** A file to create so the tests run with the plain command (a conftest.py that lets `pytest` import the code). */
export interface SupportFile {
  /** Workspace-relative path; the file does not exist yet. */
  path: string;
  content: string;
  /** Why it is added, for the log. */
  reason: string;
}

export interface TestSetup {
  framework: TestFramework;
  /** What made us decide, for the log ("package.json scripts.test runs vitest"). */
  evidence: string;
  /** Workspace-relative path of the test file (existing, or to create). */
  testFilePath: string;
  exists: boolean;
  /** The tests go into the source file itself (Rust `#[cfg(test)] mod tests`). */
  sameFile: boolean;
  /** Current text of the test file ('' when it is to be created): imports and style for the prompt. */
  existingContent: string;
  /** Offset in `existingContent` where the new tests go. */
  insertAt: number;
  /** Text placed before and after the generated tests at `insertAt` (imports of a new file, a class, a mod). */
  scaffoldBefore: string;
  scaffoldAfter: string;
  /** Indentation of the generated tests (inside a test class or module). */
  indentation: string;
  /** An import of the symbol an existing test file lacks, placed after its last import (same undo step). */
  addImport?: { insertAt: number; text: string };
  /** A file to create with the tests so they run with the project's plain test command. */
  supportFile?: SupportFile;
}

export interface TestTarget {
  /** Workspace-relative path of the source file. */
  sourcePath: string;
  languageId: string;
  sourceText: string;
  symbol: Pick<CodeSymbol, 'name' | 'kind' | 'container'>;
}

/** A framework and the reason we chose it. */
export interface FrameworkChoice {
  framework: TestFramework;
  evidence: string;
}
