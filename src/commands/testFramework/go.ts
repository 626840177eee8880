// Go: `x_test.go` beside the source, in the same package, run by `go test`.
import type { TestSetup, TestTarget, WorkspaceReader } from './types';
import { appendedSetup, findUpward, joinPath, newFileSetup, posix, splitPath } from './workspace';

export async function goSetup(wfs: WorkspaceReader, target: TestTarget): Promise<TestSetup> {
  const { dir, stem } = splitPath(target.sourcePath);
  const testFilePath = joinPath(dir, `${stem.replace(/_test$/, '')}_test.go`);
  const content = await wfs.readFile(testFilePath);
  const siblings = (await wfs.readDir(dir)) ?? [];
  const goMod = await findUpward(wfs, dir, 'go.mod');
  const evidence = content !== undefined
    ? `${testFilePath} exists`
    : siblings.some(e => e.endsWith('_test.go'))
      ? 'other _test.go files beside the source'
      : goMod ? `${goMod.path} exists` : 'Go files are tested with go test';
  const found = { framework: 'go' as const, evidence, testFilePath };
  if (content !== undefined) return appendedSetup({ ...found, content, blankLines: 1 });
  const pkg = /^\s*package\s+(\w+)/m.exec(target.sourceText)?.[1] ?? (posix.basename(dir) || 'main');
  return newFileSetup({ ...found, scaffoldBefore: `package ${pkg}\n\nimport "testing"\n\n`, scaffoldAfter: '\n', indentation: '' });
}
