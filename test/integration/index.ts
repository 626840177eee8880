// Entry point that VS Code loads in the extension host (runTests' extensionTestsPath): runs every
// suite/**/*.test.js with mocha from the extension's own node_modules, prints one closing line
// "N passed, N failed, N skipped", and rejects when a test failed so runTests fails too.
// It also fails the run when the extension let a promise rejection go unhandled during the tests.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  }).sort();
}

/** Unhandled rejections whose stack points into the extension's bundle or compiled sources. */
function watchUnhandledRejections(): { ours: string[]; stop(): void } {
  const root = path.resolve(__dirname, '..', '..', '..');
  const marks = [path.join(root, 'dist', 'extension.js'), path.join(root, 'out', 'src')];
  const ours: string[] = [];
  const listener = (reason: unknown) => {
    const text = reason instanceof Error ? `${reason.message}\n${reason.stack ?? ''}` : String(reason);
    if (marks.some(m => text.includes(m))) ours.push(text.split('\n').slice(0, 6).join('\n'));
  };
  process.on('unhandledRejection', listener);
  return { ours, stop: () => process.off('unhandledRejection', listener) };
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  if (process.env.INFILL_TEST_GREP) mocha.grep(process.env.INFILL_TEST_GREP);
  const files = testFiles(path.join(__dirname, 'suite'));
  for (const file of files) mocha.addFile(file);
  const rejections = watchUnhandledRejections();
  return new Promise((resolve, reject) => {
    if (files.length === 0) return reject(new Error(`no integration tests found under ${path.join(__dirname, 'suite')}`));
    const runner = mocha.run(failures => {
      rejections.stop();
      const s = runner.stats ?? { passes: 0, failures, pending: 0 };
      let line = `${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`;
      if (rejections.ours.length) {
        console.log(`unhandled rejections from the extension:\n${rejections.ours.join('\n---\n')}`);
        line += `, ${rejections.ours.length} unhandled rejection(s)`;
      }
      console.log(line);
      if (process.env.INFILL_TEST_RESULT_FILE) {
        try { fs.writeFileSync(process.env.INFILL_TEST_RESULT_FILE, line + '\n'); } catch { /* the console line is enough */ }
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (rejections.ours.length) reject(new Error(`${rejections.ours.length} unhandled rejection(s) from the extension`));
      else resolve();
    });
  });
}
