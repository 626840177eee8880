// "Write Tests for This": a code action on function, method and class declarations. It detects the project's
// test framework and layout, opens (or creates) the matching test file, streams the tests into it as a live
// preview, and leaves one undo step; Cancel or a failure leaves every file as it was.
import * as vscode from 'vscode';
import { applyEdits, generateTests, GenerationFailed, type GenerationDeps } from '../../commands/generate';
import { commandLanguage } from '../../commands/languageRules';
import { symbolLabel, type TestSubject } from '../../commands/prompts';
import { declarationAt, findSymbols, symbolAtDeclaration, symbolContaining, type CodeSymbol } from '../../commands/symbols';
import { importableNames } from '../../commands/testImports';
import { detectTestSetup, frameworkLabel, type TestSetup } from '../../commands/testFramework';
import { abortError } from '../../util/abort';
import type { ExtensionServices } from '../services';
import { StreamedEdit } from './streamedEdit';
import { generationMode, linesSoFar, relativeTo, reportFailure, vscodeWorkspaceReader, withCancellableProgress, workspaceRootFor } from './shared';
import { errorMessage } from '../../util/errors';

export const WRITE_TESTS_COMMAND = 'infill.writeTests';
export const WRITE_TESTS_KIND = vscode.CodeActionKind.Refactor.append('infill.writeTests');

/** Arguments the code action passes; without them the command uses the active editor's cursor. */
export interface WriteTestsArgs {
  uri: string;
  line: number;
  character: number;
}

export interface WriteTestsOutcome {
  applied: boolean;
  testFile?: string;
  framework?: string;
  created?: boolean;
  reason?: string;
}

export function registerWriteTests(services: ExtensionServices): vscode.Disposable[] {
  const selector = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'java', 'rust']
    .flatMap(language => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]);
  return [
    vscode.languages.registerCodeActionsProvider(selector, new WriteTestsActionProvider(services), {
      providedCodeActionKinds: [WRITE_TESTS_KIND],
    }),
    vscode.commands.registerCommand(WRITE_TESTS_COMMAND, (args?: WriteTestsArgs) => runWriteTests(services, args)),
  ];
}

class WriteTestsActionProvider implements vscode.CodeActionProvider {
  /** Symbols of the last document asked about: code actions are requested on every cursor move. */
  private cache: { key: string; symbols: Promise<CodeSymbol[]> } | undefined;

  constructor(private readonly services: ExtensionServices) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (context.only && !WRITE_TESTS_KIND.intersects(context.only)) return [];
    if (!commandLanguage(document.languageId)) return [];
    const text = document.getText();
    // Parsing is cheap, but not for files the completion stage also refuses.
    if (text.length > this.services.config().maxFileBytes) return [];
    const key = `${document.uri.toString()}@${document.version}`;
    if (this.cache?.key !== key) this.cache = { key, symbols: findSymbols(document.languageId, text) };
    const symbol = declarationAt(await this.cache.symbols, document.offsetAt(range.start));
    if (!symbol) return [];
    const action = new vscode.CodeAction(`Write Tests for ${symbolLabel(symbol)}`, WRITE_TESTS_KIND);
    const args: WriteTestsArgs = { uri: document.uri.toString(), line: range.start.line, character: range.start.character };
    action.command = { command: WRITE_TESTS_COMMAND, title: 'Write Tests for This', arguments: [args] };
    return [action];
  }
}

async function runWriteTests(services: ExtensionServices, args?: WriteTestsArgs): Promise<WriteTestsOutcome> {
  const source = await sourceDocument(args);
  if (!source) return tell('Open a file and put the cursor on a function, method or class declaration.');
  const { doc, offset } = source;
  if (doc.isUntitled) return tell('Save the file first, so Infill can find (or create) its test file next to it.');
  if (!commandLanguage(doc.languageId)) return tell(`Write Tests supports Python, JavaScript, TypeScript, Go, Java and Rust; this file is ${doc.languageId}.`);
  const sourceText = doc.getText();
  const symbol = (await symbolAtDeclaration(doc.languageId, sourceText, offset)) ?? (await symbolContaining(doc.languageId, sourceText, offset));
  if (!symbol) return tell('Put the cursor on a function, method or class declaration to write tests for it.');
  const moduleNames = importableNames(await findSymbols(doc.languageId, sourceText)).filter(n => n !== (symbol.container ?? symbol.name));

  const root = workspaceRootFor(doc.uri);
  const sourcePath = relativeTo(root, doc.uri);
  const setup = await detectTestSetup(vscodeWorkspaceReader(root), { sourcePath, languageId: doc.languageId, sourceText, symbol });
  if (!setup) return tell(`No test setup is known for ${doc.languageId} files.`);
  services.log.info(`Write tests for ${symbolLabel(symbol)} with ${frameworkLabel(setup.framework)} (${setup.evidence}) into ${setup.testFilePath}${setup.exists ? '' : ' (new file)'}`);

  const job: WriteJob = {
    services,
    setup,
    subject: { languageId: doc.languageId, sourcePath, symbol, moduleNames },
    sourceDoc: doc,
    testUri: vscode.Uri.joinPath(root, ...setup.testFilePath.split('/')),
    supportUri: setup.supportFile && vscode.Uri.joinPath(root, ...setup.supportFile.path.split('/')),
  };
  const title = `Infill: writing ${frameworkLabel(setup.framework)} tests for ${symbolLabel(symbol)} in ${setup.testFilePath}…`;
  return withCancellableProgress(title, async (signal, report) => {
    try {
      return setup.exists ? await intoExistingFile(job, signal, report) : await intoNewFile(job, signal, report);
    } catch (err) {
      reportFailure(services, err, 'writing tests', 'Write Tests');
      return { applied: false, testFile: setup.testFilePath, framework: setup.framework, reason: errorMessage(err) };
    }
  });
}

