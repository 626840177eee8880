// "Infill: Generate Function from Comment": finds the comment at the cursor, streams the function it describes
// into the editor below it (a live preview), validates it, and leaves one undo step. Cancel, a backend failure
// or an unusable answer put the document back as it was.
import * as vscode from 'vscode';
import { findCommentAt, looksLikeInOrAfterComment } from '../../commands/comments';
import { generateFunction, GenerationFailed } from '../../commands/generate';
import { planFunctionInsertion } from '../../commands/insertion';
import { commandLanguage, supportedCommandLanguageIds } from '../../commands/languageRules';
import { abortError } from '../../util/abort';
import type { ExtensionServices } from '../services';
import { StreamedEdit } from './streamedEdit';
import { generationMode, linesSoFar, relativeTo, reportFailure, withCancellableProgress, workspaceRootFor } from './shared';
import { errorMessage } from '../../util/errors';

export const GENERATE_FUNCTION_COMMAND = 'infill.generateFunction';
export const CURSOR_IN_COMMENT_KEY = 'infill.cursorInComment';

/** What the command returns (tests use it): whether the edit was applied, and the inserted text. */
export interface GenerateFunctionOutcome {
  applied: boolean;
  text?: string;
  reason?: string;
}

export function registerGenerateFunction(services: ExtensionServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(GENERATE_FUNCTION_COMMAND, () => runGenerateFunction(services)),
    ...trackCursorInComment(),
  ];
}

async function runGenerateFunction(services: ExtensionServices): Promise<GenerateFunctionOutcome> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return tell('Open a file and put the cursor in or just after a comment describing a function.');
  const doc = editor.document;
  if (!commandLanguage(doc.languageId)) {
    return tell(`Generate Function from Comment supports ${supportedCommandLanguageIds().join(', ')}; this file is ${doc.languageId}.`);
  }
  const text = doc.getText();
  const comment = await findCommentAt(doc.languageId, text, doc.offsetAt(editor.selection.active));
  if (!comment) return tell('Put the cursor in or just after a comment that describes the function to write.');
  if (comment.documents) return tell(`This comment already documents \`${comment.documents}\`; write a new comment where the new function should go.`);

  const plan = planFunctionInsertion(doc.languageId, text, comment);
  const relativePath = relativeTo(workspaceRootFor(doc.uri), doc.uri);
  const title = comment.signature ? `Infill: writing ${comment.signature.name}()…` : 'Infill: writing the function described by the comment…';
  services.log.info(`Generate function in ${relativePath} after line ${comment.endLine + 1}${comment.inClass ? ` (method of ${comment.className || 'a class'})` : ''}`);

  return withCancellableProgress(title, async (signal, report) => {
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    const region = new StreamedEdit(editor, plan.start, text.slice(plan.start, plan.end), () => controller.abort(abortError()));
    try {
      const mode = await generationMode(services, controller.signal);
      const backend = await services.backend();
      const result = await generateFunction(
        {
          backend,
          mode,
          config: services.config(),
          log: services.log,
          signal: controller.signal,
          repoName: vscode.workspace.name,
          onText: soFar => report(linesSoFar(soFar)),
          onPreview: insertion => region.preview(insertion),
        },
        { languageId: doc.languageId, relativePath, text, comment },
      );
      if (!(await region.commit(result.edit.text))) {
        throw new GenerationFailed('The document changed while the function was generated, so it was not inserted.', []);
      }
      const end = region.range().end;
      const functionEnd = doc.positionAt(doc.offsetAt(end) - plan.trailing.length);
      editor.selection = new vscode.Selection(functionEnd, functionEnd);
      editor.revealRange(region.range(), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return { applied: true, text: result.functionText };
    } catch (err) {
      await region.rollback();
      if (region.conflict) services.log.warn('Generation stopped: the generated text was edited while it streamed');
      reportFailure(services, err, 'generating a function', 'Generate Function from Comment');
      return { applied: false, reason: errorMessage(err) };
    } finally {
      region.dispose();
    }
  });
}

function tell(message: string): GenerateFunctionOutcome {
  void vscode.window.showInformationMessage(`Infill: ${message}`);
  return { applied: false, reason: message };
}

// ---- The `infill.cursorInComment` context key (editor context menu entry) ----

function trackCursorInComment(): vscode.Disposable[] {
  let current: boolean | undefined;
  let timer: NodeJS.Timeout | undefined;
  const update = (editor: vscode.TextEditor | undefined) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const doc = editor?.document;
      const value = !!editor && !!doc && !!commandLanguage(doc.languageId)
        && looksLikeInOrAfterComment(l => doc.lineAt(l).text, editor.selection.active.line);
      if (value !== current) {
        current = value;
        void vscode.commands.executeCommand('setContext', CURSOR_IN_COMMENT_KEY, value);
      }
    }, 50);
  };
  update(vscode.window.activeTextEditor);
  return [
    vscode.window.onDidChangeTextEditorSelection(e => update(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(update),
    { dispose: () => timer && clearTimeout(timer) },
  ];
}
