// An in-memory workspace for the commands' test-framework detection: layouts the fixture folders do not cover.
import type { WorkspaceReader } from '../../src/commands/testFramework';

/** `files` maps workspace-relative paths to their text; folders are implied by the paths. */
export function memoryWorkspace(files: Record<string, string>): WorkspaceReader {
  return {
    async readFile(p) { return files[p]; },
    async readDir(dir) {
      const prefix = dir ? dir + '/' : '';
      const names = new Set<string>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(prefix)) continue;
        const rest = f.slice(prefix.length);
        names.add(rest.includes('/') ? rest.slice(0, rest.indexOf('/') + 1) : rest);
      }
      return names.size ? [...names] : undefined;
    },
  };
}