/** One "Write Tests" run: where the tests go and what they are for. */
interface WriteJob {
  services: ExtensionServices;
  setup: TestSetup;
  subject: TestSubject;
  sourceDoc: vscode.TextDocument;
  testUri: vscode.Uri;
  /** Where the setup's support file (a conftest.py) goes, when the tests need one to run. */
  supportUri?: vscode.Uri;
}

async function intoExistingFile(job: WriteJob, signal: AbortSignal, report: (message: string) => void): Promise<WriteTestsOutcome> {
  const { setup, sourceDoc } = job;
  const testDoc = setup.sameFile ? sourceDoc : await vscode.workspace.openTextDocument(job.testUri);
  const editor = await vscode.window.showTextDocument(testDoc, { preview: false, viewColumn: setup.sameFile ? undefined : vscode.ViewColumn.Beside });
  if (testDoc.getText() !== setup.existingContent) throw new GenerationFailed(`${setup.testFilePath} changed while Infill read it; try again.`, []);
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  const region = new StreamedEdit(editor, setup.insertAt, '', () => controller.abort(abortError()));
  try {
    const result = await generateTests(await deps(job.services, controller.signal, report, text => region.preview(text)), setup, job.subject);
    // The imports the tests need go in with them (insertions before the tests, same undo step).
    const imports = result.edits.filter(e => e !== result.insertion).map(e => ({ offset: e.start, text: e.text }));
    if (!(await region.commit(result.insertion.text, imports))) throw new GenerationFailed(`${setup.testFilePath} changed while the tests were generated, so they were not inserted.`, []);
    if (job.supportUri && setup.supportFile) {
      const edit = new vscode.WorkspaceEdit();
      addSupportFile(job, edit);
      if (await vscode.workspace.applyEdit(edit)) await (await vscode.workspace.openTextDocument(job.supportUri)).save();
    }
    editor.revealRange(region.range(), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return { applied: true, testFile: setup.testFilePath, framework: setup.framework, created: false };
  } catch (err) {
    await region.rollback();
    throw err;
  } finally {
    region.dispose();
  }
}

async function intoNewFile(job: WriteJob, signal: AbortSignal, report: (message: string) => void): Promise<WriteTestsOutcome> {
  const { setup, testUri } = job;
  // Nothing exists until the tests are ready: then one WorkspaceEdit creates the file with them (one undo step).
  const result = await generateTests(await deps(job.services, signal, report), setup, job.subject);
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(testUri, { ignoreIfExists: false });
  edit.insert(testUri, new vscode.Position(0, 0), applyEdits('', result.edits));
  addSupportFile(job, edit);
  if (!(await vscode.workspace.applyEdit(edit))) {
    throw new GenerationFailed(`Could not create ${setup.testFilePath} (does it exist already?).`, []);
  }
  const doc = await vscode.workspace.openTextDocument(testUri);
  await doc.save();
  if (job.supportUri && setup.supportFile) await (await vscode.workspace.openTextDocument(job.supportUri)).save();
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return { applied: true, testFile: setup.testFilePath, framework: setup.framework, created: true };
}

/** Adds the creation of the setup's support file (a conftest.py that lets `pytest` import the code) to an edit. */
function addSupportFile(job: WriteJob, edit: vscode.WorkspaceEdit): void {
  const file = job.setup.supportFile;
  if (!file || !job.supportUri) return;
  edit.createFile(job.supportUri, { ignoreIfExists: false });
  edit.insert(job.supportUri, new vscode.Position(0, 0), file.content);
  job.services.log.info(`Adding ${file.path}: ${file.reason}`);
}

async function deps(
  services: ExtensionServices,
  signal: AbortSignal,
  report: (message: string) => void,
  onPreview?: (text: string) => void,
): Promise<GenerationDeps> {
  const mode = await generationMode(services, signal);
  return {
    backend: await services.backend(),
    mode,
    config: services.config(),
    log: services.log,
    signal,
    repoName: vscode.workspace.name,
    onText: (soFar: string) => report(linesSoFar(soFar)),
    onPreview,
  };
}

async function sourceDocument(args?: WriteTestsArgs): Promise<{ doc: vscode.TextDocument; offset: number } | undefined> {
  if (args?.uri) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    return { doc, offset: doc.offsetAt(new vscode.Position(args.line, args.character)) };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  return { doc: editor.document, offset: editor.document.offsetAt(editor.selection.active) };
}

function tell(message: string): WriteTestsOutcome {
  void vscode.window.showInformationMessage(`Infill: ${message}`);
  return { applied: false, reason: message };
}
