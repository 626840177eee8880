// Which test framework a project uses and where the tests for a given source file live (or should live),
// judged from the workspace the way a colleague would: the existing test file first, then the project's other
// tests and its manifest (requirements/pyproject, package.json, go.mod, pom.xml/build.gradle, Cargo.toml).
// Pure logic over a tiny file-system interface, so it runs in unit tests against fixture folders; one module
// per language, the shared folder search and setup building in workspace.ts.
import { commandLanguage } from '../languageRules';
import { goSetup } from './go';
import { javaSetup } from './java';
import { jsSetup } from './javascript';
import { pythonSetup } from './python';
import { rustSetup } from './rust';
import type { TestFramework, TestSetup, TestTarget, WorkspaceReader } from './types';

export type { FrameworkChoice, SupportFile, TestFramework, TestSetup, TestTarget, WorkspaceReader } from './types';
export { nodeWorkspaceReader } from './workspace';

export async function detectTestSetup(wfs: WorkspaceReader, target: TestTarget): Promise<TestSetup | undefined> {
  const language = commandLanguage(target.languageId);
  switch (language) {
    case 'python':
      return pythonSetup(wfs, target);
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return jsSetup(wfs, target, language);
    case 'go':
      return goSetup(wfs, target);
    case 'java':
      return javaSetup(wfs, target);
    case 'rust':
      return rustSetup(wfs, target);
    default:
      return undefined;
  }
}

const FRAMEWORK_LABELS: Record<TestFramework, string> = {
  pytest: 'pytest',
  unittest: 'unittest',
  jest: 'Jest',
  vitest: 'Vitest',
  mocha: 'Mocha',
  'node:test': 'node:test',
  go: 'go test',
  junit4: 'JUnit 4',
  junit5: 'JUnit 5',
  cargo: 'cargo test',
};

/** The framework's name as users know it ("JUnit 5", "go test"). */
export function frameworkLabel(framework: TestFramework): string {
  return FRAMEWORK_LABELS[framework];
}
