// Java: `FooTest.java` in the src/test/java mirror of src/main/java, JUnit 4 or 5 from the test file, the
// project's other tests or its build file (pom.xml, build.gradle).
import type { FrameworkChoice, TestFramework, TestSetup, TestTarget, WorkspaceReader } from './types';
import { appendedSetup, existingFileSetup, findFiles, joinPath, newFileSetup, splitPath } from './workspace';

export async function javaSetup(wfs: WorkspaceReader, target: TestTarget): Promise<TestSetup> {
  const { dir, stem } = splitPath(target.sourcePath);
  const testClass = `${stem}Test`;
  const mainMarker = /(^|\/)src\/main\/java(\/|$)/;
  const testDir = mainMarker.test(dir) ? dir.replace(mainMarker, '$1src/test/java$2') : dir;
  const testFilePath = joinPath(testDir, `${testClass}.java`);
  const content = await wfs.readFile(testFilePath);
  const projectRoot = mainMarker.test(dir) ? dir.slice(0, dir.search(mainMarker) + (dir.match(mainMarker)![1] ? 1 : 0)).replace(/\/$/, '') : '';
  const { framework, evidence } = await junitVersion(wfs, content, projectRoot, testDir);
  const found = { framework, evidence, testFilePath };

  if (content !== undefined) {
    // Before the closing brace of the (last) top-level class.
    const close = content.replace(/\s+$/, '').lastIndexOf('}');
    if (close === -1) return appendedSetup({ ...found, content, blankLines: 1 });
    const body = content.slice(0, close).replace(/\s+$/, '');
    const indentation = /\n([ \t]+)\S/.exec(content)?.[1] ?? '    ';
    return existingFileSetup({ ...found, content, insertAt: body.length, scaffoldBefore: '\n\n', scaffoldAfter: '', indentation });
  }
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(target.sourceText)?.[1];
  const imports = framework === 'junit4'
    ? 'import org.junit.Test;\n\nimport static org.junit.Assert.*;'
    : 'import org.junit.jupiter.api.Test;\n\nimport static org.junit.jupiter.api.Assertions.*;';
  const scaffoldBefore = `${pkg ? `package ${pkg};\n\n` : ''}${imports}\n\n${framework === 'junit4' ? 'public ' : ''}class ${testClass} {\n`;
  return newFileSetup({ ...found, scaffoldBefore, scaffoldAfter: '\n}\n', indentation: '    ' });
}

async function junitVersion(wfs: WorkspaceReader, existing: string | undefined, projectRoot: string, testDir: string): Promise<FrameworkChoice> {
  const fromImports = (text: string): TestFramework | undefined =>
    /import\s+(static\s+)?org\.junit\.jupiter\./.test(text) ? 'junit5' : /import\s+(static\s+)?org\.junit\.(Test|Assert|Before|After|\*)/.test(text) ? 'junit4' : undefined;
  if (existing !== undefined) {
    const v = fromImports(existing);
    if (v) return { framework: v, evidence: `the test file imports JUnit ${v === 'junit5' ? 5 : 4}` };
  }
  const testRoot = testDir.includes('src/test/java') ? testDir.slice(0, testDir.indexOf('src/test/java') + 'src/test/java'.length) : testDir;
  for (const file of await findFiles(wfs, testRoot, n => n.endsWith('.java'), 5, 100)) {
    const v = fromImports((await wfs.readFile(file)) ?? '');
    if (v) return { framework: v, evidence: `${file} imports JUnit ${v === 'junit5' ? 5 : 4}` };
  }
  for (const build of ['pom.xml', 'build.gradle', 'build.gradle.kts']) {
    const text = await wfs.readFile(joinPath(projectRoot, build));
    if (text === undefined) continue;
    if (/junit-jupiter|org\.junit\.jupiter/.test(text)) return { framework: 'junit5', evidence: `${build} depends on JUnit 5 (junit-jupiter)` };
    if (/junit:junit|<artifactId>junit<\/artifactId>/.test(text)) return { framework: 'junit4', evidence: `${build} depends on JUnit 4` };
  }
  return { framework: 'junit5', evidence: 'no JUnit version found; JUnit 5 is the default' };
}
